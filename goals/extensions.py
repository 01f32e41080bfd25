"""Places where apps above goals add to goal and reflection pages, without goals importing
them.

The dependency rule (README, "Project layout") lets a higher app such as `observations` or
`resources` import goals, never the reverse. When a goals page should show something a
higher app owns, goals offers a registry here and the higher app adds itself to it in its
`AppConfig.ready()`.

`reflection_links`: callables `links(reflections, user) -> {reflection_pk: (label, url)}`.
Given the reflections a page shows (already scoped to what `user` may read), each returns
the links it knows about (a reflection written after a debrief, say), in one batch with a
fixed number of queries whatever the number of reflections. A link to something the reader
may not open must be left out.

`action_step_links`: the same for action steps: `links(steps, user) -> {step_pk: (label,
url)}` (an action step taken from a debrief's next step, say).

`goal_panels`: callables `panel(request, goal) -> str`, each returning HTML for the goal
page (rendered with the template engine, so already escaped; `""` to show nothing), after
the action steps. A panel sees a goal the reader may see (the page has checked that), with
`goal.participant`, its program and user loaded; it decides itself what of its own it may
show, and keeps its number of queries fixed.
"""

from django.utils.safestring import mark_safe

reflection_links = []
action_step_links = []
goal_panels = []


def links_for(registry, objects, user):
    """{pk: [(label, url), ...]} from every registered callable, in registration order."""
    found = {}
    objects = list(objects)
    if not objects:
        return found
    for links in registry:
        for pk, link in (links(objects, user) or {}).items():
            found.setdefault(pk, []).append(link)
    return found


def render_goal_panels(request, goal):
    """The registered panels' HTML for one goal page, in order."""
    return mark_safe("".join(str(panel(request, goal) or "") for panel in goal_panels))
