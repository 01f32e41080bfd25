"""Calendars follow changes to group sessions and observation windows: a change to what the
event carries raises its SEQUENCE, and DTSTAMP moves only when something changed, so a
calendar that reads the feed twice sees no change between edits."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse

from programs.models import GroupSession, ObservationWindow
from programs.services import groups as services
from tests.pairing.days import CHICAGO, MONDAY_IN_PROGRAM
from tests.pairing.feeds import events_of, host, read_feed
from tests.programs.factories import GroupSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

NOW = MONDAY_IN_PROGRAM


def session_uid(session):
    return f"session-{session.pk}@{host()}"


def window_uid(window):
    return f"window-{window.pk}@{host()}"


def edit_session(client, session, person, **changes):
    data = {"kind": session.kind, "title": session.title,
            "starts_at": session.starts_at.astimezone(CHICAGO).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": session.duration_minutes, "location": session.location,
            "video_url": session.video_url, "agenda": session.agenda, **changes}
    client.force_login(person)
    response = client.post(reverse("programs:session-edit",
                                   args=[session.group.program_id, session.pk]), data)
    assert response.status_code == 302
    client.logout()


def test_a_moved_session_has_a_higher_sequence_and_a_stamp_that_holds_between_reads(
        client, clock, team, program_people):
    session = GroupSessionFactory(group=team, starts_at=datetime.combine(
        date(2026, 12, 10), time(15, 30), tzinfo=CHICAGO), location="Library")
    _, first = read_feed(client, program_people.mentee)
    clock.shift(timedelta(minutes=10))
    _, again = read_feed(client, program_people.mentee)
    before = events_of(first)[session_uid(session)]
    assert events_of(again)[session_uid(session)]["DTSTAMP"].dt == before["DTSTAMP"].dt
    assert int(before["SEQUENCE"]) == 0
    clock.shift(timedelta(minutes=10))

    edit_session(client, session, program_people.mentor, starts_at="2026-12-11T16:00",
                 location="Room 12")

    _, calendar = read_feed(client, program_people.mentee)
    moved = events_of(calendar)[session_uid(session)]
    assert (moved.start.day, moved.start.hour) == (11, 16)
    assert str(moved["LOCATION"]) == "Room 12"
    assert int(moved["SEQUENCE"]) == 1
    assert moved["DTSTAMP"].dt > before["DTSTAMP"].dt
    assert moved["LAST-MODIFIED"].dt == moved["DTSTAMP"].dt
    clock.shift(timedelta(minutes=10))
    _, later = read_feed(client, program_people.mentee)
    assert events_of(later)[session_uid(session)]["DTSTAMP"].dt == moved["DTSTAMP"].dt


def test_saving_a_session_unchanged_leaves_its_event_as_it_was(client, clock, team,
                                                               program_people):
    session = GroupSessionFactory(group=team, starts_at=datetime.combine(
        date(2026, 12, 10), time(15, 30), tzinfo=CHICAGO))
    _, first = read_feed(client, program_people.mentor)
    clock.shift(timedelta(minutes=10))

    edit_session(client, session, program_people.mentor)

    _, calendar = read_feed(client, program_people.mentor)
    before, after = events_of(first)[session_uid(session)], events_of(calendar)[
        session_uid(session)]
    assert (int(after["SEQUENCE"]), after["DTSTAMP"].dt) == (0, before["DTSTAMP"].dt)


def test_only_what_the_event_carries_makes_a_new_version(team):
    """The agenda never reaches a calendar, so a change to it gives calendars nothing to
    replace; a new title does."""
    session = GroupSessionFactory(group=team, starts_at=datetime.combine(
        date(2026, 12, 10), time(15, 30), tzinfo=CHICAGO))

    services.update_session(session=session, agenda="Bring a lesson plan")
    services.update_session(session=session, title="Lesson study")

    session = GroupSession.objects.get(pk=session.pk)
    assert (session.agenda, session.title, session.sequence) == (
        "Bring a lesson plan", "Lesson study", 1)


def calendar_data(program, windows):
    data = {}
    for prefix in ("terms", "windows", "blackouts"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update({"windows-TOTAL_FORMS": str(len(windows)),
                 "windows-INITIAL_FORMS": str(len(windows))})
    for i, window in enumerate(windows):
        data.update({f"windows-{i}-id": window.pk, f"windows-{i}-program": program.pk,
                     f"windows-{i}-name": window.name,
                     f"windows-{i}-opens_on": window.opens_on.isoformat(),
                     f"windows-{i}-closes_on": window.closes_on.isoformat()})
    return data


def test_a_window_with_new_dates_has_a_higher_sequence_the_others_stay(client, clock,
                                                                       program_people):
    program = program_people.program
    moved = ObservationWindow.objects.create(program=program, name="Second round",
                                             opens_on=date(2027, 1, 11),
                                             closes_on=date(2027, 2, 5))
    kept = ObservationWindow.objects.create(program=program, name="Third round",
                                            opens_on=date(2027, 3, 1),
                                            closes_on=date(2027, 3, 26))
    _, first = read_feed(client, program_people.mentee)
    clock.shift(timedelta(minutes=10))
    _, again = read_feed(client, program_people.mentee)
    assert (events_of(again)[window_uid(kept)]["DTSTAMP"].dt
            == events_of(first)[window_uid(kept)]["DTSTAMP"].dt)

    moved.closes_on = date(2027, 2, 12)
    data = calendar_data(program, [moved, kept])
    client.force_login(program_people.coordinator)
    response = client.post(reverse("programs:calendar", args=[program.pk]), data)
    assert response.status_code == 302
    client.logout()

    _, calendar = read_feed(client, program_people.mentee)
    events = events_of(calendar)
    assert events[window_uid(moved)].end == date(2027, 2, 13)
    assert int(events[window_uid(moved)]["SEQUENCE"]) == 1
    assert (events[window_uid(moved)]["DTSTAMP"].dt
            > events_of(first)[window_uid(moved)]["DTSTAMP"].dt)
    assert int(events[window_uid(kept)]["SEQUENCE"]) == 0
    assert (events[window_uid(kept)]["DTSTAMP"].dt
            == events_of(first)[window_uid(kept)]["DTSTAMP"].dt)
