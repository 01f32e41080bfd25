"""What pairings have due, under the contract of `mentorship/reminders.py`: a check-in
tomorrow, a check-in overdue by the program's cadence, a new pairing, and an answer to a
rematch request. A check-in's notes never appear: only when it is and with whom."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import Reminder, reminder
from programs.models import Participant
from programs.reminders import (
    RECENT,
    TAKING_PART,
    day_bounds,
    is_active_participant,
    running_programs,
)

from .models import CheckIn, Pairing, PairingEvent, RematchRequest

# The pair with their accounts: whether each may be reminded, and the partner's name.
PEOPLE = ("mentor__user", "mentee__user")


def _both(pairing):
    """The two people of the pairing who may hear of it, each with their partner."""
    for participant, partner in ((pairing.mentor, pairing.mentee),
                                 (pairing.mentee, pairing.mentor)):
        if is_active_participant(participant):
            yield participant, partner


@reminder("checkin-tomorrow", _("Check-in tomorrow"),
          _("The day before a check-in with your mentor or mentee."))
def checkins_tomorrow(now):
    """To both of the pair, once per check-in and day: a check-in moved to another day is
    announced again."""
    days = running_programs(now)
    if not days:
        return
    # Tomorrow in any district begins within a day and ends within two.
    checkins = (CheckIn.objects
                .filter(status=CheckIn.Status.SCHEDULED, pairing__status=Pairing.Status.ACTIVE,
                        pairing__program__in=list(days), scheduled_at__gte=now,
                        scheduled_at__lt=now + timedelta(days=2))
                .select_related("pairing__mentor__user", "pairing__mentee__user")
                .order_by("scheduled_at", "pk"))
    for checkin in checkins:
        pairing = checkin.pairing
        day = days[pairing.program_id]
        local = checkin.scheduled_at.astimezone(day.zone)
        if local.date() != day.tomorrow:
            continue
        for participant, partner in _both(pairing):
            yield Reminder(
                key=f"checkin-tomorrow:checkin-{checkin.pk}:user-{participant.user_id}:"
                    f"{local.date().isoformat()}",
                user_id=participant.user_id,
                template="pairing/reminders/checkin_tomorrow",
                context={"partner": str(partner.user), "program": day.program.name,
                         "date": local.date().isoformat(), "time": local.strftime("%H:%M"),
                         "minutes": checkin.duration_minutes, "mode": checkin.mode},
                url=reverse("pairing:checkin-detail", args=[checkin.pk]),
                program_id=pairing.program_id)


def overdue_recipients(pairing):
    """The mentor schedules check-ins, so the mentor hears when one is overdue; between two
    peers neither leads, so both do. The mentee is not chased for their mentor's calendar."""
    for participant, partner in _both(pairing):
        if participant == pairing.mentor or participant.role == Participant.Role.PEER:
            yield participant, partner


@reminder("checkin-overdue", _("Check-in overdue"),
          _("When a pairing has gone longer than the program’s check-in cadence without "
            "meeting; at most once a week."))
def checkins_overdue(now):
    """Active pairings whose next check-in was due before today in their district: one
    reminder per pairing, person and ISO week of being overdue."""
    days = running_programs(now)
    if not days:
        return
    _earliest, latest = day_bounds(days)
    pairings = (Pairing.objects.overdue(latest).filter(program__in=list(days))
                .select_related(*PEOPLE).order_by("pk"))
    for pairing in pairings:
        day = days[pairing.program_id]
        if pairing.next_checkin_due_on >= day.today:
            continue
        year, week, _weekday = day.today.isocalendar()
        for participant, partner in overdue_recipients(pairing):
            yield Reminder(
                key=f"checkin-overdue:pairing-{pairing.pk}:user-{participant.user_id}:"
                    f"{year}-W{week:02d}",
                user_id=participant.user_id,
                template="pairing/reminders/checkin_overdue",
                context={"partner": str(partner.user), "program": day.program.name,
                         "due_on": pairing.next_checkin_due_on.isoformat(),
                         "days": pairing.days_overdue(day.today),
                         "cadence": day.program.checkin_cadence_days},
                url=reverse("pairing:checkin-create", args=[pairing.pk]),
                program_id=pairing.program_id)


@reminder("pairing-approved", _("New mentor or mentee"),
          _("When you are paired with a mentor, a mentee or a peer."),
          optional=False, digestible=False)
def pairings_approved(now):
    """To both of a pairing approved in the last week that is still active: once each."""
    events = (PairingEvent.objects
              .filter(kind=PairingEvent.Kind.APPROVED, at__gte=now - RECENT, at__lte=now,
                      # A pairing paused since: "schedule your first check-in" would
                      # be wrong, and nobody in a paused pairing is reminded.
                      pairing__status=Pairing.Status.ACTIVE,
                      pairing__program__status__in=TAKING_PART)
              .select_related("pairing__program", "pairing__mentor__user",
                              "pairing__mentee__user")
              .order_by("pairing_id", "pk"))
    seen = set()
    for event in events:
        pairing = event.pairing
        if pairing.pk in seen:
            continue
        seen.add(pairing.pk)
        for participant, partner in _both(pairing):
            yield Reminder(
                key=f"pairing-approved:pairing-{pairing.pk}:user-{participant.user_id}",
                user_id=participant.user_id,
                template="pairing/reminders/pairing_approved",
                context={"partner": str(partner.user), "partner_role": partner.role,
                         "program": pairing.program.name,
                         "cadence": pairing.program.checkin_cadence_days},
                url=reverse("pairing:pairing-detail", args=[pairing.pk]),
                program_id=pairing.program_id)


@reminder("rematch-answered", _("Rematch request answered"),
          _("When the coordinator answers your request for a different partner."),
          optional=False, digestible=False)
def rematch_requests_answered(now):
    """To the person who asked, once per request answered in the last week. The answer's
    words stay on the page, which only they and the coordinators read."""
    answered = (RematchRequest.objects
                .exclude(state=RematchRequest.State.OPEN)
                .filter(answered_at__gte=now - RECENT, answered_at__lte=now,
                        requested_by__is_active=True,
                        pairing__program__status__in=TAKING_PART)
                # Not to someone who has left the program since they asked.
                .filter(Exists(Participant.objects.active().filter(
                    program_id=OuterRef("pairing__program_id"),
                    user_id=OuterRef("requested_by_id"))))
                .select_related("pairing__program").order_by("pk"))
    for request in answered:
        pairing = request.pairing
        yield Reminder(
            key=f"rematch-answered:request-{request.pk}",
            user_id=request.requested_by_id,
            template="pairing/reminders/rematch_answered",
            context={"program": pairing.program.name, "outcome": request.state},
            url=reverse("pairing:pairing-detail", args=[pairing.pk]),
            program_id=pairing.program_id)
