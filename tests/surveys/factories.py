from datetime import date

import factory

from programs.models import Participant
from surveys import services
from surveys.models import Question, QuestionKind, Survey, SurveyTemplate
from tests import factories
from tests.programs.factories import ParticipantFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    program = None
    title = factory.Sequence(lambda n: f"Survey {n}")
    stage = "custom"
    opens_on = date(2026, 9, 1)
    closes_on = date(2026, 9, 30)
    audience_roles = ["mentee"]
    anonymous = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = QuestionKind.LIKERT
    text = factory.Sequence(lambda n: f"Question {n}")
    required = True
    position = factory.Sequence(lambda n: n)


def template(key="mentee-baseline"):
    return SurveyTemplate.objects.get(key=key)


def mentees(program, school, n, **kwargs):
    """n more active mentees of the program, teachers at `school`."""
    return [ParticipantFactory(program=program, user=factories.teacher(school),
                               role=Participant.Role.MENTEE, **kwargs).user
            for _ in range(n)]


def open_survey(program, by, key="mentee-baseline", **kwargs):
    """A survey made from a shipped template and sent: open, its audience invited."""
    kwargs.setdefault("opens_on", date(2026, 9, 1))
    kwargs.setdefault("closes_on", date(2026, 9, 30))
    survey = services.create_survey(program=program, created_by=by, template=template(key),
                                    **kwargs)
    return services.schedule_survey(survey=survey, scheduled_by=by)


def answer_all(survey, value=4, text="Routines at the door helped."):
    """Every invitation of the survey answered: `value` to number questions, the first
    choice, and `text`."""
    for invitation in survey.invitations.unanswered():
        answers = {}
        for q in survey.questions.all():
            if q.is_number:
                answers[q.pk] = value
            elif q.is_choice:
                answers[q.pk] = [q.choices[0]] if q.kind == "multiple" else q.choices[0]
            else:
                answers[q.pk] = text
        services.submit_response(invitation=invitation, answers=answers)
