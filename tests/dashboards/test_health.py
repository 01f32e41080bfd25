"""Program health: each figure right on the hand-made program (tests/dashboards/factories),
who may open the page and its exports, what each of them sees, and bad filters."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import health
from tests.dashboards.conftest import HEALTH_ROLES
from tests.dashboards.factories import SECRETS, TODAY
from tests.pairing.days import CHICAGO

pytestmark = pytest.mark.django_db


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def figures(response):
    """The figures the page shows, by name: {"active": "4", ...}."""
    return {name: text(value) for name, value in re.findall(
        r'data-figure="([^"]+)">(.*?)</(?:dd|p)>', response.content.decode(), re.S)}


def risk_rows(response):
    """The at-risk table: {mentee's name: [the reasons given]}."""
    html = response.content.decode()
    table = html.split('id="risk-heading"')[1].split('id="overdue-list-heading"')[0]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\".*?</tr>", table, re.S):
        name = text(re.search(r"<a [^>]*>(.*?)</a>", row).group(1))
        rows[name] = sorted(re.findall(r'data-reason="([^"]+)"', row))
    return rows


def url(scene, **params):
    base = reverse("dashboards:program-health", args=[scene.program.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def export(client, scene, table):
    response = client.get(reverse("dashboards:program-health-export",
                                  args=[scene.program.pk, table]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_coordinators_figures(client, scene, program_people):
    client.force_login(program_people.coordinator)
    response = client.get(url(scene))

    assert response.status_code == 200
    assert figures(response) == {
        "active": "4", "paused": "1", "unmatched": "1", "applicants": "1",
        # Ann, Cal and Dee met in the last four weeks; 4 pairings x 28 days / 14.
        "held": "3 of 8 the cadence asks", "overdue": "1", "not-met": "1",
        "not-observed": "3", "at-risk": "3", "risk-confidence": "1",
        # Cal's two entries shared with his mentor in the last four weeks; the private ones
        # count nowhere; one of them is answered.
        "reflections": "2", "writers": "1", "awaiting": "1",
        "surveys": "No survey invitations yet.",
    }


def test_the_at_risk_list_gives_each_reason(client, scene, program_people):
    client.force_login(program_people.coordinator)
    rows = risk_rows(client.get(url(scene)))

    assert rows == {"Bea": ["no_checkin"], "Cal": ["confidence"],
                    "Dee": ["missed_sessions", "rematch"]}


def test_overdue_pairings_say_by_how_many_days(client, scene, program_people):
    client.force_login(program_people.coordinator)
    html = client.get(url(scene)).content.decode()

    assert re.findall(r"<td data-overdue-days>(\d+)</td>", html) == ["10"]
    assert export(client, scene, "overdue")[1:] == [
        ["Bea", "Bea's mentor", "Roosevelt Middle", "2026-11-27", "10"]]


def test_a_private_rating_does_not_lift_a_falling_confidence(scene):
    with timezone.override(CHICAGO):
        flagged = health.flags_now(health.scoped_pairings(scene.program.participants.get(
            role="coordinator").user, scene.program), [scene.program],
            health.Window(TODAY, 4))
        cal = flagged.get(pk=scene.cal.pk)

    assert (cal.prior_confidence, cal.recent_confidence) == (4.0, 2.5)


def test_the_window_moves_the_figures(client, scene, program_people):
    client.force_login(program_people.coordinator)

    # In six weeks Bea was met too (40 days ago); Dee missed a third session.
    shown = figures(client.get(url(scene, weeks=6)))
    assert (shown["not-met"], shown["held"]) == ("0", "4 of 12 the cadence asks")


def test_cycles_goals_checkins_and_time_tables(client, scene, program_people):
    client.force_login(program_people.coordinator)

    # Fall: Ann's closed cycle and the one in planning; the aim is 2 per active pairing.
    assert export(client, scene, "cycles")[1:] == [
        ["Fall", "2026-08-17", "2026-12-18", "2", "1", "8"],
        ["Spring", "2027-01-04", "2027-06-11", "0", "0", "8"]]
    assert export(client, scene, "goals")[1:] == [
        ["Draft", "1"], ["Active", "1"], ["Achieved", "1"], ["Dropped", "0"]]
    checkins = export(client, scene, "checkins")
    assert checkins[0] == ["Month", "Check-ins held", "Expected by the cadence"]
    # Bea met on Oct. 28, the others in December. Five pairings started on Sep. 1 (the
    # paused one too: a pairing may resume), none before; December counts up to today.
    assert checkins[1:] == [["2026-08", "0", "0"], ["2026-09", "0", "11"],
                            ["2026-10", "1", "11"], ["2026-11", "0", "11"],
                            ["2026-12", "3", "2"]]
    # 120 minutes a month for each active mentor and mentee (five pairs, the paused one
    # too, and Fay: 11 people; not the coordinator, rep or applicant) = 22 hours.
    assert export(client, scene, "time")[1:] == [
        ["2026-08", "0.0", "22.0"], ["2026-09", "0.0", "22.0"], ["2026-10", "0.0", "22.0"],
        ["2026-11", "2.5", "22.0"], ["2026-12", "0.8", "22.0"]]


def test_who_may_open_the_health_page(scene, as_health_role):
    seen = {role: as_health_role(role).get(url(scene)).status_code for role in HEALTH_ROLES}

    assert seen == {"coordinator": 200, "mentor": 404, "mentee": 404, "school_rep": 404,
                    "district_admin": 200, "school_admin": 200, "other_participant": 404,
                    "outsider": 404, "anonymous": 302}


@pytest.mark.parametrize("table", health_tables := ["overdue", "at-risk", "checkins", "cycles",
                                                    "goals", "time"])
def test_who_may_download_each_table(scene, as_health_role, table):
    link = reverse("dashboards:program-health-export", args=[scene.program.pk, table])
    seen = {role: as_health_role(role).get(link).status_code for role in HEALTH_ROLES}

    runs = 200 if table != "at-risk" else 404  # admins see how many are flagged, not who
    assert seen == {"coordinator": 200, "mentor": 404, "mentee": 404, "school_rep": 404,
                    "district_admin": runs, "school_admin": runs, "other_participant": 404,
                    "outsider": 404, "anonymous": 302}


def test_an_unknown_table_is_not_found(client, scene, program_people):
    client.force_login(program_people.coordinator)
    link = reverse("dashboards:program-health-export", args=[scene.program.pk, "notes"])

    assert client.get(link).status_code == 404


def test_admins_see_how_many_are_at_risk_not_who(client, scene, people):
    client.force_login(people.district_admin)
    response = client.get(url(scene))

    # Bea and Dee; with four active pairings, under the threshold of five, Cal's falling
    # confidence would point at him: it is not counted for an admin.
    assert figures(response)["at-risk"] == "2"
    assert figures(response)["risk-confidence"] == "Not shown for fewer than 5 pairings"
    assert risk_rows(response) == {}
    assert "Bea" not in response.content.decode().split('id="risk-heading"')[1].split(
        'id="overdue-list-heading"')[0]


def test_a_school_admin_sees_their_school_only(client, scene, people):
    client.force_login(people.school_admin)
    shown = figures(client.get(url(scene)))

    # Ann teaches at Lincoln; everyone else in the program at Roosevelt.
    assert (shown["active"], shown["overdue"], shown["at-risk"]) == ("1", "0", "0")


def test_no_health_page_or_table_shows_what_was_written(client, scene, program_people,
                                                        people):
    for person in (program_people.coordinator, people.district_admin, people.school_admin):
        client.force_login(person)
        pages = [client.get(url(scene)).content.decode()]
        for table in ("overdue", "checkins", "cycles", "goals", "time"):
            pages.append(str(export(client, scene, table)))
        for text in pages:
            for secret in SECRETS.values():
                assert secret not in text


def test_a_wrong_number_of_weeks_is_said_next_to_the_field(client, scene, program_people):
    client.force_login(program_people.coordinator)
    response = client.get(url(scene, weeks="sixty"))

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<input[^>]*value="sixty"[^>]*id="id_weeks"', html) or re.search(
        r'<input[^>]*id="id_weeks"[^>]*value="sixty"', html)
    assert "Enter a whole number of weeks, from 1 to 52." in re.search(
        r'class="invalid-feedback"[^>]*>(.*?)</', html, re.S).group(1)
    # The figures still show, for the usual four weeks.
    assert figures(response)["not-met"] == "1"
    assert client.get(url(scene, weeks="0")).status_code == 400


def test_the_program_has_a_health_tab_for_those_who_may_read_it(client, scene,
                                                                  program_people):
    program_url = reverse("programs:detail", args=[scene.program.pk])
    client.force_login(program_people.coordinator)
    assert url(scene) in client.get(program_url).content.decode()
    client.force_login(program_people.mentee)
    assert url(scene) not in client.get(program_url).content.decode()


def test_a_program_before_its_start_has_no_months_yet(client, scene, program_people):
    scene.program.starts_on, scene.program.ends_on = date(2027, 1, 4), date(2027, 6, 11)
    scene.program.save()
    client.force_login(program_people.coordinator)

    response = client.get(url(scene))
    assert response.status_code == 200
    assert response.content.decode().count("The program has not started yet.") == 2


def test_the_survey_response_rate_across_the_program(client, scene, program_people, people):
    from surveys.models import Invitation
    from tests.surveys.factories import SurveyFactory

    survey = SurveyFactory(program=scene.program)
    for index, pairing in enumerate((scene.ann, scene.bea, scene.cal, scene.dee)):
        Invitation.objects.create(survey=survey, user=pairing.mentee.user, role="mentee",
                                  invited_at=timezone.now(),
                                  answered_on=TODAY if index < 3 else None)
    client.force_login(program_people.coordinator)

    assert figures(client.get(url(scene)))["surveys"] == "3 of 4 invitations answered (75%)."
    # A school admin's page is their school's: no program-wide survey figure there.
    client.force_login(people.school_admin)
    assert "surveys" not in figures(client.get(url(scene)))


def test_a_mentoring_rep_who_matches_sees_their_schools_pairings(client, scene,
                                                                 program_people):
    scene.program.matched_by = "school_rep"
    scene.program.save()
    client.force_login(program_people.school_rep)  # the rep of Lincoln Elementary
    response = client.get(url(scene))

    assert response.status_code == 200
    assert (figures(response)["active"], figures(response)["at-risk"]) == ("1", "0")
    assert response.context["at_risk"] is not None  # a matcher sees who is flagged


def test_a_small_schools_admin_cannot_tell_whose_confidence_fell(client, scene, people,
                                                                   program_people):
    from tests.dashboards.factories import reflect

    # Ann, the only pairing at Lincoln, rated her confidence 5 then 2 in entries she
    # shared with her mentor: her coordinator is told, her school's admin (who may
    # evaluate her) is not, not even as a count of one.
    reflect(scene.ann.mentee.user, scene.program, 40, 5, "mentor")
    reflect(scene.ann.mentee.user, scene.program, 10, 2, "mentor")
    health.check_at_risk(scene.program.district)
    client.force_login(program_people.coordinator)
    assert risk_rows(client.get(url(scene)))[scene.ann.mentee.user.display_name] == [
        "confidence"]

    client.force_login(people.school_admin)
    response = client.get(url(scene))
    shown = figures(response)
    assert shown["at-risk"] == "0"
    assert shown["risk-confidence"] == "Not shown for fewer than 5 pairings"


def test_protected_time_counts_the_people_the_target_is_for(client, scene, program_people):
    from tests.programs.factories import TimeLogFactory

    # The coordinator's own hours are not the pairs' protected time.
    TimeLogFactory(program=scene.program, user=program_people.coordinator,
                   date=date(2026, 11, 20), minutes=600)
    client.force_login(program_people.coordinator)

    assert export(client, scene, "time")[4] == ["2026-11", "2.5", "22.0"]


def test_paging_one_list_keeps_the_other_lists_page_and_the_window(client, scene,
                                                                    program_people, people):
    from tests.dashboards.factories import extra_pair

    # 26 more pairings never met and overdue: both lists run to a second page.
    for i in range(health.PAGE_SIZE + 1):
        extra_pair(scene.program, people.other_school, f"Late {i}", due_in=-3)
    health.check_at_risk(scene.program.district)
    client.force_login(program_people.coordinator)

    html = client.get(url(scene, weeks=6, risk_page=2)).content.decode()
    overdue_pager = html.split('aria-label="Pages of overdue check-ins"')[1]
    next_link = re.search(r'href="\?([^"]+)">Next', overdue_pager).group(1).replace("&amp;", "&")
    assert sorted(next_link.split("&")) == ["overdue_page=2", "risk_page=2", "weeks=6"]
