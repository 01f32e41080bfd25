"""Forms sent after the world changed, or with input no form offers: a clear answer, never
a 500, and what was typed is kept."""

import pytest
from django.urls import reverse

from pairing.models import Pairing
from pairing.services import pairings as service
from tests.pairing.factories import CheckInFactory

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_pairing_search_is_refused_next_to_the_box(client, pair, program_people):
    client.force_login(program_people.coordinator)

    response = client.get(reverse("pairing:pairings", args=[pair.program_id]),
                          {"q": "ab\x00c"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Null characters are not allowed" in html
    assert pair.mentee.user.display_name in html


def test_a_feed_address_that_no_token_can_have_is_not_found(client):
    assert client.get("/calendar/abc%00def.ics").status_code == 404


def test_a_rematch_request_sent_after_the_pairing_ended_keeps_the_reason(client, pair,
                                                                        program_people):
    service.end_pairing(pair, program_people.coordinator, reason="completed")
    client.force_login(program_people.mentee)

    response = client.post(reverse("pairing:rematch-request", args=[pair.pk]),
                           {"reason": "Our schedules never line up"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot take a rematch request" in html and "Our schedules never line up" in html


def test_a_second_pause_says_the_pairing_is_already_paused(client, pair, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:pairing-status", args=[pair.pk])
    first = client.post(url, {"action": "pause", "note": "Leave"}, follow=True)
    assert "Check-ins still to come are cancelled" in first.content.decode()

    again = client.post(url, {"action": "pause", "note": "Leave until March"})

    assert again.status_code == 400
    html = again.content.decode()
    assert "Only an active pairing can be paused" in html and "Leave until March" in html
    assert Pairing.objects.get(pk=pair.pk).status == Pairing.Status.PAUSED


def test_the_pairing_page_pages_through_a_long_history_of_check_ins(client, pair,
                                                                   program_people):
    for _ in range(25):
        CheckInFactory(pairing=pair, status="held")
    client.force_login(program_people.mentee)
    url = reverse("pairing:pairing-detail", args=[pair.pk])

    assert "Page 1 of 2" in client.get(url).content.decode()
    assert "Page 2 of 2" in client.get(url, {"page": "2"}).content.decode()
