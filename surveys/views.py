"""Survey pages: a program's surveys, the builder, sending and closing, answering through a
personal link, and the results. Surveys are found through `Survey.objects.visible_to`;
anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import record_read
from mentorship.exports import csv_response
from mentorship.shortcuts import add_service_error, invalid, require_perm
from programs.views.common import program_for

from . import services
from .forms import AnswerForm, NewSurveyForm, QuestionForm, SurveyForm
from .models import Invitation, Survey
from .permissions import results_scope
from .report import survey_report

PAGE_SIZE = 25


def survey_for(user, pk):
    return get_object_or_404(Survey.objects.visible_to(user).select_related(
        "program__district", "program__school"), pk=pk)


# A program's surveys -----------------------------------------------------------------------

@login_required
def program_surveys(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "surveys.view_program_surveys", program)
    surveys = (Survey.objects.visible_to(request.user).filter(program=program)
               .annotate(invited=Count("invitations"),
                         answered=Count("invitations",
                                        filter=Q(invitations__answered_on__isnull=False)))
               .order_by("-opens_on", "-pk"))
    return render(request, "surveys/program_surveys.html", {
        "program": program, "page": Paginator(surveys, PAGE_SIZE).get_page(
            request.GET.get("page")),
        "can_manage": request.user.has_perm("surveys.manage_surveys", program)})


@login_required
def survey_create(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "surveys.manage_surveys", program)
    form = NewSurveyForm(request.POST or None, program=program,
                         initial={"anonymous": True, "stage": ""})
    if request.method == "POST":
        if form.is_valid():
            try:
                survey = services.create_survey(program=program, created_by=request.user,
                                                **form.service_fields())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The survey is saved as a draft. Check its "
                                            "questions, then send it."))
                return redirect("surveys:survey-detail", survey.pk)
        return invalid(request, "surveys/survey_create.html", {"program": program,
                                                                "form": form})
    return render(request, "surveys/survey_create.html", {"program": program, "form": form})


# The builder -------------------------------------------------------------------------------

def _builder(request, survey, settings_form=None, question_form=None, status=200):
    context = {"program": survey.program, "survey": survey,
               "questions": list(survey.questions.all()),
               "invited": survey.invitations.count(),
               "settings_form": settings_form,
               "question_form": question_form}
    if survey.is_editable:
        context["settings_form"] = settings_form or SurveyForm(instance=survey,
                                                               program=survey.program)
        context["question_form"] = question_form or QuestionForm()
    return render(request, "surveys/survey_detail.html", context, status=status)


@login_required
def survey_detail(request, pk):
    """A survey's settings and questions: changed while a draft, then read."""
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.edit_survey", survey)
    if request.method == "POST":
        form = SurveyForm(request.POST, instance=Survey.objects.get(pk=survey.pk),
                          program=survey.program)
        if form.is_valid():
            data = form.service_fields()
            try:
                services.update_survey(survey=survey, changed_by=request.user, **data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The survey's settings are saved."))
                return redirect("surveys:survey-detail", survey.pk)
        return _builder(request, survey, settings_form=form, status=400)
    return _builder(request, survey)


@login_required
@require_POST
def question_add(request, pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.edit_survey", survey)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(survey=survey, added_by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect(f"{survey_url(survey)}#questions")
    return _builder(request, survey, question_form=form, status=400)


def survey_url(survey):
    return reverse("surveys:survey-detail", args=[survey.pk])


@login_required
def question_edit(request, pk, question_pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.edit_survey", survey)
    question = get_object_or_404(survey.questions, pk=question_pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit_question(question=question, edited_by=request.user,
                                       **form.service_fields())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The question is saved."))
                return redirect(f"{survey_url(survey)}#questions")
        return invalid(request, "surveys/question_edit.html",
                       {"program": survey.program, "survey": survey, "form": form})
    return render(request, "surveys/question_edit.html",
                  {"program": survey.program, "survey": survey, "form": form})


@login_required
@require_POST
def question_move(request, pk, question_pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.edit_survey", survey)
    question = get_object_or_404(survey.questions, pk=question_pk)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            services.move_question(question=question, moved_by=request.user, up=action == "up")
        elif action == "remove":
            services.remove_question(question=question, removed_by=request.user)
            messages.success(request, _("The question is removed."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{survey_url(survey)}#questions")


@login_required
@require_POST
def survey_send(request, pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.edit_survey", survey)
    try:
        survey = services.schedule_survey(survey=survey, scheduled_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("surveys:survey-detail", survey.pk)
    if survey.status == Survey.Status.OPEN:
        messages.success(request, _("The survey is open: everyone it asks has their "
                                    "personal link."))
    else:
        messages.success(request, _("The survey is scheduled: it opens on %(day)s.") % {
            "day": survey.opens_on})
    return redirect("surveys:survey-detail", survey.pk)


@login_required
@require_POST
def survey_close(request, pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.edit_survey", survey)
    if services.close_survey(survey=survey, closed_by=request.user):
        messages.success(request, _("The survey is closed: its links no longer take answers."))
    return redirect("surveys:survey-detail", survey.pk)


# Results -----------------------------------------------------------------------------------

def _report(request, survey):
    scope = results_scope(request.user, survey)
    return survey_report(survey, request.GET, scope=scope)


@login_required
def survey_results(request, pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.view_results", survey)
    report = _report(request, survey)
    return render(request, "surveys/survey_results.html", {
        "program": survey.program, "survey": survey, "report": report,
        "form": report["form"],
        "can_edit": request.user.has_perm("surveys.edit_survey", survey),
        "can_see_respondents": not survey.anonymous and request.user.has_perm(
            "surveys.view_respondents", survey)})


@login_required
def survey_export(request, pk):
    """The results as CSV, under the same rule as the page: nothing under the threshold."""
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.view_results", survey)
    report = _report(request, survey)
    return csv_response(_("%(survey)s results") % {"survey": survey.title},
                        [_("Section"), _("Question or group"), _("Answer"), _("Count"),
                         _("Average")], report_rows(report))


def report_rows(report):
    hidden = _("fewer than %(n)s") % {"n": report["threshold"]}
    yield [_("Invited"), "", "", report["invited"], ""]
    yield [_("Answered"), "", "", hidden if report["answered"] is None else report["answered"],
           ""]
    if report["one_filter"]:
        yield [_("Results"), _("Choose one of role, school or group at a time."), "", "", ""]
        return
    if not report["allowed"]:
        yield [_("Results"), _("Too few answers to show without pointing at anyone."), "",
               "", ""]
        return
    for item in report["questions"]:
        question = item["question"]
        for label, count in item["counts"]:
            yield [_("Question"), question.text, label, count, ""]
        if item["average"] is not None:
            yield [_("Question"), question.text, _("Average"), item["answered"],
                   item["average"]]
        for text in item["texts"]:
            yield [_("Question"), question.text, text, "", ""]
    for row in report["breakdown"]:
        yield [report["by_label"], row["label"], "",
               hidden if row["count"] is None else row["count"], ""]
        for question, average in zip(report["breakdown_questions"], row["averages"],
                                     strict=True):
            if average is not None:
                yield [report["by_label"], row["label"], question.text, "", average]


@login_required
def survey_respondents(request, pk):
    """Who answered a named survey, for those who run the program; never for an anonymous
    one."""
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.view_respondents", survey)
    if survey.anonymous:
        raise Http404
    responses = (survey.responses.select_related("respondent", "school")
                 .order_by("respondent__display_name", "submitted_on", "id"))
    waiting = survey.invitations.unanswered().count()
    return render(request, "surveys/survey_respondents.html", {
        "program": survey.program, "survey": survey, "waiting": waiting,
        "page": Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))})


@login_required
def response_detail(request, pk, response_pk):
    survey = survey_for(request.user, pk)
    require_perm(request.user, "surveys.view_respondents", survey)
    if survey.anonymous:
        raise Http404
    response = get_object_or_404(survey.responses.select_related("respondent"),
                                 pk=response_pk)
    if response.respondent_id:
        # The log keeps numbered records: a person's answers are named by their survey.
        record_read(request.user, survey, owner=response.respondent)
    answers = {}
    for answer in response.answers.all():
        answers.setdefault(answer.question_id, []).append(answer)
    rows = [(question, answers.get(question.pk, [])) for question in survey.questions.all()]
    return render(request, "surveys/response_detail.html", {
        "program": survey.program, "survey": survey, "response": response, "rows": rows})


# Answering ---------------------------------------------------------------------------------

@never_cache
def answer(request, token):
    """The personal link. Anonymous surveys are answered without signing in; a named
    survey asks the invitee to sign in as themselves. It works once: after the answer it
    says thank you."""
    pk = services.invitation_pk_from_token(token)
    invitation = (Invitation.objects.select_related("survey__program__district", "user")
                  .filter(pk=pk).first() if pk else None)
    if invitation is None:
        raise Http404
    survey = invitation.survey
    context = {"survey": survey, "invitation": invitation}
    if not survey.anonymous:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.pk != invitation.user_id:
            return render(request, "surveys/answer_not_yours.html", context, status=403)
    if invitation.answered_on is not None:
        return render(request, "surveys/answered.html", context)
    today = context["today"] = services.district_today(survey.program)
    if survey.status != Survey.Status.OPEN or survey.closes_on < today:
        return render(request, "surveys/answer_closed.html", context)
    form = AnswerForm(request.POST or None, questions=survey.questions.all())
    context["form"] = form
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_response(invitation=invitation, answers=form.answers())
            except services.AlreadyAnswered:
                return render(request, "surveys/answered.html", context)
            return redirect("surveys:answer", token)
        return invalid(request, "surveys/answer.html", context)
    return render(request, "surveys/answer.html", context)

