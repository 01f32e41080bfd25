"""A program's goals tab and its reflection prompts. Coordinators read the program's goals
one by one; those who manage the program and the district's school admins see counts by
state only (mentoring is kept apart from evaluation). Reflections are never listed here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.exports import csv_response
from mentorship.shortcuts import add_service_error, invalid, require_perm
from programs.views.common import program_for

from .. import services
from ..forms import ExampleGoalForm, PromptForm
from ..models import ExampleGoal, Goal, PromptSchedule, Reflection, ReflectionPrompt
from .goals import GOAL_RELATED, with_latest_value

PAGE_SIZE = 25


def _goals_context(request, program, example_form=None):
    user = request.user
    goals = Goal.objects.filter(participant__program=program)
    counts = dict(goals.values_list("state").annotate(n=Count("pk")).order_by())
    context = {
        "program": program,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Goal.State.choices],
        "achieved_or_active": counts.get("active", 0) + counts.get("achieved", 0),
        "can_list": user.has_perm("goals.view_program_goals", program),
        "can_manage_examples": user.has_perm("goals.manage_examples", program),
        "examples": ExampleGoal.objects.filter(program=program, published=True)
        .select_related("focus_area"),
    }
    months = Reflection.objects.confidence_by_month(program)
    context["confidence_chart"] = {
        "id": "program-confidence", "kind": "line",
        "title": _("Average confidence in reflections, by month"),
        "labels": [month.strftime("%Y-%m") for month, _average, _n in months],
        "series": [{"label": _("Average confidence"),
                    "values": [average for _month, average, _n in months]}],
        "y_min": 1, "y_max": 5} if months else None
    if context["can_list"]:
        listed = with_latest_value(Goal.objects.visible_to(user).filter(
            participant__program=program).current().select_related(*GOAL_RELATED)).order_by(
            "participant__user__display_name", "due_on", "pk")
        context["page"] = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    if context["can_manage_examples"]:
        context["example_form"] = example_form or ExampleGoalForm(program=program)
    return context


@login_required
def program_goals(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "goals.view_goal_counts", program)
    return render(request, "goals/program_goals.html", _goals_context(request, program))


@login_required
def program_goals_export(request, program_pk):
    """The program's current goals as CSV, for its coordinators."""
    program = program_for(request.user, program_pk)
    require_perm(request.user, "goals.view_program_goals", program)
    goals = with_latest_value(Goal.objects.visible_to(request.user).filter(
        participant__program=program).current().select_related(*GOAL_RELATED)).order_by(
        "participant__user__display_name", "due_on", "pk")
    rows = ([g.participant.user.display_name, g.focus_area.name if g.focus_area else "",
             g.specific, g.measure, g.baseline, g.target, g.latest_value, g.unit,
             g.due_on.isoformat(), str(g.get_state_display()),
             g.achieved_on.isoformat() if g.achieved_on else ""] for g in goals.iterator())
    return csv_response(_("%(program)s goals") % {"program": program.name},
                        [_("Person"), _("Focus area"), _("Goal"), _("Measure"), _("Start"),
                         _("Target"), _("Latest value"), _("Unit"), _("Due"), _("State"),
                         _("Achieved on")],
                        ([float(v) if hasattr(v, "as_tuple") else v for v in row]
                         for row in rows))


@login_required
@require_POST
def example_add(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "goals.manage_examples", program)
    form = ExampleGoalForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.publish_example(program=program, published_by=request.user,
                                     **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The example goal is published."))
            return redirect("goals:program-goals", program.pk)
    return invalid(request, "goals/program_goals.html",
                   _goals_context(request, program, example_form=form))


@login_required
@require_POST
def example_withdraw(request, program_pk, pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "goals.manage_examples", program)
    example = get_object_or_404(ExampleGoal, program=program, pk=pk)
    services.withdraw_example(example=example, withdrawn_by=request.user)
    messages.success(request, _("The example goal is withdrawn."))
    return redirect("goals:program-goals", program.pk)


def _prompts_context(program, form=None):
    scheduled = list(PromptSchedule.objects.filter(program=program)
                     .select_related("prompt").order_by("position", "pk"))
    scheduled_ids = {row.prompt_id for row in scheduled}
    library = list(ReflectionPrompt.objects.for_program(program).order_by("kind", "pk"))
    return {"program": program, "scheduled": scheduled, "scheduled_ids": scheduled_ids,
            "library": library, "form": form or PromptForm(),
            "cadence": program.reflection_cadence_days}


@login_required
def program_prompts(request, program_pk):
    """The prompt library the program uses and its schedule; those who manage the program
    add prompts of their own and choose which come round, in order."""
    program = program_for(request.user, program_pk)
    require_perm(request.user, "goals.manage_prompts", program)
    if request.method == "POST":
        form = PromptForm(request.POST)
        if form.is_valid():
            try:
                services.add_prompt(program=program, created_by=request.user,
                                    **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The prompt is added."))
                return redirect("goals:program-prompts", program.pk)
        return invalid(request, "goals/program_prompts.html", _prompts_context(program, form))
    return render(request, "goals/program_prompts.html", _prompts_context(program))


@login_required
@require_POST
def prompt_schedule(request, program_pk, pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "goals.manage_prompts", program)
    prompt = get_object_or_404(ReflectionPrompt.objects.for_program(program), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "schedule":
            services.schedule_prompt(program=program, prompt=prompt, scheduled_by=request.user)
        elif action in ("up", "down"):
            services.move_prompt(program=program, prompt=prompt, moved_by=request.user,
                                 up=action == "up")
        elif action == "unschedule":
            services.unschedule_prompt(program=program, prompt=prompt,
                                       unscheduled_by=request.user)
        elif action in ("retire", "restore") and prompt.program_id == program.pk:
            services.set_prompt_active(program=program, prompt=prompt,
                                       changed_by=request.user, active=action == "restore")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("goals:program-prompts", program.pk)
