"""Writes with rules on programs: create, change status, copy for next year, revise the
calendar's observation windows."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import BlackoutPeriod, ObservationWindow, Participant, Program, Term

# Which status a program may move to from each status.
TRANSITIONS = {
    Program.Status.DRAFT: [Program.Status.ENROLLING, Program.Status.RUNNING],
    Program.Status.ENROLLING: [Program.Status.DRAFT, Program.Status.RUNNING],
    Program.Status.RUNNING: [Program.Status.ENROLLING, Program.Status.CLOSED],
    Program.Status.CLOSED: [Program.Status.RUNNING],
}
# What an observation window's calendar event carries.
WINDOW_EVENT_DETAILS = {"name", "opens_on", "closes_on"}


@transaction.atomic
def _check_may_create(by, school):
    """District admins create programs for the district; school admins for one of their
    schools. Copying a program is creating one."""
    if not (by.is_district_admin or by.is_school_admin):
        raise PermissionDenied
    if not by.is_district_admin and school not in by.administered_schools:
        raise ValidationError({"school": _("Choose one of the schools you administer.")})


def create_program(program: Program, by) -> Program:
    """Save a new program; the person creating it becomes its first coordinator."""
    _check_may_create(by, program.school)
    program.district_id = by.district_id
    program.created_by = by
    program.full_clean()
    program.save()
    Participant.objects.create(
        program=program, user=by, role=Participant.Role.COORDINATOR,
        status=Participant.Status.ACTIVE,
        school=getattr(getattr(by, "staff_profile", None), "school", None),
    )
    return program


def change_status(program: Program, status: str) -> Program:
    if status not in TRANSITIONS[Program.Status(program.status)]:
        raise ValidationError(_("A program cannot move from “%(old)s” to “%(new)s”.") % {
            "old": program.get_status_display(), "new": Program.Status(status).label})
    program.status = status
    program.save(update_fields=["status", "updated_at"])
    return program


@transaction.atomic
def copy_for_next_year(program: Program, by, *, name: str, starts_on, school_year: str):
    """A new draft with the same settings and the calendar moved by the same number of days
    as the start date; nobody is enrolled except the person copying, as coordinator."""
    _check_may_create(by, program.school)
    shift = starts_on - program.starts_on
    copy = Program.objects.get(pk=program.pk)
    copy.pk = None
    copy._state.adding = True
    copy.name = name
    copy.school_year = school_year
    copy.status = Program.Status.DRAFT
    copy.starts_on = starts_on
    copy.ends_on = program.ends_on + shift
    copy.copied_from = program
    copy.created_by = by
    copy.save()
    Term.objects.bulk_create(
        Term(program=copy, name=t.name, starts_on=t.starts_on + shift, ends_on=t.ends_on + shift)
        for t in program.terms.all())
    ObservationWindow.objects.bulk_create(
        ObservationWindow(program=copy, name=w.name, opens_on=w.opens_on + shift,
                          closes_on=w.closes_on + shift)
        for w in program.observation_windows.all())
    BlackoutPeriod.objects.bulk_create(
        BlackoutPeriod(program=copy, name=b.name, starts_on=b.starts_on + shift,
                       ends_on=b.ends_on + shift)
        for b in program.blackouts.all())
    Participant.objects.create(program=copy, user=by, role=Participant.Role.COORDINATOR,
                               school=getattr(getattr(by, "staff_profile", None), "school",
                                              None))
    return copy


@transaction.atomic
def note_windows_revised(*, revised: Iterable[tuple[ObservationWindow, Iterable[str]]]) -> None:
    """Observation windows just saved with a new name or new dates (each given with the
    names of its changed fields, as a formset lists them) get a higher sequence, so the
    calendars that carry them replace their events."""
    changed = [window.pk for window, fields in revised if WINDOW_EVENT_DETAILS & set(fields)]
    if changed:
        ObservationWindow.objects.filter(pk__in=changed).update(sequence=F("sequence") + 1)


def next_year_start(program: Program):
    """52 weeks on, so the copy starts on the same weekday."""
    return program.starts_on + timedelta(weeks=52)
