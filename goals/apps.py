from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Goals and reflections")

    def ready(self):
        from . import permissions  # noqa: F401  registers the rules
