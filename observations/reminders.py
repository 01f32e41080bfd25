"""What observation cycles have due, under the contract of `mentorship/reminders.py`: an
observation window opening for mentors with a mentee who has no cycle planned in it, and
the stage of a cycle falling due.

Mentoring is kept apart from evaluation, and an email travels further than the page: a
message says what is due, when and with whom, and links to the cycle. It never carries the
focus, the notes, the ratings or the debrief.
"""

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import Reminder, reminder
from pairing.models import Pairing
from programs.models import ObservationWindow, Participant
from programs.reminders import RECENT, day_bounds, is_active_participant, running_programs

from .models import ObservationCycle, ObservationNote

Stage = ObservationCycle.Stage

# Mentors hear of a window from this many days before it opens until the day it opens:
# enough to hold a pre-conference first.
WINDOW_NOTICE_DAYS = 3


@reminder("observation-window-opening", _("Observation window opening"),
          _("A few days before an observation window opens, when a mentee of yours has no "
            "observation planned in it."))
def observation_windows_opening(now):
    """To the mentor of each active pairing whose mentee has no cycle planned in a window
    opening within WINDOW_NOTICE_DAYS (or today): one reminder per mentor, window and
    opening day, naming those mentees. A cycle counts as planned when its observation is
    scheduled inside the window, or when it is still open without a time (its plan is under
    way)."""
    days = running_programs(now)
    if not days:
        return
    first, last = day_bounds(days)
    windows = [w for w in ObservationWindow.objects.filter(
        program__in=list(days), opens_on__gte=first,
        opens_on__lte=last + timedelta(days=WINDOW_NOTICE_DAYS)).order_by("opens_on", "pk")
        if 0 <= (w.opens_on - days[w.program_id].today).days <= WINDOW_NOTICE_DAYS]
    if not windows:
        return
    programs = {w.program_id for w in windows}
    pairings = list(Pairing.objects.active()
                    .filter(program__in=programs)
                    .select_related("mentor__user", "mentee__user").order_by("pk"))
    if not pairings:
        return
    earliest = min(w.opens_on for w in windows)
    latest = max(w.closes_on for w in windows)
    # A day either side: the day is compared in the district's zone below. A plain range on
    # the moment (not on its UTC date) and the programs (not a list of every pairing) keep
    # this on the cycles' indexes in a district of thousands of pairs.
    starts = datetime.combine(earliest - timedelta(days=1), time.min, UTC)
    ends = datetime.combine(latest + timedelta(days=2), time.min, UTC)
    planned = {}
    for pairing_id, scheduled_at in (
            ObservationCycle.objects
            .filter(program__in=programs)
            .exclude(stage=Stage.CANCELLED)
            .filter(Q(scheduled_at__gte=starts, scheduled_at__lt=ends)
                    | Q(scheduled_at__isnull=True, stage__in=ObservationCycle.OPEN_STAGES))
            .values_list("pairing_id", "scheduled_at")):
        planned.setdefault(pairing_id, []).append(scheduled_at)
    by_program = {}
    for pairing in pairings:
        by_program.setdefault(pairing.program_id, []).append(pairing)
    for window in windows:
        day = days[window.program_id]

        def planned_in(pairing, window=window, day=day):
            return any(at is None or window.opens_on <= day.date_of(at) <= window.closes_on
                       for at in planned.get(pairing.pk, []))

        mentees = {}
        for pairing in by_program.get(window.program_id, []):
            if (is_active_participant(pairing.mentor) and is_active_participant(pairing.mentee)
                    and not planned_in(pairing)):
                mentees.setdefault(pairing.mentor.user_id, []).append(str(pairing.mentee.user))
        for user_id, names in mentees.items():
            yield Reminder(
                # The opening day in the key: a window moved to new dates is announced again.
                key=f"observation-window-opening:window-{window.pk}:{window.opens_on}:"
                    f"user-{user_id}",
                user_id=user_id,
                template="observations/reminders/observation_window_opening",
                context={"window": window.name, "program": day.program.name,
                         "opens_on": window.opens_on.isoformat(),
                         "closes_on": window.closes_on.isoformat(),
                         "mentees": sorted(names), "count": len(names)},
                url=reverse("observations:board"),
                program_id=window.program_id)


def stage_recipient(cycle, today):
    """Who the stage waits for, or None when it is not due yet: the coach plans, finishes
    the observation (the observer, when the mentee watches the mentor model) and writes the
    debrief; the mentee reflects. An observation is due once its day has passed without a
    note; the other stages on their due day."""
    if cycle.stage == Stage.OBSERVING:
        if cycle.due_on >= today or cycle.has_notes:
            return None
        return cycle.observer_id
    if cycle.due_on > today:
        return None
    return cycle.mentee_id if cycle.stage == Stage.REFLECTION else cycle.mentor_id


@reminder("cycle-stage-due", _("Observation cycle step due"),
          _("When the next step of an observation cycle is due: the pre-conference, the "
            "observation, the debrief or your reflection."))
def cycle_stages_due(now):
    """Open cycles of active pairings whose stage is due in their district today or was
    due before: one reminder per cycle, stage and due date, to the person the stage waits
    for. A stage moved to a new date is announced again. Only stages due within the last
    week: one left open for months was announced when it fell due, and reading every stale
    cycle of the year each minute would cost the planner seconds in a large district."""
    days = running_programs(now)
    if not days:
        return
    first, last = day_bounds(days)
    # Plain rows, not model instances: a large district has thousands of steps due at once,
    # and building eight objects for each took the planner longer than its minute.
    rows = (ObservationCycle.objects.open()
            .filter(program__in=list(days), pairing__status=Pairing.Status.ACTIVE,
                    due_on__gte=first - RECENT, due_on__lte=last)
            .annotate(has_notes=Exists(ObservationNote.objects.filter(cycle=OuterRef("pk"))))
            .order_by("due_on", "pk")
            # Only who and when: the text the pair wrote is never read here.
            .values_list("pk", "program_id", "stage", "due_on", "kind", "mentor_id",
                         "mentee_id", "has_notes", "mentor__display_name", "mentor__email",
                         "mentee__display_name", "mentee__email",
                         "pairing__mentor__user_id", "pairing__mentor__status",
                         "pairing__mentor__user__is_active", "pairing__mentee__user_id",
                         "pairing__mentee__status", "pairing__mentee__user__is_active"))
    for (pk, program_id, stage, due_on, kind, mentor_id, mentee_id, has_notes,
         mentor_name, mentor_email, mentee_name, mentee_email,
         *pair_people) in rows:
        day = days[program_id]
        if due_on < day.today - RECENT:
            continue
        cycle = SimpleNamespace(
            stage=stage, due_on=due_on, has_notes=has_notes, mentor_id=mentor_id,
            mentee_id=mentee_id,
            observer_id=mentee_id if kind == ObservationCycle.Kind.MODELLING else mentor_id)
        user_id = stage_recipient(cycle, day.today)
        if user_id is None:
            continue
        # The person must still be one of the pair, taking part, with an account in use.
        taking_part = {
            person: status == Participant.Status.ACTIVE and active
            for person, status, active in (pair_people[0:3], pair_people[3:6])}
        if not taking_part.get(user_id):
            continue
        partner = (mentee_name or mentee_email) if user_id == mentor_id else (
            mentor_name or mentor_email)
        yield Reminder(
            key=f"cycle-stage-due:cycle-{pk}:{stage}:{due_on}",
            user_id=user_id,
            template="observations/reminders/cycle_stage_due",
            context={"stage": stage, "due_on": due_on.isoformat(),
                     "partner": partner, "program": day.program.name,
                     "coach": user_id == mentor_id},
            url=reverse("observations:cycle-detail", args=[pk]),
            program_id=program_id)
