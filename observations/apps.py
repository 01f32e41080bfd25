from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "observations"
    verbose_name = _("Observations")

    def ready(self):
        from goals import extensions as goals
        from mentorship import home
        from pairing import calendar
        from programs import extensions

        from . import permissions  # noqa: F401  registers the rules
        from .calendar import calendar_events
        from .panels import (
            action_step_links,
            goal_panel,
            home_panel,
            program_tabs,
            reflection_links,
        )

        if program_tabs not in extensions.program_tabs:
            extensions.program_tabs.append(program_tabs)
        if home_panel not in home.home_panels:
            home.home_panels.append(home_panel)
        if calendar_events not in calendar.event_sources:
            calendar.event_sources.append(calendar_events)
        for registry, entry in ((goals.reflection_links, reflection_links),
                                (goals.action_step_links, action_step_links),
                                (goals.goal_panels, goal_panel)):
            if entry not in registry:
                registry.append(entry)
