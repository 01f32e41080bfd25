"""Check-ins and their next steps: the pair's own. Only the mentor and the mentee of a
pairing schedule, record or read them; to anyone else, coordinators and admins included,
these pages do not exist (404). Those who run the program see on the pairing's page that a
check-in happened, when and for how long, never what was said."""

from contextlib import contextmanager
from copy import copy
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import add_service_error, invalid, require_perm

from ..extensions import render_checkin_panels
from ..forms.checkins import CheckInForm, RecordForm, next_step_formset
from ..models import CheckIn, NextStep, Pairing
from ..services import checkins as services
from ..services.checkins import NextStepDraft

# Open next steps of earlier check-ins shown on the record page, soonest due first.
OPEN_STEPS_SHOWN = 25

PAIRING_RELATED = ["pairing__program__district", "pairing__mentor__user",
                   "pairing__mentee__user"]


def pairing_for(user, pk):
    """A pairing this person is one of the pair of (never a proposal)."""
    pairings = Pairing.objects.of_user(user).select_related(
        "program__district", "mentor__user", "mentee__user")
    return get_object_or_404(pairings, pk=pk)


def checkin_for(user, pk):
    """A check-in of one of this person's pairings."""
    return get_object_or_404(CheckIn.objects.of_user(user).select_related(
        *PAIRING_RELATED, "scheduled_by", "recorded_by"), pk=pk)


@contextmanager
def district_time(pairing):
    """Times typed and shown are the district's local time."""
    with timezone.override(ZoneInfo(pairing.program.district.time_zone)):
        yield


def pairing_url(pairing):
    return reverse("pairing:pairing-detail", args=[pairing.pk])


def _still_scheduled(request, checkin):
    """Only a scheduled check-in is changed or recorded; otherwise say so on its page."""
    if checkin.status == CheckIn.Status.SCHEDULED:
        return None
    messages.info(request, _("This check-in is marked “%(status)s”; it can no longer be "
                             "changed.") % {"status": checkin.get_status_display()})
    return redirect("pairing:checkin-detail", checkin.pk)


def _refused_on_opening(request, pairing, checkin=None):
    """Opening a form that can no longer be used sends the reader back with the reason. A
    form already filled in goes on to the service, whose refusal shows above it with all
    that was typed (the pairing may have been paused, or the partner recorded it first)."""
    if request.method == "POST":
        # A second click on a form this person already saved lands on what was saved.
        if checkin is not None and checkin.recorded_by_id == request.user.pk:
            return _still_scheduled(request, checkin)
        return None
    if checkin is not None and (answer := _still_scheduled(request, checkin)) is not None:
        return answer
    if not request.user.has_perm("pairing.schedule_checkin", pairing):
        messages.info(request, _("Check-ins are scheduled and recorded only while the "
                                 "pairing is active."))
        return redirect(pairing_url(pairing))
    return None


# Scheduling

def _schedule_context(pairing, form, checkin=None):
    return {"pairing": pairing, "program": pairing.program, "form": form, "checkin": checkin}


@login_required
def checkin_create(request, pk):
    pairing = pairing_for(request.user, pk)
    if (answer := _refused_on_opening(request, pairing)) is not None:
        return answer
    zone = pairing.program.district.time_zone
    with district_time(pairing):
        form = CheckInForm(request.POST or None, zone_name=zone)
        context = _schedule_context(pairing, form)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.schedule_checkin(pairing=pairing, scheduled_by=request.user,
                                              **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("The check-in is scheduled."))
                    return redirect(pairing_url(pairing))
            return invalid(request, "pairing/checkins/checkin_form.html", context)
        return render(request, "pairing/checkins/checkin_form.html", context)


@login_required
def checkin_edit(request, pk):
    checkin = checkin_for(request.user, pk)
    pairing = checkin.pairing
    if (answer := _refused_on_opening(request, pairing, checkin)) is not None:
        return answer
    with district_time(pairing):
        # The form works on a copy, so the page keeps the saved time while showing errors.
        form = CheckInForm(request.POST or None, instance=copy(checkin),
                           zone_name=pairing.program.district.time_zone)
        context = _schedule_context(pairing, form, checkin)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.reschedule_checkin(checkin=checkin, changed_by=request.user,
                                                **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("The check-in is saved. Calendars that "
                                                "subscribed to it will show the change."))
                    return redirect(pairing_url(pairing))
            return invalid(request, "pairing/checkins/checkin_form.html", context)
        return render(request, "pairing/checkins/checkin_form.html", context)


@login_required
@require_POST
def checkin_cancel(request, pk):
    checkin = checkin_for(request.user, pk)
    pairing = checkin.pairing
    require_perm(request.user, "pairing.schedule_checkin", pairing)
    if (answer := _still_scheduled(request, checkin)) is not None:
        return answer
    try:
        services.cancel_checkin(checkin=checkin, cancelled_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pairing:checkin-detail", checkin.pk)
    messages.success(request, _("The check-in is cancelled. It stays in the pairing’s "
                                "history."))
    return redirect(pairing_url(pairing))


# Reading and recording

@login_required
def checkin_detail(request, pk):
    checkin = checkin_for(request.user, pk)
    pairing = checkin.pairing
    with district_time(pairing):
        return render(request, "pairing/checkins/checkin_detail.html", {
            "checkin": checkin, "pairing": pairing, "program": pairing.program,
            "next_steps": list(checkin.next_steps.order_by("due_on", "pk")),
            "can_change": (checkin.status == CheckIn.Status.SCHEDULED
                           and request.user.has_perm("pairing.schedule_checkin", pairing)),
            "has_started": checkin.scheduled_at <= timezone.now(),
            "panels": render_checkin_panels(request, checkin),
        })


def _open_steps(pairing, checkin):
    steps = (NextStep.objects.open().filter(checkin__pairing=pairing)
             .exclude(checkin=checkin).order_by("due_on", "pk"))
    shown = list(steps[:OPEN_STEPS_SHOWN + 1])
    return shown[:OPEN_STEPS_SHOWN], len(shown) > OPEN_STEPS_SHOWN


@login_required
def checkin_record(request, pk):
    checkin = checkin_for(request.user, pk)
    pairing = checkin.pairing
    if (answer := _refused_on_opening(request, pairing, checkin)) is not None:
        return answer
    form = RecordForm(request.POST or None, checkin=checkin)
    formset = next_step_formset(pairing, request.POST or None)
    open_steps, more_open = _open_steps(pairing, checkin)
    context = {"checkin": checkin, "pairing": pairing, "program": pairing.program,
               "form": form, "formset": formset, "open_steps": open_steps,
               "more_open_steps": more_open}
    with district_time(pairing):
        if request.method == "POST":
            valid = form.is_valid()
            if formset.is_valid() and valid:
                # Passed even when it was missed: the service says why they cannot stay.
                steps = [NextStepDraft(description=row.cleaned_data["description"],
                                       owner=row.owner_user(), due_on=row.cleaned_data["due_on"])
                         for row in formset.filled()]
                try:
                    services.record_checkin(checkin=checkin, recorded_by=request.user,
                                            next_steps=steps, **form.service_data())
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("The check-in is recorded.") if form.held
                                     else _("The check-in is recorded as missed."))
                    return redirect(pairing_url(pairing))
            return invalid(request, "pairing/checkins/checkin_record.html", context)
        return render(request, "pairing/checkins/checkin_record.html", context)


# Next steps

@login_required
@require_POST
def next_step_done(request, pk):
    step = get_object_or_404(
        NextStep.objects.select_related("checkin", *[f"checkin__{f}" for f in PAIRING_RELATED])
        .filter(checkin__in=CheckIn.objects.of_user(request.user)), pk=pk)
    pairing = step.checkin.pairing
    if not pairing.is_open:
        raise Http404
    done = request.POST.get("done") == "1"
    services.set_next_step_done(step=step, by=request.user, done=done)
    back = request.POST.get("next", "")
    if request.htmx:
        with district_time(pairing):
            return render(request, "pairing/checkins/includes/next_step.html", {
                "step": step, "pairing": pairing, "next": back, "just_changed": True})
    messages.success(request, _("“%(step)s” is marked done.") % {"step": step.description}
                     if done else _("“%(step)s” is open again.") % {"step": step.description})
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("pairing:checkin-detail", args=[step.checkin_id])
    return redirect(back)
