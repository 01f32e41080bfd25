from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mentorship.shortcuts import invalid, require_perm

from ..forms.participants import ApplicationForm, DecisionForm
from ..models import Application, Participant
from ..services.participants import apply as apply_to_program
from ..services.participants import decide_application
from .common import program_for

PAGE_SIZE = 25


@login_required
def apply(request, pk):
    program = program_for(request.user, pk)
    require_perm(request.user, "programs.apply", program)
    form = ApplicationForm(data=request.POST or None, program=program, user=request.user)
    context = {"program": program, "form": form}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                apply_to_program(
                    program, request.user, data["role"], form.save(commit=False),
                    subjects=data["subjects"], focus_areas=data["focus_areas"],
                    preferred_mentors=data.get("preferred_mentors", ()))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your application is in. You will see the "
                                            "decision on this page."))
                return redirect("programs:detail", program.pk)
        return invalid(request, "programs/apply.html", context)
    return render(request, "programs/apply.html", context)


def reviewable_applications(request, program):
    require_perm(request.user, "programs.review_applications", program)
    # A reviewer's own application is decided by someone else.
    return (Application.objects
            .filter(participant__in=Participant.objects.visible_to(request.user, program))
            .exclude(participant__user=request.user)
            .select_related("participant__user", "participant__school"))


@login_required
def application_list(request, pk):
    program = program_for(request.user, pk)
    applications = reviewable_applications(request, program)
    show = request.GET.get("show", "open")
    if show == "decided":
        applications = applications.filter(decided_at__isnull=False, participant__status__in=[
            Participant.Status.ACTIVE, Participant.Status.DECLINED])
    else:
        applications = applications.filter(participant__status__in=[
            Participant.Status.APPLIED, Participant.Status.WAITLISTED])
    applications = applications.prefetch_related(
        "preferred_mentors__user").order_by("submitted_at", "pk")
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/application_list.html",
                  {"program": program, "page": page, "show": show})


@login_required
def application_detail(request, program_pk, pk):
    program = program_for(request.user, program_pk)
    application = get_object_or_404(
        reviewable_applications(request, program).prefetch_related(
            "subjects", "focus_areas", "preferred_mentors__user", "preferred_mentors__school"),
        pk=pk)
    if application.participant.status == Participant.Status.WITHDRAWN:
        raise Http404
    form = DecisionForm(request.POST or None)
    context = {"program": program, "application": application, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                decide_application(application, form.cleaned_data["decision"],
                                   request.user, form.cleaned_data["message"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Decision saved for %(person)s.")
                                 % {"person": application.participant.user})
                return redirect("programs:applications", program.pk)
        return invalid(request, "programs/application_detail.html", context)
    return render(request, "programs/application_detail.html", context)
