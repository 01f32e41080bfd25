"""The sections pairing adds to a program's tab bar (see programs.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def program_tabs(request, program):
    user = request.user
    tabs = []
    if user.has_perm("pairing.match", program):
        tabs.append((_("Matching"), reverse("pairing:matching", args=[program.pk])))
    if user.has_perm("pairing.view_pairings", program):
        tabs.append((_("Pairings"), reverse("pairing:pairings", args=[program.pk])))
    return tabs
