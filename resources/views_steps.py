"""Resources attached to the steps of a debrief and of a goal: the panels on the cycle page
and the goal page (registered with observations.extensions and goals.extensions in
ResourcesConfig.ready), and the pages that attach and detach them.

A debrief's next steps are changed by the cycle's two people while the cycle is not
cancelled (the mentee once the debrief is shared with them); whoever may read the debrief
sees what is attached. A goal's action steps are changed by the goal's owner and their
partner while the goal is open (goals.work_on_goal); whoever may open the goal sees what
is attached, and admins never open a goal. Everyone else gets 404. A resource each reader
may not read shows without its title, as on a check-in."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals.models import ActionStep, Goal
from mentorship.shortcuts import invalid
from observations.models import DebriefNextStep, ObservationCycle

from .forms import AttachSearchForm
from .models import Resource
from .places import (
    action_step_uses,
    attachable,
    by_step,
    next_step_uses,
    suggested_for_debrief,
    suggested_for_goal,
)
from .services import (
    attach_to_action_step,
    attach_to_next_step,
    detach_from_action_step,
    detach_from_next_step,
    may_change_debrief_resources,
    may_change_goal_resources,
)


@dataclass
class StepRow:
    step: object
    label: str
    uses: list
    attach_url: str = ""


def _panel(request, *, place, texts, rows, can_change, suggestions):
    for row in rows:
        for use in row.uses:
            use.detach_url = reverse(f"resources:{place}-step-detach",
                                     args=[row.step.pk, use.pk])
    return render_to_string("resources/includes/steps_panel.html", {
        **texts, "place": place, "rows": rows, "can_change": can_change,
        "suggestions": suggestions,
    }, request=request)


# -- a debrief's next steps -----------------------------------------------------------------

def _step_number(step):
    return _("Next step %(number)s") % {"number": step.position + 1}


def debrief_panel(request, debrief):
    """Under a debrief's next steps: each step with its resources, a link to attach more
    for the cycle's two people, and suggestions from the cycle's look-fors and the
    mentee's focus areas. Two queries (one when the reader may not change anything)."""
    user = request.user
    steps = list(debrief.next_steps.all())
    if not steps:
        return ""
    can_change = may_change_debrief_resources(user, debrief)
    found = by_step(user, next_step_uses(), steps)
    rows = [StepRow(step, _step_number(step), found[step.pk],
                    reverse("resources:debrief-step-attach", args=[step.pk]))
            for step in steps]
    attached = [use.resource_id for row in rows for use in row.uses]
    return _panel(
        request, place="debrief", rows=rows, can_change=can_change,
        texts={"heading": _("Resources for the next steps"), "heading_tag": "h3",
               "heading_class": "h6", "sub_tag": "h4",
               "empty_text": _("No resources attached yet."),
               "suggestions_heading": _("Suggested from the look-fors and focus areas")},
        suggestions=suggested_for_debrief(user, debrief, exclude=attached) if can_change
        else [])


def _debrief_step(user, pk):
    """A next step of a debrief this person may attach resources to; 404 otherwise."""
    steps = DebriefNextStep.objects.filter(
        debrief__cycle__in=ObservationCycle.objects.of_user(user).values("pk")
    ).select_related("debrief__cycle__program__district", "debrief__cycle__mentee",
                     "debrief__cycle__pairing")
    step = get_object_or_404(steps, pk=pk)
    if not may_change_debrief_resources(user, step.debrief):
        raise Http404
    return step


def _cycle_url(step):
    url = reverse("observations:cycle-detail", args=[step.debrief.cycle_id])
    return f"{url}#debrief-resources"


@login_required
def debrief_step_attach(request, pk):
    """GET: find resources to attach to a next step (a page, or only its results for
    htmx). POST: attach the chosen one and go back to the cycle."""
    step = _debrief_step(request.user, pk)
    cycle = step.debrief.cycle
    return _attach(
        request, step=step, uses=next_step_uses(), back_url=_cycle_url(step),
        attach=attach_to_next_step,
        suggestions=lambda exclude: suggested_for_debrief(request.user, step.debrief,
                                                          exclude=exclude),
        context={"program": cycle.program, "cycle": cycle,
                 "heading": _("Attach a resource to next step %(number)s")
                 % {"number": step.position + 1},
                 "back_text": _("Back to the observation"),
                 "privacy": _("Whoever may read this debrief sees what is attached: the two "
                              "of you, and those the teacher shares the cycle with. Each "
                              "resource stays shared as its authors chose, so a reader sees "
                              "its title only if they may read it."),
                 "done": _("“%(title)s” is attached to the next step."),
                 "already": _("“%(title)s” was already attached to the next step.")})


@login_required
@require_POST
def debrief_step_detach(request, pk, use_pk):
    step = _debrief_step(request.user, pk)
    return _detach(request, step=step, uses=next_step_uses(), use_pk=use_pk,
                   back_url=_cycle_url(step), detach=detach_from_next_step)


# -- a goal's action steps ------------------------------------------------------------------

def goal_panel(request, goal):
    """After a goal's action steps: each open step (and each done one that has resources)
    with its resources, a link to attach more for the goal's owner and partner, and
    suggestions from the goal's focus area. Two queries, plus one for the suggestions when
    the reader may change them."""
    user = request.user
    # A past partner: the steps written before the pairing ended, as on the goal page.
    steps = list(goal.action_steps.visible_to(user))
    if not steps:
        return ""
    can_change = may_change_goal_resources(user, goal)
    found = by_step(user, action_step_uses(), steps)
    rows = [StepRow(step, step.description, found[step.pk],
                    reverse("resources:goal-step-attach", args=[step.pk])
                    if step.done_on is None else "")
            for step in steps if step.done_on is None or found[step.pk]]
    if not rows:
        return ""
    attached = [use.resource_id for row in rows for use in row.uses]
    return _panel(
        request, place="goal", rows=rows, can_change=can_change,
        texts={"heading": _("Resources for the action steps"), "heading_tag": "h2",
               "heading_class": "h4", "sub_tag": "h3",
               "empty_text": _("No resources attached yet."),
               "suggestions_heading": _("Suggested from the goal's focus area")},
        suggestions=suggested_for_goal(user, goal, exclude=attached) if can_change else [])


def _goal_step(user, pk):
    """An action step of a goal this person may work on; 404 otherwise."""
    steps = ActionStep.objects.filter(
        goal__in=Goal.objects.visible_to(user).values("pk")
    ).select_related("goal__participant__program__district", "goal__participant__user",
                     "goal__focus_area")
    step = get_object_or_404(steps, pk=pk)
    if not may_change_goal_resources(user, step.goal):
        raise Http404
    return step


def _goal_url(step):
    url = reverse("goals:goal-detail", args=[step.goal_id])
    return f"{url}#goal-resources"


@login_required
def goal_step_attach(request, pk):
    """GET: find resources to attach to an open action step (a page, or only its results
    for htmx). POST: attach the chosen one and go back to the goal."""
    step = _goal_step(request.user, pk)
    if step.done_on is not None:
        messages.info(request, _("This action step is done: open it again to attach a "
                                 "resource."))
        return redirect(_goal_url(step))
    goal = step.goal
    return _attach(
        request, step=step, uses=action_step_uses(), back_url=_goal_url(step),
        attach=attach_to_action_step,
        suggestions=lambda exclude: suggested_for_goal(request.user, goal, exclude=exclude),
        context={"program": goal.participant.program, "goal": goal,
                 "heading": _("Attach a resource to an action step"),
                 "back_text": _("Back to the goal"),
                 "privacy": _("Whoever may open this goal sees what is attached: its owner, "
                              "their partner and the program's coordinators. Each resource "
                              "stays shared as its authors chose, so a reader sees its title "
                              "only if they may read it."),
                 "done": _("“%(title)s” is attached to the action step."),
                 "already": _("“%(title)s” was already attached to the action step.")})


@login_required
@require_POST
def goal_step_detach(request, pk, use_pk):
    step = _goal_step(request.user, pk)
    return _detach(request, step=step, uses=action_step_uses(), use_pk=use_pk,
                   back_url=_goal_url(step), detach=detach_from_action_step)


# -- shared by both -------------------------------------------------------------------------

def _chosen(request):
    """The published resource a POST chose, when the reader may read it; None otherwise."""
    chosen = request.POST.get("resource", "")
    if not (chosen.isascii() and chosen.isdigit()) or len(chosen) > 18:
        return None
    return (Resource.objects.visible_to(request.user).published()
            .prefetch_related("authorships").filter(pk=int(chosen)).first())


def _attach(request, *, step, uses, back_url, attach, suggestions, context):
    user = request.user
    attach_url = request.path
    step_uses = uses.filter(object_id=step.pk)
    error = ""
    if request.method == "POST":
        resource = _chosen(request)
        if resource is None:
            error = _("That resource cannot be attached: choose a published resource you "
                      "can read from the search or the suggestions.")
        else:
            try:
                added = attach(resource=resource, step=step, added_by=user)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                text = context["done"] if added else context["already"]
                (messages.success if added else messages.info)(
                    request, text % {"title": resource.title})
                return redirect(back_url)
    form = AttachSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = attachable(user, query, step_uses) if query else []
    page = {**context, "step": step, "form": form, "query": query, "results": results,
            "attach_url": attach_url, "back_url": back_url, "error": error,
            "no_results_text": _("No published resource you can read matches, or every "
                                 "match is already attached to this step.")}
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "resources/includes/attach_results.html",
                      {**page, "results_heading_level": 2})
    page["suggestions"] = suggestions(list(step_uses.values_list("resource_id", flat=True)))
    if error:
        return invalid(request, "resources/step_attach.html", page)
    return render(request, "resources/step_attach.html", page)


def _detach(request, *, step, uses, use_pk, back_url, detach):
    use = uses.filter(object_id=step.pk, pk=use_pk).first()
    if use is None:
        messages.error(request, _("That resource is not attached to this step, so there "
                                  "was nothing to remove."))
        return redirect(back_url)
    detach(use=use, step=step, removed_by=request.user)
    messages.success(request, _("The resource is no longer attached to the step."))
    return redirect(back_url)
