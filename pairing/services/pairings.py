"""A pairing's lifecycle after approval: pause, resume, end with a reason, and private
rematch requests. Nothing is deleted; every change is an event in the pairing's history.

Pausing or ending a pairing cancels its check-ins still to come, in the same transaction:
each becomes cancelled with a higher sequence, so the site and both people's calendars say
the meeting is off. A check-in that has already started stays scheduled, waiting to be
recorded as held or missed: recording needs an active pairing (see `services.checkins`), so a
paused pair records it once they resume, and an ended pairing keeps it, unrecorded, in its
history. Resuming brings no cancelled check-in back; the pair schedule the next one.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CheckIn, Pairing, PairingEvent, RematchRequest
from ..signals import pairing_changed
from .cadence import next_checkin_due


def _locked(pairing):
    return Pairing.objects.select_for_update().select_related("program").get(pk=pairing.pk)


def _coming_checkins(pairing, now: datetime):
    return CheckIn.objects.filter(pairing_id=pairing.pk, status=CheckIn.Status.SCHEDULED,
                                  scheduled_at__gt=now)


def _lock_coming_checkins(pairing, now: datetime) -> None:
    # Check-in writes lock the check-in before the pairing; taking the locks in the same
    # order here keeps a pause and a reschedule at the same moment from deadlocking.
    list(_coming_checkins(pairing, now).select_for_update().order_by("pk").values_list("pk"))


def _cancel_coming_checkins(pairing, now: datetime) -> int:
    """Cancel the check-ins still to come (those that have started wait to be recorded);
    the number cancelled."""
    return _coming_checkins(pairing, now).update(
        status=CheckIn.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=now)


def _record(pairing, kind, by, note=""):
    event = PairingEvent.objects.create(pairing=pairing, kind=kind, by=by, note=note)
    transaction.on_commit(lambda: pairing_changed.send(sender=Pairing, pairing=pairing,
                                                       event=event))
    return event


def _switch(pairing, by, *, from_status, to_status, kind, refused, note):
    now = timezone.now()
    pausing = to_status == Pairing.Status.PAUSED
    if pausing:
        _lock_coming_checkins(pairing, now)
    pairing = _locked(pairing)
    if pairing.status != from_status:
        raise ValidationError(refused)
    if pausing:
        _cancel_coming_checkins(pairing, now)
    pairing.status = to_status
    # A paused pair owes no check-in; one that resumes owes the next by the cadence.
    pairing.next_checkin_due_on = (next_checkin_due(pairing, timezone.localdate())
                                   if to_status == Pairing.Status.ACTIVE else None)
    pairing.save(update_fields=["status", "next_checkin_due_on", "updated_at"])
    _record(pairing, kind, by, note)
    return pairing


@transaction.atomic
def pause_pairing(pairing: Pairing, by, *, note: str = "") -> Pairing:
    """Pause an active pairing: no check-in is due while paused, and the check-ins still to
    come are cancelled (see the module's docstring)."""
    return _switch(pairing, by, from_status=Pairing.Status.ACTIVE,
                   to_status=Pairing.Status.PAUSED, kind=PairingEvent.Kind.PAUSED,
                   refused=_("Only an active pairing can be paused."), note=note)


@transaction.atomic
def resume_pairing(pairing: Pairing, by, *, note: str = "") -> Pairing:
    """Resume a paused pairing: the next check-in is due by the cadence from today. Check-ins
    cancelled by the pause stay cancelled."""
    return _switch(pairing, by, from_status=Pairing.Status.PAUSED,
                   to_status=Pairing.Status.ACTIVE, kind=PairingEvent.Kind.RESUMED,
                   refused=_("Only a paused pairing can be resumed."), note=note)


@transaction.atomic
def end_pairing(pairing: Pairing, by, *, reason: str, note: str = "") -> Pairing:
    """End an open pairing for a reason; its check-ins still to come are cancelled (see the
    module's docstring) and its open rematch requests are answered by the ending."""
    if reason not in Pairing.EndReason.values:
        raise ValidationError({"reason": _("Choose why the pairing ends.")})
    now = timezone.now()
    _lock_coming_checkins(pairing, now)
    pairing = _locked(pairing)
    if not pairing.is_open:
        raise ValidationError(_("This pairing has already ended."))
    _cancel_coming_checkins(pairing, now)
    pairing.status = Pairing.Status.ENDED
    pairing.end_reason = reason
    pairing.ended_on = timezone.localdate()
    pairing.next_checkin_due_on = None
    pairing.save(update_fields=["status", "end_reason", "ended_on", "next_checkin_due_on",
                                "updated_at"])
    _record(pairing, PairingEvent.Kind.ENDED, by,
            note or str(Pairing.EndReason(reason).label))
    # Open requests are answered by the ending itself.
    pairing.rematch_requests.filter(state=RematchRequest.State.OPEN).update(
        state=RematchRequest.State.REMATCHED if reason == Pairing.EndReason.REMATCH
        else RematchRequest.State.KEPT,
        answered_by=by, answered_at=timezone.now())
    return pairing


@transaction.atomic
def request_rematch(pairing: Pairing, by, *, reason: str) -> RematchRequest:
    """A private request: the coordinator sees it, the partner never does."""
    pairing = _locked(pairing)
    if not pairing.is_open or not pairing.includes(by):
        raise ValidationError(_("This pairing cannot take a rematch request."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say briefly what is not working.")})
    if pairing.rematch_requests.filter(requested_by=by,
                                       state=RematchRequest.State.OPEN).exists():
        raise ValidationError({"reason": _("Your earlier request is still open.")})
    request = RematchRequest.objects.create(pairing=pairing, requested_by=by, reason=reason)
    _record(pairing, PairingEvent.Kind.REMATCH_REQUESTED, by)
    return request


@transaction.atomic
def answer_rematch(request: RematchRequest, by, *, rematch: bool, answer: str) -> RematchRequest:
    """Keep the pairing (with an answer to the person who asked) or end it for a rematch:
    the mentee goes back to the matching's pool."""
    request = RematchRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RematchRequest.State.OPEN:
        raise ValidationError(_("This request has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write a short answer for the person who asked.")})
    request.state = RematchRequest.State.REMATCHED if rematch else RematchRequest.State.KEPT
    request.answer, request.answered_by, request.answered_at = answer, by, timezone.now()
    request.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    _record(request.pairing, PairingEvent.Kind.REMATCH_ANSWERED, by,
            request.get_state_display())
    if rematch and request.pairing.is_open:
        end_pairing(request.pairing, by, reason=Pairing.EndReason.REMATCH)
    return request
