"""Checks `manage.py check --deploy` runs: settings a production site must not keep."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_public_https(app_configs, **kwargs):
    """Links in emails (invitations, password resets) are built from SITE_URL."""
    if settings.SITE_URL.startswith("https://") and "127.0.0.1" not in settings.SITE_URL \
            and "localhost" not in settings.SITE_URL:
        return []
    return [Error(
        f"SITE_URL is {settings.SITE_URL!r}: emails would link there.",
        hint="Set SITE_URL to the site's public https address, "
             "for example https://mentoring.example.org.",
        id="mentorship.E001",
    )]
