"""Each figure of the district impact page on a district made by hand (impact_data.py)."""

from decimal import Decimal

import pytest

from dashboards.impact import district_impact, suppress
from dashboards.models import ImpactFigure
from dashboards.rollups import refresh_district
from tests.dashboards.impact_data import build_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside():
    data = build_district()
    refresh_district(data.district)
    return data


def figures(data, **filters):
    return district_impact(data.district, school_year="2026-27", **filters)


def rows(table):
    return {row["label"]: (None if row["hidden"] else row["values"]) for row in table.rows}


def test_totals_count_the_years_activity(riverside):
    total = figures(riverside).total
    assert total["hidden"] is False
    assert total["values"] == {
        "people": 13, "checkins_held": 17, "cycles_closed": 2, "goals_achieved": 3,
        "reflections_written": 23, "hours_logged": 9.0, "release_hours": 6.0,
        "badges_awarded": 1}


def test_school_table_hides_a_small_school(riverside):
    schools = rows(figures(riverside).tables["schools"])
    # Cedar has 2 mentees; Hill's figures come from 3 mentors and no mentee.
    assert schools == {
        "Cedar Primary": None, "Hill Middle": None,
        "Lincoln Elementary": [6, 12, 2, 3, 13, 0.0, 0.0, 1],
        "Roosevelt Middle": [5, 5, 0, 0, 10, 0.0, 0.0, 0]}


def test_stage_table_hides_a_second_cell_when_a_total_would_reveal_the_first(riverside):
    stages = rows(figures(riverside).tables["stages"])
    # Only the mentors' stage is small; the early-career row (the next smallest) goes too,
    # or the total minus the new teachers' row would give the mentors' hours away.
    assert stages == {"New teacher (first year)": [8, 12, 2, 3, 13, 0.0, 0.0, 1],
                      "Early career (1-3 years)": None,
                      "Experienced (10+ years)": None}


def test_suppression_rules():
    assert suppress([10, 7, 2], 5) == {2, 1}  # the smallest shown joins the small one
    assert suppress([10, 7, 2, 3], 5) == {2, 3}  # two small cells protect each other
    assert suppress([10, 7], 5) == set()
    assert suppress([4], 5) == {0}


def test_program_table_and_filter(riverside):
    impact = figures(riverside, program=riverside.program)
    assert rows(impact.tables["programs"]) == {
        "Induction 2026-27": [13, 17, 2, 3, 23, 9.0, 6.0, 1]}


def test_school_filter_counts_that_school_only(riverside):
    impact = figures(riverside, school=riverside.lincoln)
    assert impact.total["values"]["people"] == 6
    assert impact.total["values"]["checkins_held"] == 12
    assert rows(impact.tables["months"]) == {
        "2026-09": [0, 0, 0, 7], "2026-10": [12, 0, 0, 0], "2027-01": [0, 2, 3, 0],
        "2027-02": [0, 0, 0, 0], "2027-03": [0, 0, 0, 6]}


def test_a_school_under_the_threshold_shows_nothing(riverside):
    impact = figures(riverside, school=riverside.cedar)
    assert impact.total["hidden"] is True
    assert impact.trend_chart is None
    assert impact.cost is None
    assert all(row["hidden"] for row in impact.tables["months"].rows)


def test_month_by_month_trend(riverside):
    impact = figures(riverside)
    assert rows(impact.tables["months"])["2026-10"] == [12, 0, 0, 0]
    assert rows(impact.tables["months"])["2026-11"] == [5, 0, 0, 0]
    assert impact.trend_chart["labels"] == ["2026-09", "2026-10", "2026-11", "2027-01",
                                            "2027-02", "2027-03"]


def test_confidence_is_the_mean_of_each_persons_mean(riverside):
    impact = figures(riverside)
    confidence = rows(impact.tables["confidence"])
    # September: Lincoln's six means 2, 2, 2, 2 (3 and 1), 3, 3 and Roosevelt's five 4s.
    assert confidence["Start of year (August to October)"] == [round(34 / 11, 2), 11]
    assert confidence["Mid-year (November to February)"] == [None, 0]
    assert confidence["End of year (March to July)"] == [4.0, 11]
    assert impact.confidence_chart["series"][0]["values"] == [3.09, None, 4.0]


def test_confidence_of_fewer_raters_than_the_threshold_is_hidden(riverside):
    riverside.district.anonymity_threshold = 12
    riverside.district.save()
    confidence = figures(riverside).tables["confidence"]
    assert [row["hidden"] for row in confidence.rows] == [True, False, True]
    assert figures(riverside).confidence_chart is None


def test_retention_against_teachers_in_no_program(riverside):
    retention = rows(figures(riverside).tables["retention"])
    # New teachers: 7 of 8 mentees stayed. The early-career comparison group is empty, so
    # the new teachers' comparison is hidden with it; the whole district's shows.
    assert retention["New teacher (first year)"] == [8, 87.5, None, None]
    assert retention["Early career (1-3 years)"] == [5, 100.0, None, None]
    assert retention["All career stages"] == [13, 92.3, 10, 70.0]


def test_retention_waits_for_the_next_years_staff_list(riverside):
    from dashboards.models import StaffYear

    StaffYear.objects.filter(school_year="2027-28").delete()
    refresh_district(riverside.district)
    assert figures(riverside).tables["retention"].rows == []


def test_cost_summary_with_an_hourly_cost(riverside):
    cost = figures(riverside, hourly_cost=Decimal("40.00")).cost
    assert cost == {"hours_logged": 9.0, "release_hours": 6.0, "hourly_cost": Decimal("40.00"),
                    "mentees": 13, "cost": Decimal("360"), "release_cost": Decimal("240"),
                    "cost_per_mentee": Decimal("28"), "retained": 12,
                    "cost_per_retained": Decimal("30")}


def test_cost_summary_without_an_hourly_cost_shows_hours(riverside):
    cost = figures(riverside).cost
    assert (cost["hours_logged"], cost["cost"], cost["cost_per_retained"]) == (9.0, None, None)


def test_a_program_threshold_above_the_districts_counts(riverside):
    riverside.program.anonymity_threshold = 14
    riverside.program.save()
    impact = figures(riverside, program=riverside.program)
    assert impact.threshold == 14
    assert impact.total["hidden"] is True


def test_another_school_year_has_its_own_figures(riverside):
    assert figures(riverside).total is not None
    assert district_impact(riverside.district, school_year="2025-26").total is None
    assert not ImpactFigure.objects.filter(school_year="2025-26").exists()
