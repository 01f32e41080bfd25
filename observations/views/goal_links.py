"""Where a cycle meets the mentee's goals: the goal its focus serves, next steps made
action steps of a goal, and the mentee's reflection in their journal. Goals keeps its own
rules: a goal or a reflection is linked only for a reader who may open it there."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import Goal, Reflection

from ..models import ObservationCycle


def mentee_goals(cycle):
    """The mentee's current goals in the cycle's program that are still open, and the one
    the cycle already serves."""
    return (Goal.objects.filter(participant__user_id=cycle.mentee_id,
                                participant__program_id=cycle.program_id).current()
            .filter(Q(state__in=Goal.OPEN_STATES) | Q(pk=cycle.goal_id))
            .order_by("due_on", "pk"))


def open_goals(cycle):
    return mentee_goals(cycle).filter(state__in=Goal.OPEN_STATES)


def plan_initial(cycle):
    return {"goal": cycle.goal_id}


def cycle_context(request, cycle, debrief):
    """What the cycle page shows of goals: the goal, the reflection, and for each next
    step its action step or the button that makes one."""
    user = request.user
    context = {}
    goal = cycle.goal
    if goal is not None:
        context["goal"] = goal.title
        if user.has_perm("goals.view_goal", goal):
            context["goal_url"] = reverse("goals:goal-detail", args=[goal.pk])
    if cycle.stage == ObservationCycle.Stage.REFLECTION and user.pk == cycle.mentee_id:
        context["reflect_url"] = reverse("observations:reflect", args=[cycle.pk])
    if cycle.reflection_id and Reflection.objects.visible_to(user).filter(
            pk=cycle.reflection_id).exists():
        context["reflection_url"] = reverse("goals:reflection-detail",
                                            args=[cycle.reflection_id])
    if debrief is not None and debrief.is_shared:
        steps = list(debrief.next_steps.filter(action_step__isnull=False)
                     .select_related("action_step__goal__participant__program"))
        context["step_links"] = {
            step.pk: (_("An action step of the goal"), reverse("goals:goal-detail",
                                                    args=[step.action_step.goal_id]))
            for step in steps if user.has_perm("goals.view_goal", step.action_step.goal)}
        if cycle.includes(user):
            goals = list(open_goals(cycle))
            context["can_make_action_steps"] = bool(goals)
            context["action_goals"] = goals
            context["single_goal"] = (goal if goal is not None and goal in goals
                                      else goals[0] if len(goals) == 1 else None)
    return context

