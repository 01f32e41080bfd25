"""Pairings: the program's list, a pairing's page, its lifecycle and rematch requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm
from programs.permissions import coordinates
from programs.views.common import program_for

from ..forms.pairings import (
    PairingFilterForm,
    PairingStatusForm,
    RematchAnswerForm,
    RematchRequestForm,
)
from ..models import CheckIn, NextStep, Pairing, PairingEvent, RematchRequest
from ..services import pairings as service

PAGE_SIZE = 25
CHECKINS_PER_PAGE = 20
FILTERS = {
    "open": Q(status__in=Pairing.OPEN_STATUSES),
    "ended": Q(status=Pairing.Status.ENDED),
    "all": ~Q(status=Pairing.Status.PROPOSED),
}


def pairing_for(user, pk):
    pairings = Pairing.objects.visible_to(user).exclude(status=Pairing.Status.PROPOSED)
    return get_object_or_404(pairings.select_related(
        "program__district", "program__school", "mentor__user", "mentor__school",
        "mentee__user", "mentee__school"), pk=pk)


@login_required
def pairing_list(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "pairing.view_pairings", program)
    today = timezone.localdate()
    coordinator = coordinates(request.user, program)
    form = PairingFilterForm(request.GET or None, coordinator=coordinator)
    show = form.value("show", "open")
    pairings = Pairing.objects.visible_to(request.user).filter(program=program)
    if show == "overdue":
        pairings = pairings.overdue(today)
    else:
        pairings = pairings.filter(FILTERS.get(show, FILTERS["open"]))
    pairings = (pairings
                .select_related("mentor__user", "mentor__school", "mentee__user",
                                "mentee__school")
                .annotate(last_held=Max("checkins__scheduled_at",
                                        filter=Q(checkins__status=CheckIn.Status.HELD)))
                .order_by("next_checkin_due_on", "mentee__user__display_name", "pk"))
    if coordinator:
        pairings = pairings.annotate(rematch_asked=Exists(
            RematchRequest.objects.waiting_for(request.user).filter(pairing=OuterRef("pk"))))
        if show == "rematch":
            pairings = pairings.filter(rematch_asked=True)
    if query := form.value("q", "").strip():
        pairings = pairings.filter(Q(mentor__user__display_name__icontains=query)
                                   | Q(mentee__user__display_name__icontains=query))
    page = Paginator(pairings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pairing/pairing_list.html", {
        "program": program, "page": page, "form": form, "today": today})


@login_required
def pairing_detail(request, pk):
    pairing = pairing_for(request.user, pk)
    user = request.user
    in_pair = user.has_perm("pairing.read_pair_notes", pairing)
    manages = user.has_perm("pairing.manage_pairing", pairing)
    checkins = pairing.checkins.all()
    if in_pair:
        checkins = checkins.prefetch_related(Prefetch(
            "next_steps", queryset=NextStep.objects.select_related("owner")))
    page = Paginator(checkins, CHECKINS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "program": pairing.program, "pairing": pairing, "in_pair": in_pair,
        "manages": manages, "today": timezone.localdate(),
        "page": page, "checkins": page.object_list, "can_read_notes": in_pair,
        "can_schedule": user.has_perm("pairing.schedule_checkin", pairing),
    }
    if in_pair:
        context["my_requests"] = pairing.rematch_requests.filter(requested_by=user)
        if user.has_perm("pairing.request_rematch", pairing):
            context["rematch_form"] = RematchRequestForm()
    if manages:
        events = pairing.events.select_related("by")
        context["reads_requests"] = user.has_perm("pairing.read_rematch_requests", pairing)
        if context["reads_requests"]:
            context["requests"] = pairing.rematch_requests.select_related("requested_by",
                                                                         "answered_by")
            if pairing.is_open:
                context["answer_form"] = RematchAnswerForm()
        else:
            events = events.exclude(kind__in=PairingEvent.REMATCH_KINDS)
        context["events"] = events
        if pairing.is_open:
            context["status_form"] = PairingStatusForm(pairing=pairing)
    return render(request, "pairing/pairing_detail.html", context)


@login_required
@require_POST
def pairing_status(request, pk):
    pairing = pairing_for(request.user, pk)
    require_perm(request.user, "pairing.manage_pairing", pairing)
    form = PairingStatusForm(request.POST, pairing=pairing)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "pause":
                changed = service.pause_pairing(pairing, request.user, note=data["note"])
            elif data["action"] == "resume":
                changed = service.resume_pairing(pairing, request.user, note=data["note"])
            else:
                changed = service.end_pairing(pairing, request.user, reason=data["reason"],
                                              note=data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status = changed.get_status_display().lower()
            messages.success(request, _("The pairing is now %(status)s.") % {"status": status}
                             if data["action"] == "resume" else
                             _("The pairing is now %(status)s. Check-ins still to come are "
                               "cancelled, in both people's calendars too.") % {"status": status})
            return redirect("pairing:pairing-detail", pairing.pk)
    return invalid(request, "pairing/pairing_status.html",
                   {"program": pairing.program, "pairing": pairing, "form": form})


@login_required
@require_POST
def rematch_request(request, pk):
    pairing = pairing_for(request.user, pk)
    # One of the pair: a pairing ended meanwhile is refused by the service, next to the
    # reason they typed.
    require_perm(request.user, "pairing.read_pair_notes", pairing)
    form = RematchRequestForm(request.POST)
    if form.is_valid():
        try:
            service.request_rematch(pairing, request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request went to the program's coordinators. "
                                        "Your partner does not see it."))
            return redirect("pairing:pairing-detail", pairing.pk)
    return invalid(request, "pairing/rematch_request.html",
                   {"program": pairing.program, "pairing": pairing, "form": form})


@login_required
@require_POST
def rematch_answer(request, pk):
    rematch = get_object_or_404(RematchRequest.objects.select_related("pairing"), pk=pk)
    pairing = pairing_for(request.user, rematch.pairing_id)
    require_perm(request.user, "pairing.read_rematch_requests", pairing)
    form = RematchAnswerForm(request.POST)
    if form.is_valid():
        try:
            service.answer_rematch(rematch, request.user,
                                   rematch=form.cleaned_data["decision"] == "rematch",
                                   answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("pairing:pairing-detail", pairing.pk)
    return invalid(request, "pairing/rematch_answer.html",
                   {"program": pairing.program, "pairing": pairing, "rematch": rematch,
                    "form": form})
