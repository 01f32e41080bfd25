from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goals and reflections")

    def ready(self):
        from mentorship import home
        from pairing import extensions as pairing_extensions
        from programs import extensions as program_extensions

        from . import permissions  # noqa: F401  registers the rules
        from .panels import checkin_panel, home_panel, program_tabs

        for registry, entry in ((home.home_panels, home_panel),
                                (pairing_extensions.checkin_panels, checkin_panel),
                                (program_extensions.program_tabs, program_tabs)):
            if entry not in registry:
                registry.append(entry)
