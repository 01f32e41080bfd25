"""The district impact page, its exports, the board report and the hourly cost: who may
open them, what they show, what bad input gets, and what they cost in queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.models import ImpactRollup, ImpactSettings
from dashboards.rollups import refresh_district
from tests import factories
from tests.dashboards.impact_data import SECRET, build_district
from tests.pairing.factories import CheckInFactory, PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

DISTRICT = reverse("dashboards:district")
REPORT = reverse("dashboards:report")
MAX_QUERIES = 15


@pytest.fixture
def riverside(people):
    data = build_district(people.district)
    refresh_district(data.district)
    return data


def export(table):
    return reverse("dashboards:district-export", args=[table])


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("url", [DISTRICT, REPORT])
def test_who_opens_the_impact_pages(assert_access, riverside, url):
    # The outsider is a district admin elsewhere: their own district's page, never ours.
    assert_access(url, {"district_admin": 200, "school_admin": 200, "teacher": 404,
                        "colleague": 404, "outsider": 200})


@pytest.mark.parametrize("table", ["schools", "retention", "cost"])
def test_who_downloads_the_impact_tables(assert_access, riverside, table):
    # The outsider's district has no program, so nothing to download.
    assert_access(export(table), {"district_admin": 200, "school_admin": 200, "teacher": 404,
                                  "colleague": 404, "outsider": 404})


def test_a_mentor_or_coordinator_without_an_admin_role_gets_404(client, riverside):
    coordinator = ParticipantFactory(program=riverside.program, role="coordinator",
                                     user=factories.teacher(riverside.hill))
    for user in (riverside.mentors[0].user, coordinator.user):
        client.force_login(user)
        assert client.get(DISTRICT).status_code == 404
        assert client.get(export("programs")).status_code == 404


def test_nobody_sees_another_districts_figures(client, people, riverside):
    client.force_login(people.outsider)
    ProgramFactory(district=people.outsider.district, name="Their own program")
    refresh_district(people.outsider.district)
    for url in (DISTRICT, REPORT, export("programs"), export("schools")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Induction 2026-27" not in body(response)
        assert "Lincoln Elementary" not in body(response)
    # Naming our program in the filter does not open it either.
    response = client.get(DISTRICT, {"program": riverside.program.pk})
    assert response.status_code == 400
    assert "Choose a program from the list." in response.content.decode()


def test_district_admin_sees_every_school_and_the_figures(client, people, riverside):
    client.force_login(people.district_admin)
    page = client.get(DISTRICT).content.decode()
    for text in ("Induction 2026-27", "Lincoln Elementary", "Roosevelt Middle",
                 "Cedar Primary", "Figures computed", "Check-ins held"):
        assert text in page
    assert "Not shown: fewer than 5 people" in page


def test_school_admin_sees_only_their_school(client, people, riverside):
    admin = factories.school_admin(riverside.lincoln)
    client.force_login(admin)
    page = client.get(DISTRICT).content.decode()
    assert "Mentoring impact at Lincoln Elementary" in page
    assert "Lincoln Elementary" in page
    assert "Roosevelt Middle" not in page
    assert "Cedar Primary" not in page
    # Another school of the district, asked for by number: refused with a message.
    response = client.get(DISTRICT, {"school": riverside.roosevelt.pk})
    assert response.status_code == 400
    assert "Choose a school from the list." in response.content.decode()
    csv = body(client.get(export("schools"), {"school": riverside.roosevelt.pk}))
    assert "Roosevelt" not in csv


def test_school_admin_export_is_their_school(client, riverside):
    client.force_login(factories.school_admin(riverside.lincoln))
    csv = body(client.get(export("schools")))
    assert csv.splitlines()[1].startswith("Lincoln Elementary,6,12,2,3,13")
    assert len(csv.splitlines()) == 2


@pytest.mark.parametrize("role", ["district_admin", "school_admin"])
def test_no_page_or_export_shows_what_anyone_wrote(as_role, riverside, role):
    client = as_role(role)
    urls = [DISTRICT, REPORT] + [export(t) for t in ("programs", "schools", "stages", "months",
                                                     "confidence", "retention", "cost")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in body(response), url


def test_csv_export_of_the_program_table(client, people, riverside):
    client.force_login(people.district_admin)
    response = client.get(export("programs"))
    assert response["Content-Type"].startswith("text/csv")
    assert body(response).splitlines() == [
        "Program,Mentees,Check-ins held,Observation cycles done,Goals achieved,"
        "Reflections written,Hours logged,Release hours,Badges awarded",
        "Induction 2026-27,13,17,2,3,23,9.0,6.0,1"]


def test_csv_export_says_which_cells_are_suppressed(client, people, riverside):
    client.force_login(people.district_admin)
    lines = body(client.get(export("schools"))).splitlines()
    assert lines[1].startswith("Cedar Primary,suppressed,suppressed")


def test_an_unknown_table_is_404(client, people, riverside):
    client.force_login(people.district_admin)
    assert client.get(export("salaries")).status_code == 404


@pytest.mark.parametrize("params, message", [
    ({"program": "abc"}, "Choose a program from the list."),
    ({"program": "999999"}, "Choose a program from the list."),
    ({"school": "x"}, "Choose a school from the list."),
    ({"school_year": "1999-00"}, "Select a valid choice."),
])
def test_bad_filters_get_a_message_not_an_error(client, people, riverside, params, message):
    client.force_login(people.district_admin)
    for url in (DISTRICT, REPORT, export("programs")):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert message in response.content.decode(), url


def test_a_program_of_another_school_year_is_explained(client, people, riverside):
    earlier = ProgramFactory(district=people.district, name="Induction 2025-26",
                             school_year="2025-26")
    client.force_login(people.district_admin)
    response = client.get(DISTRICT, {"program": earlier.pk, "school_year": "2026-27"})
    assert response.status_code == 400
    assert "This program runs in 2025-26" in response.content.decode()
    # Choosing the program alone picks its school year.
    assert client.get(DISTRICT, {"program": earlier.pk}).status_code == 200


def test_filters_by_program_and_school(client, people, riverside):
    client.force_login(people.district_admin)
    response = client.get(DISTRICT, {"program": riverside.program.pk,
                                     "school": riverside.lincoln.pk, "school_year": "2026-27"})
    assert response.status_code == 200
    impact = response.context["impact"]
    assert impact.total["values"]["checkins_held"] == 12


def test_district_admin_sets_the_hourly_cost(client, people, riverside):
    client.force_login(people.district_admin)
    response = client.post(reverse("dashboards:hourly-cost"), {"hourly_cost": "40.00"})
    assert response.status_code == 302
    page = client.get(DISTRICT).content.decode()
    assert "Cost per mentee retained" in page
    assert ImpactSettings.objects.get(district=people.district).updated_by == people.district_admin


@pytest.mark.parametrize("value, message", [
    ("-5", "Ensure this value is greater than or equal to 0."), ("lots", "Enter a number.")])
def test_a_bad_hourly_cost_is_explained_and_kept(client, people, riverside, value, message):
    client.force_login(people.district_admin)
    response = client.post(reverse("dashboards:hourly-cost"), {"hourly_cost": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page


def test_who_sets_the_hourly_cost(assert_access, riverside):
    assert_access(reverse("dashboards:hourly-cost"), {
        "district_admin": 302, "school_admin": 404, "teacher": 404, "colleague": 404,
        "outsider": 302}, method="post", data={"hourly_cost": "35"})
    # The outsider set their own district's cost, not ours.
    assert ImpactSettings.objects.get(district=riverside.district).hourly_cost == 35


def test_the_page_says_when_figures_are_old_and_asks_for_new_ones(client, people, riverside,
                                                                  django_capture_on_commit_callbacks):
    ImpactRollup.objects.filter(district=people.district).update(
        computed_at=timezone.now() - timedelta(minutes=20))
    client.force_login(people.district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(DISTRICT).content.decode()
    assert "more than 15 minutes old" in page
    # The refresh ran (tasks run eagerly here): the figures are fresh again.
    assert "more than 15 minutes old" not in client.get(DISTRICT).content.decode()


def test_a_district_without_figures_yet_says_they_are_being_counted(client, people):
    ProgramFactory(district=people.district)
    client.force_login(people.district_admin)
    page = client.get(DISTRICT).content.decode()
    assert "being counted for the first time" in page


def test_the_report_has_no_navigation(client, people, riverside):
    client.force_login(people.district_admin)
    page = client.get(REPORT).content.decode()
    assert "<nav" not in page
    assert "Mentoring impact in" in page
    assert "Download as CSV" not in page


def _grow(data, count):
    """More mentees, schools and activity: the page's cost must not change."""
    for i in range(count):
        school = factories.SchoolFactory(district=data.district, name=f"Grown school {i}")
        for _ in range(2):
            mentee = ParticipantFactory(program=data.program, role="mentee",
                                        user=factories.teacher(school))
            pairing = PairingFactory(mentor=data.mentors[0], mentee=mentee)
            CheckInFactory(pairing=pairing, status="held")
    refresh_district(data.district)


@pytest.mark.parametrize("url", [DISTRICT, REPORT, export("schools")])
def test_query_count_does_not_grow_with_the_district(client, people, riverside, url):
    client.force_login(people.district_admin)
    small = count_queries(client, url)
    _grow(riverside, 8)
    assert count_queries(client, url) == small
    assert small <= MAX_QUERIES


def test_school_admin_query_count_does_not_grow(client, riverside):
    client.force_login(factories.school_admin(riverside.lincoln))
    small = count_queries(client, DISTRICT)
    _grow(riverside, 5)
    assert count_queries(client, DISTRICT) == small
