import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.middleware import PersonalSettingsMiddleware
from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_use_the_persons_language_and_their_districts_time_zone():
    person = factories.UserFactory(district__time_zone="America/Denver",
                                   preferred_language="es")
    request = RequestFactory().get("/")
    request.user = person
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        seen["language"] = translation.get_language()
        return HttpResponse()

    PersonalSettingsMiddleware(view)(request)

    assert seen == {"zone": "America/Denver", "language": "es"}
    assert timezone.get_current_timezone_name() != "America/Denver"  # reset afterwards
