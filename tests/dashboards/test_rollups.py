"""The roll-up: the same figures as counting live, the same figures when run twice, and a
beat tick that keeps every district's figures fresh."""

import pytest
from django.db.models import Count, Sum

from dashboards.models import ImpactFigure, ImpactRollup
from dashboards.rollups import refresh_district
from dashboards.tasks import refresh_district_impact, refresh_impact
from goals.models import Goal, Reflection
from observations.models import ObservationCycle
from pairing.models import CheckIn
from programs.models import TimeLog
from tests.dashboards.impact_data import build_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside():
    data = build_district()
    refresh_district(data.district)
    return data


def stored(grouping, **where):
    return ImpactFigure.objects.get(school_year="2026-27", grouping=grouping, **where)


def test_rollup_equals_counting_live(riverside):
    program = riverside.program
    total = stored("all")
    assert total.checkins_held == CheckIn.objects.filter(
        pairing__program=program, status="held").count()
    assert total.cycles_closed == ObservationCycle.objects.filter(
        program=program, stage="closed").count()
    assert total.goals_achieved == Goal.objects.filter(
        participant__program=program, state="achieved").count()
    assert total.reflections_written == Reflection.objects.filter(program=program).count()
    assert total.minutes_logged == TimeLog.objects.filter(program=program).aggregate(
        n=Sum("minutes"))["n"]
    live_by_school = dict(CheckIn.objects.filter(pairing__program=program, status="held")
                          .values_list("pairing__mentee__school").annotate(n=Count("pk")))
    rolled = dict(ImpactFigure.objects.filter(grouping="school").exclude(checkins_held=0)
                  .values_list("school", "checkins_held"))
    assert rolled == live_by_school


def test_rollup_confidence_equals_the_programs_monthly_average(riverside):
    # The ratings fall in September (start of year) and March (end of year) only, so each
    # part of the year's figure is that month's program average.
    months = {month.month: (average, authors) for month, average, authors
              in Reflection.objects.confidence_by_month(riverside.program)}
    for phase, month in (("baseline", 9), ("end", 3)):
        figure = stored("phase", phase=phase)
        assert (round(figure.confidence_total / figure.confidence_people, 2),
                figure.confidence_people) == months[month]


def test_refreshing_twice_gives_the_same_figures(riverside):
    def snapshot():
        return sorted(ImpactFigure.objects.values_list(
            "grouping", "program", "school", "career_stage", "month", "phase", "people",
            "checkins_held", "reflections_written", "mentees_on_staff", "others_stayed"),
            key=str)

    first = snapshot()
    refresh_district(riverside.district)
    assert snapshot() == first
    assert ImpactRollup.objects.filter(district=riverside.district).count() == 1


def test_new_activity_shows_after_the_next_refresh(riverside):
    from tests.pairing.factories import CheckInFactory

    CheckInFactory(pairing=riverside.pairings["lincoln"][0], status="held")
    assert stored("all").checkins_held == 17
    refresh_district_impact(riverside.district.pk)
    assert stored("all").checkins_held == 18


def test_beat_tick_refreshes_each_district_with_programs(riverside):
    from tests import factories

    factories.DistrictFactory(name="No programs yet")
    ImpactRollup.objects.all().delete()
    assert refresh_impact() == 1  # tasks run eagerly in the test settings
    assert ImpactRollup.objects.get().district == riverside.district


def test_refresh_of_a_district_that_is_gone_does_nothing():
    assert refresh_district_impact(999_999) == 0.0


def test_refresh_through_a_real_worker(celery_worker, riverside):
    from tests.conftest import wait_for

    ImpactRollup.objects.all().delete()
    refresh_district_impact.delay(riverside.district.pk)
    wait_for(lambda: ImpactRollup.objects.filter(district=riverside.district).exists())


def test_beat_schedule_ticks_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-impact"]
    assert (entry["task"], entry["schedule"]) == ("dashboards.refresh_impact", 300)
