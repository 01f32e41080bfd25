from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from observations.models import Debrief
from programs.models import Participant
from surveys import services
from surveys.models import Answer, Invitation, Question, Response, Stage, Survey
from tests.observations.factories import CycleFactory
from tests.pairing.factories import PairingFactory
from tests.programs.factories import (
    AttendanceFactory,
    GroupFactory,
    GroupMembershipFactory,
    GroupSessionFactory,
    ParticipantFactory,
)
from tests.surveys.factories import answer_all, mentees, open_survey, template

pytestmark = pytest.mark.django_db


def test_create_survey_from_template_copies_its_questions(program_people):
    survey = services.create_survey(program=program_people.program,
                                    created_by=program_people.coordinator,
                                    template=template("program-feedback"))

    assert survey.status == Survey.Status.DRAFT
    assert survey.title == "Program feedback"
    assert [q.kind for q in survey.questions.all()] == ["likert", "scale", "long_text"]
    # The standard stage takes the program's last three weeks.
    assert (survey.opens_on, survey.closes_on) == (date(2027, 5, 21), date(2027, 6, 11))
    assert survey.audience_roles == ["mentee", "mentor", "lead_mentor", "peer"]


def test_stage_dates_follow_the_program(program_people):
    program = program_people.program
    baseline = services.create_survey(program=program, created_by=None, stage=Stage.BASELINE)
    middle = services.create_survey(program=program, created_by=None, stage=Stage.MID_YEAR)

    assert (baseline.opens_on, baseline.closes_on) == (date(2026, 8, 17), date(2026, 9, 7))
    assert middle.opens_on == date(2027, 1, 13)


def test_changing_the_stage_moves_the_dates_it_gave(program_people):
    program = program_people.program
    survey = services.create_survey(program=program, created_by=None, stage=Stage.BASELINE)

    # The edit form sends back the baseline's dates as they were shown.
    services.update_survey(survey=survey, changed_by=None, stage=Stage.MID_YEAR,
                           opens_on=survey.opens_on, closes_on=survey.closes_on)
    survey.refresh_from_db()
    assert survey.opens_on == date(2027, 1, 13)

    # Dates the coordinator chose stay.
    services.update_survey(survey=survey, changed_by=None, stage=Stage.END_OF_YEAR,
                           opens_on=date(2027, 2, 1), closes_on=date(2027, 2, 20))
    survey.refresh_from_db()
    assert (survey.opens_on, survey.closes_on) == (date(2027, 2, 1), date(2027, 2, 20))


def test_custom_survey_needs_its_days(program_people):
    with pytest.raises(ValidationError) as error:
        services.create_survey(program=program_people.program, created_by=None,
                               stage=Stage.CUSTOM)

    assert set(error.value.message_dict) == {"opens_on", "closes_on"}


def test_questions_reorder_and_then_stay_once_sent(program_people, clock_in_september):
    survey = services.create_survey(program=program_people.program, created_by=None,
                                    stage=Stage.CUSTOM, opens_on=date(2026, 9, 1),
                                    closes_on=date(2026, 9, 30))
    first = services.add_question(survey=survey, added_by=None, kind="likert", text="One",
                                  required=True)
    second = services.add_question(survey=survey, added_by=None, kind="long_text",
                                   text="Two")
    services.move_question(question=second, moved_by=None, up=True)
    assert list(survey.questions.values_list("text", flat=True)) == ["Two", "One"]

    services.schedule_survey(survey=survey, scheduled_by=None)
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        services.add_question(survey=survey, added_by=None, kind="likert", text="Three")
    with pytest.raises(ValidationError):
        services.edit_question(question=first, edited_by=None, text="Changed")
    with pytest.raises(ValidationError):
        services.remove_question(question=first, removed_by=None)
    assert list(survey.questions.values_list("text", flat=True)) == ["Two", "One"]


def test_sending_an_empty_survey_is_refused(program_people, clock_in_september):
    survey = services.create_survey(program=program_people.program, created_by=None,
                                    stage=Stage.CUSTOM, opens_on=date(2026, 9, 1),
                                    closes_on=date(2026, 9, 30))

    with pytest.raises(ValidationError, match="at least one question"):
        services.schedule_survey(survey=survey, scheduled_by=None)
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.DRAFT


def test_sending_opens_and_invites_the_audience_once(program_people, people,
                                                     clock_in_september):
    extra = mentees(program_people.program, people.school, 3)
    ParticipantFactory(program=program_people.program, user=mentees(
        program_people.other_program, people.school, 1)[0],
        role=Participant.Role.MENTEE, status=Participant.Status.WITHDRAWN)

    survey = open_survey(program_people.program, program_people.coordinator)

    assert survey.status == Survey.Status.OPEN
    invited = set(survey.invitations.values_list("user_id", flat=True))
    assert invited == {program_people.mentee.pk, *(u.pk for u in extra)}
    # Opening again, or a tick, invites nobody twice.
    assert services.open_survey(survey_id=survey.pk, now=timezone.now()) is False
    services.tick()
    services.tick()
    assert survey.invitations.count() == 4


def test_audience_narrowed_to_a_school(program_people, people, clock_in_september):
    mentees(program_people.program, people.other_school, 2)

    survey = open_survey(program_people.program, None, schools=[people.school])

    assert list(survey.invitations.values_list("user_id", flat=True)) == [
        program_people.mentee.pk]


def test_inviting_an_audience_is_one_statement_whatever_its_size(program_people, people,
                                                                  clock_in_september):
    def statements(n):
        mentees(program_people.program, people.school, n)
        survey = services.create_survey(program=program_people.program, created_by=None,
                                        template=template(), opens_on=date(2026, 9, 1),
                                        closes_on=date(2026, 9, 30))
        with CaptureQueriesContext(connection) as queries:
            services.invite_audience(survey=survey, now=timezone.now())
        return len(queries), survey.invitations.count()

    small, large = statements(1), statements(20)
    assert small[0] == large[0]
    assert (small[1], large[1]) == (2, 22)


def test_tick_opens_a_scheduled_survey_on_its_day_and_closes_it_after(program_people,
                                                                      time_machine):
    time_machine.move_to("2026-09-08 15:00:00Z")
    survey = services.create_survey(program=program_people.program, created_by=None,
                                    template=template(), opens_on=date(2026, 9, 14),
                                    closes_on=date(2026, 9, 18))
    services.schedule_survey(survey=survey, scheduled_by=None)
    survey.refresh_from_db()
    assert (survey.status, survey.invitations.count()) == (Survey.Status.SCHEDULED, 0)

    time_machine.move_to("2026-09-14 15:00:00Z")
    assert services.tick()["opened"] == 1
    assert services.tick()["opened"] == 0
    survey.refresh_from_db()
    assert (survey.status, survey.invitations.count()) == (Survey.Status.OPEN, 1)

    time_machine.move_to("2026-09-19 15:00:00Z")
    services.tick()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


def test_after_each_debrief_invites_the_mentee_once_per_shared_debrief(program_people,
                                                                       clock_in_september):
    program = program_people.program
    participants = program.participants
    pairing = PairingFactory(mentor=participants.get(user=program_people.mentor),
                             mentee=participants.get(user=program_people.mentee))
    survey = services.create_survey(program=program, created_by=None,
                                    stage=Stage.AFTER_DEBRIEF, template=template())
    services.schedule_survey(survey=survey, scheduled_by=None)
    shared = Debrief.objects.create(cycle=CycleFactory(pairing=pairing), strengths="Calm",
                                    shared_at=timezone.now())
    Debrief.objects.create(cycle=CycleFactory(pairing=pairing), strengths="Draft only")

    services.tick()
    services.tick()

    assert list(survey.invitations.values_list("user_id", "occasion")) == [
        (program_people.mentee.pk, f"debrief-{shared.pk}")]


def test_after_a_group_session_invites_those_present(program_people, team,
                                                     clock_in_september):
    program = program_people.program
    survey = services.create_survey(program=program, created_by=None,
                                    stage=Stage.AFTER_SESSION, template=template())
    services.schedule_survey(survey=survey, scheduled_by=None)
    held = GroupSessionFactory(group=team, starts_at=timezone.now() - timedelta(hours=2))
    coming = GroupSessionFactory(group=team, starts_at=timezone.now() + timedelta(days=2))
    mentee = program.participants.get(user=program_people.mentee)
    mentor = program.participants.get(user=program_people.mentor)
    AttendanceFactory(session=held, participant=mentee, status="present")
    AttendanceFactory(session=held, participant=mentor, status="absent")
    AttendanceFactory(session=coming, participant=mentor, status="present")

    services.tick()
    services.tick()

    assert list(survey.invitations.values_list("user_id", "occasion", "group_id")) == [
        (program_people.mentee.pk, f"session-{held.pk}", team.pk)]


def test_a_link_answers_once(program_people, clock_in_september):
    survey = open_survey(program_people.program, None)
    invitation = survey.invitations.get()
    answers = {q.pk: 4 if q.is_number else "Fine" for q in survey.questions.all()}

    services.submit_response(invitation=invitation, answers=answers)
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(invitation=invitation, answers=answers)

    assert survey.responses.count() == 1
    invitation.refresh_from_db()
    assert invitation.answered_on == date(2026, 9, 8)


def test_anonymous_response_holds_nothing_that_identifies_the_person(program_people, team,
                                                                     clock_in_september):
    survey = open_survey(program_people.program, None)
    answer_all(survey, text="Quokka mornings went well")

    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "survey", "respondent", "submitted_on", "role", "school", "group",
                      "answers"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Response._meta.db_table}")
        columns = [c.name for c in cursor.description]
        (row,) = cursor.fetchall()
    stored = dict(zip(columns, row, strict=True))
    mentee = program_people.mentee
    invitation = Invitation.objects.get(survey=survey)
    assert stored["respondent_id"] is None
    # A random key, and the Monday of the week rather than the day or the time.
    assert len(str(stored["id"])) == 36
    assert stored["submitted_on"] == date(2026, 9, 7)
    assert not any(value in (mentee.pk, invitation.pk, mentee.email, mentee.display_name)
                   for name, value in stored.items() if name not in (
                       "survey_id", "school_id", "group_id"))
    for answer in Answer.objects.filter(response_id=stored["id"]):
        assert len(str(answer.pk)) == 36
    # And the invitation says only that they answered, and when.
    assert invitation.answered_on == date(2026, 9, 8)


def test_named_response_keeps_the_respondent(program_people, clock_in_september):
    survey = open_survey(program_people.program, None, anonymous=False)
    answer_all(survey)

    response = survey.responses.get()
    assert (response.respondent, response.submitted_on) == (program_people.mentee,
                                                            date(2026, 9, 8))


def test_multiple_choice_is_a_row_per_option(program_people, clock_in_september):
    survey = services.create_survey(program=program_people.program, created_by=None,
                                    stage=Stage.CUSTOM, opens_on=date(2026, 9, 1),
                                    closes_on=date(2026, 9, 30))
    question = services.add_question(survey=survey, added_by=None, kind="multiple",
                                     text="Which?", choices=["A", "B", "C"])
    services.schedule_survey(survey=survey, scheduled_by=None)

    services.submit_response(invitation=survey.invitations.get(),
                             answers={question.pk: ["A", "C"]})

    assert sorted(Answer.objects.values_list("choice", flat=True)) == ["A", "C"]


def test_closing_stops_the_links(program_people, clock_in_september):
    survey = open_survey(program_people.program, None)
    assert services.close_survey(survey=survey) is True
    assert services.close_survey(survey=survey) is False
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.CLOSED


def test_token_round_trip_and_forgery():
    class Invitation:
        pk = 42

    token = services.invitation_token(Invitation)
    assert services.invitation_pk_from_token(token) == 42
    assert services.invitation_pk_from_token(token[:-2] + "xx") is None
    assert services.invitation_pk_from_token("42") is None


def test_group_of_the_invited_is_kept_for_breakdowns(program_people, people):
    group = GroupFactory(program=program_people.program, name="Cohort A")
    GroupMembershipFactory(group=group, participant=program_people.program.participants.get(
        user=program_people.mentee))

    survey = services.create_survey(program=program_people.program, created_by=None,
                                    template=template(), opens_on=date(2026, 9, 1),
                                    closes_on=date(2026, 9, 30))
    services.invite_audience(survey=survey, now=timezone.now())

    assert list(survey.invitations.values_list("role", "school_id", "group_id")) == [
        ("mentee", people.school.pk, group.pk)]
    assert Question.objects.filter(survey=survey).count() == 5


def test_after_each_debrief_counts_the_districts_days(program_people, clock_in_september):
    """In Chicago a debrief shared at 9 pm on the eve of opening came before the survey, and
    one shared at 9:30 pm on the closing day came while it was open, though both are the
    next day in UTC."""
    program = program_people.program
    participants = program.participants
    pairing = PairingFactory(mentor=participants.get(user=program_people.mentor),
                             mentee=participants.get(user=program_people.mentee))
    survey = services.create_survey(program=program, created_by=None,
                                    stage=Stage.AFTER_DEBRIEF, template=template(),
                                    opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 8))
    services.schedule_survey(survey=survey, scheduled_by=None)
    utc = UTC
    before = Debrief.objects.create(cycle=CycleFactory(pairing=pairing), strengths="Early",
                                    shared_at=datetime(2026, 9, 1, 2, 0, tzinfo=utc))
    last_day = Debrief.objects.create(cycle=CycleFactory(pairing=pairing), strengths="Late",
                                      shared_at=datetime(2026, 9, 9, 2, 30, tzinfo=utc))

    services.tick(now=datetime(2026, 9, 9, 2, 45, tzinfo=utc))

    occasions = set(survey.invitations.values_list("occasion", flat=True))
    assert occasions == {f"debrief-{last_day.pk}"}
    assert f"debrief-{before.pk}" not in occasions
