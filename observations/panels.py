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
