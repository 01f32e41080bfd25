"""The results' written answers: each text question shows its own, up to the page's
limit, whatever another question holds."""

from datetime import date

import pytest
from django.http import QueryDict

from surveys import report as report_module
from surveys import services
from surveys.models import Stage
from tests.surveys.factories import mentees

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_in_september")]


def test_each_text_question_shows_its_own_answers(program_people, people, monkeypatch):
    program = program_people.program
    mentees(program, people.school, 5)
    survey = services.create_survey(program=program, created_by=None, stage=Stage.CUSTOM,
                                    opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 30))
    first = services.add_question(survey=survey, added_by=None, kind="long_text",
                                  text="What helped?")
    second = services.add_question(survey=survey, added_by=None, kind="long_text",
                                   text="What would you change?")
    services.schedule_survey(survey=survey, scheduled_by=None)
    for n, invitation in enumerate(survey.invitations.all()):
        services.submit_response(invitation=invitation, answers={
            first.pk: f"Helped {n}", second.pk: f"Change {n}"})
    monkeypatch.setattr(report_module, "TEXTS_SHOWN", 3)

    report = report_module.survey_report(survey, QueryDict())

    texts = {item["question"].pk: item["texts"] for item in report["questions"]}
    assert len(texts[first.pk]) == 3 and len(texts[second.pk]) == 3
    assert all(text.startswith("Change") for text in texts[second.pk])
