"""The Django admin, for the installation's operators, leaves out what a pair wrote and
why someone asked for a rematch."""

import pytest
from django.urls import reverse

from pairing.services import pairings as service
from tests import factories
from tests.pairing.factories import CheckInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(people):
    user = factories.UserFactory(district=None, is_staff=True, is_superuser=True)
    factories.with_totp(user)
    return user


def test_operators_do_not_read_check_in_notes_or_rematch_reasons(client, operator, pair):
    checkin = CheckInFactory(pairing=pair, status="held", topics="Zanzibar conference",
                             whats_working="Quokka openings", challenges="Marmot hallway")
    rematch = service.request_rematch(pair, pair.mentee.user, reason="Narwhal schedules")
    client.force_login(operator)

    pages = [reverse("admin:pairing_checkin_change", args=[checkin.pk]),
             reverse("admin:pairing_rematchrequest_change", args=[rematch.pk]),
             reverse("admin:pairing_pairing_change", args=[pair.pk])]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for written in ["Zanzibar", "Quokka", "Marmot", "Narwhal",
                        'value="rematch_requested" selected']:
            assert written not in html, (url, written)
