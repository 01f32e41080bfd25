"""What notifications adds to program pages: the outbox tab for those who manage it."""

from django.urls import reverse
from django.utils.translation import gettext as _


def program_tabs(request, program):
    if request.user.has_perm("notifications.view_program_outbox", program):
        return [(_("Messages"), reverse("notifications:program-outbox", args=[program.pk]))]
    return []
