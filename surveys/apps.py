from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from mentorship import home
        from programs import extensions as program_extensions

        from . import permissions  # noqa: F401  registers the rules
        from .panels import home_panel, program_tabs

        for registry, entry in ((home.home_panels, home_panel),
                                (program_extensions.program_tabs, program_tabs)):
            if entry not in registry:
                registry.append(entry)
