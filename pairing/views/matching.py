"""The matching screen: settings, exclusions, a run's proposals under review, approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm
from programs.models import Group, Participant
from programs.views.common import program_for

from ..forms.matching import (
    ChooseMentorForm,
    ExclusionForm,
    LockForm,
    MatchingSettingsForm,
    RunForm,
    SwapForm,
)
from ..models import Exclusion, MatchingRun, Pairing
from ..permissions import matching_school
from ..services import matching as service
from ..services.matching import REMOVED_BY_HAND

PAGE_SIZE = 50
UNMATCHED_SHOWN = 100


def _matching_program(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "pairing.match", program)
    return program, matching_school(request.user, program)


def _runs(program, school):
    return MatchingRun.objects.filter(program=program, school_id=school)


def _open_run(program, school, pk):
    return get_object_or_404(_runs(program, school).filter(state=MatchingRun.State.OPEN), pk=pk)


def _proposals(run=None):
    proposals = Pairing.objects.filter(status=Pairing.Status.PROPOSED).select_related(
        "mentor__user", "mentor__school", "mentee__user", "mentee__school")
    return proposals if run is None else proposals.filter(run=run)


def _unmatched(run):
    """Who the run left without a partner, with the reason, at most UNMATCHED_SHOWN."""
    proposed = set()
    for mentor_id, mentee_id in _proposals(run).values_list("mentor_id", "mentee_id"):
        proposed |= {mentor_id, mentee_id}
    if run.kind == MatchingRun.Kind.GROUPS:
        proposed = {p["participant"] for p in run.placements}
    reasons = {int(pk): reason for pk, reason in run.unmatched.items()
               if int(pk) not in proposed}
    shown = sorted(reasons)[:UNMATCHED_SHOWN]
    people = Participant.objects.filter(pk__in=shown).select_related("user", "school")
    labels = {**dict(service.engine.Unmatched.choices),
              REMOVED_BY_HAND: _("Taken out of the proposals by hand.")}
    return len(reasons), [(p, labels.get(reasons[p.pk], reasons[p.pk])) for p in people]


def _placements(run, page_number):
    """One page of a group run's placements, with each person and group."""
    page = Paginator(run.placements, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    people = {p.pk: p for p in Participant.objects.filter(
        pk__in=[p["participant"] for p in rows]).select_related("user", "school")}
    groups = dict(Group.objects.filter(program=run.program).values_list("pk", "name"))
    page.object_list = [{**p, "person": people.get(p["participant"]),
                         "group_name": groups.get(p["group"])}
                        for p in rows if p["participant"] in people]
    return page


def _criteria():
    return list(service.engine.Criterion)


@login_required
def matching(request, program_pk):
    program, school = _matching_program(request, program_pk)
    run = _runs(program, school).filter(state=MatchingRun.State.OPEN).first()
    context = {"program": program, "school": school, "run": run,
               "settings": service.settings_for(program), "criteria": _criteria(),
               "run_form": RunForm(kinds=service.kinds_for(program)),
               "past_runs": _runs(program, school).exclude(state=MatchingRun.State.OPEN)[:5]}
    if run is not None:
        if run.kind == MatchingRun.Kind.GROUPS:
            context["page"] = _placements(run, request.GET.get("page"))
        else:
            proposals = _proposals(run).order_by("mentee__user__display_name", "pk")
            context["page"] = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
        context["proposal_count"] = context["page"].paginator.count
        context["unmatched_count"], context["unmatched"] = _unmatched(run)
    return render(request, "pairing/matching.html", context)


@login_required
def settings_edit(request, program_pk):
    program, _school = _matching_program(request, program_pk)
    require_perm(request.user, "programs.manage_program", program)
    current = service.settings_for(program)
    form = MatchingSettingsForm(request.POST or None, matching=current)
    context = {"program": program, "form": form}
    if request.method == "POST":
        if form.is_valid():
            service.save_settings(program, request.user, weights=form.weights(),
                                  prefer_same_school=form.cleaned_data["prefer_same_school"],
                                  reverse=form.cleaned_data["reverse"])
            messages.success(request, _("Matching settings saved. They count from the next "
                                        "run."))
            return redirect("pairing:matching", program.pk)
        return invalid(request, "pairing/matching_settings.html", context)
    return render(request, "pairing/matching_settings.html", context)


def _exclusions(program, school):
    """The program's exclusions a matcher may see: a school's rep, those between two of
    their school's people."""
    rows = Exclusion.objects.active().filter(program=program)
    if school is not None:
        people = Participant.objects.filter(program=program, school_id=school).values("user")
        rows = rows.filter(person__in=people, other__in=people)
    return rows


@login_required
def exclusions(request, program_pk):
    program, school = _matching_program(request, program_pk)
    form = ExclusionForm(request.POST or None, program=program, school=school)
    rows = _exclusions(program, school).select_related("person", "other", "created_by")
    context = {"program": program, "form": form,
               "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))}
    if request.method == "POST":
        if form.is_valid():
            try:
                service.add_exclusion(program, request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("These two will never be paired."))
                return redirect("pairing:exclusions", program.pk)
        return invalid(request, "pairing/exclusions.html", context)
    return render(request, "pairing/exclusions.html", context)


@login_required
@require_POST
def exclusion_remove(request, program_pk, pk):
    program, school = _matching_program(request, program_pk)
    try:
        service.lift_exclusion(get_object_or_404(_exclusions(program, school), pk=pk),
                               request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The exclusion is lifted: these two may be matched."))
    return redirect("pairing:exclusions", program.pk)


@login_required
@require_POST
def run_start(request, program_pk):
    program, school = _matching_program(request, program_pk)
    form = RunForm(request.POST, kinds=service.kinds_for(program))
    if form.is_valid():
        try:
            service.start_run(program, request.user, kind=form.cleaned_data["kind"],
                              school_id=school)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The matching has run. Review the proposals below."))
    else:
        messages.error(request, _("Choose what to match."))
    return redirect("pairing:matching", program.pk)


def _run_action(request, program_pk, pk, action, success):
    program, school = _matching_program(request, program_pk)
    run = _open_run(program, school, pk)
    try:
        action(run, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("pairing:matching", program.pk)


@login_required
@require_POST
def run_approve(request, program_pk, pk):
    return _run_action(request, program_pk, pk, service.approve, _(
        "Pairings approved. Each person sees their new partner on their home page."))


@login_required
@require_POST
def placement_approve(request, program_pk, pk):
    return _run_action(request, program_pk, pk, service.approve_placements,
                       _("Everyone placed is now a member of their group."))


@login_required
@require_POST
def run_discard(request, program_pk, pk):
    return _run_action(request, program_pk, pk, service.discard,
                       _("The proposals are discarded."))


def _proposal_for(request, program_pk, pk):
    program, school = _matching_program(request, program_pk)
    proposal = get_object_or_404(
        _proposals().filter(run__program=program, run__school_id=school,
                                run__state=MatchingRun.State.OPEN).select_related("run"),
        pk=pk)
    return program, proposal


def _proposal_page(request, program, proposal, *, form=None, status=200):
    run = proposal.run
    pool = service.build_pool(run, include_proposed=True)
    context = {"program": program, "run": run, "proposal": proposal, "criteria": _criteria(),
               "alternatives": service.alternatives(run, proposal, pool),
               "form": form, "peers": run.kind == MatchingRun.Kind.PEERS}
    return render(request, "pairing/proposal.html", context, status=status)


@login_required
def proposal_change(request, program_pk, pk):
    """Another mentor for one proposal: the options ranked with their scores; choosing one
    answers with the proposal's new score (htmx swaps the panel in place)."""
    program, proposal = _proposal_for(request, program_pk, pk)
    if request.method != "POST":
        return _proposal_page(request, program, proposal)
    form = ChooseMentorForm(request.POST)
    if form.is_valid():
        try:
            proposal = service.change_mentor(proposal.run, proposal.pk,
                                             form.cleaned_data["mentor"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(mentee)s is now proposed with %(mentor)s.") % {
                "mentee": proposal.mentee.user, "mentor": proposal.mentor.user})
            program, proposal = _proposal_for(request, program_pk, pk)
            return _proposal_page(request, program, proposal)
    return _proposal_page(request, program, proposal, form=form, status=400)


@login_required
@require_POST
def proposal_swap(request, program_pk, pk):
    program, school = _matching_program(request, program_pk)
    run = _open_run(program, school, pk)
    form = SwapForm(request.POST)
    if form.is_valid():
        first = form.cleaned_data["proposal"]
        try:
            service.swap(run, first, form.cleaned_data["other"])
        except (ValidationError, Pairing.DoesNotExist) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else _(
                "That proposal is no longer under review.")
            messages.error(request, text)
        else:
            messages.success(request, _("The two proposals swapped partners."))
            return redirect("pairing:proposal-change", program.pk, first)
    else:
        messages.error(request, _("Choose two proposals to swap."))
    return redirect("pairing:matching", program.pk)


@login_required
@require_POST
def proposal_lock(request, program_pk, pk):
    program, proposal = _proposal_for(request, program_pk, pk)
    form = LockForm(request.POST)
    form.is_valid()
    proposal = service.set_locked(proposal.run, proposal.pk, form.cleaned_data.get("locked",
                                                                                   False))
    if request.htmx:
        proposal = _proposals(proposal.run).get(pk=proposal.pk)
        return render(request, "pairing/includes/proposal_row.html",
                      {"program": program, "run": proposal.run, "proposal": proposal,
                       "criteria": _criteria()})
    return redirect("pairing:matching", program.pk)


@login_required
@require_POST
def proposal_remove(request, program_pk, pk):
    program, proposal = _proposal_for(request, program_pk, pk)
    service.remove_proposal(proposal.run, proposal.pk)
    messages.success(request, _("%(mentee)s is back on the unmatched list.")
                     % {"mentee": proposal.mentee.user})
    return redirect("pairing:matching", program.pk)
