"""Scheduled observations in the calendar feeds of the cycle's two people: when, where and
who with, never the focus or anything written in the cycle; a new time or a cancellation
reaches the calendars; a single download for the two of them alone."""

import pytest
from django.urls import reverse

from observations.models import ObservationCycle
from observations.services import cycles as services
from pairing.models import CalendarFeed
from tests.observations.conftest import CYCLE_ROLES
from tests.observations.factories import CycleFactory, generic_version, local
from tests.pairing.feeds import events_of, host, read_feed
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

FOCUS = "Quetzal pacing of the opening"
LESSON = "Pangolin fractions with Grade 4"


def planned(pair, **changes):
    """A cycle of the pair, planned by the mentor for Wednesday 25 November at 10:00."""
    cycle = services.start_cycle(pairing=pair, started_by=pair.mentor.user,
                                 kind=ObservationCycle.Kind.MENTOR_OBSERVES,
                                 template_version=generic_version())
    return plan(cycle, **changes)


def plan(cycle, **changes):
    data = {"focus": FOCUS, "lesson_context": LESSON,
            "look_fors": list(cycle.template_version.domains.first().indicators.all()),
            "scheduled_at": local(2026, 11, 25, 10), "duration_minutes": 45,
            "location": "Room 4", **changes}
    return services.save_preconference(cycle=cycle, by=cycle.mentor, **data)


def test_a_scheduled_observation_is_in_both_peoples_feeds_and_no_one_elses(
        client, pair, program_people, people):
    cycle = planned(pair)
    CycleFactory(pairing=pair, scheduled_at=None)  # no time yet: nothing to put in a calendar
    uid = f"observation-{cycle.pk}@{host()}"

    text, calendar = read_feed(client, program_people.mentee)
    events = events_of(calendar)
    assert list(events) == [uid]
    event = events[uid]
    assert str(event["SUMMARY"]) == f"Observation with {program_people.mentor.display_name}"
    assert str(event["LOCATION"]) == "Room 4"
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert (event.start.hour, event.start.minute) == (10, 0)
    assert (event.end - event.start).seconds == 45 * 60
    assert str(event["CLASS"]) == "PRIVATE"
    assert str(event["URL"]).endswith(reverse("observations:cycle-detail", args=[cycle.pk]))
    for written in (FOCUS, LESSON, "Pacing", "Pangolin"):
        assert written not in text

    _, calendar = read_feed(client, program_people.mentor)
    event = events_of(calendar)[uid]
    assert str(event["SUMMARY"]) == f"Observation with {program_people.mentee.display_name}"

    for outsider in (program_people.coordinator, people.district_admin,
                     program_people.school_rep):
        _, calendar = read_feed(client, outsider)
        assert uid not in events_of(calendar)


def test_a_new_time_and_a_cancellation_reach_the_calendars(client, pair, program_people):
    cycle = planned(pair)
    uid = f"observation-{cycle.pk}@{host()}"
    _, calendar = read_feed(client, program_people.mentee)
    assert int(events_of(calendar)[uid]["SEQUENCE"]) == 0

    # Writing the focus again changes nothing a calendar holds.
    plan(cycle, focus="Another focus")
    cycle.refresh_from_db()
    assert cycle.sequence == 0

    plan(cycle, scheduled_at=local(2026, 11, 26, 13, 30), location="Library")
    _, calendar = read_feed(client, program_people.mentee)
    event = events_of(calendar)[uid]
    assert (int(event["SEQUENCE"]), str(event["LOCATION"])) == (1, "Library")
    assert (event.start.day, event.start.hour, event.start.minute) == (26, 13, 30)

    client.force_login(program_people.mentee)
    page = client.get(reverse("pairing:calendar")).content.decode()
    assert f"Observation with {program_people.mentor.display_name}" in page
    assert reverse("observations:cycle-ics", args=[cycle.pk]) in page

    services.cancel_cycle(cycle=cycle, by=cycle.mentor)
    _, calendar = read_feed(client, program_people.mentee)
    event = events_of(calendar)[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert str(event["SUMMARY"]).startswith("Cancelled: ")
    page = client.get(reverse("pairing:calendar")).content.decode()
    assert reverse("observations:cycle-ics", args=[cycle.pk]) not in page


def test_the_download_is_for_the_two_people_of_the_cycle(
        pair, program_people, assert_cycle_access, client):
    cycle = planned(pair)
    url = reverse("observations:cycle-ics", args=[cycle.pk])
    expected = {**dict.fromkeys(CYCLE_ROLES[:-1], 404), "mentor": 200, "mentee": 200}
    responses = assert_cycle_access(url, expected)
    body = responses["mentee"].content.decode()
    assert responses["mentee"]["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:observation-{cycle.pk}@" in body
    assert FOCUS not in body and LESSON not in body

    # A cycle shared with the coordinator lets them read it, not put it in a calendar.
    services.share_cycle(cycle=cycle, shared_by=cycle.mentee,
                         recipient=program_people.coordinator)
    client.force_login(program_people.coordinator)
    assert client.get(url).status_code == 404
    # The cycle page offers the download to the pair.
    client.force_login(program_people.mentee)
    page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content.decode()
    assert url in page


def test_the_feed_costs_the_same_whatever_the_number_of_observations(client, pair,
                                                                     program_people):
    url = reverse("pairing:calendar-feed",
                  args=[CalendarFeed.objects.create(user=program_people.mentee).token])
    CycleFactory(pairing=pair, scheduled_at=local(2026, 11, 25, 10))
    client.get(url)  # the first read is noted, later ones within the hour are not
    small = count_queries(client, url)
    for day in range(26, 30):
        CycleFactory(pairing=pair, scheduled_at=local(2026, 11, day, 10))

    assert count_queries(client, url) == small
