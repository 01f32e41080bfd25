import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pairing.models import CheckIn, NextStep, Pairing
from pairing.services import checkins as services
from pairing.services.checkins import NextStepDraft
from programs.models import TimeLog
from tests import factories
from tests.pairing.days import CHICAGO, MONDAY_MORNING
from tests.pairing.factories import CheckInFactory, NextStepFactory
from tests.programs.factories import BlackoutPeriodFactory

pytestmark = pytest.mark.django_db

NOW = MONDAY_MORNING


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOW, tick=False):
        yield


def local(*args):
    return datetime(*args, tzinfo=CHICAGO)


def schedule(pair, **overrides):
    details = {"scheduled_at": local(2026, 12, 2, 15, 30), "duration_minutes": 30,
               "mode": CheckIn.Mode.IN_PERSON, "location": "Room 12", "video_url": "",
               **overrides}
    return services.schedule_checkin(pairing=pair, scheduled_by=pair.mentor.user, **details)


def refusal(call):
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def record(checkin, **overrides):
    data = {"held": True, "minutes_spent": 45, "whats_working": "Morning routines stick.",
            "topics": "Transitions", "challenges": "Afternoon energy", **overrides}
    return services.record_checkin(checkin=checkin, recorded_by=checkin.pairing.mentee.user,
                                   **data)


# Scheduling

def test_either_of_the_pair_schedules_on_a_school_day(pair):
    checkin = schedule(pair)
    by_mentee = services.schedule_checkin(
        pairing=pair, scheduled_by=pair.mentee.user, scheduled_at=local(2026, 12, 3, 8),
        mode=CheckIn.Mode.PHONE)

    assert checkin.status == CheckIn.Status.SCHEDULED and checkin.sequence == 0
    assert checkin.scheduled_at == datetime(2026, 12, 2, 21, 30, tzinfo=UTC)
    assert by_mentee.scheduled_by == pair.mentee.user
    assert CheckIn.objects.filter(pairing=pair).count() == 2


def test_a_blackout_day_is_refused_naming_the_blackout(pair):
    BlackoutPeriodFactory(program=pair.program, name="Thanksgiving break",
                          starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 27))

    errors = refusal(lambda: schedule(pair, scheduled_at=local(2026, 11, 26, 10)))

    assert errors == {"scheduled_at": [
        "Nov. 26, 2026 is a blackout day (Thanksgiving break): nothing is scheduled on it. "
        "Choose another day."]}
    assert not CheckIn.objects.exists()


def test_a_weekend_is_refused(pair):
    errors = refusal(lambda: schedule(pair, scheduled_at=local(2026, 11, 28, 10)))

    assert errors == {"scheduled_at": [
        "Nov. 28, 2026 is a Saturday, not a school day. Choose a weekday."]}


def test_a_day_outside_the_program_is_refused(pair):
    errors = refusal(lambda: schedule(pair, scheduled_at=local(2027, 7, 1, 10)))

    assert errors["scheduled_at"][0].startswith("July 1, 2027 is outside the program")


def test_the_day_is_the_districts_local_day(pair):
    """Tuesday 20:00 in Chicago is already Wednesday in UTC, a blackout day there."""
    BlackoutPeriodFactory(program=pair.program, starts_on=date(2026, 11, 25),
                          ends_on=date(2026, 11, 27))

    checkin = schedule(pair, scheduled_at=local(2026, 11, 24, 20))

    assert checkin.scheduled_at.astimezone(UTC).date() == date(2026, 11, 25)


def test_a_video_checkin_needs_a_link(pair):
    errors = refusal(lambda: schedule(pair, mode=CheckIn.Mode.VIDEO, location=""))

    assert errors == {"video_url": [
        "A video check-in needs a link: paste the address of the call."]}


def test_how_they_meet_keeps_only_the_place_or_link_that_goes_with_it(pair):
    video = schedule(pair, mode=CheckIn.Mode.VIDEO, video_url="https://meet.example.org/x")
    phone = schedule(pair, mode=CheckIn.Mode.PHONE, video_url="https://meet.example.org/y",
                     scheduled_at=local(2026, 12, 3, 15, 30))

    assert (video.location, video.video_url) == ("", "https://meet.example.org/x")
    assert (phone.location, phone.video_url) == ("", "")


def test_only_the_pair_schedules_and_only_while_active(pair, people):
    with pytest.raises(PermissionDenied):
        services.schedule_checkin(pairing=pair, scheduled_by=people.district_admin,
                                  scheduled_at=local(2026, 12, 2, 10))
    pair.status = Pairing.Status.PAUSED
    pair.save()

    errors = refusal(lambda: schedule(pair))

    assert "only while the pairing is active" in errors["__all__"][0]


# Rescheduling and cancelling

def test_a_day_before_the_pairing_started_is_refused(pair):
    # The pairing started on Tuesday 1 September; the program on 24 August.
    errors = refusal(lambda: schedule(pair, scheduled_at=local(2026, 8, 31, 15, 30)))

    assert errors["scheduled_at"][0].startswith("The pairing started on Sept. 1, 2026")
    assert schedule(pair, scheduled_at=local(2026, 9, 1, 15, 30)).pk


def test_a_second_check_in_at_the_same_time_is_refused(pair):
    first = schedule(pair)
    errors = refusal(lambda: schedule(pair))

    assert errors["scheduled_at"] == ["A check-in is already scheduled at this time."]
    other = schedule(pair, scheduled_at=local(2026, 12, 3, 15, 30))
    errors = refusal(lambda: services.reschedule_checkin(
        checkin=other, changed_by=pair.mentee.user, scheduled_at=first.scheduled_at))
    assert errors["scheduled_at"] == ["A check-in is already scheduled at this time."]
    assert CheckIn.objects.count() == 2


def test_rescheduling_bumps_the_sequence(pair):
    checkin = schedule(pair)

    services.reschedule_checkin(checkin=checkin, changed_by=pair.mentee.user,
                                scheduled_at=local(2026, 12, 3, 9), location="Library")
    checkin.refresh_from_db()

    assert checkin.sequence == 1
    assert checkin.scheduled_at == local(2026, 12, 3, 9)
    assert checkin.location == "Library"


def test_rescheduling_to_nothing_new_keeps_the_sequence(pair):
    checkin = schedule(pair)

    services.reschedule_checkin(checkin=checkin, changed_by=pair.mentor.user,
                                scheduled_at=checkin.scheduled_at, location="Room 12")

    assert CheckIn.objects.get().sequence == 0


def test_rescheduling_onto_a_blackout_is_refused(pair):
    checkin = schedule(pair)
    BlackoutPeriodFactory(program=pair.program, name="Winter break",
                          starts_on=date(2026, 12, 21), ends_on=date(2027, 1, 1))

    errors = refusal(lambda: services.reschedule_checkin(
        checkin=checkin, changed_by=pair.mentor.user, scheduled_at=local(2026, 12, 22, 9)))

    assert "(Winter break)" in errors["scheduled_at"][0]
    assert CheckIn.objects.get().sequence == 0


def test_cancelling_keeps_the_row_and_bumps_the_sequence(pair):
    checkin = schedule(pair)

    services.cancel_checkin(checkin=checkin, cancelled_by=pair.mentee.user)
    checkin.refresh_from_db()

    assert checkin.status == CheckIn.Status.CANCELLED
    assert checkin.sequence == 1


def test_only_a_scheduled_checkin_is_changed(pair):
    checkin = schedule(pair)
    services.cancel_checkin(checkin=checkin, cancelled_by=pair.mentor.user)

    for change in (
        lambda: services.cancel_checkin(checkin=checkin, cancelled_by=pair.mentor.user),
        lambda: services.reschedule_checkin(checkin=checkin, changed_by=pair.mentor.user,
                                            location="Library"),
        lambda: record(checkin),
    ):
        refusal(change)
    checkin.refresh_from_db()
    assert (checkin.status, checkin.sequence, checkin.location) == ("cancelled", 1, "Room 12")


# Recording

def held_checkin(pair, day=date(2026, 11, 20), **kwargs):
    return CheckInFactory(pairing=pair, scheduled_at=local(day.year, day.month, day.day, 15),
                          **kwargs)


def test_recording_a_held_checkin_logs_time_for_both(pair):
    checkin = held_checkin(pair)

    record(checkin)

    logs = TimeLog.objects.all()
    assert {(log.user, log.minutes, log.kind, log.date, log.program, log.logged_by)
            for log in logs} == {
        (person, 45, TimeLog.Kind.CHECK_IN, date(2026, 11, 20), pair.program,
         pair.mentee.user) for person in (pair.mentor.user, pair.mentee.user)}
    assert logs.count() == 2
    assert set(checkin.time_logs.all()) == set(logs)
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.HELD and checkin.minutes_spent == 45
    assert checkin.whats_working == "Morning routines stick."
    assert checkin.recorded_by == pair.mentee.user and checkin.recorded_at == NOW


def test_the_time_log_date_is_the_local_day(pair):
    """Thursday 19 November at 19:00 in Chicago is Friday in UTC."""
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(2026, 11, 19, 19))

    record(checkin)

    assert set(TimeLog.objects.values_list("date", flat=True)) == {date(2026, 11, 19)}


def test_a_held_checkin_moves_the_due_date_by_the_cadence(pair):
    assert pair.program.checkin_cadence_days == 7
    checkin = held_checkin(pair, date(2026, 11, 16))

    record(checkin)

    pair.refresh_from_db()
    assert pair.next_checkin_due_on == date(2026, 11, 23)


def test_the_due_date_skips_blackout_days_and_weekends(pair):
    BlackoutPeriodFactory(program=pair.program, starts_on=date(2026, 11, 25),
                          ends_on=date(2026, 11, 27))
    checkin = held_checkin(pair, date(2026, 11, 20))

    record(checkin)

    pair.refresh_from_db()
    assert pair.next_checkin_due_on == date(2026, 11, 30)  # Friday 27 is off, then a weekend


def test_an_older_checkin_recorded_late_does_not_move_the_due_date_back(pair):
    older = held_checkin(pair, date(2026, 11, 9))
    newer = held_checkin(pair, date(2026, 11, 16))
    record(newer)

    record(older)

    pair.refresh_from_db()
    assert pair.next_checkin_due_on == date(2026, 11, 23)


def test_a_missed_checkin_logs_no_time_and_keeps_the_due_date(pair):
    due = pair.next_checkin_due_on
    checkin = held_checkin(pair)

    record(checkin, held=False, minutes_spent=None, whats_working="")

    checkin.refresh_from_db()
    pair.refresh_from_db()
    assert checkin.status == CheckIn.Status.MISSED and checkin.minutes_spent is None
    assert not TimeLog.objects.exists()
    assert pair.next_checkin_due_on == due


def test_a_missed_checkin_takes_no_minutes_or_next_steps(pair):
    checkin = held_checkin(pair)
    step = NextStepDraft("Plan the unit", pair.mentee.user, date(2026, 12, 4))

    errors = refusal(lambda: record(checkin, held=False, next_steps=[step]))

    assert set(errors) == {"minutes_spent", "next_steps"}
    assert CheckIn.objects.get().status == CheckIn.Status.SCHEDULED


def test_recording_twice_is_refused_and_time_is_logged_once(pair):
    checkin = held_checkin(pair)
    record(checkin)
    stale = CheckIn.objects.get(pk=checkin.pk)
    stale.status = CheckIn.Status.SCHEDULED  # as a second form, sent before the first ended

    errors = refusal(lambda: record(stale))

    assert errors == {"__all__": ["This check-in is already recorded (Held)."]}
    assert TimeLog.objects.count() == 2


def test_a_checkin_still_to_come_cannot_be_held(pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(2026, 11, 24, 15))

    errors = refusal(lambda: record(checkin))

    assert errors == {"outcome": [
        "This check-in is still to come. Record it once it has taken place, or reschedule "
        "it."]}
    assert not TimeLog.objects.exists()


def test_a_held_checkin_needs_minutes_and_what_is_working(pair):
    checkin = held_checkin(pair)

    errors = refusal(lambda: record(checkin, minutes_spent=None, whats_working="  "))

    assert set(errors) == {"minutes_spent", "whats_working"}


def test_next_steps_are_stored_with_owner_and_due_date(pair):
    checkin = held_checkin(pair)

    record(checkin, next_steps=[
        NextStepDraft("Try a seating chart", pair.mentee.user, date(2026, 12, 4)),
        NextStepDraft("Share the routines checklist", pair.mentor.user, date(2026, 11, 30)),
    ])

    assert list(checkin.next_steps.values_list("description", "owner", "due_on")) == [
        ("Share the routines checklist", pair.mentor.user.pk, date(2026, 11, 30)),
        ("Try a seating chart", pair.mentee.user.pk, date(2026, 12, 4)),
    ]


def test_a_next_step_owner_outside_the_pair_is_refused(pair, people):
    checkin = held_checkin(pair)

    errors = refusal(lambda: record(checkin, next_steps=[
        NextStepDraft("Observe a lesson", people.school_admin, date(2026, 12, 4))]))

    assert errors == {"next_steps": [
        "A next step belongs to the mentor or the mentee of this pairing."]}
    assert not NextStep.objects.exists() and not TimeLog.objects.exists()
    assert CheckIn.objects.get().status == CheckIn.Status.SCHEDULED


def test_a_next_step_due_outside_the_program_is_refused(pair):
    checkin = held_checkin(pair)

    errors = refusal(lambda: record(checkin, next_steps=[
        NextStepDraft("Observe a lesson", pair.mentee.user, date(2027, 8, 1))]))

    assert errors["next_steps"][0].startswith("Choose a due date inside the program")


def test_time_over_the_daily_limit_is_refused_next_to_the_minutes(pair):
    factories_time = TimeLog.objects.create(
        program=pair.program, user=pair.mentor.user, date=date(2026, 11, 20), minutes=700,
        kind=TimeLog.Kind.PLANNING)
    checkin = held_checkin(pair)

    errors = refusal(lambda: record(checkin, minutes_spent=45))

    assert list(errors) == ["minutes_spent"]
    assert list(TimeLog.objects.all()) == [factories_time]


def test_only_the_pair_records(pair):
    checkin = held_checkin(pair)
    coordinator = factories.teacher(pair.mentee.school)

    with pytest.raises(PermissionDenied):
        services.record_checkin(checkin=checkin, recorded_by=coordinator, held=False)


# Next steps

def test_either_of_the_pair_ticks_a_next_step_off_and_opens_it_again(pair):
    step = NextStepFactory(checkin=held_checkin(pair, status=CheckIn.Status.HELD))

    services.set_next_step_done(step=step, by=pair.mentor.user, done=True)
    done_at = NextStep.objects.get().done_at
    services.set_next_step_done(step=step, by=pair.mentee.user, done=True)
    assert NextStep.objects.get().done_at == done_at == NOW

    services.set_next_step_done(step=step, by=pair.mentee.user, done=False)
    assert NextStep.objects.get().done_at is None


def test_next_steps_of_an_ended_pairing_stay_as_they_were(pair):
    step = NextStepFactory(checkin=held_checkin(pair, status=CheckIn.Status.HELD))
    pair.status = Pairing.Status.ENDED
    pair.ended_on = NOW.date() - timedelta(days=1)
    pair.save()

    refusal(lambda: services.set_next_step_done(step=step, by=pair.mentor.user, done=True))

    assert NextStep.objects.get().done_at is None


def test_two_submits_at_once_log_time_once(transactional_db, pair):
    """Both requests read the check-in as scheduled; the row lock lets one record it."""
    checkin = held_checkin(pair)
    start = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            stale = CheckIn.objects.select_related(
                "pairing__program__district", "pairing__mentor__user",
                "pairing__mentee__user").get(pk=checkin.pk)
            start.wait(timeout=10)
            record(stale)
            outcomes.append("recorded")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["recorded", "refused"]
    assert TimeLog.objects.count() == 2
