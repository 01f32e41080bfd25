"""What portfolio adds to pages it does not own: the home page's "Your badges" section and a
program's "Badges" tab."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from programs.permissions import can_manage_program

from .models import Award

HOME_AWARDS = 3
NEW_FOR = timedelta(days=14)  # a badge is marked new on the home page this long


def home_panel(request):
    """The reader's latest badges, with the way to all of them and to their portfolio: one
    query, whatever the number of badges."""
    user = request.user
    if not user.is_authenticated or user.district_id is None:
        return ""
    awards = list(Award.objects.filter(recipient_id=user.pk).current()
                  .select_related("badge").order_by("-issued_at", "-pk")[:HOME_AWARDS])
    recent = timezone.now() - NEW_FOR
    for award in awards:
        award.is_new = award.issued_at >= recent
    return render_to_string("portfolio/includes/home_panel.html", {"awards": awards},
                            request=request)


def program_tabs(request, program):
    """Those who manage the program define and award its badges (roles already cached)."""
    if not can_manage_program(request.user, program):
        return []
    return [(_("Badges"), reverse("portfolio:badges") + "?" + urlencode({"program": program.pk}))]
