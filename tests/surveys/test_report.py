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


def test_one_mentees_answers_after_five_debriefs_are_not_five_people(program_people):
    from django.utils import timezone

    from observations.models import Debrief
    from tests.observations.factories import CycleFactory
    from tests.pairing.factories import PairingFactory
    from tests.surveys.factories import template

    program = program_people.program
    pairing = PairingFactory(mentor=program.participants.get(user=program_people.mentor),
                             mentee=program.participants.get(user=program_people.mentee))
    survey = services.create_survey(program=program, created_by=None,
                                    stage=Stage.AFTER_DEBRIEF, template=template(
                                        "program-feedback"))
    services.schedule_survey(survey=survey, scheduled_by=None)
    for _ in range(5):
        Debrief.objects.create(cycle=CycleFactory(pairing=pairing), strengths="Calm",
                               shared_at=timezone.now())
    services.tick()
    for invitation in survey.invitations.all():
        services.submit_response(invitation=invitation, answers={
            q.pk: 4 if q.is_number else "Quokka mornings" for q in survey.questions.all()})
    assert survey.responses.count() == 5

    report = report_module.survey_report(survey, QueryDict())

    assert not report["allowed"]
    assert report["questions"] == []
