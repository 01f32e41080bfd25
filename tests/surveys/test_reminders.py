"""Survey invitations and reminders, as the notifications app plans them: the personal link
in each, reminders 3 and 7 days on to people who have not answered, the same keys on every
run, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.reminders import kinds
from surveys import reminders, services
from tests.reminders import render
from tests.surveys.factories import answer_all, mentees, open_survey

pytestmark = pytest.mark.django_db


def run(source, now=None):
    return list(source(now or timezone.now()))




def test_both_kinds_are_registered_and_may_be_turned_off():
    assert kinds["survey-invitation"].source is reminders.survey_invitations
    assert kinds["survey-reminder"].source is reminders.survey_reminders
    assert kinds["survey-invitation"].optional and kinds["survey-reminder"].optional


def test_invitation_holds_the_personal_link(program_people, clock_in_september):
    survey = open_survey(program_people.program, None)
    invitation = survey.invitations.get()

    (message,) = run(reminders.survey_invitations)

    assert message.key == f"survey-invitation:invitation-{invitation.pk}"
    assert message.user_id == program_people.mentee.pk
    assert message.url == reverse("surveys:answer",
                                  args=[services.invitation_token(invitation)])
    assert run(reminders.survey_invitations) == [message]
    subject, text, html = render(message)
    assert subject.strip() == ("A survey for you: Mentee confidence and satisfaction: start "
                               "of year")
    assert "https://example.org" + message.url in text
    assert "anonymous" in html


def test_reminders_on_day_3_and_7_until_answered(program_people, people, time_machine):
    time_machine.move_to("2026-09-08 15:00:00Z")
    others = mentees(program_people.program, people.school, 1)
    survey = open_survey(program_people.program, None)
    assert run(reminders.survey_reminders) == []

    time_machine.move_to("2026-09-11 16:00:00Z")
    day3 = run(reminders.survey_reminders)
    assert sorted(m.key.rsplit(":", 1)[1] for m in day3) == ["day-3", "day-3"]
    assert run(reminders.survey_invitations) == []

    services.submit_response(invitation=survey.invitations.get(user=others[0]), answers={
        q.pk: 3 for q in survey.questions.filter(kind__in=["likert", "scale"])})
    time_machine.move_to("2026-09-15 16:00:00Z")
    (day7,) = run(reminders.survey_reminders)
    assert day7.user_id == program_people.mentee.pk
    assert day7.key.endswith(":day-7")
    assert "not answered" in render(day7)[1]

    # Once the survey has closed, nothing more.
    time_machine.move_to("2026-10-01 16:00:00Z")
    services.tick()
    assert run(reminders.survey_reminders) == []


def test_sources_read_a_fixed_number_of_queries(program_people, people, clock_in_september):
    def queries(n):
        mentees(program_people.program, people.school, n)
        open_survey(program_people.program, None)
        with CaptureQueriesContext(connection) as captured:
            messages = run(reminders.survey_invitations) + run(
                reminders.survey_reminders, timezone.now() + timedelta(days=4))
        return len(captured), len(messages)

    small, large = queries(1), queries(10)
    assert small[0] == large[0]
    assert large[1] > small[1]


def test_nothing_for_those_who_answered(program_people, clock_in_september):
    survey = open_survey(program_people.program, None)
    answer_all(survey)

    assert run(reminders.survey_invitations) == []
    assert run(reminders.survey_reminders, timezone.now() + timedelta(days=4)) == []
