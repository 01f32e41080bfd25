"""The calendar page, the feed address and the single-event downloads: who may have them,
what revoking does, and what they cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from pairing.models import CalendarFeed, CheckIn, Pairing
from pairing.views.calendar import session_panel
from programs.models import ObservationWindow
from tests.pairing.days import CHICAGO
from tests.pairing.factories import CheckInFactory
from tests.programs.factories import GroupSessionFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NOBODY = dict.fromkeys(["coordinator", "mentor", "mentee", "school_rep", "district_admin",
                        "school_admin", "other_participant", "outsider"], 404)


def feed_path(feed):
    return reverse("pairing:calendar-feed", args=[feed.token])


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


@pytest.fixture
def window(program_people):
    today = timezone.localdate()
    return ObservationWindow.objects.create(
        program=program_people.program, name="First cycle",
        opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=17))


# The feed address

def test_the_feed_answers_without_sign_in_and_unknown_tokens_do_not(client, program_people):
    feed = CalendarFeed.objects.create(user=program_people.mentee)

    response = client.get(feed_path(feed))

    assert response.status_code == 200
    assert parse(response).name == "VCALENDAR"
    assert "private" in response["Cache-Control"]
    assert client.get(reverse("pairing:calendar-feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("pairing:calendar-feed",
                              args=[feed.token[:-1]])).status_code == 404


def test_a_revoked_address_answers_404_for_good(client, program_people):
    client.force_login(program_people.mentee)
    client.post(reverse("pairing:calendar"), {"action": "create"})
    old = CalendarFeed.objects.get(user=program_people.mentee)
    assert client.get(feed_path(old)).status_code == 200

    response = client.post(reverse("pairing:calendar"), {"action": "revoke"})

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert client.get(feed_path(old)).status_code == 404
    client.post(reverse("pairing:calendar"), {"action": "create"})
    new = CalendarFeed.objects.get(user=program_people.mentee, revoked_at__isnull=True)
    assert new.token != old.token
    assert client.get(feed_path(new)).status_code == 200
    assert client.get(feed_path(old)).status_code == 404
    client.logout()
    assert client.get(feed_path(old)).status_code == 404


def test_a_person_no_longer_active_has_no_feed(client, program_people):
    feed = CalendarFeed.objects.create(user=program_people.mentee)
    program_people.mentee.is_active = False
    program_people.mentee.save(update_fields=["is_active"])

    assert client.get(feed_path(feed)).status_code == 404


def test_a_feed_notes_its_last_read_at_most_once_an_hour(client, program_people):
    feed = CalendarFeed.objects.create(user=program_people.mentee)

    client.get(feed_path(feed))
    feed.refresh_from_db()
    first = feed.last_read_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(feed_path(feed))
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    feed.refresh_from_db()
    assert feed.last_read_at == first

    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=first - timedelta(hours=2))
    with CaptureQueriesContext(connection) as queries:
        client.get(feed_path(feed))
    assert len([q for q in queries if q["sql"].startswith("UPDATE")]) == 1
    feed.refresh_from_db()
    assert feed.last_read_at > first


# The calendar page

def test_the_calendar_page_is_for_signed_in_people(client):
    response = client.get(reverse("pairing:calendar"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post(reverse("pairing:calendar"), {"action": "create"})
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()


def test_the_calendar_page_offers_an_address_then_shows_it(client, program_people, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    client.force_login(program_people.mentee)

    page = client.get(reverse("pairing:calendar")).content.decode()
    assert "Create my calendar address" in page
    assert "Turn off this address" not in page

    response = client.post(reverse("pairing:calendar"), {"action": "create"}, follow=True)

    feed = CalendarFeed.objects.get(user=program_people.mentee)
    page = response.content.decode()
    address = "https://mentoring.example.org" + feed_path(feed)
    assert f'value="{address}"' in page
    assert 'for="feed-url"' in page
    assert "webcal://mentoring.example.org" + feed_path(feed) in page
    assert "Turn off this address" in page
    assert "Google Calendar" in page and "Outlook" in page and "Apple Calendar" in page
    # A second click makes no second address.
    client.post(reverse("pairing:calendar"), {"action": "create"})
    assert CalendarFeed.objects.filter(user=program_people.mentee).count() == 1


def test_nobody_revokes_another_persons_address(client, program_people):
    theirs = CalendarFeed.objects.create(user=program_people.mentor)
    client.force_login(program_people.mentee)

    client.post(reverse("pairing:calendar"), {"action": "revoke"})

    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert not CalendarFeed.objects.filter(user=program_people.mentee).exists()


def test_the_calendar_page_lists_the_next_events_with_downloads(client, pair, team, window,
                                                                program_people):
    checkin = CheckInFactory(pairing=pair)
    held = CheckInFactory(pairing=pair, status=CheckIn.Status.HELD,
                          scheduled_at=timezone.now() - timedelta(days=2))
    session = GroupSessionFactory(group=team, title="Planning the fractions unit")
    client.force_login(program_people.mentee)

    page = client.get(reverse("pairing:calendar")).content.decode()

    assert f"Check-in with {program_people.mentor.display_name}" in page
    assert "Planning the fractions unit" in page
    assert "Observation window: First cycle" in page
    for path in (reverse("pairing:checkin-ics", args=[checkin.pk]),
                 reverse("pairing:session-ics", args=[session.pk]),
                 reverse("pairing:window-ics", args=[window.pk])):
        assert f'href="{path}"' in page
    assert reverse("pairing:checkin-ics", args=[held.pk]) not in page


# Single-event downloads

def test_a_checkin_download_is_for_its_pair_only(assert_pairing_access, pair):
    checkin = CheckInFactory(pairing=pair)

    assert_pairing_access(reverse("pairing:checkin-ics", args=[checkin.pk]),
                          {**NOBODY, "mentor": 200, "mentee": 200})


def test_a_proposed_pairings_checkin_is_nobodys_download(assert_pairing_access, pair):
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.PROPOSED)
    checkin = CheckInFactory(pairing=pair)

    assert_pairing_access(reverse("pairing:checkin-ics", args=[checkin.pk]), NOBODY)


def test_a_session_download_is_for_whoever_sees_its_group(assert_pairing_access, team):
    session = GroupSessionFactory(group=team)

    assert_pairing_access(reverse("pairing:session-ics", args=[session.pk]), {
        **NOBODY, "mentor": 200, "mentee": 200, "coordinator": 200, "district_admin": 200})


def test_a_window_download_is_for_whoever_sees_its_program(assert_pairing_access, window):
    assert_pairing_access(reverse("pairing:window-ics", args=[window.pk]), {
        **NOBODY, "mentor": 200, "mentee": 200, "coordinator": 200, "school_rep": 200,
        "district_admin": 200, "school_admin": 200})


def without_stamp(event):
    lines = event.to_ical().replace(b"\r\n ", b"").split(b"\r\n")
    return [line for line in lines if not line.startswith(b"DTSTAMP")]


def test_a_download_is_one_event_as_in_the_feed(client, pair, team, window, program_people):
    checkin = CheckInFactory(pairing=pair, topics="Something private")
    session = GroupSessionFactory(group=team, title="Planning the fractions unit",
                                  notes="Group's own notes")
    feed = CalendarFeed.objects.create(user=program_people.mentee)
    in_feed = {str(e["UID"]): e for e in parse(client.get(feed_path(feed))).walk("VEVENT")}
    client.force_login(program_people.mentee)

    for path, filename in (
            (reverse("pairing:checkin-ics", args=[checkin.pk]),
             f"check-in-{checkin.scheduled_at.astimezone(CHICAGO):%Y-%m-%d}.ics"),
            (reverse("pairing:session-ics", args=[session.pk]),
             "planning-the-fractions-unit.ics"),
            (reverse("pairing:window-ics", args=[window.pk]),
             "observation-window-first-cycle.ics")):
        response = client.get(path)
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        (event,) = parse(response).walk("VEVENT")
        same = in_feed[str(event["UID"])]
        assert without_stamp(event) == without_stamp(same)
        assert (event.start, event.end) == (same.start, same.end)
        assert b"private" not in response.content and b"own notes" not in response.content


def test_unknown_events_are_404(client, program_people):
    client.force_login(program_people.mentee)

    for name in ("checkin-ics", "session-ics", "window-ics"):
        assert client.get(reverse(f"pairing:{name}", args=[999999])).status_code == 404


# The session page's link

def test_the_session_page_offers_the_session_for_a_calendar(client, team, program_people, rf,
                                                            django_assert_num_queries):
    session = GroupSessionFactory(group=team)
    client.force_login(program_people.mentee)

    page = client.get(reverse("programs:session-detail",
                              args=[team.program.pk, session.pk])).content.decode()

    assert f'href="{reverse("pairing:session-ics", args=[session.pk])}"' in page
    assert "Add to my calendar" in page
    request = rf.get("/")
    request.user = program_people.mentee
    with django_assert_num_queries(0):
        session_panel(request, session)


# What the pages cost

def grow(pair, group, size):
    """Add `size` check-ins, sessions and observation windows the mentee will see."""
    now = timezone.now()
    today = timezone.localdate()
    for i in range(size):
        CheckInFactory(pairing=pair, scheduled_at=now + timedelta(days=i + 1))
        CheckInFactory(pairing=pair, scheduled_at=now - timedelta(days=i + 1),
                       status=CheckIn.Status.HELD)
        GroupSessionFactory(group=group, starts_at=now + timedelta(days=i + 1, hours=2))
        ObservationWindow.objects.create(program=pair.program, name=f"Cycle {i}",
                                         opens_on=today + timedelta(days=i),
                                         closes_on=today + timedelta(days=i + 10))


def test_the_feed_costs_the_same_whatever_the_number_of_events(
        client, pair, team, program_people, django_assert_max_num_queries):
    url = feed_path(CalendarFeed.objects.create(user=program_people.mentee))
    grow(pair, team, 1)
    client.get(url)  # the first read is noted, later ones within the hour are not
    small = count_queries(client, url)
    grow(pair, team, 14)

    # The feed, then check-ins, sessions, windows and scheduled observations.
    with django_assert_max_num_queries(5):
        large = count_queries(client, url)
    assert large == small
    assert len(parse(client.get(url)).walk("VEVENT")) == 15 * 4


def test_the_calendar_page_costs_the_same_whatever_the_number_of_events(
        client, pair, team, program_people, django_assert_max_num_queries):
    CalendarFeed.objects.create(user=program_people.mentee)
    client.force_login(program_people.mentee)
    url = reverse("pairing:calendar")
    grow(pair, team, 1)
    small = count_queries(client, url)
    grow(pair, team, 14)

    # One more than the events of pairing itself: the scheduled observations.
    with django_assert_max_num_queries(9):
        large = count_queries(client, url)
    assert large == small
    assert client.get(url).content.decode().count("Download (.ics)") == 20
