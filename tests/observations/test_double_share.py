"""Sharing a cycle twice at once (a double click) keeps one share and answers with a
message, never an error page."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from observations.models import CycleShare, CycleShareQuerySet
from observations.services import cycles as services
from tests.observations.factories import full_cycle

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.mark.django_db
def test_a_share_arriving_while_the_same_share_is_stored_keeps_one(
        client, pair, program_people, monkeypatch):
    cycle = full_cycle(pair)
    coordinator = program_people.coordinator
    first = services.share_cycle(cycle=cycle, shared_by=cycle.mentee, recipient=coordinator)
    # The second click looked before the first one's share was stored.
    real_live, looks = CycleShareQuerySet.live, []

    def live(queryset):
        looks.append(1)
        return queryset.none() if len(looks) == 1 else real_live(queryset)

    monkeypatch.setattr(CycleShareQuerySet, "live", live)
    client.force_login(cycle.mentee)

    response = client.post(reverse("observations:sharing", args=[cycle.pk]),
                           {"recipient": coordinator.pk}, follow=True)

    assert response.status_code == 200
    assert "can now read this cycle" in response.content.decode()
    assert list(CycleShare.objects.filter(revoked_at__isnull=True)) == [first]


@pytest.mark.django_db(transaction=True)
def test_two_shares_at_once_keep_one(pair, program_people):
    cycle = full_cycle(pair)
    recipient = program_people.coordinator
    start = threading.Barrier(2, timeout=10)
    shares, errors = [], []

    def share():
        try:
            start.wait()
            shares.append(services.share_cycle(cycle=cycle, shared_by=cycle.mentee,
                                               recipient=recipient))
        except Exception as error:  # any error is the failure shown below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=share) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({s.pk for s in shares}) == 1
    assert CycleShare.objects.filter(revoked_at__isnull=True).count() == 1
