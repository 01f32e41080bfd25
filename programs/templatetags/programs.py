from urllib.parse import urlencode

from django import template
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import extensions
from ..models import Participant

register = template.Library()

# Names shown per role in a program's header; the rest are counted, and listed on the
# participants page (a learning team may have dozens of lead mentors).
GOVERNANCE_NAMES_SHOWN = 3


@register.inclusion_tag("programs/includes/governance_line.html", takes_context=True)
def governance_line(context, program):
    """Who runs the program, in one line on every program page: per role the first few
    names and how many more, linking to the participant list for those who may read it.
    One query, of at most GOVERNANCE_NAMES_SHOWN rows a role, however many there are."""
    ranked = (Participant.objects.filter(program=program).governance()
              .annotate(
                  place=Window(RowNumber(), partition_by=[F("role")],
                               order_by=[F("user__display_name").asc(), F("pk").asc()]),
                  in_role=Window(Count("pk"), partition_by=[F("role")]))
              .filter(place__lte=GOVERNANCE_NAMES_SHOWN)
              .select_related("user").order_by("role", "place"))
    by_role = {}
    for participant in ranked:
        entry = by_role.setdefault(participant.role, {
            "label": participant.get_role_display(), "people": [],
            "more": participant.in_role - GOVERNANCE_NAMES_SHOWN, "url": ""})
        entry["people"].append(participant.user)
    user = context.get("user")
    if any(entry["more"] > 0 for entry in by_role.values()) and user is not None \
            and user.has_perm("programs.view_participants", program):
        base = reverse("programs:participants", args=[program.pk])
        for role, entry in by_role.items():
            entry["url"] = f"{base}?{urlencode({'role': role, 'status': 'active'})}"
    return {"roles": list(by_role.values())}


@register.simple_tag(takes_context=True)
def extra_program_tabs(context, program):
    """Sections higher apps add to the program's tab bar (see programs.extensions)."""
    return extensions.extra_program_tabs(context["request"], program)


@register.filter
def yesno_or_value(value):
    """A preset setting for reading: yes or no for a switch, the value otherwise."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
