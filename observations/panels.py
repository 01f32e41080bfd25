"""What observations adds to other apps' pages: a program tab, a home page section, and
the links back to cycles on goal and reflection pages."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ObservationCycle

HOME_CYCLES_SHOWN = 8


def program_tabs(request, program):
    if request.user.has_perm("observations.view_coverage", program):
        return [(_("Observations"), reverse("observations:coverage", args=[program.pk]))]
    return []


def home_panel(request):
    """The reader's open cycles, as coach or as the teacher observed, with the stage due."""
    user = request.user
    if not user.is_authenticated or user.district_id is None:
        return ""
    cycles = list(ObservationCycle.objects.of_user(user).open()
                  .select_related("program", "mentor", "mentee")
                  .order_by("due_on", "pk")[:HOME_CYCLES_SHOWN + 1])
    if not cycles:
        return ""
    return render_to_string("observations/includes/home_panel.html", {
        "cycles": cycles[:HOME_CYCLES_SHOWN], "more": len(cycles) > HOME_CYCLES_SHOWN,
        "today": timezone.localdate(), "user": user}, request=request)


def _readable_cycles(user):
    return ObservationCycle.objects.visible_to(user)


def reflection_links(reflections, user):
    """A reflection written on a debrief links back to its cycle, for readers of both."""
    found = (_readable_cycles(user).filter(reflection__in=[r.pk for r in reflections])
             .values_list("reflection_id", "pk"))
    return {reflection: (_("The observation it reflects on"),
                         reverse("observations:cycle-detail", args=[pk]))
            for reflection, pk in found}


def action_step_links(steps, user):
    """An action step taken from a debrief's next step links back to its cycle."""
    from .models import DebriefNextStep

    found = (DebriefNextStep.objects.filter(action_step__in=[s.pk for s in steps],
                                            debrief__cycle__in=_readable_cycles(user))
             .values_list("action_step_id", "debrief__cycle_id"))
    return {step: (_("From an observation debrief"),
                   reverse("observations:cycle-detail", args=[cycle]))
            for step, cycle in found}


def goal_panel(request, goal):
    """The observation cycles whose focus served this goal, for readers of those cycles."""
    cycles = list(_readable_cycles(request.user).filter(goal=goal)
                  .select_related("mentor", "mentee").order_by("-created_at", "-pk")[:20])
    if not cycles:
        return ""
    return render_to_string("observations/includes/goal_panel.html",
                            {"cycles": cycles, "today": timezone.localdate()}, request=request)
