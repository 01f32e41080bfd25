"""The matching screen: settings, exclusions, a run's proposals under review, approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm
from programs.models import Application, Group, GroupMembership, Participant, Program
from programs.views.common import program_for

from ..forms.matching import (
    ChooseMentorForm,
    ExclusionForm,
    LockForm,
    MatchingSettingsForm,
    ReturnForm,
    RunForm,
    SwapForm,
)
from ..models import Exclusion, MatchingRun, Pairing
from ..permissions import matching_scope
from ..services import matching as service
from ..services.matching import REMOVED_BY_HAND, RETURNED

PAGE_SIZE = 50
UNMATCHED_PAGE_SIZE = 100


def _team(request):
    """The team a lead of several teams chose to work on (from the query or the form)."""
    value = request.POST.get("team") or request.GET.get("team") or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _matching_program(request, program_pk):
    """The program and what this person matches in it: the whole program, their school
    (a rep) or their teams (a lead)."""
    program = program_for(request.user, program_pk)
    require_perm(request.user, "pairing.match", program)
    return program, matching_scope(request.user, program, _team(request))


def _runs(program, scope):
    """Every run within this person's scope: a lead's runs of any team they lead."""
    runs = MatchingRun.objects.filter(program=program)
    if scope.groups:
        return runs.filter(group_id__in=scope.groups)
    return runs.filter(school_id=scope.school, group__isnull=True)


def _current_runs(program, scope):
    """The runs of the scope shown on the screen now: a lead's chosen team."""
    runs = _runs(program, scope)
    return runs.filter(group_id=scope.group) if scope.groups else runs


def _run(program, scope, pk):
    """A run of this person's scope in any state: acting on one that was approved or
    discarded meanwhile is the service's to refuse, with a message."""
    return get_object_or_404(_runs(program, scope), pk=pk)


def _matching_url(program, group_id=None):
    url = reverse("pairing:matching", args=[program.pk])
    return f"{url}?team={group_id}" if group_id else url


def _back(program, group_id=None):
    """The matching screen, on the team a run was for."""
    return redirect(_matching_url(program, group_id))


def _refused(request, program, group_id, error):
    """A review action the service refused (often because someone else acted first): the
    reason as a message on the matching screen, reloaded whole for htmx requests so the
    row shown is never one that is gone."""
    messages.error(request, " ".join(error.messages))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _matching_url(program, group_id)
        return response
    return _back(program, group_id)


def _waiting_applications(program, scope, user):
    """Applications not yet accepted within this person's scope (never their own): they
    are not in any matching until accepted. One query."""
    waiting = Application.objects.filter(
        participant__program=program, participant__status__in=[
            Participant.Status.APPLIED, Participant.Status.WAITLISTED]).exclude(
        participant__user=user)
    if scope.groups:
        waiting = waiting.filter(participant__in=GroupMembership.objects.filter(
            group_id=scope.group).values("participant_id"))
    elif scope.school is not None:
        waiting = waiting.filter(participant__school_id=scope.school)
    return waiting.count()


def _proposals(run):
    return Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED).select_related(
        "mentor__user", "mentor__school", "mentee__user", "mentee__school")


def _unmatched(run, page_number):
    """One page of who the run left without a partner (mentees, peers, and mentors with
    open places), each with the reason and whether a partner may be proposed by hand."""
    proposed = set()
    for mentor_id, mentee_id in _proposals(run).values_list("mentor_id", "mentee_id"):
        proposed |= {mentor_id, mentee_id}
    if run.kind == MatchingRun.Kind.GROUPS:
        proposed = {p["participant"] for p in run.placements}
    reasons = {int(pk): reason for pk, reason in run.unmatched.items()
               if int(pk) not in proposed}
    page = Paginator(sorted(reasons), UNMATCHED_PAGE_SIZE).get_page(page_number)
    people = {p.pk: p for p in Participant.objects.filter(pk__in=list(page.object_list))
              .select_related("user", "school")}
    labels = {**dict(service.engine.Unmatched.choices),
              REMOVED_BY_HAND: _("Taken out of the proposals by hand: left out when the "
                                 "matching runs again."),
              RETURNED: _("Back in the matching: run it again to find a partner.")}
    seekers = {Participant.Role.MENTEE, Participant.Role.PEER}
    rows = []
    for pk in page.object_list:
        person = people.get(pk)
        if person is None:
            continue
        reason = reasons[pk]
        rows.append({"person": person, "reason": labels.get(reason, reason),
                     "removed": reason == REMOVED_BY_HAND,
                     "mentor": person.role not in seekers,
                     "can_propose": (run.kind != MatchingRun.Kind.GROUPS
                                     and person.role in seekers
                                     and reason != REMOVED_BY_HAND)})
    page.object_list = rows
    return page


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
    program, scope = _matching_program(request, program_pk)
    runs = _current_runs(program, scope)
    run = runs.filter(state=MatchingRun.State.OPEN).first()
    context = {"program": program, "scope": scope, "run": run,
               "settings": service.settings_for(program), "criteria": _criteria(),
               "run_form": RunForm(kinds=service.kinds_for(program, group_id=scope.group)),
               "past_runs": runs.exclude(state=MatchingRun.State.OPEN)[:5],
               "waiting_applications": _waiting_applications(program, scope, request.user)}
    if scope.groups:
        context["teams"] = list(Group.objects.filter(pk__in=scope.groups).order_by("name"))
    if run is not None:
        if run.kind == MatchingRun.Kind.GROUPS:
            context["page"] = _placements(run, request.GET.get("page"))
        else:
            proposals = _proposals(run).order_by("mentee__user__display_name", "pk")
            context["page"] = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
        context["proposal_count"] = context["page"].paginator.count
        context["unmatched_page"] = _unmatched(run, request.GET.get("unmatched_page"))
        context["unmatched_count"] = context["unmatched_page"].paginator.count
    return render(request, "pairing/matching.html", context)


@login_required
def settings_edit(request, program_pk):
    program, _scope = _matching_program(request, program_pk)
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


def _scope_people(program, scope):
    """The participants a matcher works with: everyone, their school's, or their teams'."""
    people = Participant.objects.filter(program=program)
    if scope.groups:
        return people.filter(pk__in=GroupMembership.objects.filter(
            group_id__in=scope.groups).values("participant_id"))
    if scope.school is not None:
        return people.filter(school_id=scope.school)
    return people


def _exclusions(program, scope, *, active_only=True):
    """The program's exclusions a matcher may see: a school's rep or a team's lead, those
    between two of their school's or teams' people."""
    rows = Exclusion.objects.filter(program=program)
    if active_only:
        rows = rows.active()
    if not scope.whole_program:
        people = _scope_people(program, scope).values("user")
        rows = rows.filter(person__in=people, other__in=people)
    return rows


def _evaluators_elsewhere(program, scope):
    """Evaluator exclusions recorded in the district's other programs, which keep people of
    this program apart too: only those between two people of the matcher's scope (the
    whole program for those who manage it), so nothing is told about anyone else."""
    people = _scope_people(program, scope).values("user")
    return (Exclusion.objects.active()
            .filter(program__district_id=program.district_id,
                    reason=Exclusion.Reason.EVALUATES, person__in=people, other__in=people)
            .exclude(program=program))


@login_required
def exclusions(request, program_pk):
    program, scope = _matching_program(request, program_pk)
    form = ExclusionForm(request.POST or None, people=_scope_people(program, scope))
    rows = _exclusions(program, scope).select_related("person", "other", "created_by")
    # A program the reader cannot see is not named: its name alone can say too much.
    elsewhere = _evaluators_elsewhere(program, scope).select_related(
        "person", "other", "program").annotate(program_seen=Exists(
            Program.objects.visible_to(request.user).filter(pk=OuterRef("program_id")))
    ).order_by("-created_at", "pk")
    context = {"program": program, "form": form,
               "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
               "elsewhere": Paginator(elsewhere, PAGE_SIZE).get_page(
                   request.GET.get("elsewhere_page"))}
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
    program, scope = _matching_program(request, program_pk)
    # Lifted ones too: lifting twice (a double click) is answered with the reason.
    lifted_or_not = _exclusions(program, scope, active_only=False)
    try:
        service.lift_exclusion(get_object_or_404(lifted_or_not, pk=pk), request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The exclusion is lifted: these two may be matched."))
    return redirect("pairing:exclusions", program.pk)


@login_required
@require_POST
def run_start(request, program_pk):
    program, scope = _matching_program(request, program_pk)
    form = RunForm(request.POST, kinds=service.kinds_for(program, group_id=scope.group))
    if form.is_valid():
        try:
            service.start_run(program, request.user, kind=form.cleaned_data["kind"],
                              school_id=scope.school, group_id=scope.group)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The matching has run. Review the proposals below."))
    else:
        messages.error(request, _("Choose what to match."))
    return _back(program, scope.group)


def _run_action(request, program_pk, pk, action, success):
    program, scope = _matching_program(request, program_pk)
    run = _run(program, scope, pk)
    try:
        action(run, request.user)
    except ValidationError as error:
        return _refused(request, program, run.group_id, error)
    messages.success(request, success)
    return _back(program, run.group_id)


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
    """A proposal of a run in this person's scope, or None when it was removed meanwhile
    (404 when it is someone else's). It may have been approved or its run closed since the
    page was shown: the services refuse those with a message."""
    program, scope = _matching_program(request, program_pk)
    proposal = (Pairing.objects.filter(program=program, run__in=_runs(program, scope))
                .select_related("run", "mentor__user", "mentor__school", "mentee__user",
                                "mentee__school").filter(pk=pk).first())
    if proposal is None and Pairing.objects.filter(pk=pk).exists():
        raise Http404  # someone else's: outside this person's program or scope
    return program, scope, proposal


def _under_review(proposal):
    return (proposal is not None and proposal.status == Pairing.Status.PROPOSED
            and proposal.run.state == MatchingRun.State.OPEN)


def _gone(request, program, scope, proposal):
    """A proposal that is no longer under review: say so on the matching screen."""
    group_id = proposal.run.group_id if proposal is not None else scope.group
    return _refused(request, program, group_id, service.ReviewClosed(service.PROPOSAL_GONE))


def _proposal_page(request, program, proposal, *, form=None, status=200):
    run = proposal.run
    own = proposal.includes(request.user)
    # Someone else reviews a pair the reader is in: no options to choose from.
    options = [] if own else service.alternatives(
        run, proposal, service.build_pool(run, include_proposed=True), by=request.user)
    context = {"program": program, "run": run, "proposal": proposal, "criteria": _criteria(),
               "alternatives": options, "own": own,
               "form": form, "peers": run.kind == MatchingRun.Kind.PEERS}
    return render(request, "pairing/proposal.html", context, status=status)


@login_required
def proposal_change(request, program_pk, pk):
    """Another mentor for one proposal: the options ranked with their scores; choosing one
    answers with the proposal's new score (htmx swaps the panel in place)."""
    program, scope, proposal = _proposal_for(request, program_pk, pk)
    if request.method != "POST":
        if proposal is None:
            raise Http404
        if not _under_review(proposal):
            return _gone(request, program, scope, proposal)
        return _proposal_page(request, program, proposal)
    if proposal is None:
        return _gone(request, program, scope, proposal)
    form = ChooseMentorForm(request.POST)
    if form.is_valid():
        try:
            proposal = service.change_mentor(proposal.run, proposal.pk,
                                             form.cleaned_data["mentor"], by=request.user)
        except service.ReviewClosed as error:
            return _refused(request, program, proposal.run.group_id, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(mentee)s is now proposed with %(mentor)s.") % {
                "mentee": proposal.mentee.user, "mentor": proposal.mentor.user})
            program, scope, proposal = _proposal_for(request, program_pk, pk)
            return _proposal_page(request, program, proposal)
    if not _under_review(proposal):
        return _gone(request, program, scope, proposal)
    return _proposal_page(request, program, proposal, form=form, status=400)


@login_required
@require_POST
def proposal_swap(request, program_pk, pk):
    program, scope = _matching_program(request, program_pk)
    run = _run(program, scope, pk)
    form = SwapForm(request.POST)
    if form.is_valid():
        first = form.cleaned_data["proposal"]
        try:
            service.swap(run, first, form.cleaned_data["other"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The two proposals swapped partners."))
            return redirect("pairing:proposal-change", program.pk, first)
    else:
        messages.error(request, _("Choose two proposals to swap."))
    return _back(program, run.group_id)


@login_required
@require_POST
def proposal_lock(request, program_pk, pk):
    program, scope, proposal = _proposal_for(request, program_pk, pk)
    if proposal is None:
        return _gone(request, program, scope, proposal)
    form = LockForm(request.POST)
    form.is_valid()
    run = proposal.run
    try:
        service.set_locked(run, proposal.pk, form.cleaned_data.get("locked", False),
                           by=request.user)
    except ValidationError as error:
        return _refused(request, program, run.group_id, error)
    if request.htmx:
        proposal = _proposals(run).get(pk=proposal.pk)
        return render(request, "pairing/includes/proposal_row.html",
                      {"program": program, "proposal": proposal,
                       "criteria": _criteria()})
    return _back(program, run.group_id)


@login_required
@require_POST
def proposal_remove(request, program_pk, pk):
    program, scope, proposal = _proposal_for(request, program_pk, pk)
    if proposal is None:
        return _gone(request, program, scope, proposal)
    try:
        service.remove_proposal(proposal.run, proposal.pk, by=request.user)
    except ValidationError as error:
        return _refused(request, program, proposal.run.group_id, error)
    messages.success(request, _("%(mentee)s is out of this matching until you return "
                                "them from the unmatched list.")
                     % {"mentee": proposal.mentee.user})
    return _back(program, proposal.run.group_id)


@login_required
@require_POST
def unmatched_return(request, program_pk, pk):
    """Someone taken out by hand is considered again when the matching next runs."""
    program, scope = _matching_program(request, program_pk)
    run = _run(program, scope, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose someone from the unmatched list."))
        return _back(program, run.group_id)
    try:
        service.return_to_matching(run, form.cleaned_data["participant"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Back in the matching: run it again to find them a "
                                    "partner."))
    return _back(program, run.group_id)


def _propose_page(request, program, run, person, *, form=None, status=200):
    own = person.user_id == request.user.pk
    pool = service.build_pool(run, include_proposed=True)
    if service.waiting_for_partner(run, person.pk, pool) is None:
        return _refused(request, program, run.group_id,
                        service.ReviewClosed(service.NOT_WAITING))
    options = [] if own else service.partners_for(run, person.pk, pool, by=request.user)
    context = {"program": program, "run": run, "person": person, "own": own,
               "alternatives": options, "criteria": _criteria(), "form": form,
               "peers": run.kind == MatchingRun.Kind.PEERS}
    return render(request, "pairing/propose.html", context, status=status)


@login_required
def propose_partner(request, program_pk, pk, participant_pk):
    """A partner for someone the run left unmatched, chosen by hand: the mentors with an
    open place (for peers, the peers not in a proposal) that the rules allow, ranked with
    their scores; choosing one adds a locked proposal."""
    program, scope = _matching_program(request, program_pk)
    run = _run(program, scope, pk)
    person = get_object_or_404(_scope_people(program, scope).select_related("user", "school"),
                               pk=participant_pk)
    if run.state != MatchingRun.State.OPEN:
        return _refused(request, program, run.group_id,
                        service.ReviewClosed(service.RUN_CLOSED))
    if request.method != "POST":
        return _propose_page(request, program, run, person)
    form = ChooseMentorForm(request.POST)
    if form.is_valid():
        try:
            proposal = service.propose_pair(run, person.pk, form.cleaned_data["mentor"],
                                            by=request.user)
        except service.ReviewClosed as error:
            return _refused(request, program, run.group_id, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(mentee)s is now proposed with %(mentor)s.") % {
                "mentee": person.user, "mentor": proposal.mentor.user})
            return _back(program, run.group_id)
    return _propose_page(request, program, run, person, form=form, status=400)
