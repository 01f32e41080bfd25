"""The demo's observation cycles: the demo pair has one at every stage, with a trend to
draw; others give the coverage view something to count; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from observations.models import ObservationCycle, ObservationNote, Rating
from observations.views.overview import trend_chart

pytestmark = pytest.mark.django_db
Stage = ObservationCycle.Stage


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_pair_has_a_cycle_at_every_stage_and_a_second_run_changes_nothing():
    seed()
    mine = ObservationCycle.objects.filter(mentee__email="mentee@riverside.example.org",
                                           mentor__email="mentor@riverside.example.org")
    assert set(mine.values_list("stage", flat=True)) == {
        Stage.PLANNING, Stage.OBSERVING, Stage.DEBRIEF, Stage.REFLECTION, Stage.CLOSED}
    closed = mine.closed()
    assert closed.count() == 2
    assert all(c.debrief.is_shared and c.reflection_id for c in closed)
    assert not mine.get(stage=Stage.DEBRIEF).debrief.is_shared
    chart = trend_chart(mine)
    assert len(chart["labels"]) >= 2
    assert ObservationCycle.objects.overdue(timezone.localdate()).exists()
    counts = (ObservationCycle.objects.count(), ObservationNote.objects.count(),
              Rating.objects.count())

    second = seed()

    assert (ObservationCycle.objects.count(), ObservationNote.objects.count(),
            Rating.objects.count()) == counts
    assert "observationcycle" not in second.split("This run:")[1].split("\n")[0]
