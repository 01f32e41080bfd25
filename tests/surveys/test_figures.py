from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import figures, services
from tests.surveys.factories import answer_all, mentees, open_survey

pytestmark = pytest.mark.django_db


def test_response_rates_per_program(program_people, people, clock_in_september):
    program = program_people.program
    mentees(program, people.school, 3)
    survey = open_survey(program, None)
    invitation = survey.invitations.first()
    services.submit_response(invitation=invitation, answers={})

    assert figures.response_rates([program.pk, program_people.other_program.pk]) == {
        program.pk: (4, 1), program_people.other_program.pk: (0, 0)}


def test_confidence_mean_by_stage_suppressed_under_the_threshold(program_people, people,
                                                                 time_machine):
    program = program_people.program
    time_machine.move_to("2026-09-08 15:00:00Z")
    mentees(program, people.school, 5)
    answer_all(open_survey(program, None, key="mentee-baseline"), value=2)
    time_machine.move_to("2027-01-20 15:00:00Z")
    mid = open_survey(program, None, key="mentee-mid-year", opens_on=date(2027, 1, 13),
                      closes_on=date(2027, 2, 3))
    # Only three answer at mid-year: under the threshold of 5.
    for invitation in mid.invitations.all()[:3]:
        services.submit_response(invitation=invitation, answers={
            q.pk: 4 for q in mid.questions.filter(kind="likert")})

    with CaptureQueriesContext(connection) as queries:
        means = figures.likert_means_by_stage([program.pk])

    assert means == {program.pk: {"baseline": 2.0, "mid_year": None, "end_of_year": None}}
    assert len(queries) == 2
