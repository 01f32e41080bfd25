import pytest
from django.test import RequestFactory

from mentorship import views


@pytest.mark.django_db
def test_an_unknown_page_gets_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_the_server_error_page_renders_without_the_database():
    # No database fixture: any query would fail this test.
    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
