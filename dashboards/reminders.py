"""The weekly digests, under the contract of `mentorship/reminders.py`: on Monday morning in
the district's time zone, each mentor hears what their mentees have open, and each
coordinator of a running program hears how the program is doing.

A digest names people, dates and counts, never what anyone wrote. Nothing is sent to a
mentor with nothing open. The key names the person and the ISO week, so a digest goes out
once a week however often the source runs on Monday. A digest is a summary already: it
goes out on its own rather than waiting inside the daily digest.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import Reflection, ReflectionReply
from mentorship.reminders import Reminder, reminder
from observations.models import ObservationCycle
from pairing.models import NextStep, Pairing
from programs.models import Participant, Program

from .health import health_cards

# Sent from this hour on Monday, local time: the start of the working week.
SEND_FROM = time(7)
# Next steps and observation stages due within this many days count as due this week.
AHEAD = timedelta(days=7)
# The stages in which a cycle waits for its mentor (the reflection is the mentee's).
MENTOR_STAGES = [ObservationCycle.Stage.PLANNING, ObservationCycle.Stage.OBSERVING,
                 ObservationCycle.Stage.DEBRIEF]


def mondays(now):
    """{program id: (program, local date)} for the running programs of the districts where
    it is Monday now. One query."""
    found = {}
    for program in Program.objects.filter(status=Program.Status.RUNNING).select_related(
            "district"):
        zone = ZoneInfo(program.district.time_zone)
        today = now.astimezone(zone).date()
        if today.weekday() == 0 and program.starts_on <= today <= program.ends_on:
            found[program.pk] = (program, today, zone)
    return found


def week_key(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def morning(day, zone):
    return datetime.combine(day, SEND_FROM, tzinfo=zone)


def _count(queryset, field):
    return Coalesce(Subquery(queryset.values(field).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


@reminder("mentor-weekly-digest", _("Weekly digest for mentors"),
          _("On Monday morning, what your mentees have open: overdue check-ins, next steps "
            "due, observations waiting for you and shared reflections awaiting your reply."),
          digestible=False)
def mentor_weekly_digests(now):
    """One digest per mentor and ISO week, listing each active mentee with something open.
    Two queries however many mentors."""
    programs = mondays(now)
    if not programs:
        return
    horizon = max(day for _program, day, _zone in programs.values()) + AHEAD
    pairing = OuterRef("pk")
    steps = NextStep.objects.open().filter(checkin__pairing=pairing, due_on__lte=horizon)
    cycles = ObservationCycle.objects.open().filter(
        pairing=pairing, stage__in=MENTOR_STAGES, mentor_id=OuterRef("mentor__user_id"))
    replied = ReflectionReply.objects.filter(reflection=OuterRef("pk"),
                                             author_id=OuterRef(OuterRef("mentor__user_id")))
    awaiting = (Reflection.objects.filter(author_id=OuterRef("mentee__user_id"),
                                          program_id=OuterRef("program_id"),
                                          visibility=Reflection.Visibility.MENTOR,
                                          shared_at__isnull=False)
                .exclude(Exists(replied)))
    rows = (Pairing.objects.active()
            .filter(program_id__in=list(programs), mentor__status=Participant.Status.ACTIVE,
                    mentor__user__is_active=True)
            .exclude(mentee__role=Participant.Role.PEER)
            .annotate(steps_due=_count(steps, "checkin__pairing"),
                      cycles_waiting=_count(cycles, "pairing"),
                      reflections_awaiting=_count(awaiting, "author_id"))
            .select_related("mentor__user", "mentee__user")
            .order_by("mentor__user_id", "next_checkin_due_on", "pk"))
    by_mentor = defaultdict(list)
    for row in rows.iterator():
        day = programs[row.program_id][1]
        overdue = (day - row.next_checkin_due_on).days if (
            row.next_checkin_due_on and row.next_checkin_due_on < day) else 0
        if overdue or row.steps_due or row.cycles_waiting or row.reflections_awaiting:
            by_mentor[row.mentor.user].append({
                "name": row.mentee.user.display_name,
                "program": programs[row.program_id][0].name,
                "overdue_days": overdue, "next_steps": row.steps_due,
                "cycles": row.cycles_waiting, "reflections": row.reflections_awaiting,
                "url": reverse("pairing:pairing-detail", args=[row.pk]),
                "program_id": row.program_id})
    for mentor, mentees in by_mentor.items():
        program, day, zone = programs[mentees[0]["program_id"]]
        mentees.sort(key=lambda m: -m["overdue_days"])  # overdue first
        yield Reminder(
            key=f"mentor-weekly-digest:user-{mentor.pk}:{week_key(day)}",
            user_id=mentor.pk,
            template="dashboards/reminders/mentor_weekly_digest",
            context={"mentees": [{k: v for k, v in m.items() if k != "program_id"}
                                 for m in mentees],
                     "overdue": sum(1 for m in mentees if m["overdue_days"]),
                     "week": week_key(day)},
            url=reverse("home"),
            program_id=program.pk if len({m["program_id"] for m in mentees}) == 1 else None,
            not_before=morning(day, zone))


@reminder("coordinator-weekly-health", _("Weekly program health for coordinators"),
          _("On Monday morning, the key figures of each running program you coordinate and "
            "how many pairings are at risk."), digestible=False)
def coordinator_weekly_health(now):
    """One message per coordinator, running program and ISO week. A fixed number of queries
    for each distinct local Monday and time zone (one in practice)."""
    programs = mondays(now)
    if not programs:
        return
    by_day = defaultdict(list)
    for program, day, zone in programs.values():
        by_day[day, zone].append(program)
    cards = {}
    for (day, zone), group in by_day.items():
        # The windows of the figures start at midnight in the district, as on its pages.
        with timezone.override(zone):
            cards.update(health_cards(group, day, rematch=True))
    coordinators = (Participant.objects.active()
                    .filter(program_id__in=list(programs), role=Participant.Role.COORDINATOR,
                            user__is_active=True)
                    .values_list("program_id", "user_id").order_by("program_id", "user_id"))
    for program_id, user_id in coordinators:
        program, day, zone = programs[program_id]
        card = cards[program_id]
        yield Reminder(
            key=f"coordinator-weekly-health:program-{program_id}:user-{user_id}:"
                f"{week_key(day)}",
            user_id=user_id,
            template="dashboards/reminders/coordinator_weekly_health",
            context={"program": program.name, "active": card["active"],
                     "overdue": card["overdue"], "unmatched": card["unmatched"],
                     "applicants": card["applicants"], "at_risk": card["at_risk"],
                     "week": week_key(day)},
            url=reverse("dashboards:program-health", args=[program_id]),
            program_id=program_id,
            not_before=morning(day, zone))
