"""Places where apps above pairing add to pairing pages, without pairing importing them.

The dependency rule (README, "Project layout") lets a higher app such as `resources` import
pairing, never the reverse. When a pairing page should show something a higher app owns,
pairing offers a registry here and the higher app adds itself to it in its
`AppConfig.ready()`.

`checkin_panels`: callables `panel(request, checkin) -> str`, each returning HTML for the
check-in page (rendered with the template engine, so already escaped; `""` to show
nothing). The check-in page calls them in registration order, after the notes and next
steps. A panel sees a check-in only one of the pair reads (the page has checked that), with
`checkin.pairing`, its program and district and both people's participants and users
loaded; it must decide itself what of its own it may show, never show anything of the
pair's to anyone else, and keep its number of queries fixed.
"""

from django.utils.safestring import mark_safe

checkin_panels = []


def render_checkin_panels(request, checkin):
    """The registered panels' HTML for one check-in page, in order."""
    return mark_safe("".join(str(panel(request, checkin) or "") for panel in checkin_panels))
