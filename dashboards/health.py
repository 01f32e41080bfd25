"""Program health: the figures a coordinator watches, computed in the database.

Every figure is an aggregate (conditional counts, sums, subqueries) over the pairings and
participants the reader may see (`visible_to`), so a page costs the same number of queries
for ten pairings or ten thousand. Content never appears here: no note, debrief or
reflection words, and reflections kept private count nowhere (their author's promise).

The at-risk list names people; it is shown to those who run the program (its coordinators
and the people who match in its model). Administrators who do not run the program see
how many pairings are flagged and why, not who: mentoring stays apart from evaluation.
A self-rating is something the mentee wrote: in a group smaller than the program's
anonymity threshold, a count of falling confidence would name them, so those readers get
no confidence flag there.
"""

import calendar
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import GOAL_OWNER_ROLES, Goal, Reflection, ReflectionReply
from observations.models import ObservationCycle
from pairing.models import CheckIn, Pairing, RematchRequest
from programs.models import Attendance, Participant, Program, TimeLog
from programs.permissions import active_roles, can_manage_program, is_matcher

from .models import AtRiskCheck, AtRiskFlag

DEFAULT_WEEKS = 4
# A drop of half a point on the 1-5 scale, month on month: smaller moves are noise.
CONFIDENCE_DROP = 0.5
# Unexcused absences from group sessions in the chosen weeks that make a flag.
MISSED_SESSIONS = 2
MONTH_DAYS = 30
# Whose protected time the monthly target is for: the pairs, not those who run the program.
TIME_ROLES = [*Participant.MENTORING_ROLES, Participant.Role.MENTEE]
PAGE_SIZE = 25


class Reason:
    NO_CHECKIN = "no_checkin"
    CONFIDENCE = "confidence"
    MISSED_SESSIONS = "missed_sessions"
    REMATCH = "rematch"

    labels = {
        NO_CHECKIN: _("No check-in for two cadence periods"),
        CONFIDENCE: _("Self-rated confidence falling"),
        MISSED_SESSIONS: _("Missed group sessions"),
        REMATCH: _("Rematch requested"),
    }


def runs_program(user, program):
    """Coordinators and the people who match in the program's model: they act on the
    at-risk list, so they see who is on it."""
    return (Participant.Role.COORDINATOR in active_roles(user, program)
            or is_matcher(user, program))


def scoped_pairings(user, program):
    """Approved pairings of the program the reader may see: all of them for those who
    manage the program; a school's own for its admin or rep; a lead's teams."""
    pairings = Pairing.objects.filter(program=program).exclude(status=Pairing.Status.PROPOSED)
    if can_manage_program(user, program):
        return pairings
    return pairings.filter(pk__in=Pairing.objects.visible_to(user).filter(program=program)
                           .values("pk"))


def scoped_participants(user, program):
    return Participant.objects.visible_to(user, program)


def local_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def month_starts(first, last):
    """The first day of each month from `first`'s month to `last`'s, in order."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass
class Window:
    today: date
    weeks: int

    @property
    def since(self):
        return self.today - timedelta(weeks=self.weeks)


def pairing_figures(pairings, window, program):
    """Active, paused and overdue pairings; what the cadence asks of them in the window;
    pairings whose mentee has not been met or observed in the window. One query."""
    since = local_start(window.since)
    held = CheckIn.objects.filter(pairing=OuterRef("pk"), status=CheckIn.Status.HELD,
                                  scheduled_at__gte=since, scheduled_at__lt=timezone.now())
    observed = ObservationCycle.objects.filter(pairing=OuterRef("pk"), observed_at__gte=since
                                               ).exclude(kind=ObservationCycle.Kind.MODELLING)
    active = Q(status=Pairing.Status.ACTIVE)
    figures = pairings.annotate(met=Exists(held), seen=Exists(observed)).aggregate(
        active=Count("pk", filter=active),
        paused=Count("pk", filter=Q(status=Pairing.Status.PAUSED)),
        overdue=Count("pk", filter=active & Q(next_checkin_due_on__lt=window.today)),
        not_met=Count("pk", filter=active & Q(met=False)),
        not_observed=Count("pk", filter=active & Q(seen=False)),
    )
    figures["expected"] = round(figures["active"] * window.weeks * 7
                                / program.checkin_cadence_days)
    return figures


def has_open_pairing():
    """Whether a participant is in an open pairing, on either side: two lookups by index,
    where one EXISTS over "mentee or mentor" scanned every open pairing per person."""
    open_pairings = Pairing.objects.filter(status__in=Pairing.OPEN_STATUSES)
    return (Exists(open_pairings.filter(mentee=OuterRef("pk")))
            | Exists(open_pairings.filter(mentor=OuterRef("pk"))))


def participant_figures(participants):
    """Applicants waiting for a decision, and active mentees (or peers) without an open
    pairing. One query."""
    return participants.annotate(paired=has_open_pairing()).aggregate(
        applicants=Count("pk", filter=Q(status__in=[Participant.Status.APPLIED,
                                                     Participant.Status.WAITLISTED])),
        unmatched=Count("pk", filter=Q(status=Participant.Status.ACTIVE,
                                       role__in=GOAL_OWNER_ROLES, paired=False)),
        people=Count("user", distinct=True, filter=Q(
            status=Participant.Status.ACTIVE, role__in=TIME_ROLES)),
    )


class AmongIds(Expression):
    """`column IN (subquery)`, written for PostgreSQL as `column = ANY(ARRAY(subquery))`:
    the ids come first and each probes the column's index. With IN, the planner cannot
    tell how few ids there are and may scan every row of the district that meets the
    other conditions, then join."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, ids):
        super().__init__()
        self.column, self.ids = F(column), Subquery(ids.order_by())

    def get_source_expressions(self):
        return [self.column, self.ids]

    def set_source_expressions(self, expressions):
        self.column, self.ids = expressions

    def as_sql(self, compiler, connection, template="%s IN %s"):
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)
        return template % (column, ids), (*column_params, *ids_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


def checkins_by_month(pairings, program, window):
    """Check-ins held each month of the program so far against what the cadence asks of
    the pairings open that month, and those held in the window: ([rows], held in the
    window). Two queries, whatever the number of pairings (the months and the window are
    counted in one pass over the check-ins)."""
    today = window.today
    since = local_start(window.since)
    last = min(today, program.ends_on)
    months = month_starts(program.starts_on, last) if program.starts_on <= last else []
    first = min(local_start(months[0]), since) if months else since
    held, in_window = {}, 0
    for month, n, recent in (
            CheckIn.objects.filter(AmongIds("pairing_id", pairings.values("pk")),
                                   status=CheckIn.Status.HELD, scheduled_at__gte=first,
                                   scheduled_at__lt=timezone.now())
            .annotate(month=TruncMonth("scheduled_at")).values("month")
            # Counting dates, not ids: the index on (pairing, status, date) answers alone.
            .annotate(n=Count("scheduled_at"),
                      recent=Count("scheduled_at", filter=Q(scheduled_at__gte=since)))
            .values_list("month", "n", "recent").order_by()):
        held[month.date() if isinstance(month, datetime) else month] = n
        in_window += recent
    if not months:
        return [], in_window
    open_in = {}
    for month in months:
        end = min(month_end(month), last)
        open_in[f"m{month:%Y%m}"] = Count("pk", filter=Q(started_on__lte=end) & (
            Q(ended_on__isnull=True) | Q(ended_on__gte=month)))
    counts = pairings.filter(started_on__isnull=False).aggregate(**open_in)
    rows = []
    for month in months:
        start = max(month, program.starts_on)
        days = (min(month_end(month), last) - start).days + 1
        expected = round(counts[f"m{month:%Y%m}"] * days / program.checkin_cadence_days)
        rows.append({"month": month, "held": held.get(month, 0), "expected": expected})
    return rows, in_window


def cycles_by_term(pairings, program):
    """Observation cycles planned and done in each term, against the program's aim per
    pairing. Two queries (the terms, then one aggregate)."""
    Stage = ObservationCycle.Stage
    terms = list(program.terms.all())
    cycles = ObservationCycle.objects.filter(program=program, pairing__in=pairings.values("pk"))
    aggregates = {"open": Count("pk", filter=Q(stage__in=ObservationCycle.OPEN_STAGES))}
    for term in terms:
        span = (term.starts_on, term.ends_on)
        aggregates[f"planned_{term.pk}"] = Count(
            "pk", filter=Q(created_at__date__range=span) & ~Q(stage=Stage.CANCELLED))
        aggregates[f"done_{term.pk}"] = Count(
            "pk", filter=Q(stage=Stage.CLOSED, closed_at__date__range=span))
    totals = cycles.aggregate(**aggregates)
    return totals["open"], [
        {"term": term, "planned": totals[f"planned_{term.pk}"],
         "done": totals[f"done_{term.pk}"]} for term in terms]


def goals_by_state(participants):
    counts = dict(Goal.objects.filter(participant__in=participants.values("pk"))
                  .values_list("state").annotate(n=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Goal.State.choices
            if value != Goal.State.REVISED]


def reflection_activity(participants, program, window):
    """Counts of entries their authors shared (never private ones, never words): written in
    the window, by how many people, and shared with a mentor still waiting for a reply.
    One query."""
    since = local_start(window.since)
    replied = ReflectionReply.objects.filter(reflection=OuterRef("pk"))
    authors = participants.filter(status=Participant.Status.ACTIVE).values("user_id")
    return (Reflection.objects.filter(program=program, author_id__in=authors).shared()
            .annotate(replied=Exists(replied)).aggregate(
                written=Count("pk", filter=Q(created_at__gte=since)),
                writers=Count("author", distinct=True, filter=Q(created_at__gte=since)),
                awaiting=Count("pk", filter=Q(replied=False,
                                              visibility=Reflection.Visibility.MENTOR)),
            ))


def time_by_month(participants, program, today, people):
    """Protected time logged each month, in hours, against the program's monthly target
    for its active mentors and mentees (the people the target counts). One query."""
    last = min(today, program.ends_on)
    months = month_starts(program.starts_on, last) if program.starts_on <= last else []
    users = participants.filter(status=Participant.Status.ACTIVE,
                                role__in=TIME_ROLES).values("user_id")
    minutes = dict(TimeLog.objects.filter(program=program, user_id__in=users,
                                          date__gte=program.starts_on, date__lte=last)
                   .annotate(month=TruncMonth("date")).values("month")
                   .annotate(total=Sum("minutes")).values_list("month", "total").order_by())
    target = round(program.protected_minutes_per_month * people / 60, 1)
    return [{"month": month, "hours": round((minutes.get(month) or 0) / 60, 1),
             "target": target} for month in months]


def silent_since(program, today):
    return today - timedelta(days=2 * program.checkin_cadence_days)


def flags_now(pairings, programs, window):
    """Active pairings with at least one reason to look closer, each reason a flag, counted
    from the activity tables now: no held check-in for two cadence periods of its program
    (a pairing younger than that is left alone), the mentee's self-rated confidence in
    shared entries falling by CONFIDENCE_DROP from the month before to the last month,
    MISSED_SESSIONS unexcused absences from group sessions in the window, and an open
    rematch request. Five figures per pairing: `check_at_risk` runs it in the background
    and pages read what it found (`at_risk`)."""
    today = window.today
    now = timezone.now()
    held = CheckIn.objects.filter(pairing=OuterRef("pk"), status=CheckIn.Status.HELD,
                                  scheduled_at__lt=now)
    # No check-in held since the date is the last one held falling before it: read from
    # each pairing's own check-ins (an index), where a NOT EXISTS under OR had the
    # database hash every recent check-in of the district. One term per cadence.
    by_since = {}
    for program in programs:
        by_since.setdefault(silent_since(program, today), []).append(program.pk)
    silent = Q(pk__in=[])
    for since, ids in sorted(by_since.items()):
        silent |= Q(program_id__in=ids, started_on__lt=since) & (
            Q(last_held__isnull=True) | Q(last_held__lt=local_start(since)))

    def confidence(first, last):
        return Subquery(
            Reflection.objects.filter(
                author_id=OuterRef("mentee__user_id"), program_id=OuterRef("program_id"),
                confidence__isnull=False, created_at__gte=local_start(first),
                created_at__lt=local_start(last)).shared()
            .values("author_id").annotate(mean=Avg("confidence")).values("mean")[:1],
            output_field=FloatField())

    missed = Subquery(
        Attendance.objects.filter(participant_id=OuterRef("mentee_id"),
                                  status=Attendance.Status.ABSENT,
                                  session__starts_at__gte=local_start(window.since),
                                  session__starts_at__lt=now)
        .values("participant_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField())
    month_ago = today - timedelta(days=MONTH_DAYS)
    return (pairings.filter(status=Pairing.Status.ACTIVE,
                            program_id__in=[p.pk for p in programs]).annotate(
        last_held=Subquery(held.order_by("-scheduled_at").values("scheduled_at")[:1]),
        recent_confidence=confidence(month_ago, today + timedelta(days=1)),
        prior_confidence=confidence(month_ago - timedelta(days=MONTH_DAYS), month_ago),
        missed_sessions=Coalesce(missed, Value(0)),
        rematch_open=Exists(RematchRequest.objects.filter(
            pairing=OuterRef("pk"), state=RematchRequest.State.OPEN)),
    ).annotate(
        flag_silent=silent,
        flag_confidence=Q(recent_confidence__lte=F("prior_confidence") - CONFIDENCE_DROP),
        flag_missed=Q(missed_sessions__gte=MISSED_SESSIONS),
        flag_rematch=Q(rematch_open=True),
    ).filter(Q(flag_silent=True) | Q(flag_confidence=True) | Q(flag_missed=True)
             | Q(flag_rematch=True)))


def check_at_risk(district):
    """Check every active pairing of the district and replace its flags at once, so pages
    read a few flagged rows instead of computing each pairing's figures per request. Runs
    every minute in the background (`dashboards.check_at_risk`); returns the check."""
    started = clock.perf_counter()
    now = timezone.now()
    programs = list(Program.objects.filter(district=district))
    # Windows start at midnight in the district, as on its pages.
    with timezone.override(district.time_zone):
        flagged = list(flags_now(
            Pairing.objects.filter(program__district=district), programs,
            Window(timezone.localdate(now), DEFAULT_WEEKS)).values_list(
            "pk", "flag_silent", "flag_confidence", "flag_missed", "rematch_open",
            "last_held"))
    # A comparison with no ratings to compare is NULL in SQL: no flag.
    rows = [AtRiskFlag(pairing_id=pk, district=district, no_checkin=bool(silent),
                       confidence=bool(confidence), missed_sessions=bool(missed),
                       rematch=bool(rematch), last_held_at=last_held)
            for pk, silent, confidence, missed, rematch, last_held in flagged]
    with transaction.atomic():
        # One check of a district writes at a time (the lock on its check row): two at
        # once would insert the same pairings.
        AtRiskCheck.objects.get_or_create(district=district, defaults={"checked_at": now})
        check = AtRiskCheck.objects.select_for_update().get(district=district)
        AtRiskFlag.objects.filter(district=district).delete()
        AtRiskFlag.objects.bulk_create(rows, batch_size=2000)
        check.checked_at, check.seconds = now, clock.perf_counter() - started
        check.save(update_fields=["checked_at", "seconds"])
    return check


def at_risk_check(district_id):
    """The district's last at-risk check, with `stale` set when it is missing or older than
    pages may show; a stale check queues a new one (at most every few minutes). None before
    the first."""
    from .impact import ask_again, too_old
    from .tasks import check_district_at_risk

    check = AtRiskCheck.objects.filter(district_id=district_id).first()
    if too_old(check.checked_at if check else None):
        ask_again(check_district_at_risk, district_id)
        if check is not None:
            check.stale = True
    return check


def at_risk(pairings, programs, *, rematch, confidence_in=None):
    """The pairings of `programs` among `pairings` that the last check flagged and are still
    active, with the reasons this reader is given: the rematch flag only for those who
    answer rematch requests (`rematch`), the confidence flag only in the programs
    `confidence_in` names (None: all). A queryset: pages count it, page it or group it."""
    confidence = Q(risk__confidence=True)
    if confidence_in is not None:
        confidence &= Q(program_id__in=list(confidence_in))
    return (pairings.filter(status=Pairing.Status.ACTIVE, program_id__in=[p.pk for p in programs],
                            risk__isnull=False).annotate(
        flag_silent=F("risk__no_checkin"),
        flag_confidence=confidence,
        flag_missed=F("risk__missed_sessions"),
        flag_rematch=F("risk__rematch") if rematch else Value(False),
        last_held=F("risk__last_held_at"),
    ).filter(Q(flag_silent=True) | Q(flag_confidence=True) | Q(flag_missed=True)
             | Q(flag_rematch=True)))


def reasons_of(row):
    """The reasons a flagged pairing is on the list, as (code, label) pairs."""
    reasons = []
    if row.flag_silent:
        reasons.append((Reason.NO_CHECKIN, Reason.labels[Reason.NO_CHECKIN]))
    if row.flag_confidence:
        reasons.append((Reason.CONFIDENCE, Reason.labels[Reason.CONFIDENCE]))
    if row.flag_missed:
        reasons.append((Reason.MISSED_SESSIONS, Reason.labels[Reason.MISSED_SESSIONS]))
    if row.flag_rematch:
        reasons.append((Reason.REMATCH, Reason.labels[Reason.REMATCH]))
    return reasons


def at_risk_counts(flagged):
    """How many pairings are flagged, in all and by reason. One query."""
    return flagged.aggregate(
        total=Count("pk"),
        no_checkin=Count("pk", filter=Q(flag_silent=True)),
        confidence=Count("pk", filter=Q(flag_confidence=True)),
        missed_sessions=Count("pk", filter=Q(flag_missed=True)),
        rematch=Count("pk", filter=Q(flag_rematch=True)),
    )


def overdue_pairings(pairings, today):
    """Active pairings past their check-in due date, longest overdue first."""
    return (pairings.filter(status=Pairing.Status.ACTIVE, next_checkin_due_on__lt=today)
            .select_related("mentor__user", "mentee__user", "mentee__school")
            .order_by("next_checkin_due_on", "pk"))


def with_people(flagged):
    """The flagged pairings with their people, the longest without a check-in (or never
    met) first."""
    return (flagged.select_related("mentor__user", "mentee__user", "mentee__school")
            .order_by(F("last_held").asc(nulls_first=True), "pk"))


def days_since(moment, today):
    if moment is None:
        return None
    return (today - timezone.localtime(moment).date()).days


def survey_rate(program):
    """(invited, answered, percent or None) across the program's surveys. One query."""
    from surveys.figures import response_rates

    invited, answered = response_rates([program.pk])[program.pk]
    return invited, answered, round(100 * answered / invited) if invited else None


def program_health(user, program, *, today, weeks=DEFAULT_WEEKS):
    """Everything the health page shows except the pages of its lists, for this reader."""
    window = Window(today, weeks)
    pairings = scoped_pairings(user, program)
    participants = scoped_participants(user, program)
    people = participant_figures(participants)
    open_cycles, terms = cycles_by_term(pairings, program)
    manages = can_manage_program(user, program)
    runs = runs_program(user, program)
    counts = pairing_figures(pairings, window, program)
    checkins, counts["held"] = checkins_by_month(pairings, program, window)
    shows_confidence = runs or counts["active"] >= program.anonymity_threshold
    flagged = at_risk(pairings, [program], rematch=manages,
                      confidence_in=None if shows_confidence else [])
    whole = manages or runs
    return {
        "window": window,
        "surveys": survey_rate(program) if whole else None,
        "pairings": counts,
        "people": people,
        "checkins": checkins,
        "open_cycles": open_cycles,
        "terms": terms,
        "cycle_target": program.observation_cycles_per_term,
        "goals": goals_by_state(participants),
        "reflections": reflection_activity(participants, program, window),
        "time": time_by_month(participants, program, today, people["people"]),
        "at_risk": at_risk_counts(flagged),
        "risk_check": at_risk_check(program.district_id),
        "flagged": flagged,
        "scoped_pairings": pairings,
        "names_at_risk": runs,
        "shows_confidence": shows_confidence,
        "shows_rematch": manages,
    }


def health_cards(programs, today, *, rematch=False, runs=True):
    """Key figures of several programs at once, for coordinators' and admins' home pages:
    {program id: {active, overdue, unmatched, applicants, at_risk}}. A fixed number of
    queries however many programs and pairings. For readers who do not run the programs
    (`runs` false), falling confidence flags nobody in a program with fewer active
    pairings than its anonymity threshold, as on the health page."""
    ids = [p.pk for p in programs]
    cards = {pk: {"active": 0, "overdue": 0, "unmatched": 0, "applicants": 0, "at_risk": 0}
             for pk in ids}
    if not ids:
        return cards
    pairings = Pairing.objects.filter(program_id__in=ids)
    for row in (pairings.values("program_id").annotate(
            active=Count("pk", filter=Q(status=Pairing.Status.ACTIVE)),
            overdue=Count("pk", filter=Q(status=Pairing.Status.ACTIVE,
                                         next_checkin_due_on__lt=today))).order_by()):
        cards[row["program_id"]].update(active=row["active"], overdue=row["overdue"])
    for row in (Participant.objects.filter(program_id__in=ids)
                .annotate(paired=has_open_pairing()).values("program_id").annotate(
                    applicants=Count("pk", filter=Q(status__in=[
                        Participant.Status.APPLIED, Participant.Status.WAITLISTED])),
                    unmatched=Count("pk", filter=Q(status=Participant.Status.ACTIVE,
                                                   role__in=GOAL_OWNER_ROLES,
                                                   paired=False))).order_by()):
        cards[row["program_id"]].update(applicants=row["applicants"],
                                        unmatched=row["unmatched"])
    large = [p.pk for p in programs if cards[p.pk]["active"] >= p.anonymity_threshold]
    flagged = at_risk(pairings, programs, rematch=rematch,
                      confidence_in=None if runs else large)
    for row in flagged.values("program_id").annotate(n=Count("pk")).order_by():
        cards[row["program_id"]]["at_risk"] = row["n"]
    return cards

