"""What surveys adds to other apps' pages: the home page's "Surveys to answer" and the
program's "Surveys" tab."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Invitation
from .services import invitation_token

SHOWN = 5


def home_panel(request):
    """Open surveys the reader was asked to answer and has not, with their personal links.
    One query."""
    user = request.user
    if not user.is_authenticated or user.district_id is None:
        return ""
    waiting = list(Invitation.objects.waiting_for(user, timezone.localdate())
                   .select_related("survey__program").order_by("survey__closes_on", "pk")
                   [:SHOWN])
    if not waiting:
        return ""
    rows = [{"invitation": invitation,
             "url": reverse("surveys:answer", args=[invitation_token(invitation)])}
            for invitation in waiting]
    return render_to_string("surveys/includes/home_panel.html", {"rows": rows},
                            request=request)


def program_tabs(request, program):
    if request.user.has_perm("surveys.view_program_surveys", program):
        return [(_("Surveys"), reverse("surveys:program-surveys", args=[program.pk]))]
    return []
