"""Each role's home page says what needs doing now, and shows nobody what was written."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests.dashboards.factories import SECRETS
from tests.dashboards.test_health import text

pytestmark = pytest.mark.django_db


def section(html, heading_id):
    """The text of the section whose heading has this id ("" when there is none)."""
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return text(match.group(0)) if match else ""


def home(client, person):
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_is_for_people_signed_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_mentor_sees_each_mentee_overdue_first(client, scene):
    from tests.pairing.factories import PairingFactory

    mentor = scene.bea.mentor
    PairingFactory(mentor=mentor, mentee=scene.program.participants.get(
        user__display_name="Fay"))
    html = home(client, mentor.user)

    mentees = section(html, "mentees-heading")
    assert mentees.index("Bea") < mentees.index("Fay")
    assert "10 days overdue" in mentees
    assert "Overdue now" in html and "1 check-in overdue" in section(html, "overdue-heading")


def test_a_mentor_sees_last_and_next_check_in_cycles_and_replies_waiting(client, scene):
    from tests.pairing.factories import CheckInFactory

    CheckInFactory(pairing=scene.cal)  # in two days
    html = home(client, scene.cal.mentor.user)

    mentees = section(html, "mentees-heading")
    # Cal's last check-in was on Dec. 2; the next one is scheduled for Dec. 9.
    assert "Cal" in mentees and "Dec. 2, 2026" in mentees and "Dec. 9, 2026" in mentees
    assert "Cal, shared Nov. 17, 2026" in mentees  # the entry not answered yet
    assert "Nov. 27, 2026" not in mentees  # the one answered
    ann = home(client, scene.ann.mentor.user)
    assert "Pre-conference: 1" in section(ann, "mentees-heading")


def test_a_mentee_sees_their_mentor_next_check_in_and_recent_feedback(client, scene):
    html = home(client, scene.ann.mentee.user)

    mentoring = section(html, "pairings-heading")
    assert scene.ann.mentor.user.display_name in mentoring
    feedback = section(html, "feedback-heading")
    assert f"Debrief from {scene.ann.mentor.user.display_name}" in feedback
    assert reverse("observations:cycle-detail", args=[scene.observed.pk]) in html
    # A mentee is not shown a mentor's section.
    assert section(html, "mentees-heading") == ""


def test_a_coordinator_sees_a_health_card_per_program(client, scene, program_people):
    html = home(client, program_people.coordinator)

    card = section(html, "coordinated-heading")
    assert scene.program.name in card
    assert ("Active pairings 4 Overdue check-ins 1 Waiting for a match 1 "
            "Applications to decide 1 Pairings at risk 3") in card
    assert reverse("dashboards:program-health", args=[scene.program.pk]) in html


def test_a_school_admin_sees_their_school_in_counts(client, scene, people):
    html = home(client, people.school_admin)

    school = section(html, "schools-heading")
    # Lincoln: Ann's pairing is active, not overdue, met three days ago.
    assert "Lincoln Elementary" in school and "Roosevelt Middle" not in school
    assert re.search(r"Lincoln Elementary \d+ 1 0 0", school), school
    assert "Bea" not in html and "Cal" not in html


def test_a_mentoring_rep_sees_their_school(client, scene, program_people, people):
    html = home(client, program_people.school_rep)

    school = section(html, "schools-heading")
    assert "Lincoln Elementary" in school


def test_a_district_admin_sees_every_program_and_school(client, scene, people,
                                                        program_people):
    html = home(client, people.district_admin)

    district = section(html, "district-heading")
    assert scene.program.name in district and program_people.other_program.name in district
    # Roosevelt has the most pairs: Bea, Cal and Dee (Eli's is paused), one overdue, Bea not
    # met in four weeks; Lincoln has Ann's.
    assert re.search(r"Roosevelt Middle \d+ 3 1 1", district), district
    # Bea and Dee at risk; Cal's falling confidence is not counted for an admin in a
    # program of four active pairings, under its anonymity threshold of five.
    assert "Active pairings 4 Overdue check-ins 1 Waiting for a match 1 " \
        "Applications to decide 1 Pairings at risk 2" in district
    assert re.search(r"Lincoln Elementary \d+ 1 0 0", district), district
    assert district.index("Roosevelt Middle") < district.index("Lincoln Elementary")


def test_the_district_admin_is_led_to_the_impact_pages(client, scene, people):
    try:
        impact = reverse("dashboards:district")
    except NoReverseMatch:  # the impact pages are built alongside
        pytest.skip("the district impact pages are not installed")
    assert f'href="{impact}"' in home(client, people.district_admin)


def test_nobody_sees_another_districts_programs(client, scene, people):
    html = home(client, people.outsider)

    assert scene.program.name not in html
    assert "Lincoln Elementary" not in html and "Bea" not in html


def test_no_home_page_shows_what_was_written(client, scene, people, program_people):
    everyone = [scene.ann.mentee.user, scene.ann.mentor.user, scene.cal.mentee.user,
                scene.cal.mentor.user, scene.dee.mentor.user, program_people.coordinator,
                program_people.school_rep, people.school_admin, people.district_admin]
    for person in everyone:
        html = home(client, person)
        for secret in SECRETS.values():
            assert secret not in html, (person, secret)


def test_the_overdue_count_covers_every_mentee_not_only_those_listed(client, scene):
    from datetime import timedelta

    from programs.models import Participant
    from tests import factories
    from tests.dashboards.factories import TODAY
    from tests.pairing.factories import PairingFactory
    from tests.programs.factories import ParticipantFactory

    mentor = scene.bea.mentor
    for index in range(12):
        mentee = ParticipantFactory(program=scene.program, role=Participant.Role.MENTEE,
                                    user=factories.teacher(mentor.school))
        PairingFactory(mentor=mentor, mentee=mentee,
                       next_checkin_due_on=TODAY - timedelta(days=index + 1))
    html = home(client, mentor.user)

    # Bea's and the twelve: more than the table lists, all counted.
    assert "13 check-ins overdue" in section(html, "overdue-heading")


def test_a_mentor_who_is_mentored_too_sees_their_own_mentor(client, scene):
    from datetime import timedelta

    from programs.models import Participant
    from tests import factories
    from tests.dashboards.factories import TODAY
    from tests.pairing.factories import PairingFactory
    from tests.programs.factories import ParticipantFactory

    mentor = scene.bea.mentor
    for _index in range(12):
        mentee = ParticipantFactory(program=scene.program, role=Participant.Role.MENTEE,
                                    user=factories.teacher(mentor.school))
        PairingFactory(mentor=mentor, mentee=mentee, next_checkin_due_on=TODAY)
    guide = ParticipantFactory(program=scene.program, role=Participant.Role.MENTOR,
                               user=factories.teacher(mentor.school,
                                                      user__display_name="Hazel Guide"))
    as_mentee = ParticipantFactory(program=scene.program, role=Participant.Role.MENTEE,
                                   user=mentor.user)
    PairingFactory(mentor=guide, mentee=as_mentee,
                   next_checkin_due_on=TODAY + timedelta(days=20))
    html = home(client, mentor.user)

    assert "Hazel Guide" in section(html, "pairings-heading")


def test_the_overdue_next_steps_are_all_counted(client, scene):
    from datetime import timedelta

    from tests.dashboards.factories import TODAY, held
    from tests.pairing.factories import NextStepFactory

    checkin = held(scene.bea, 30)
    for index in range(12):
        NextStepFactory(checkin=checkin, owner=scene.bea.mentee.user,
                        due_on=TODAY - timedelta(days=index + 1))
    html = home(client, scene.bea.mentee.user)

    assert "12 next steps overdue" in section(html, "overdue-heading")


def test_the_district_admins_program_cards_sit_under_the_programs_heading(client, scene,
                                                                        people):
    html = home(client, people.district_admin)

    district = re.search(r'<section aria-labelledby="district-heading".*?</section>', html,
                         re.S).group(0)
    # Each card's title is one level below "Programs" (an h3), so headings nest.
    assert re.search(rf'<h4 class="h6 card-title">{re.escape(scene.program.name)}', district)
    assert '<h3 class="h6 card-title">' not in district
