"""Scheduled observations in the calendar feeds of their two people (`pairing.calendar`).

An observation's event says when, where and who with, and links to the cycle's page; never
its focus, the lesson, look-fors or anything written in the cycle (a feed address can be
forwarded). A cancelled cycle stays in the feed marked cancelled, so calendars remove it.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from pairing.calendar import NEXT_EVENTS_SHOWN, Entry, absolute, site_host, zone_of

from .models import ObservationCycle

# What an event never loads, let alone carries.
PRIVATE_FIELDS = ObservationCycle.NOTE_FIELDS


def cycle_entry(cycle, user):
    """A scheduled observation as one of its two people sees it."""
    program = cycle.program
    zone = zone_of(program)
    partner = cycle.mentee if cycle.mentor_id == user.pk else cycle.mentor
    cancelled = cycle.stage == ObservationCycle.Stage.CANCELLED
    summary = _("Observation with %(name)s") % {"name": partner.display_name}
    if cancelled:
        summary = _("Cancelled: %(event)s") % {"event": summary}
    page = reverse("observations:cycle-detail", args=[cycle.pk])
    start = cycle.scheduled_at.astimezone(zone)
    return Entry(
        kind="observation", uid=f"observation-{cycle.pk}@{site_host()}", summary=summary,
        start=start, end=start + timedelta(minutes=cycle.duration_minutes), page_path=page,
        download_url=reverse("observations:cycle-ics", args=[cycle.pk]),
        stamp=cycle.updated_at, sequence=cycle.sequence, cancelled=cancelled,
        location=cycle.location, description="\n".join([program.name, absolute(page)]),
        private=True,
    )


def scheduled_cycles(user):
    """The cycles with a time that this person is one of the two people of, in their
    district, without what was written in them."""
    return (ObservationCycle.objects.of_user(user)
            .filter(program__district_id=user.district_id, scheduled_at__isnull=False)
            .select_related("program__district", "mentor", "mentee")
            .defer(*PRIVATE_FIELDS))


def calendar_events(user, *, since, upcoming=False):
    """The person's scheduled observations from `since` on (one query), for
    `pairing.calendar.event_sources`."""
    cycles = scheduled_cycles(user).filter(scheduled_at__gte=since).order_by("scheduled_at",
                                                                             "pk")
    if upcoming:
        cycles = cycles.exclude(stage=ObservationCycle.Stage.CANCELLED)[:NEXT_EVENTS_SHOWN]
    return [cycle_entry(cycle, user) for cycle in cycles]
