from django import template
from django.utils.translation import gettext as _

from .. import extensions
from ..models import Participant

register = template.Library()


@register.inclusion_tag("programs/includes/governance_line.html")
def governance_line(program):
    """Who runs the program, in one line on every program page (one query)."""
    people = (Participant.objects.filter(program=program).governance()
              .select_related("user").order_by("role", "user__display_name"))
    by_role = {}
    for participant in people:
        by_role.setdefault(participant.get_role_display(), []).append(participant.user)
    return {"by_role": by_role}


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
