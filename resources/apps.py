from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Resource library")

    def ready(self):
        from goals import extensions as goals_extensions
        from observations import extensions as observations_extensions
        from pairing import extensions as pairing_extensions
        from programs import extensions

        from . import permissions  # noqa: F401  registers the rules
        from .views_checkins import checkin_panel
        from .views_sessions import session_panel
        from .views_steps import debrief_panel, goal_panel

        if session_panel not in extensions.session_panels:
            extensions.session_panels.append(session_panel)
        if checkin_panel not in pairing_extensions.checkin_panels:
            pairing_extensions.checkin_panels.append(checkin_panel)
        if debrief_panel not in observations_extensions.debrief_panels:
            observations_extensions.debrief_panels.append(debrief_panel)
        if goal_panel not in goals_extensions.goal_panels:
            goals_extensions.goal_panels.append(goal_panel)
