import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from programs.models import TimeLog
from tests import factories
from tests.programs.factories import ParticipantFactory, TimeLogFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NOT_FOUND = {"school_admin": 404, "other_participant": 404, "outsider": 404}
MANAGERS_ONLY = {"coordinator": 200, "mentor": 404, "mentee": 404, "district_admin": 200,
                 **NOT_FOUND}


@pytest.fixture(autouse=True)
def _frozen_day():
    # 23 November 2026, mid-morning in Chicago.
    with time_machine.travel(datetime(2026, 11, 23, 15, tzinfo=UTC), tick=True):
        yield


def url(name, program):
    return reverse(f"programs:{name}", args=[program.pk])


def field_error(response, field):
    html = response.content.decode()
    match = re.search(rf'id="error_1_id_{field}"[^>]*>\s*(?:<strong>)?(.*?)(?:</strong>)?\s*<',
                      html, re.S)
    return match.group(1).strip() if match else None


def entry(**overrides):
    return {"date": "2026-11-20", "minutes": "90", "kind": "peer_observation",
            "note": "Watched a colleague's guided reading", **overrides}


# Who sees what

def test_time_page_is_open_to_whoever_sees_the_program(assert_program_access, program_people):
    assert_program_access(url("time", program_people.program), {
        "coordinator": 200, "mentor": 200, "mentee": 200, "district_admin": 200,
        "school_admin": 200, "other_participant": 404, "outsider": 404})


def test_logging_is_for_participants_and_managers(assert_program_access, program_people):
    assert_program_access(url("time-log", program_people.program), {
        "coordinator": 200, "mentor": 200, "mentee": 200, "district_admin": 200,
        **NOT_FOUND})


def test_summary_and_export_are_for_managers(assert_program_access, program_people):
    assert_program_access(url("time-summary", program_people.program), MANAGERS_ONLY)
    assert_program_access(url("time-export", program_people.program), MANAGERS_ONLY)


def test_a_participant_sees_only_their_own_log(client, program_people):
    TimeLogFactory(program=program_people.program, user=program_people.mentor,
                   date=date(2026, 11, 3), note="Mentor's planning note")
    TimeLogFactory(program=program_people.program, user=program_people.mentee,
                   date=date(2026, 11, 4), note="My own reflection")
    client.force_login(program_people.mentee)

    page = client.get(url("time", program_people.program)).content.decode()

    assert "My own reflection" in page
    assert "Mentor's planning note" not in page


# Logging

def test_participant_logs_time_and_sees_it_against_the_target(client, program_people):
    client.force_login(program_people.mentee)

    response = client.post(url("time-log", program_people.program), entry())
    page = client.get(url("time", program_people.program)).content.decode()

    assert response.status_code == 302
    assert TimeLog.objects.get().user == program_people.mentee
    assert "This month: November 2026" in page
    assert "1 h 30 min of 2 h (75%)" in page
    assert 'value="75"' in page  # the progress bar


def test_a_participant_cannot_log_for_someone_else(client, program_people):
    client.force_login(program_people.mentee)

    client.post(url("time-log", program_people.program),
                entry(person=program_people.mentor.pk))

    assert TimeLog.objects.get().user == program_people.mentee


def test_coordinator_logs_time_for_a_participant(client, program_people):
    client.force_login(program_people.coordinator)

    response = client.post(url("time-log", program_people.program),
                           entry(person=program_people.mentor.pk))

    log = TimeLog.objects.get()
    assert response.status_code == 302
    assert (log.user, log.logged_by) == (program_people.mentor, program_people.coordinator)


def test_person_outside_the_program_cannot_be_chosen(client, program_people):
    client.force_login(program_people.coordinator)

    response = client.post(url("time-log", program_people.program),
                           entry(person=program_people.other_participant.pk))

    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response, "person")
    assert TimeLog.objects.count() == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date", "2026-07-01", "Choose a day inside the program, which runs from Aug. 17, 2026 "
                           "to June 11, 2027."),
    ("date", "2026-12-01", "Log time once it is spent: this day is still to come."),
    ("minutes", "-30", "Log at least 5 minutes."),
    ("minutes", "900", "Log at most 12 hours (720 minutes) at a time."),
])
def test_bad_time_is_refused_next_to_the_field(client, program_people, field, value, message):
    client.force_login(program_people.mentee)

    response = client.post(url("time-log", program_people.program), entry(**{field: value}))

    assert response.status_code == 400
    assert field_error(response, field) == message
    assert "Watched a colleague&#x27;s guided reading" in response.content.decode()
    assert TimeLog.objects.count() == 0


def test_a_closed_program_takes_no_more_time(client, program_people):
    program_people.program.status = "closed"
    program_people.program.save(update_fields=["status"])
    client.force_login(program_people.mentee)

    assert client.get(url("time-log", program_people.program)).status_code == 404


# The summary

def test_summary_shows_each_participant_each_month(client, program_people):
    program = program_people.program
    TimeLogFactory(program=program, user=program_people.mentee, date=date(2026, 10, 5),
                   minutes=150)
    TimeLogFactory(program=program, user=program_people.mentor, date=date(2026, 11, 2),
                   minutes=30)
    client.force_login(program_people.coordinator)

    html = client.get(url("time-summary", program)).content.decode()

    name = program_people.mentee.display_name
    mentee_row = next(row for row in re.findall(r"<tr>.*?</tr>", html, re.S)
                      if f">{name}</th>" in row)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", mentee_row, re.S)
    assert [re.sub(r"<[^>]+>.*?</[^>]+>|\s", "", c) for c in cells] == [
        "0min", "0min", "2h30min", "0min", "2h30min"]  # Aug, Sep, Oct, Nov, total
    assert "(target met)" in mentee_row
    assert "4 participants" in html


def test_export_lists_every_participant_and_month(client, program_people):
    program = program_people.program
    TimeLogFactory(program=program, user=program_people.mentee, date=date(2026, 10, 5),
                   minutes=150)
    client.force_login(program_people.coordinator)

    response = client.get(url("time-export", program))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Name", "Email", "Month", "Minutes logged", "Target minutes"]
    assert len(rows) == 1 + 4 * 4  # four participants, August to November
    mentee = program_people.mentee
    assert [mentee.display_name, mentee.email, "2026-10", "150", "120"] in rows


def test_export_keeps_a_name_from_becoming_a_formula(client, program_people):
    program_people.mentee.display_name = "=HYPERLINK(\"http://evil\")"
    program_people.mentee.save(update_fields=["display_name"])
    client.force_login(program_people.coordinator)

    response = client.get(url("time-export", program_people.program))

    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body


def grow(program, size):
    school = program.district.schools.first()
    for i in range(size):
        person = ParticipantFactory(program=program, user=factories.teacher(school)).user
        for month in (9, 10, 11):
            TimeLogFactory(program=program, user=person, date=date(2026, month, 1 + i % 20))


# Session, person, two-factor check (admins), district (time zone), program, roles, then
# the page's own: count and page of people and one sum for the page, or count and page of
# one's own log and one sum by month.
MAX_QUERIES = 12


@pytest.mark.parametrize(("role", "name"), [
    ("coordinator", "time-summary"), ("district_admin", "time-summary"),
    ("mentee", "time"), ("coordinator", "time"),
])
def test_time_pages_do_a_fixed_number_of_queries(client, people, program_people, role, name,
                                                 django_assert_max_num_queries):
    client.force_login(getattr(program_people, role, None) or getattr(people, role))
    program = program_people.program
    path = url(name, program)
    grow(program, 5)
    for day in range(1, 6):
        TimeLogFactory(program=program, user=program_people.mentee, date=date(2026, 10, day))
    small = count_queries(client, path)
    grow(program, 40)
    for day in range(1, 23):
        TimeLogFactory(program=program, user=program_people.mentee, date=date(2026, 11, day))

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, path)
    assert large == small


def test_an_odd_person_parameter_is_ignored_not_an_error(client, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("programs:time-log", args=[program_people.program.pk])
    for odd in ["²", "9" * 5000, "-1", "abc"]:
        assert client.get(url, {"person": odd}).status_code == 200
