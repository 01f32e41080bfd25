"""What each automatic criterion counts, in SQL, for the background check and for the
progress a person sees on their badges.

A program's badge counts what happened in that program; a district's badge counts what
happened in any program of the district. Only counts leave this module: never what a
person wrote.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Aggregate, Count, QuerySet, Sum

from goals.models import Goal, Reflection
from observations.models import ObservationCycle
from programs.models import Attendance, GroupSession, TimeLog

from .models import Award, Criterion


@dataclass(frozen=True)
class Source:
    """Rows that count toward a criterion: whose they are, in which program, and how much
    each group of them counts."""

    rows: Callable[[], QuerySet]
    user: str
    program: str
    amount: Callable[[], Aggregate]

    def totals(self, district_id, *, program_id=None, user_ids=None, holders=None):
        """[(user id, program id, amount)] for the district (or one program), for some
        people only, leaving out the holders of a badge (a subquery of user ids)."""
        rows = self.rows().filter(**{f"{self.program}__district_id": district_id})
        if program_id is not None:
            rows = rows.filter(**{self.program: program_id})
        if user_ids is not None:
            rows = rows.filter(**{f"{self.user}__in": user_ids})
        if holders is not None:
            rows = rows.exclude(**{f"{self.user}__in": holders})
        return list(rows.values(self.user, self.program).annotate(n=self.amount())
                    .values_list(self.user, self.program, "n"))


PRESENT = Attendance.Status.PRESENT
SOURCES = {
    # Group sessions attended (present), each session once.
    Criterion.SESSIONS_ATTENDED: [Source(
        lambda: Attendance.objects.filter(status=PRESENT), "participant__user",
        "session__group__program", lambda: Count("session", distinct=True))],
    # Minutes of mentor training: workshops attended (present) and time logged as training.
    Criterion.MENTOR_TRAINING: [
        Source(lambda: Attendance.objects.filter(status=PRESENT,
                                                 session__kind=GroupSession.Kind.WORKSHOP),
               "participant__user", "session__group__program",
               lambda: Sum("session__duration_minutes")),
        Source(lambda: TimeLog.objects.filter(kind=TimeLog.Kind.TRAINING), "user", "program",
               lambda: Sum("minutes"))],
    # Goals achieved by their owner (a revised goal is not achieved: its newer version is).
    Criterion.GOALS_ACHIEVED: [Source(
        lambda: Goal.objects.filter(state=Goal.State.ACHIEVED), "participant__user",
        "participant__program", lambda: Count("pk"))],
    # Only the entries the author shared (with their mentor or group) count: a badge's
    # holders are listed to those who manage it, and a private journal stays private.
    Criterion.REFLECTIONS_WRITTEN: [Source(
        lambda: Reflection.objects.shared(), "author", "program", lambda: Count("pk"))],
    # Observation cycles closed, as the teacher observed or as the mentor who coached.
    Criterion.CYCLES_COMPLETED: [Source(
        lambda: ObservationCycle.objects.closed(), "mentee", "program", lambda: Count("pk"))],
    Criterion.CYCLES_COACHED: [Source(
        lambda: ObservationCycle.objects.closed(), "mentor", "program", lambda: Count("pk"))],
}
# Training is counted in minutes and shown in hours.
SCALE = {Criterion.MENTOR_TRAINING: 60}


def totals(criterion, district_id, **filters):
    """{(user id, program id): count} for a criterion, in its unit."""
    found = defaultdict(float)
    for source in SOURCES[criterion]:
        for user, program, n in source.totals(district_id, **filters):
            found[user, program] += (n or 0) / SCALE.get(criterion, 1)
    return found


def earners(badge):
    """Ids of the people who do not hold the badge yet and whose count has reached its
    threshold. Holders are left out in SQL, so a check that finds nobody new reads little."""
    if badge.criterion not in SOURCES:
        return set()
    by_person = defaultdict(float)
    for (user, _program), n in totals(
            badge.criterion, badge.district_id, program_id=badge.program_id,
            holders=Award.objects.filter(badge=badge).values("recipient_id")).items():
        by_person[user] += n
    return {user for user, n in by_person.items() if n >= badge.threshold}


class Progress:
    """One person's counts toward badges of their district, read once for a page: the
    same few queries (one or two per criterion) whatever the badges on the page."""

    def __init__(self, user, badges):
        self.by_criterion = {}
        if not badges:
            return
        for criterion in SOURCES:
            per_program = defaultdict(float)
            for (_user, program), n in totals(criterion, user.district_id,
                                               user_ids=[user.pk]).items():
                per_program[program] += n
            self.by_criterion[criterion] = per_program

    def of(self, badge):
        """The person's count toward this badge (None for a badge a coordinator awards)."""
        per_program = self.by_criterion.get(badge.criterion)
        if per_program is None:
            return None
        if badge.program_id is None:
            return sum(per_program.values())
        return per_program.get(badge.program_id, 0)

