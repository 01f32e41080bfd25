"""What each automatic criterion counts, in SQL, for the background check and for the
progress a person sees on their badges.

A program's badge counts what happened in that program; a district's badge counts what
happened in any program of the district. Only counts leave this module: never what a
person wrote.
"""

from collections import defaultdict

from django.db.models import Count, Sum

from goals.models import Goal, Reflection
from observations.models import ObservationCycle
from programs.models import Attendance, GroupSession, TimeLog

from .models import Criterion


def _sessions(district_id, user_ids=None):
    """Group sessions attended (present), by person and program."""
    rows = Attendance.objects.filter(status=Attendance.Status.PRESENT,
                                     session__group__program__district_id=district_id)
    if user_ids is not None:
        rows = rows.filter(participant__user_id__in=user_ids)
    return list(rows.values("participant__user_id", "session__group__program_id")
                .annotate(n=Count("session_id", distinct=True))
                .values_list("participant__user_id", "session__group__program_id", "n"))


def _training_minutes(district_id, user_ids=None):
    """Minutes of mentor training: mentor training workshops attended (present) and time
    logged as training, by person and program."""
    workshops = Attendance.objects.filter(
        status=Attendance.Status.PRESENT, session__kind=GroupSession.Kind.WORKSHOP,
        session__group__program__district_id=district_id)
    logged = TimeLog.objects.filter(kind=TimeLog.Kind.TRAINING, program__district_id=district_id)
    if user_ids is not None:
        workshops = workshops.filter(participant__user_id__in=user_ids)
        logged = logged.filter(user_id__in=user_ids)
    rows = list(workshops.values("participant__user_id", "session__group__program_id")
                .annotate(n=Sum("session__duration_minutes"))
                .values_list("participant__user_id", "session__group__program_id", "n"))
    rows += list(logged.values("user_id", "program_id").annotate(n=Sum("minutes"))
                 .values_list("user_id", "program_id", "n"))
    return rows


def _training_hours(district_id, user_ids=None):
    minutes = defaultdict(int)
    for user, program, n in _training_minutes(district_id, user_ids):
        minutes[user, program] += n or 0
    return [(user, program, n / 60) for (user, program), n in minutes.items()]


def _goals(district_id, user_ids=None):
    """Goals achieved, by their owner and program (a revised goal is not achieved: its
    newer version is)."""
    rows = Goal.objects.filter(state=Goal.State.ACHIEVED,
                               participant__program__district_id=district_id)
    if user_ids is not None:
        rows = rows.filter(participant__user_id__in=user_ids)
    return list(rows.values("participant__user_id", "participant__program_id")
                .annotate(n=Count("pk"))
                .values_list("participant__user_id", "participant__program_id", "n"))


def _reflections(district_id, user_ids=None):
    """Reflections a person wrote, by author and program: every entry of their own counts,
    private ones too, and only the number ever leaves this query."""
    rows = Reflection.objects.filter(program__district_id=district_id)
    if user_ids is not None:
        rows = rows.filter(author_id__in=user_ids)
    return list(rows.values("author_id", "program_id").annotate(n=Count("pk"))
                .values_list("author_id", "program_id", "n"))


def _cycles(side):
    def count(district_id, user_ids=None):
        """Observation cycles closed, by the person on one side (the teacher observed, or
        the mentor who coached) and program."""
        rows = ObservationCycle.objects.closed().filter(program__district_id=district_id)
        if user_ids is not None:
            rows = rows.filter(**{f"{side}_id__in": user_ids})
        return list(rows.values(f"{side}_id", "program_id").annotate(n=Count("pk"))
                    .values_list(f"{side}_id", "program_id", "n"))
    return count


COUNTERS = {
    Criterion.SESSIONS_ATTENDED: _sessions,
    Criterion.MENTOR_TRAINING: _training_hours,
    Criterion.GOALS_ACHIEVED: _goals,
    Criterion.REFLECTIONS_WRITTEN: _reflections,
    Criterion.CYCLES_COMPLETED: _cycles("mentee"),
    Criterion.CYCLES_COACHED: _cycles("mentor"),
}


def _totals_by_person(badge, user_ids=None):
    totals = defaultdict(float)
    for user, program, n in COUNTERS[badge.criterion](badge.district_id, user_ids):
        if badge.program_id is None or program == badge.program_id:
            totals[user] += n or 0
    return totals


def earners(badge):
    """Ids of the people whose count has reached the badge's threshold."""
    if badge.criterion not in COUNTERS:
        return set()
    return {user for user, n in _totals_by_person(badge).items() if n >= badge.threshold}


class Progress:
    """One person's counts toward badges of their district, read once for a page: the
    same few queries (one or two per criterion) whatever the badges on the page."""

    def __init__(self, user, badges):
        self.by_criterion = {}
        if not badges:
            return
        for criterion in COUNTERS:
            per_program = defaultdict(float)
            for _user, program, n in COUNTERS[criterion](user.district_id, [user.pk]):
                per_program[program] += n or 0
            self.by_criterion[criterion] = per_program

    def of(self, badge):
        """The person's count toward this badge (None for a badge a coordinator awards)."""
        per_program = self.by_criterion.get(badge.criterion)
        if per_program is None:
            return None
        if badge.program_id is None:
            return sum(per_program.values())
        return per_program.get(badge.program_id, 0)

