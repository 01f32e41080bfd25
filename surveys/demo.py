"""Surveys of the demo district (`manage.py seed_demo`, after the observations): the
induction program has one survey per shipped template. The baseline survey of mentees is
closed with most answers in, the mid-year one is open with some answers (the demo mentee's
is still waiting, so their home page lists it), the end-of-year one is scheduled, mentors
answered the mentor experience survey, and the program feedback survey is a draft. A survey
is found by its program and template, so a second run changes nothing."""

from django.utils import timezone

from accounts.models import User
from programs.demo import MENTEE
from programs.models import Participant, Program

from . import services
from .models import Survey, SurveyTemplate
from .shipped import ensure_shipped_templates

PROGRAM = "New Teacher Induction"
# template key: (status, share of the invited who answered, first answer to number questions)
PLAN = {
    "mentee-baseline": (Survey.Status.CLOSED, 0.9, 2),
    "mentee-mid-year": (Survey.Status.OPEN, 0.6, 3),
    "mentee-end-of-year": (Survey.Status.SCHEDULED, 0, 0),
    "mentor-experience": (Survey.Status.OPEN, 0.7, 3),
    "program-feedback": (Survey.Status.DRAFT, 0, 0),
}


def seed_surveys(demo):
    ensure_shipped_templates()
    program = Program.objects.filter(district=demo.district, name=PROGRAM).first()
    if program is None:
        return demo
    coordinator = (program.participants.filter(role=Participant.Role.COORDINATOR)
                   .select_related("user").first())
    by = coordinator.user if coordinator else None
    existing = set(program.surveys.values_list("template__key", flat=True))
    now = timezone.now()
    mentee_id = User.objects.filter(email=MENTEE).values_list("pk", flat=True).first()
    for template in SurveyTemplate.objects.filter(key__in=list(PLAN)).order_by("pk"):
        if template.key in existing:
            continue
        status, share, low = PLAN[template.key]
        survey = services.create_survey(program=program, created_by=by, template=template)
        demo.created["survey"] += 1
        if status == Survey.Status.DRAFT:
            continue
        # Dates come from the program's calendar and may lie behind today: set the state
        # the story needs rather than sending through the coordinator's checks.
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.SCHEDULED)
        if status == Survey.Status.SCHEDULED:
            continue
        services.open_survey(survey_id=survey.pk, now=now)
        _answer(survey, share, low, keep_waiting=mentee_id)
        if status == Survey.Status.CLOSED:
            services.close_survey(survey=survey, closed_by=by, now=now)
    return demo


def _answer(survey, share, low, keep_waiting):
    questions = list(survey.questions.all())
    invitations = list(survey.invitations.order_by("user__email"))
    answering = [i for i in invitations if i.user_id != keep_waiting or
                 survey.stage == "baseline"][:round(len(invitations) * share)]
    for index, invitation in enumerate(answering):
        answers = {}
        for question in questions:
            if question.is_number:
                top = 5 if question.kind == "likert" else 10
                answers[question.pk] = min(top, low + index % 3)
            elif question.is_choice:
                option = question.choices[index % len(question.choices)]
                answers[question.pk] = [option] if question.kind == "multiple" else option
            elif index % 2 == 0:
                answers[question.pk] = [
                    "Weekly check-ins with my mentor, and seeing another classroom.",
                    "Having someone to ask before a hard parent conversation.",
                    "Planning the first week of a unit together.",
                ][index // 2 % 3]
        services.submit_response(invitation=invitation, answers=answers)
