"""Places where apps above programs add to program pages, without programs importing them.

The dependency rule (README, "Project layout") lets a higher app such as `resources` import
programs, never the reverse. When a program page should show something a higher app owns,
programs offers a registry here and the higher app adds itself to it in its
`AppConfig.ready()`.

`session_panels`: callables `panel(request, session) -> str`, each returning HTML for the
group session page (rendered with the template engine, so already escaped; `""` to show
nothing). The session page calls them in registration order, after the agenda. A panel sees
a session the reader may already see (the page has checked that), with `session.group` and
`session.group.program` loaded; it must decide itself what of its own it may show, and keep
its number of queries fixed.

`program_tabs`: callables `tabs(request, program) -> [(label, url), ...]`, the sections a
higher app adds to a program's tab bar for this reader (an empty list for none). They run
on every program page: keep them free of queries beyond what the program already cached.
"""

from django.utils.safestring import mark_safe

session_panels = []
program_tabs = []


def render_session_panels(request, session):
    """The registered panels' HTML for one session page, in order."""
    return mark_safe("".join(str(panel(request, session) or "") for panel in session_panels))


def extra_program_tabs(request, program):
    """The (label, url) tabs higher apps add to this program's pages, in order."""
    return [tab for tabs in program_tabs for tab in tabs(request, program)]
