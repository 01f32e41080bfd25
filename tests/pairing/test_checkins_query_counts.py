"""Check-in pages cost the same number of queries whatever the number of next steps."""

from datetime import datetime

import pytest
from django.urls import reverse

from pairing.models import CheckIn
from tests.pairing.days import CHICAGO, MONDAY_MORNING
from tests.pairing.factories import CheckInFactory, NextStepFactory
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

# Session, person, district (time zone), district roles (two-factor check); the check-in
# with its pairing, program and people; the page's list of next steps.
MAX_QUERIES = 6
# The check-in page also shows the panels of apps above pairing (pairing.extensions): the
# resource library's costs two, the resources attached and the suggestions; goals' one, the
# mentee's open goals (two more when there are some: the next steps, and which of them are
# already action steps).
MAX_DETAIL_QUERIES = MAX_QUERIES + 3
NOW = MONDAY_MORNING


def add_steps(checkin, size):
    pairing = checkin.pairing
    for i in range(size):
        owner = (pairing.mentor if i % 2 else pairing.mentee).user
        NextStepFactory(checkin=checkin, owner=owner,
                        description=f"Step {checkin.next_steps.count() + 1}")


def at(day):
    return datetime(2026, 11, day, 15, tzinfo=CHICAGO)


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_checkin_detail_does_a_fixed_number_of_queries(client, pair, role,
                                                       django_assert_max_num_queries):
    checkin = CheckInFactory(pairing=pair, scheduled_at=at(16), status=CheckIn.Status.HELD,
                             minutes_spent=30, whats_working="Routines",
                             recorded_by=pair.mentee.user, recorded_at=NOW)
    client.force_login(getattr(pair, role).user)
    url = reverse("pairing:checkin-detail", args=[checkin.pk])
    add_steps(checkin, 1)
    small = count_queries(client, url)
    add_steps(checkin, 19)

    with django_assert_max_num_queries(MAX_DETAIL_QUERIES):
        large = count_queries(client, url)
    assert large == small, (small, large)


def test_record_page_does_a_fixed_number_of_queries(client, pair,
                                                    django_assert_max_num_queries):
    earlier = CheckInFactory(pairing=pair, scheduled_at=at(9), status=CheckIn.Status.HELD)
    checkin = CheckInFactory(pairing=pair, scheduled_at=at(20))
    client.force_login(pair.mentor.user)
    url = reverse("pairing:checkin-record", args=[checkin.pk])
    add_steps(earlier, 1)
    small = count_queries(client, url)
    add_steps(earlier, 19)

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small, (small, large)
    assert "Step 20" in client.get(url).content.decode()
