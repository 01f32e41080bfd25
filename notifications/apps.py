from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from programs import extensions as program_extensions

        from . import (
            permissions,  # noqa: F401  registers the rules
            preview,  # noqa: F401  registers its task with the workers
        )
        from .panels import program_tabs

        # Every app's reminders.py registers its kinds in mentorship.reminders.kinds.
        autodiscover_modules("reminders")
        if program_tabs not in program_extensions.program_tabs:
            program_extensions.program_tabs.append(program_tabs)
