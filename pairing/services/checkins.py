"""Writes with rules for check-ins and the next steps agreed at them.

A check-in is scheduled by either person of an active pairing on a school day of the
program, rescheduled or cancelled while it is still scheduled (each change bumps its
sequence, so calendar clients replace the event), and recorded once as held or missed.
A held check-in counts as protected time for both people and moves the pairing's next
due date. Nothing is deleted: a cancelled check-in keeps its row.

Every write here is keyword-only, runs in one transaction and raises ValidationError keyed
by the form field a person would correct, where there is one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.calendar import check_day
from programs.models import Program, TimeLog
from programs.services.time import log_time

from ..models import CheckIn, NextStep, Pairing
from .cadence import next_checkin_due

SCHEDULE_DETAILS = ["scheduled_at", "duration_minutes", "mode", "location", "video_url"]

# Said the same by the forms, which check them before the database is asked.
VIDEO_LINK_NEEDED = gettext_lazy("A video check-in needs a link: paste the address of the "
                                 "call.")
MINUTES_NEEDED = gettext_lazy("Enter how many minutes you spent together.")
STRENGTH_NEEDED = gettext_lazy("Start with what is working: name at least one strength.")
NO_TIME_WHEN_MISSED = gettext_lazy("A missed check-in records no time. Clear this, or record "
                                   "the check-in as held.")


def due_inside_program(program: Program) -> str:
    return _("Choose a due date inside the program (%(start)s to %(end)s).") % {
        "start": date_format(program.starts_on, "DATE_FORMAT"),
        "end": date_format(program.ends_on, "DATE_FORMAT")}


def district_zone(pairing: Pairing) -> ZoneInfo:
    return ZoneInfo(pairing.program.district.time_zone)


def local_date(pairing: Pairing, moment: datetime) -> date:
    """The day a moment falls on in the district's time zone."""
    return timezone.localtime(moment, district_zone(pairing)).date()


def _check_pair(pairing: Pairing, person) -> None:
    if person is None or not pairing.includes(person):
        raise PermissionDenied


def _lock_active(pairing: Pairing) -> None:
    """Lock the pairing's row until the write commits; it must be active as it is now."""
    status = (Pairing.objects.select_for_update().filter(pk=pairing.pk)
              .values_list("status", flat=True).first())
    if status != Pairing.Status.ACTIVE or pairing.program.status == Program.Status.CLOSED:
        raise ValidationError(_("Check-ins are scheduled and recorded only while the pairing "
                                "is active."))


def check_checkin_day(pairing: Pairing, scheduled_at: datetime) -> None:
    """A check-in falls on a school day of the program: inside its dates, not on a weekend,
    not on a blackout day. The day is the district's local day."""
    day = local_date(pairing, scheduled_at)
    check_day(pairing.program, day, "scheduled_at", weekdays_only=True)
    if pairing.started_on and day < pairing.started_on:
        # Time logged for it would count before the two were paired.
        raise ValidationError({"scheduled_at": _(
            "The pairing started on %(day)s: choose that day or a later one.") % {
            "day": date_format(pairing.started_on, "DATE_FORMAT")}})


def _check_free(pairing: Pairing, scheduled_at: datetime, *, other_than=None) -> None:
    """One check-in of a pair at a time: a second click on "Schedule" makes no twin."""
    taken = CheckIn.objects.filter(pairing_id=pairing.pk, status=CheckIn.Status.SCHEDULED,
                                   scheduled_at=scheduled_at)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise ValidationError({"scheduled_at": _(
            "A check-in is already scheduled at this time.")})


def _where(mode: str, location: str, video_url: str) -> tuple[str, str]:
    """The place and the link that go with how the pair meets; the others are dropped, so a
    calendar never shows a room for a phone call."""
    location, video_url = (location or "").strip(), (video_url or "").strip()
    if mode == CheckIn.Mode.VIDEO:
        if not video_url:
            raise ValidationError({"video_url": VIDEO_LINK_NEEDED})
        return "", video_url
    if mode == CheckIn.Mode.IN_PERSON:
        return location, ""
    return "", ""


@transaction.atomic
def schedule_checkin(*, pairing: Pairing, scheduled_by, scheduled_at: datetime,
                     duration_minutes: int = 30, mode: str = CheckIn.Mode.IN_PERSON,
                     location: str = "", video_url: str = "") -> CheckIn:
    """Either person of an active pairing schedules a check-in on a school day."""
    _check_pair(pairing, scheduled_by)
    _lock_active(pairing)
    check_checkin_day(pairing, scheduled_at)
    _check_free(pairing, scheduled_at)
    location, video_url = _where(mode, location, video_url)
    checkin = CheckIn(pairing=pairing, scheduled_by=scheduled_by, scheduled_at=scheduled_at,
                      duration_minutes=duration_minutes, mode=mode, location=location,
                      video_url=video_url)
    checkin.full_clean()
    checkin.save()
    return checkin


def _locked_scheduled(checkin: CheckIn) -> CheckIn:
    """The check-in's row, locked until the write commits; it must still be scheduled."""
    current = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if current.status != CheckIn.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled check-in can be changed; this one is "
                                "marked “%(status)s”.") % {"status": current.get_status_display()})
    return current


@transaction.atomic
def reschedule_checkin(*, checkin: CheckIn, changed_by, **details) -> CheckIn:
    """Change when, how long or how a scheduled check-in is. A new time is checked against
    the calendar (one that stays put is not refused for a blackout added later); any change
    bumps the sequence, so calendar clients replace the event."""
    unknown = set(details) - set(SCHEDULE_DETAILS)
    if unknown:
        raise TypeError(f"not check-in details: {sorted(unknown)}")
    pairing = checkin.pairing
    _check_pair(pairing, changed_by)
    current = _locked_scheduled(checkin)
    _lock_active(pairing)
    wanted = {field: getattr(current, field) for field in SCHEDULE_DETAILS}
    wanted.update(details)
    if wanted["scheduled_at"] != current.scheduled_at:
        check_checkin_day(pairing, wanted["scheduled_at"])
        _check_free(pairing, wanted["scheduled_at"], other_than=current)
    wanted["location"], wanted["video_url"] = _where(wanted["mode"], wanted["location"],
                                                     wanted["video_url"])
    changed = [f for f in SCHEDULE_DETAILS if wanted[f] != getattr(current, f)]
    for field in SCHEDULE_DETAILS:
        setattr(checkin, field, wanted[field])
    checkin.status, checkin.sequence = current.status, current.sequence
    if not changed:
        return checkin
    checkin.full_clean()
    checkin.sequence += 1
    checkin.save(update_fields=[*changed, "sequence", "updated_at"])
    return checkin


@transaction.atomic
def cancel_checkin(*, checkin: CheckIn, cancelled_by) -> CheckIn:
    """A scheduled check-in is called off: it keeps its row with the status cancelled, and
    its sequence grows so that calendars drop the event."""
    _check_pair(checkin.pairing, cancelled_by)
    current = _locked_scheduled(checkin)
    checkin.status = CheckIn.Status.CANCELLED
    checkin.sequence = current.sequence + 1
    checkin.save(update_fields=["status", "sequence", "updated_at"])
    return checkin


# Recording what happened

@dataclass(frozen=True)
class NextStepDraft:
    """A next step as typed on the record form, before it is stored."""

    description: str
    owner: object  # a user, the mentor or the mentee of the pair
    due_on: date


def _check_next_steps(pairing: Pairing, steps: list[NextStepDraft]) -> None:
    program = pairing.program
    pair = {pairing.mentor.user_id, pairing.mentee.user_id}
    for step in steps:
        if not (step.description or "").strip():
            raise ValidationError({"next_steps": _("Describe each next step.")})
        if getattr(step.owner, "pk", None) not in pair:
            raise ValidationError({"next_steps": _(
                "A next step belongs to the mentor or the mentee of this pairing.")})
        if not program.starts_on <= step.due_on <= program.ends_on:
            raise ValidationError({"next_steps": due_inside_program(program)})


def _log_checkin_time(checkin: CheckIn, recorded_by, day: date, minutes: int) -> list[TimeLog]:
    """One protected-time log for each of the two people, under the program's time rules; a
    refusal is keyed by the record form's fields."""
    pairing = checkin.pairing
    logs = []
    for person in (pairing.mentor.user, pairing.mentee.user):
        try:
            logs.append(log_time(program=pairing.program, person=person,
                                 logged_by=recorded_by, date=day, minutes=minutes,
                                 kind=TimeLog.Kind.CHECK_IN))
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError({
                {"minutes": "minutes_spent"}.get(field, NON_FIELD_ERRORS): errors
                for field, errors in error.error_dict.items()}) from error
    return logs


def _move_due_date(pairing: Pairing) -> None:
    """The next check-in is due a cadence after the latest one held (a check-in recorded
    late never moves the due date back)."""
    latest = (CheckIn.objects.filter(pairing=pairing, status=CheckIn.Status.HELD)
              .order_by("-scheduled_at").values_list("scheduled_at", flat=True).first())
    if latest is None:
        return
    pairing.next_checkin_due_on = next_checkin_due(pairing, local_date(pairing, latest))
    pairing.save(update_fields=["next_checkin_due_on", "updated_at"])


@transaction.atomic
def record_checkin(*, checkin: CheckIn, recorded_by, held: bool,
                   minutes_spent: int | None = None, topics: str = "",
                   whats_working: str = "", challenges: str = "",
                   next_steps: Iterable[NextStepDraft] = ()) -> CheckIn:
    """Record a scheduled check-in once, as held or missed.

    Held: it must have started already; the time spent and what is working are required.
    The minutes count as protected time for both people, the agreed next steps are stored,
    and the pairing's next check-in is due a cadence after the latest one held. Missed: no
    time, no next steps, the due date stays. The check-in's row is locked first, so a
    double submit records (and logs time) once."""
    pairing = checkin.pairing
    _check_pair(pairing, recorded_by)
    current = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if current.status == CheckIn.Status.CANCELLED:
        raise ValidationError(_("This check-in was cancelled, so it cannot be recorded."))
    if current.status != CheckIn.Status.SCHEDULED:
        raise ValidationError(_("This check-in is already recorded (%(status)s).") % {
            "status": current.get_status_display()})
    _lock_active(pairing)
    now = timezone.now()
    steps = list(next_steps)
    errors = {}
    if current.scheduled_at > now:
        errors["outcome"] = _("This check-in is still to come. Record it once it has taken "
                              "place, or reschedule it.")
    if held:
        if not minutes_spent:
            errors["minutes_spent"] = MINUTES_NEEDED
        if not (whats_working or "").strip():
            errors["whats_working"] = STRENGTH_NEEDED
    else:
        if minutes_spent:
            errors["minutes_spent"] = NO_TIME_WHEN_MISSED
        if steps:
            errors["next_steps"] = _("Next steps are agreed at a check-in that was held. "
                                     "Record it as held, or clear them.")
    if errors:
        raise ValidationError(errors)
    _check_next_steps(pairing, steps)

    for field in [*SCHEDULE_DETAILS, "sequence"]:  # as saved, should this copy be older
        setattr(checkin, field, getattr(current, field))
    checkin.status = CheckIn.Status.HELD if held else CheckIn.Status.MISSED
    checkin.minutes_spent = minutes_spent if held else None
    checkin.topics, checkin.challenges = topics.strip(), challenges.strip()
    checkin.whats_working = whats_working.strip()
    checkin.recorded_by, checkin.recorded_at = recorded_by, now
    checkin.full_clean()
    checkin.save(update_fields=["status", "minutes_spent", "topics", "whats_working",
                                "challenges", "recorded_by", "recorded_at", "updated_at"])
    if held:
        day = local_date(pairing, checkin.scheduled_at)
        checkin.time_logs.add(*_log_checkin_time(checkin, recorded_by, day, minutes_spent))
        NextStep.objects.bulk_create([
            NextStep(checkin=checkin, description=step.description.strip(),
                     owner=step.owner, due_on=step.due_on) for step in steps])
        _move_due_date(pairing)
    return checkin


# Next steps

@transaction.atomic
def set_next_step_done(*, step: NextStep, by, done: bool) -> NextStep:
    """Either person of the pair ticks a next step off, or opens it again."""
    pairing = step.checkin.pairing
    _check_pair(pairing, by)
    if not pairing.is_open:
        raise ValidationError(_("This pairing has ended; its next steps stay as they were."))
    current = NextStep.objects.select_for_update().get(pk=step.pk)
    if done and current.done_at is None:
        step.done_at = timezone.now()
    elif not done:
        step.done_at = None
    else:
        step.done_at = current.done_at
    if step.done_at != current.done_at:
        step.save(update_fields=["done_at"])
    return step
