from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def impact_cells(values):
    """A row's figures as table cells. One call per row instead of a template loop per
    cell: with every school of a district on the board report, the loop was most of the
    page's time."""
    missing = format_html('<td class="text-end"><span aria-label="{}">–</span></td>',
                          gettext("not shown or no figure"))
    return format_html_join("", "{}", (
        (missing if value is None else format_html('<td class="text-end">{}</td>',
                                                    localize(value)),)
        for value in values))
