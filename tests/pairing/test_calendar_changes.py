"""Pausing or ending a pairing calls off its check-ins still to come, for real: the site and
both people's calendars say cancelled, and a check-in that already took place waits to be
recorded."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pairing.models import CheckIn, Pairing
from pairing.services import checkins as checkin_services
from pairing.services.pairings import end_pairing, pause_pairing, resume_pairing
from tests.pairing.days import CHICAGO, MONDAY_IN_PROGRAM
from tests.pairing.factories import CheckInFactory
from tests.pairing.feeds import events_of, host, read_feed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

NOW = MONDAY_IN_PROGRAM


def at(days, hour):
    return datetime.combine(NOW.date() + timedelta(days=days), time(hour), tzinfo=CHICAGO)


def uid(checkin):
    return f"checkin-{checkin.pk}@{host()}"


def pairing_page(client, pairing):
    return client.get(reverse("pairing:pairing-detail", args=[pairing.pk])).content.decode()


def change_status(client, pairing, person, **data):
    client.force_login(person)
    response = client.post(reverse("pairing:pairing-status", args=[pairing.pk]), data)
    assert response.status_code == 302
    client.logout()


def test_pausing_cancels_the_coming_checkins_on_the_site_and_in_both_calendars(
        client, clock, pair, program_people):
    coming = CheckInFactory(pairing=pair, scheduled_at=at(3, 15))
    taken_place = CheckInFactory(pairing=pair, scheduled_at=at(-2, 15))
    _, before = read_feed(client, program_people.mentee)
    client.force_login(program_people.mentee)
    assert "Cancelled" not in pairing_page(client, pair)
    client.logout()
    clock.shift(timedelta(minutes=5))

    change_status(client, pair, program_people.coordinator, action="pause",
                  note="Extended leave")

    for person in (program_people.mentee, program_people.mentor):
        _, calendar = read_feed(client, person)
        event = events_of(calendar)[uid(coming)]
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == int(events_of(before)[uid(coming)]["SEQUENCE"]) + 1
        assert event["DTSTAMP"].dt > events_of(before)[uid(coming)]["DTSTAMP"].dt
        # The one that already took place is still to be recorded, unchanged.
        kept = events_of(calendar)[uid(taken_place)]
        assert str(kept["STATUS"]) == "CONFIRMED"
        assert int(kept["SEQUENCE"]) == 0
    client.force_login(program_people.mentee)
    html = pairing_page(client, pair)
    assert "Cancelled" in html and "Scheduled" in html
    coming.refresh_from_db()
    taken_place.refresh_from_db()
    assert (coming.status, coming.sequence) == (CheckIn.Status.CANCELLED, 1)
    assert taken_place.status == CheckIn.Status.SCHEDULED


def test_ending_cancels_the_coming_checkins_and_keeps_the_history(client, pair,
                                                                   program_people):
    coming = CheckInFactory(pairing=pair, scheduled_at=at(3, 15))
    held = CheckInFactory(pairing=pair, scheduled_at=at(-9, 15), status=CheckIn.Status.HELD)
    unrecorded = CheckInFactory(pairing=pair, scheduled_at=at(-2, 15))

    change_status(client, pair, program_people.coordinator, action="end",
                  reason=Pairing.EndReason.LEFT_SCHOOL)

    _, calendar = read_feed(client, program_people.mentor)
    events = events_of(calendar)
    assert str(events[uid(coming)]["STATUS"]) == "CANCELLED"
    assert int(events[uid(coming)]["SEQUENCE"]) == 1
    assert str(events[uid(held)]["STATUS"]) == "CONFIRMED"
    assert str(events[uid(unrecorded)]["STATUS"]) == "CONFIRMED"
    client.force_login(program_people.mentor)
    assert "Cancelled" in pairing_page(client, pair)
    assert list(pair.checkins.order_by("scheduled_at").values_list("status", flat=True)) == [
        CheckIn.Status.HELD, CheckIn.Status.SCHEDULED, CheckIn.Status.CANCELLED]


def test_resuming_brings_no_cancelled_checkin_back(client, pair, program_people):
    coming = CheckInFactory(pairing=pair, scheduled_at=at(3, 15))
    pause_pairing(pair, program_people.coordinator)

    resume_pairing(pair, program_people.coordinator)

    coming.refresh_from_db()
    assert (coming.status, coming.sequence) == (CheckIn.Status.CANCELLED, 1)
    _, calendar = read_feed(client, program_people.mentee)
    assert str(events_of(calendar)[uid(coming)]["STATUS"]) == "CANCELLED"


def test_ending_a_paused_pairing_cancels_each_checkin_once(pair, program_people):
    coming = CheckInFactory(pairing=pair, scheduled_at=at(3, 15))
    pause_pairing(pair, program_people.coordinator)

    end_pairing(pair, program_people.coordinator, reason=Pairing.EndReason.OTHER)

    coming.refresh_from_db()
    assert (coming.status, coming.sequence) == (CheckIn.Status.CANCELLED, 1)


def test_a_refused_pause_cancels_nothing(pair, program_people):
    coming = CheckInFactory(pairing=pair, scheduled_at=at(3, 15))
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.PAUSED)

    with pytest.raises(ValidationError):
        pause_pairing(pair, program_people.coordinator)

    coming.refresh_from_db()
    assert (coming.status, coming.sequence) == (CheckIn.Status.SCHEDULED, 0)


def test_a_paused_pair_records_a_past_checkin_once_they_resume(pair, program_people):
    taken_place = CheckInFactory(pairing=pair, scheduled_at=at(-2, 15))
    pause_pairing(pair, program_people.coordinator)

    with pytest.raises(ValidationError):
        checkin_services.record_checkin(checkin=taken_place, recorded_by=program_people.mentor,
                                        held=False)
    resume_pairing(pair, program_people.coordinator)
    checkin_services.record_checkin(checkin=taken_place, recorded_by=program_people.mentor,
                                    held=False)

    taken_place.refresh_from_db()
    assert taken_place.status == CheckIn.Status.MISSED
