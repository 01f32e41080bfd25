"""A form sent after its session changed: a whole page for a plain request, a short notice
at the top of the page for an htmx request (never an error page inside a card)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories


@pytest.fixture
def checked_client(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.teacher(factories.SchoolFactory()))
    return client


def test_a_plain_form_without_a_valid_token_gets_the_expired_form_page(checked_client):
    response = checked_client.post(reverse("set_language"), {"language": "es"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert "<html" in page


def test_an_htmx_request_without_a_valid_token_gets_a_notice_not_a_page(checked_client):
    response = checked_client.post(
        reverse("set_language"), {"language": "es"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/programs/"},
    )

    page = response.content.decode()
    assert "Your session expired; reload the page." in page
    assert "<html" not in page and "<nav" not in page
    # The page's script swaps this answer on top of the page's content.
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#main"
    assert response.headers["HX-Reswap"] == "afterbegin"
    assert 'href="http://testserver/programs/"' in page


def test_the_reload_link_never_points_to_another_site(checked_client):
    response = checked_client.post(
        reverse("set_language"), {"language": "es"},
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example.com/"},
    )

    page = response.content.decode()
    assert "Your session expired; reload the page." in page
    assert "evil.example.com" not in page
