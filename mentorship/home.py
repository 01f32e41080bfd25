"""Sections that apps add to the home page, without the home page knowing each of them.

`home_panels`: callables `panel(request) -> str`, each returning HTML for the signed-in
person's home page (rendered with the template engine, so already escaped; `""` to show
nothing). An app appends its panel in its `AppConfig.ready()`; the home page shows them in
registration order, after the person's mentoring and next steps. A panel shows only what
belongs to the reader or what their role lets them see, with a fixed number of queries, and
uses `h2` headings so the page's outline stays whole.
"""

from django.utils.safestring import mark_safe

home_panels = []


def render_home_panels(request):
    """The registered panels' HTML for the reader's home page, in order."""
    return mark_safe("".join(str(panel(request) or "") for panel in home_panels))
