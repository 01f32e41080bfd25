"""Changing the plan once the observation stage has begun: the due date follows the new
day, and ratings on look-fors no longer chosen are removed (notes stay)."""

import uuid

import pytest
from django.urls import reverse

from observations.models import ObservationCycle, Rating
from observations.services import cycles as services
from tests.observations.factories import CycleFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
Stage = ObservationCycle.Stage


@pytest.fixture
def observing(pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.OBSERVING,
                         scheduled_at=local(2026, 11, 23, 9), due_on="2026-11-23")
    first, second = cycle.look_fors.order_by("domain__position", "position")
    level = cycle.template_version.levels.first()
    services.save_ratings(cycle=cycle, rated_by=cycle.mentor,
                          levels={first.pk: level.pk, second.pk: level.pk})
    services.add_note(cycle=cycle, author=cycle.mentor, client_id=uuid.uuid4(),
                      text="Line-up took four minutes", indicator=first)
    return cycle, first, second


def test_replanning_while_observing_moves_the_due_date_and_drops_ratings_of_dropped_look_fors(
        client, observing):
    cycle, first, second = observing
    client.force_login(cycle.mentor)

    response = client.post(reverse("observations:cycle-plan", args=[cycle.pk]), {
        "focus": "Transitions", "lesson_context": "", "look_fors": [second.pk],
        "scheduled_at": "2026-12-04T10:00", "duration_minutes": 45, "location": ""},
        follow=True)

    assert "1 rating on a look-for no longer chosen was removed." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.due_on.isoformat() == "2026-12-04"
    assert list(Rating.objects.filter(cycle=cycle).values_list("indicator", flat=True)) == [
        second.pk]
    assert cycle.notes.get().text == "Line-up took four minutes"
    # Not overdue on the day after the old time.
    assert not ObservationCycle.objects.overdue(local(2026, 11, 24).date()).exists()


def test_the_time_of_a_begun_observation_is_not_cleared(client, observing):
    cycle, first, second = observing
    client.force_login(cycle.mentor)

    response = client.post(reverse("observations:cycle-plan", args=[cycle.pk]), {
        "focus": "Transitions", "lesson_context": "", "look_fors": [first.pk, second.pk],
        "scheduled_at": "", "duration_minutes": 45, "location": ""})

    assert response.status_code == 400
    assert "The observation has begun: keep its date and time." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.scheduled_at == local(2026, 11, 23, 9)
