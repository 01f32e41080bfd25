from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def impact_cells(values):
    """A row's figures as table cells. One call per row instead of a template loop per
    cell: with every school of a district on the board report, the loop was most of the
    page's time. Each figure is escaped, as the template would."""
    label = escape(gettext("not shown or no figure"))
    missing = f'<td class="text-end"><span aria-label="{label}">–</span></td>'
    # Every figure is escaped here, so the row is safe as a whole.
    return mark_safe("".join(
        missing if value is None else f'<td class="text-end">{escape(localize(value))}</td>'
        for value in values))
