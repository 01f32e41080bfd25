from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "observations"
    verbose_name = _("Observations")

    def ready(self):
        from mentorship import home
        from programs import extensions

        from . import permissions  # noqa: F401  registers the rules
        from .panels import home_panel, program_tabs

        if program_tabs not in extensions.program_tabs:
            extensions.program_tabs.append(program_tabs)
        if home_panel not in home.home_panels:
            home.home_panels.append(home_panel)
