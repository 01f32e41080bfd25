from datetime import date

import pytest
from django.core.exceptions import ValidationError

from programs.models import Program, TimeLog
from programs.services import time as services
from tests.programs.factories import ProgramFactory, TimeLogFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def log(program_people, **kwargs):
    values = {"program": program_people.program, "person": program_people.mentee,
              "logged_by": program_people.mentee, "date": date(2026, 11, 10), "minutes": 90,
              "kind": TimeLog.Kind.PLANNING, "today": TODAY, **kwargs}
    return services.log_time(**values)


def test_participant_logs_their_time(program_people):
    entry = log(program_people, note="Planned a unit with my mentor")

    assert TimeLog.objects.get() == entry
    assert (entry.user, entry.minutes, entry.logged_by) == (
        program_people.mentee, 90, program_people.mentee)


def test_coordinator_logs_time_for_a_participant(program_people):
    entry = log(program_people, logged_by=program_people.coordinator)

    assert (entry.user, entry.logged_by) == (program_people.mentee, program_people.coordinator)


@pytest.mark.parametrize(("day", "message"), [
    (date(2026, 8, 16), "Choose a day inside the program, which runs from Aug. 17, 2026 "
                        "to June 11, 2027."),
    (date(2026, 11, 24), "Log time once it is spent: this day is still to come."),
])
def test_a_day_outside_the_program_or_in_the_future_is_refused(program_people, day, message):
    with pytest.raises(ValidationError) as error:
        log(program_people, date=day)

    assert error.value.message_dict == {"date": [message]}
    assert TimeLog.objects.count() == 0


def test_minutes_must_be_sensible(program_people):
    with pytest.raises(ValidationError) as error:
        log(program_people, minutes=0)

    assert list(error.value.message_dict) == ["minutes"]


def test_no_more_than_twelve_hours_on_one_day(program_people):
    log(program_people, minutes=600)

    with pytest.raises(ValidationError) as error:
        log(program_people, minutes=150)

    assert error.value.message_dict == {"minutes": [
        "That makes more than 12 hours on one day (10 h already logged)."]}


def test_only_active_participants_log_time(program_people, people):
    with pytest.raises(ValidationError) as error:
        log(program_people, person=people.district_admin)

    assert error.value.message_dict == {
        "person": ["Only active participants of the program log time."]}


def test_a_closed_program_takes_no_more_time(program_people):
    program_people.program.status = Program.Status.CLOSED

    with pytest.raises(ValidationError):
        log(program_people)


def test_program_months_run_to_this_month():
    program = ProgramFactory(starts_on=date(2026, 8, 17), ends_on=date(2027, 6, 11))

    assert services.program_months(program, today=TODAY) == [
        date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert services.program_months(program, today=date(2026, 5, 1)) == [date(2026, 8, 1)]
    assert services.program_months(program, today=date(2028, 1, 1))[-1] == date(2027, 6, 1)


def test_months_for_sums_each_month_against_the_target(program_people):
    program = program_people.program  # one-on-one: 120 minutes a month
    mentee = program_people.mentee
    for day, minutes in [(date(2026, 10, 5), 60), (date(2026, 10, 20), 90),
                         (date(2026, 11, 2), 30)]:
        TimeLogFactory(program=program, user=mentee, date=day, minutes=minutes)
    TimeLogFactory(program=program, user=program_people.mentor, date=date(2026, 11, 2))
    TimeLogFactory(program=program_people.other_program, user=mentee, date=date(2026, 11, 2))

    months = services.months_for(program, mentee, today=TODAY)

    assert [(m.month, m.minutes, m.percent, m.met) for m in months] == [
        (date(2026, 11, 1), 30, 25, False), (date(2026, 10, 1), 150, 100, True),
        (date(2026, 9, 1), 0, 0, False), (date(2026, 8, 1), 0, 0, False)]
    assert (months[1].shown, months[1].target_shown) == ("2 h 30 min", "2 h")


def test_export_rows_cover_every_participant_and_month(program_people):
    program = program_people.program
    TimeLogFactory(program=program, user=program_people.mentee, date=date(2026, 10, 5),
                   minutes=45)
    months = [date(2026, 9, 1), date(2026, 10, 1)]

    rows = list(services.export_rows(program, months, chunk=2))

    assert len(rows) == 4 * 2  # coordinator, mentor, mentee, school rep
    mentee = program_people.mentee
    assert (mentee.display_name, mentee.email, date(2026, 10, 1), 45, 120) in rows
    assert (mentee.display_name, mentee.email, date(2026, 9, 1), 0, 120) in rows
