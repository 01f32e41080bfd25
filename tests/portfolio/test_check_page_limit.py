"""The public badge check page answers a limited number of requests a minute from one
client: past it, a friendly page (or, for a sent address, the form with the address kept and
a note next to it) with status 429, while other clients go on."""

import pytest
from django.urls import reverse

from tests.portfolio.factories import AwardFactory, BadgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(settings, program_people):
    settings.BADGE_CHECKS_PER_MINUTE = 3
    badge = BadgeFactory(district=program_people.program.district, name="Community builder")
    award = AwardFactory(badge=badge, recipient=program_people.mentee)
    return reverse("portfolio:verify", args=[award.public_id])


def test_a_client_past_the_limit_gets_a_friendly_page(client, url):
    for _ in range(3):
        assert client.get(url).status_code == 200

    response = client.get(url)

    assert response.status_code == 429
    assert "Too many checks" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60


def test_checking_addresses_counts_and_keeps_what_was_typed(client, url):
    for _ in range(3):
        client.post(url, {"email": "guess@example.org"})

    response = client.post(url, {"email": "another.guess@example.org"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many checks from your network" in page
    assert 'value="another.guess@example.org"' in page
    assert "this badge was not awarded" not in page


def test_another_client_is_not_held_back(client, url):
    for _ in range(4):
        client.get(url, REMOTE_ADDR="203.0.113.7")

    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_behind_a_proxy_the_client_is_the_one_the_proxy_names(client, url, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(4):
        client.get(url, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client.get(url, REMOTE_ADDR=proxy,
                      HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.get(url, REMOTE_ADDR=proxy,
                      HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200
