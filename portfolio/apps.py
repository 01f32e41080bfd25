from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Badges and portfolio")

    def ready(self):
        from mentorship import home
        from programs import extensions

        from . import permissions  # noqa: F401  registers the rules
        from .panels import home_panel, program_tabs

        if home_panel not in home.home_panels:
            home.home_panels.append(home_panel)
        if program_tabs not in extensions.program_tabs:
            extensions.program_tabs.append(program_tabs)
