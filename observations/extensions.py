"""Places where apps above observations add to observation pages, without observations
importing them.

The dependency rule (README, "Project layout") lets a higher app such as `resources` import
observations, never the reverse. When a cycle page should show something a higher app owns,
observations offers a registry here and the higher app adds itself to it in its
`AppConfig.ready()`.

`debrief_panels`: callables `panel(request, debrief) -> str`, each returning HTML shown
under a debrief's next steps on the cycle page (rendered with the template engine, so
already escaped; `""` to show nothing). The page calls them in registration order. A panel
sees a debrief the reader may already read (the mentor always; the mentee and those they
shared the cycle with once it is shared), with `debrief.cycle`, its program and district,
its mentor and mentee loaded, and `debrief.next_steps.all()` ready to use; it must decide
itself what of its own it may show and keep its number of queries fixed. Only the cycle's
two people (`debrief.cycle.includes(request.user)`) should be offered changes.
"""

from django.utils.safestring import mark_safe

debrief_panels = []


def render_debrief_panels(request, debrief):
    """The registered panels' HTML for one debrief, in order."""
    return mark_safe("".join(str(panel(request, debrief) or "") for panel in debrief_panels))
