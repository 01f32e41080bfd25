from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People, districts and schools")

    def ready(self):
        from . import permissions  # noqa: F401  registers the rules, for commands and tasks too
