from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from programs import extensions

        from .views import program_tabs

        if program_tabs not in extensions.program_tabs:
            extensions.program_tabs.append(program_tabs)
