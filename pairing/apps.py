from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "pairing"
    verbose_name = _("Pairing")

    def ready(self):
        from programs import extensions

        from . import permissions  # noqa: F401  registers the rules
        from .tabs import program_tabs
        from .views.calendar import session_panel

        if session_panel not in extensions.session_panels:
            extensions.session_panels.append(session_panel)
        if program_tabs not in extensions.program_tabs:
            extensions.program_tabs.append(program_tabs)
