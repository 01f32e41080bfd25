"""Survey results on the district impact page: response rates and the confidence question
by survey stage, per program, never for a school (answers carry none)."""

import pytest

from dashboards.impact import district_impact
from dashboards.rollups import refresh_district
from tests.dashboards.impact_data import build_district
from tests.surveys.factories import answer_all, open_survey

pytestmark = pytest.mark.django_db


def test_survey_results_by_program(time_machine):
    from surveys.shipped import ensure_shipped_templates

    ensure_shipped_templates()  # put back if a browser test emptied the tables
    time_machine.move_to("2026-09-08 15:00:00Z")
    data = build_district()
    answer_all(open_survey(data.program, None, key="mentee-baseline"), value=3)
    refresh_district(data.district)
    table = district_impact(data.district, school_year="2026-27").tables["surveys"]
    assert [(row["label"], row["hidden"], row["values"]) for row in table.rows] == [
        ("Induction 2026-27", False, [13, 13, 100.0, 3.0, None, None])]
    # A school's page has no survey figures: answers are not linked to schools.
    assert district_impact(data.district, school_year="2026-27",
                           school=data.lincoln).tables["surveys"].rows == []
