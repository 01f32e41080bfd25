import zoneinfo

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _


class PersonalSettingsMiddleware:
    """Pages in the person's language and their district's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
            if user.district_id:
                timezone.activate(zoneinfo.ZoneInfo(user.district.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequireTwoFactorForAdminsMiddleware:
    """Admins see whole schools or districts: until they set up an authenticator app, every
    page but the account pages sends them to set it up."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/language/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(self.ALLOWED_PREFIXES)
            and user.needs_two_factor
            and not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(request, _(
                "Your role lets you see a whole school or district, so your account needs "
                "two-factor authentication. Set up an authenticator app to continue."
            ))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
