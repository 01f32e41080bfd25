"""Calling off a group session: its leads and the program's coordinators cancel it (with an
optional reason) and may undo that until it starts. A cancelled session shows as cancelled,
takes no attendance (so nobody is counted absent), gets no "tomorrow" reminder, and calendars
receive it as cancelled."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pairing.calendar import next_entries
from programs import reminders
from programs.models import GroupSession
from programs.services import groups as services
from tests.pairing.days import CHICAGO, MONDAY_MORNING
from tests.pairing.feeds import events_of, host, read_feed
from tests.programs.factories import AttendanceFactory, GroupSessionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 11, 23, 15, tzinfo=UTC)
RUNNERS = {"coordinator": 200, "mentor": 200, "mentee": 404, "district_admin": 404,
           "school_admin": 404, "other_participant": 404, "outsider": 404}


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


def url(name, session):
    return reverse(f"programs:{name}", args=[session.group.program_id, session.pk])


@pytest.fixture
def session(team):
    return GroupSessionFactory(group=team, title="Lesson study",
                               starts_at=TODAY + timedelta(days=2))


# Who may

def test_only_those_who_run_the_group_may_cancel(assert_program_access, session):
    assert_program_access(url("session-cancel", session), RUNNERS)
    assert not GroupSession.objects.cancelled().exists()


def test_only_those_who_run_the_group_may_undo(assert_program_access, session, program_people):
    services.cancel_session(session=session, by=program_people.mentor)

    assert_program_access(url("session-restore", session),
                          {**RUNNERS, "coordinator": 302, "mentor": 302}, method="post")
    assert not GroupSession.objects.cancelled().exists()


def test_a_member_sees_the_cancellation_but_no_buttons(client, program_people, session):
    services.cancel_session(session=session, by=program_people.mentor, reason="Snow day")
    client.force_login(program_people.mentee)

    page = client.get(url("session-detail", session)).content.decode()

    assert "This session is cancelled" in page and "Snow day" in page
    assert "Undo the cancellation" not in page and "Cancel session" not in page
    assert client.post(url("session-cancel", session)).status_code == 404


# Cancelling and undoing

def test_the_lead_cancels_with_a_reason_and_the_group_sees_it(client, program_people, session):
    later = GroupSessionFactory(group=session.group, title="Data dive",
                                starts_at=TODAY + timedelta(days=9))
    client.force_login(program_people.mentor)
    page = client.get(url("session-detail", session)).content.decode()
    assert "Cancel session" in page

    response = client.post(url("session-cancel", session), {"reason": "The lead is ill."})

    assert response.status_code == 302
    assert response.url == url("session-detail", session)
    session.refresh_from_db()
    assert session.is_cancelled and session.cancelled_by == program_people.mentor
    assert session.sequence == 1
    page = client.get(url("session-detail", session)).content.decode()
    assert "This session is cancelled" in page and "The lead is ill." in page
    assert "Undo the cancellation" in page and "Record notes and attendance" not in page
    detail = client.get(reverse("programs:group-detail",
                                args=[session.group.program_id, session.group_id]))
    assert "Cancelled" in detail.content.decode()
    groups = client.get(reverse("programs:groups", args=[session.group.program_id]))
    assert groups.context["page"].object_list[0].next_session_at == later.starts_at


def test_the_coordinator_cancels_without_a_reason_and_undoes_it(client, program_people,
                                                                 session):
    client.force_login(program_people.coordinator)

    client.post(url("session-cancel", session), {"reason": ""})
    session.refresh_from_db()
    assert session.is_cancelled and session.cancellation_reason == ""

    response = client.post(url("session-restore", session))
    session.refresh_from_db()
    assert response.status_code == 302
    assert not session.is_cancelled and session.cancelled_by is None
    assert session.sequence == 2
    page = client.get(url("session-detail", session)).content.decode()
    assert "The session is on again." in page and "This session is cancelled" not in page


def test_a_too_long_reason_is_refused_next_to_the_field_and_kept(client, program_people,
                                                                  session):
    client.force_login(program_people.mentor)
    reason = "Snow. " * 60

    response = client.post(url("session-cancel", session), {"reason": reason})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error_1_id_reason"' in page
    assert "Keep the reason to 300 characters." in page
    assert "Snow. Snow. Snow." in page
    assert not GroupSession.objects.cancelled().exists()


def test_a_session_that_has_started_cannot_be_cancelled(client, program_people, session):
    session.starts_at = TODAY + timedelta(hours=1)
    session.save()
    client.force_login(program_people.mentor)
    with time_machine.travel(session.starts_at + timedelta(minutes=5), tick=False):
        page = client.get(url("session-detail", session)).content.decode()
        response = client.post(url("session-cancel", session), {"reason": "Late"})

    assert "Cancel session" not in page
    assert response.status_code == 400
    assert "This session has started, so it can no longer be cancelled." in (
        response.content.decode())
    assert not GroupSession.objects.cancelled().exists()


def test_a_cancellation_stands_once_the_time_has_passed(client, program_people, session):
    session.starts_at = TODAY + timedelta(hours=1)
    session.save()
    services.cancel_session(session=session, by=program_people.mentor)
    client.force_login(program_people.mentor)
    with time_machine.travel(session.starts_at + timedelta(hours=2), tick=False):
        page = client.get(url("session-detail", session)).content.decode()
        response = client.post(url("session-restore", session), follow=True)

    assert "Undo the cancellation" not in page
    assert "its cancellation stands" in response.content.decode()
    session.refresh_from_db()
    assert session.is_cancelled


def test_cancelling_twice_changes_nothing(program_people, session):
    services.cancel_session(session=session, by=program_people.mentor, reason="Snow day")

    with pytest.raises(ValidationError, match="cancelled already"):
        services.cancel_session(session=session, by=program_people.coordinator, reason="")
    session.refresh_from_db()
    assert session.cancellation_reason == "Snow day" and session.sequence == 1


# Nobody is absent from a session that did not take place

def test_a_session_with_attendance_recorded_is_not_cancelled(client, program_people, session):
    AttendanceFactory(session=session, status="absent",
                      participant=session.group.program.participants.get(
                          user=program_people.mentee))
    client.force_login(program_people.mentor)

    response = client.post(url("session-cancel", session), {"reason": "Oops"})

    assert response.status_code == 400
    assert "Attendance is recorded for this session." in response.content.decode()
    assert "Oops</textarea>" in response.content.decode()
    assert not GroupSession.objects.cancelled().exists()


def test_a_cancelled_session_takes_no_attendance(client, program_people, session):
    services.cancel_session(session=session, by=program_people.mentor)
    mentee = session.group.program.participants.get(user=program_people.mentee)
    client.force_login(program_people.mentor)

    response = client.post(url("session-record", session), {
        "notes": "We met anyway", f"attendance_{mentee.pk}": "absent"})

    assert response.status_code == 400
    assert "This session is cancelled, so it takes no notes or attendance." in (
        response.content.decode())
    assert session.attendance.count() == 0


# Reminders and calendars

def test_a_cancelled_session_gets_no_reminder_the_day_before(program_people, team):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        session = GroupSessionFactory(group=team, starts_at=datetime(2026, 11, 24, 18,
                                                                     tzinfo=CHICAGO))
        assert len(list(reminders.group_sessions_tomorrow(timezone.now()))) == 2

        services.cancel_session(session=session, by=program_people.mentor)
        assert list(reminders.group_sessions_tomorrow(timezone.now())) == []

        services.restore_session(session=session)
        assert len(list(reminders.group_sessions_tomorrow(timezone.now()))) == 2


def test_calendars_receive_the_session_as_cancelled(client, program_people, session):
    services.cancel_session(session=session, by=program_people.mentor)

    _, calendar = read_feed(client, program_people.mentee)

    event = events_of(calendar)[f"session-{session.pk}@{host()}"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Lesson study"
    assert int(event["SEQUENCE"]) == 1
    assert [e.summary for e in next_entries(program_people.mentee)] == []
