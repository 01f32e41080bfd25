"""An observation is planned for school hours: it starts between 06:00 and 20:00 in the
district's time zone and ends the same day; otherwise the form says so next to the field
and keeps what was typed."""

import pytest
from django.urls import reverse

from observations.models import ObservationCycle
from tests.observations.factories import CycleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def planning(pair):
    return CycleFactory(pairing=pair, look_fors=[])


def plan(client, cycle, when, minutes=45):
    look_for = cycle.template_version.domains.first().indicators.first()
    client.force_login(cycle.mentor)
    return client.post(reverse("observations:cycle-plan", args=[cycle.pk]), {
        "focus": "Wait time", "lesson_context": "", "look_fors": [look_for.pk],
        "scheduled_at": when, "duration_minutes": minutes, "location": "Room 4"})


@pytest.mark.parametrize("when", ["2026-11-24T03:00", "2026-11-24T05:59",
                                  "2026-11-24T20:01", "2026-11-24T23:30"])
def test_a_time_outside_the_school_day_is_refused_next_to_the_field(client, planning, when):
    response = plan(client, planning, when)

    assert response.status_code == 400
    form = response.context["form"]
    assert "is outside the school day: choose a time between 06:00 and 20:00" in (
        form.errors["scheduled_at"][0])
    assert "America/Chicago" in form.errors["scheduled_at"][0]
    assert when in response.content.decode()
    assert ObservationCycle.objects.get().scheduled_at is None


def test_an_observation_that_would_run_past_midnight_is_refused(client, planning):
    response = plan(client, planning, "2026-11-24T20:00", minutes=240)

    assert response.status_code == 400
    assert "would end after midnight" in response.context["form"].errors["duration_minutes"][0]
    assert ObservationCycle.objects.get().scheduled_at is None


@pytest.mark.parametrize("when", ["2026-11-24T06:00", "2026-11-24T10:15", "2026-11-24T20:00"])
def test_a_time_in_the_school_day_is_taken(client, planning, when):
    assert plan(client, planning, when).status_code == 302
    assert ObservationCycle.objects.get().scheduled_at is not None
