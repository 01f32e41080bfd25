"""What a private calendar feed carries: the right instants in the district's time zone,
cancellations and reschedules calendars can follow, all-day observation windows, only the
owner's own events, and never anything a pair or a group wrote."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from pairing.calendar import FEED_PAST_DAYS, to_ical, window_entry
from pairing.models import CheckIn, Pairing
from pairing.services.pairings import end_pairing
from programs.models import ObservationWindow, Participant
from tests import factories
from tests.pairing.days import CHICAGO
from tests.pairing.factories import CheckInFactory, PairingFactory
from tests.pairing.feeds import events_of, host, read_feed
from tests.programs.factories import GroupSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

def local(days, hour, minute=0, zone=CHICAGO):
    """A time of day `days` from today, in the district's time zone."""
    day = timezone.now().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def test_a_checkin_keeps_its_local_time_and_the_district_time_zone(client, pair,
                                                                   program_people):
    assert pair.program.district.time_zone == "America/Chicago"
    at = local(10, 15, 30)
    checkin = CheckInFactory(pairing=pair, scheduled_at=at, duration_minutes=45,
                             location="Room 12")

    text, calendar = read_feed(client, program_people.mentee)

    event = events_of(calendar)[f"checkin-{checkin.pk}@{host()}"]
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event["DTEND"].params["TZID"] == "America/Chicago"
    assert (event.start.hour, event.start.minute) == (15, 30)
    assert f"DTSTART;TZID=America/Chicago:{at:%Y%m%d}T153000" in text
    checkin.refresh_from_db()
    assert event.start == checkin.scheduled_at  # the same instant as stored (in UTC)
    assert event.start.astimezone(UTC) == checkin.scheduled_at.astimezone(UTC)
    assert event.end - event.start == timedelta(minutes=45)
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Chicago"]
    assert str(event["SUMMARY"]) == f"Check-in with {program_people.mentor.display_name}"
    assert str(event["LOCATION"]) == "Room 12"
    assert str(event["URL"]) == "http://testserver" + reverse("pairing:checkin-detail",
                                                              args=[checkin.pk])
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    # The mentor sees the same event, named after the mentee.
    _, mentor_calendar = read_feed(client, program_people.mentor)
    mentor_event = events_of(mentor_calendar)[f"checkin-{checkin.pk}@{host()}"]
    assert str(mentor_event["SUMMARY"]) == f"Check-in with {program_people.mentee.display_name}"
    assert mentor_event.start == event.start


def test_times_follow_each_district_time_zone(client, people):
    """The same wall-clock time in another district's zone is another instant."""
    school = factories.SchoolFactory(district__time_zone="Europe/Madrid")
    program_mentor = ParticipantFactory(user=factories.teacher(school), role="mentor",
                                        program__district=school.district)
    mentee = ParticipantFactory(user=factories.teacher(school), role="mentee",
                                program=program_mentor.program)
    pairing = PairingFactory(mentor=program_mentor, mentee=mentee)
    madrid = ZoneInfo("Europe/Madrid")
    checkin = CheckInFactory(pairing=pairing, scheduled_at=local(5, 9, zone=madrid))

    _, calendar = read_feed(client, mentee.user)

    event = events_of(calendar)[f"checkin-{checkin.pk}@{host()}"]
    assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert (event.start.hour, event.start.minute) == (9, 0)
    assert event.start == checkin.scheduled_at
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Madrid"]


def test_a_video_link_is_in_the_download_not_in_the_feed(client, pair, program_people):
    checkin = CheckInFactory(pairing=pair, mode=CheckIn.Mode.VIDEO, location="",
                             video_url="https://meet.example.org/abc-def")

    text, calendar = read_feed(client, program_people.mentee)

    # A leaked feed address must not give out the pair's call; the event says where it is.
    assert "meet.example.org" not in text
    event = events_of(calendar)[f"checkin-{checkin.pk}@{host()}"]
    assert "sign in on the page below for the link" in str(event["DESCRIPTION"])
    client.force_login(program_people.mentee)
    download = client.get(reverse("pairing:checkin-ics", args=[checkin.pk]))
    event = events_of(Calendar.from_ical(download.content))[f"checkin-{checkin.pk}@{host()}"]
    assert str(event["LOCATION"]) == "https://meet.example.org/abc-def"


def test_a_group_sessions_video_link_is_in_the_download_not_in_the_feed(client, team,
                                                                         program_people):
    session = GroupSessionFactory(group=team, starts_at=local(6, 16), location="",
                                  video_url="https://meet.example.org/team-call")
    uid = f"session-{session.pk}@{host()}"

    text, calendar = read_feed(client, program_people.mentee)

    assert uid in events_of(calendar) and "meet.example.org" not in text
    client.force_login(program_people.mentee)
    download = client.get(reverse("pairing:session-ics", args=[session.pk]))
    event = events_of(Calendar.from_ical(download.content))[uid]
    assert str(event["LOCATION"]) == "https://meet.example.org/team-call"


def test_a_cancelled_checkin_stays_in_the_feed_marked_cancelled(client, pair, program_people):
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(3, 10))
    uid = f"checkin-{checkin.pk}@{host()}"
    _, before = read_feed(client, program_people.mentee)
    assert str(events_of(before)[uid]["STATUS"]) == "CONFIRMED"

    CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.CANCELLED,
                                                 sequence=1)
    text, after = read_feed(client, program_people.mentee)

    event = events_of(after)[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "STATUS:CANCELLED" in text
    assert int(event["SEQUENCE"]) == 1
    assert event.start == checkin.scheduled_at


def test_a_rescheduled_checkin_keeps_its_uid_with_a_higher_sequence(client, pair,
                                                                    program_people):
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(3, 10))
    uid = f"checkin-{checkin.pk}@{host()}"
    _, before = read_feed(client, program_people.mentee)
    first = events_of(before)[uid]

    moved = local(4, 14, 15)
    CheckIn.objects.filter(pk=checkin.pk).update(scheduled_at=moved, sequence=2)
    _, after = read_feed(client, program_people.mentee)

    event = events_of(after)[uid]
    assert len(events_of(after)) == len(events_of(before))
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])
    assert event.start == moved
    assert (event.start.hour, event.start.minute) == (14, 15)


def test_held_missed_and_recent_checkins_are_in_old_ones_are_not(client, pair, program_people):
    held = CheckInFactory(pairing=pair, scheduled_at=local(-7, 9),
                          status=CheckIn.Status.HELD)
    missed = CheckInFactory(pairing=pair, scheduled_at=local(-14, 9),
                            status=CheckIn.Status.MISSED)
    old = CheckInFactory(pairing=pair, status=CheckIn.Status.HELD,
                         scheduled_at=timezone.now() - timedelta(days=FEED_PAST_DAYS + 2))

    _, calendar = read_feed(client, program_people.mentee)

    uids = set(events_of(calendar))
    assert {f"checkin-{held.pk}@{host()}", f"checkin-{missed.pk}@{host()}"} <= uids
    assert f"checkin-{old.pk}@{host()}" not in uids


def test_an_ended_pairing_keeps_its_history_and_drops_what_will_not_happen(
        client, pair, program_people):
    held = CheckInFactory(pairing=pair, scheduled_at=local(-7, 9),
                          status=CheckIn.Status.HELD)
    orphan = CheckInFactory(pairing=pair, scheduled_at=local(7, 9))
    end_pairing(pair, program_people.coordinator, reason=Pairing.EndReason.OTHER)

    _, calendar = read_feed(client, program_people.mentee)

    events = events_of(calendar)
    assert str(events[f"checkin-{held.pk}@{host()}"]["STATUS"]) == "CONFIRMED"
    gone = events[f"checkin-{orphan.pk}@{host()}"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) == 1


def test_only_the_owners_checkins_are_in_their_feed(client, people, pair, program_people):
    program = pair.program
    others = PairingFactory(
        mentor=ParticipantFactory(program=program, user=factories.teacher(people.school),
                                  role=Participant.Role.MENTOR),
        mentee=ParticipantFactory(program=program, user=factories.teacher(people.school),
                                  role=Participant.Role.MENTEE))
    theirs = CheckInFactory(pairing=others)
    # A proposal is not a pairing yet: nothing of it reaches a calendar.
    proposal = PairingFactory(
        mentor=pair.mentor,
        mentee=ParticipantFactory(program=program, user=factories.teacher(people.school),
                                  role=Participant.Role.MENTEE),
        status=Pairing.Status.PROPOSED)
    proposed = CheckInFactory(pairing=proposal)
    mine = CheckInFactory(pairing=pair)

    _, calendar = read_feed(client, program_people.mentee)
    _, mentor_calendar = read_feed(client, program_people.mentor)

    assert set(events_of(calendar)) == {f"checkin-{mine.pk}@{host()}"}
    assert set(events_of(mentor_calendar)) == {f"checkin-{mine.pk}@{host()}"}
    for checkin in (theirs, proposed):
        assert f"checkin-{checkin.pk}@{host()}" not in events_of(mentor_calendar)


def test_group_sessions_reach_the_groups_active_members(client, team, program_people, people):
    session = GroupSessionFactory(group=team, title="Planning the fractions unit",
                                  starts_at=local(6, 16), duration_minutes=90,
                                  location="Library")
    uid = f"session-{session.pk}@{host()}"

    for member in (program_people.mentor, program_people.mentee):
        _, calendar = read_feed(client, member)
        event = events_of(calendar)[uid]
        assert str(event["SUMMARY"]) == "Planning the fractions unit"
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        assert (event.start.hour, event.start.minute) == (16, 0)
        assert event.end - event.start == timedelta(minutes=90)
        assert str(event["LOCATION"]) == "Library"
        assert str(event["URL"]) == "http://testserver" + reverse(
            "programs:session-detail", args=[team.program.pk, session.pk])
        assert int(event["SEQUENCE"]) == 0

    # Those who run the program see the session's page, but it is not their meeting.
    _, coordinator = read_feed(client, program_people.coordinator)
    assert uid not in events_of(coordinator)
    # A member who has left the program no longer gets it.
    Participant.objects.filter(user=program_people.mentee, program=team.program).update(
        status=Participant.Status.WITHDRAWN)
    _, withdrawn = read_feed(client, program_people.mentee)
    assert uid not in events_of(withdrawn)


def test_observation_windows_are_all_day_events_of_the_participants_programs(
        client, program_people):
    today = timezone.localdate()
    window = ObservationWindow.objects.create(
        program=program_people.program, name="First cycle",
        opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=17))
    elsewhere = ObservationWindow.objects.create(
        program=program_people.other_program, name="Spring cycle",
        opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=17))

    text, calendar = read_feed(client, program_people.mentee)

    events = events_of(calendar)
    event = events[f"window-{window.pk}@{host()}"]
    assert str(event["SUMMARY"]) == "Observation window: First cycle"
    assert event.start == window.opens_on
    assert not isinstance(event.start, datetime)
    assert event.end == window.closes_on + timedelta(days=1)  # exclusive
    assert f"DTSTART;VALUE=DATE:{window.opens_on:%Y%m%d}" in text
    assert f"DTEND;VALUE=DATE:{window.closes_on + timedelta(days=1):%Y%m%d}" in text
    assert "TZID" not in event["DTSTART"].params
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["URL"]).startswith("http://testserver" + reverse(
        "programs:detail", args=[program_people.program.pk]))
    assert f"window-{elsewhere.pk}@{host()}" not in events
    # Every active participant gets them, whatever their role; others do not.
    _, coordinator = read_feed(client, program_people.coordinator)
    assert f"window-{window.pk}@{host()}" in events_of(coordinator)
    _, other = read_feed(client, program_people.other_participant)
    assert f"window-{window.pk}@{host()}" not in events_of(other)
    assert f"window-{elsewhere.pk}@{host()}" in events_of(other)


def test_nothing_a_pair_or_a_group_wrote_reaches_the_feed(client, pair, team, program_people):
    secrets = ["Struggling with the principal", "Classroom management is working",
               "Thinking of leaving teaching", "Agenda: the hard conversation",
               "Session notes nobody else reads", "Opening: small wins", "Closing: next"]
    CheckInFactory(pairing=pair, status=CheckIn.Status.HELD, scheduled_at=local(-2, 9),
                   topics=secrets[0], whats_working=secrets[1], challenges=secrets[2])
    CheckInFactory(pairing=pair, topics=secrets[0], challenges=secrets[2])
    GroupSessionFactory(group=team, agenda=secrets[3], notes=secrets[4],
                        opening_whats_working=secrets[5], closing_whats_working=secrets[6])

    for person in (program_people.mentee, program_people.mentor):
        text, calendar = read_feed(client, person)
        assert len(events_of(calendar)) == 3
        unfolded = text.replace("\r\n ", "")
        for secret in secrets:
            assert secret not in unfolded
            assert secret.replace(",", "\\,") not in unfolded


def test_an_empty_feed_is_a_valid_calendar(client, people):
    text, calendar = read_feed(client, people.teacher)

    assert calendar.name == "VCALENDAR"
    assert events_of(calendar) == {}
    assert "PRODID:" in text and "VERSION:2.0" in text


def test_a_window_alone_makes_a_calendar_without_time_zones(program_people):
    window = ObservationWindow.objects.create(program=program_people.program, name="Cycle",
                                              opens_on=date(2026, 10, 5),
                                              closes_on=date(2026, 10, 9))

    calendar = Calendar.from_ical(to_ical([window_entry(window)]))

    assert calendar.timezones == []
    (event,) = calendar.walk("VEVENT")
    assert (event.start, event.end) == (date(2026, 10, 5), date(2026, 10, 10))


def test_a_feed_tells_calendars_how_often_to_look_again(client, people):
    text, calendar = read_feed(client, people.teacher)

    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text or "REFRESH-INTERVAL:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text


def test_a_feed_speaks_its_owners_language(client, people):
    people.teacher.preferred_language = "es"
    people.teacher.save(update_fields=["preferred_language"])

    _, calendar = read_feed(client, people.teacher)

    assert calendar.calendar_name == "Mentoría"
