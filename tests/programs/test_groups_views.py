import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from programs.models import Group, GroupSession, HubPost
from tests.programs.factories import (
    AttendanceFactory,
    BlackoutPeriodFactory,
    GroupFactory,
    GroupSessionFactory,
    HubPostFactory,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"school_admin": 404, "other_participant": 404, "outsider": 404}
TEAM_SEES = {"coordinator": 200, "mentor": 200, "mentee": 200, "district_admin": 200,
             **NOT_FOUND}
MANAGERS_ONLY = {"coordinator": 200, "mentor": 404, "mentee": 404, "district_admin": 200,
                 **NOT_FOUND}
# Sessions are run by the group's leads and the program's coordinators; an admin who is not
# a coordinator sees the group but neither runs its sessions nor reads their notes.
RUNNERS_ONLY = {**MANAGERS_ONLY, "mentor": 200, "district_admin": 404}
# The hub is the team's own.
HUB_TEAM = {**TEAM_SEES, "coordinator": 404, "district_admin": 404}
# Chicago is six hours behind UTC in winter.
TODAY = datetime(2026, 11, 23, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


def url(name, program, pk=None):
    return reverse(f"programs:{name}", args=[program.pk] + ([pk] if pk else []))


def field_error(response, field):
    """The error text crispy renders under one field (its id ties it to the input)."""
    html = response.content.decode()
    match = re.search(rf'id="error_1_id_{field}"[^>]*>\s*(?:<strong>)?(.*?)(?:</strong>)?\s*<',
                      html, re.S)
    return match.group(1).strip() if match else None


def session_data(**overrides):
    return {"kind": "meeting", "title": "Reading routines", "starts_at": "2026-12-02T15:30",
            "duration_minutes": "60", "location": "Room 12", "video_url": "",
            "agenda": "1. What is working\n2. Lesson study", **overrides}


# Who sees what

def test_group_list_is_open_to_whoever_sees_the_program(assert_program_access, team):
    assert_program_access(url("groups", team.program), {
        "coordinator": 200, "mentor": 200, "mentee": 200, "district_admin": 200,
        "school_admin": 200, "other_participant": 404, "outsider": 404})


def test_group_list_shows_members_only_their_groups(client, program_people, team):
    GroupFactory(program=team.program, name="Secondary Science Team")

    client.force_login(program_people.mentee)
    mine = client.get(url("groups", team.program)).content.decode()
    client.force_login(program_people.coordinator)
    everyone = client.get(url("groups", team.program)).content.decode()

    assert "Grade 3 Team" in mine and "Secondary Science Team" not in mine
    assert "Grade 3 Team" in everyone and "Secondary Science Team" in everyone


def test_group_detail_is_for_the_team_and_managers(assert_program_access, team):
    assert_program_access(url("group-detail", team.program, team.pk), TEAM_SEES)


def test_a_participant_outside_the_group_gets_not_found(client, program_people, team):
    client.force_login(program_people.school_rep)

    assert client.get(url("group-detail", team.program, team.pk)).status_code == 404
    assert "Grade 3 Team" not in client.get(url("groups", team.program)).content.decode()


def test_a_withdrawn_member_no_longer_sees_the_group(client, program_people, team):
    team.program.participants.filter(user=program_people.mentee).update(status="withdrawn")
    team.program.status = "enrolling"  # so the program itself stays visible to them
    team.program.save(update_fields=["status"])
    client.force_login(program_people.mentee)

    assert client.get(url("group-detail", team.program, team.pk)).status_code == 404


def test_group_create_and_edit_are_for_managers(assert_program_access, team):
    assert_program_access(url("group-create", team.program), MANAGERS_ONLY)
    assert_program_access(url("group-edit", team.program, team.pk), MANAGERS_ONLY)


def test_session_pages_permissions(assert_program_access, team):
    session = GroupSessionFactory(group=team)

    assert_program_access(url("session-detail", team.program, session.pk), TEAM_SEES)
    assert_program_access(url("session-create", team.program, team.pk), RUNNERS_ONLY)
    assert_program_access(url("session-edit", team.program, session.pk), RUNNERS_ONLY)
    assert_program_access(url("session-record", team.program, session.pk), RUNNERS_ONLY)


def test_session_notes_are_for_the_group_and_coordinators(client, people, program_people, team):
    session = GroupSessionFactory(group=team, notes="We tried choral reading.")
    page = url("session-detail", team.program, session.pk)
    for person in (program_people.mentee, program_people.coordinator):
        client.force_login(person)
        assert "We tried choral reading." in client.get(page).content.decode()
    client.force_login(people.district_admin)
    response = client.get(page).content.decode()
    assert "We tried choral reading." not in response
    assert "Session notes are for the group" in response


def test_hub_pages_permissions(assert_program_access, hub_team, program_people):
    post = HubPostFactory(group=hub_team, author=program_people.mentee, body="Our plan")
    changed = {role: 302 if status == 200 else status for role, status in HUB_TEAM.items()}

    assert_program_access(url("hub", hub_team.program, hub_team.pk), HUB_TEAM)
    assert_program_access(url("hub-post", hub_team.program, hub_team.pk), changed,
                          method="post", data={"body": "Hello team"})
    assert_program_access(url("hub-reply", hub_team.program, post.pk), changed,
                          method="post", data={"body": "Agreed"})
    only_author = {"coordinator": 404, "mentor": 404, "mentee": 200, "district_admin": 404,
                   **NOT_FOUND}
    assert_program_access(url("hub-edit", hub_team.program, post.pk), only_author)
    assert_program_access(url("hub-remove", hub_team.program, post.pk),
                          {**only_author, "mentee": 302}, method="post")
    assert HubPost.objects.filter(parent=None).count() == 1 + 2  # the mentor and the mentee
    assert HubPost.objects.filter(parent=post).count() == 2


def test_hub_is_not_found_when_the_program_has_no_hub(client, program_people, team):
    client.force_login(program_people.mentee)

    assert client.get(url("hub", team.program, team.pk)).status_code == 404


def test_posts_only_from_the_url_program(client, program_people, hub_team):
    """A post id from another program's hub is not found through this program's URL."""
    other_group = GroupFactory(program=program_people.other_program)
    post = HubPostFactory(group=other_group, author=program_people.other_participant)
    client.force_login(program_people.coordinator)

    response = client.post(url("hub-reply", hub_team.program, post.pk), {"body": "Hi"})

    assert response.status_code == 404


# Hub privacy

def test_a_non_member_never_sees_a_post(client, program_people, hub_team):
    HubPostFactory(group=hub_team, author=program_people.mentee, body="Private lesson idea")
    pages = [url("groups", hub_team.program), url("group-detail", hub_team.program, hub_team.pk),
             url("hub", hub_team.program, hub_team.pk), url("time", hub_team.program),
             reverse("programs:detail", args=[hub_team.program.pk])]

    for person in [program_people.school_rep, program_people.other_participant]:
        client.force_login(person)
        for page in pages:
            response = client.get(page)
            assert "Private lesson idea" not in response.content.decode(), (person, page)


def test_a_removed_post_shows_as_removed(client, program_people, hub_team):
    post = HubPostFactory(group=hub_team, author=program_people.mentee, body="Wrong thread")
    client.force_login(program_people.mentee)

    response = client.post(url("hub-remove", hub_team.program, post.pk))
    page = client.get(url("hub", hub_team.program, hub_team.pk)).content.decode()

    assert response.status_code == 302
    assert "Wrong thread" not in page
    assert "This post was removed by its author." in page


def test_an_edited_post_says_so(client, program_people, hub_team):
    post = HubPostFactory(group=hub_team, author=program_people.mentee, body="Meet at 3")
    client.force_login(program_people.mentee)

    client.post(url("hub-edit", hub_team.program, post.pk), {"body": "Meet at 4"})
    page = client.get(url("hub", hub_team.program, hub_team.pk)).content.decode()

    assert "Meet at 4" in page and "Meet at 3" not in page
    assert "edited" in page


def test_hub_shows_newest_threads_first_with_their_replies(client, program_people, hub_team):
    older = HubPostFactory(group=hub_team, author=program_people.mentee, body="Older thread")
    HubPostFactory(group=hub_team, author=program_people.mentor, body="A reply", parent=older)
    HubPostFactory(group=hub_team, author=program_people.mentor, body="Newer thread")
    client.force_login(program_people.mentee)

    page = client.get(url("hub", hub_team.program, hub_team.pk)).content.decode()

    assert page.index("Newer thread") < page.index("Older thread") < page.index("A reply")


def test_reply_with_htmx_answers_with_the_thread(client, program_people, hub_team):
    thread = HubPostFactory(group=hub_team, author=program_people.mentee, body="Ideas?")
    client.force_login(program_people.mentor)

    response = client.post(url("hub-reply", hub_team.program, thread.pk),
                           {"body": "Try think-pair-share"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="thread-{thread.pk}"')
    assert "Try think-pair-share" in html and "<html" not in html


def test_empty_reply_keeps_the_thread_and_explains(client, program_people, hub_team):
    thread = HubPostFactory(group=hub_team, author=program_people.mentee, body="Ideas?")
    client.force_login(program_people.mentor)

    plain = client.post(url("hub-reply", hub_team.program, thread.pk), {"body": " "})
    htmx = client.post(url("hub-reply", hub_team.program, thread.pk), {"body": " "},
                       HTTP_HX_REQUEST="true")

    assert plain.status_code == 400 and htmx.status_code == 400
    assert field_error(plain, f"reply_{thread.pk}_body") == "This field is required."
    assert "Ideas?" in plain.content.decode()
    assert HubPost.objects.count() == 1


# Managing groups

def test_coordinator_creates_a_group(client, program_people):
    program = program_people.program
    lead = program.participants.get(user=program_people.mentor)
    member = program.participants.get(user=program_people.mentee)
    client.force_login(program_people.coordinator)

    response = client.post(url("group-create", program), {
        "name": "Math Circle", "kind": "cohort", "focus": "Middle school math",
        "leads": [lead.pk], "members": [member.pk]})

    group = Group.objects.get(name="Math Circle")
    assert response.status_code == 302
    assert response.url == url("group-detail", program, group.pk)
    assert sorted(group.memberships.values_list("participant_id", "is_lead")) == sorted(
        [(lead.pk, True), (member.pk, False)])


def test_group_form_keeps_input_when_the_name_is_taken(client, program_people, team):
    client.force_login(program_people.coordinator)

    response = client.post(url("group-create", team.program), {
        "name": "Grade 3 Team", "kind": "cohort", "focus": "Kept focus"})

    assert response.status_code == 400
    assert field_error(response, "name") == "This program already has a group with this name."
    assert 'value="Kept focus"' in response.content.decode()
    assert team.program.groups.count() == 1


def test_group_form_offers_only_this_programs_active_participants(client, program_people,
                                                                  team):
    client.force_login(program_people.coordinator)
    stranger = program_people.other_program.participants.get()

    response = client.post(url("group-edit", team.program, team.pk), {
        "name": "Grade 3 Team", "kind": "learning_team", "members": [stranger.pk]})

    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response, "members")


# Sessions

def test_lead_schedules_a_session_in_the_district_time_zone(client, program_people, team):
    client.force_login(program_people.mentor)

    response = client.post(url("session-create", team.program, team.pk), session_data())

    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert session.starts_at == datetime(2026, 12, 2, 21, 30, tzinfo=UTC)
    assert session.created_by == program_people.mentor


def test_session_on_a_blackout_day_is_refused_next_to_the_date(client, program_people, team):
    BlackoutPeriodFactory(program=team.program, name="Thanksgiving break",
                          starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 27))
    client.force_login(program_people.mentor)

    response = client.post(url("session-create", team.program, team.pk),
                           session_data(starts_at="2026-11-26T10:00"))

    assert response.status_code == 400
    assert field_error(response, "starts_at") == (
        "Nov. 26, 2026 is a blackout day (Thanksgiving break): nothing is scheduled on it. "
        "Choose another day.")
    html = response.content.decode()
    assert 'value="2026-11-26T10:00"' in html and 'value="Reading routines"' in html
    assert GroupSession.objects.count() == 0


def test_session_outside_the_program_is_refused(client, program_people, team):
    client.force_login(program_people.coordinator)

    response = client.post(url("session-create", team.program, team.pk),
                           session_data(starts_at="2027-08-02T10:00"))

    assert response.status_code == 400
    assert field_error(response, "starts_at").startswith("Aug. 2, 2027 is outside the program")


def test_session_with_bad_duration_and_link_keeps_what_was_typed(client, program_people, team):
    client.force_login(program_people.mentor)

    response = client.post(url("session-create", team.program, team.pk),
                           session_data(duration_minutes="-30", video_url="not a link"))

    assert response.status_code == 400
    assert field_error(response, "duration_minutes") == "A session lasts at least 5 minutes."
    assert field_error(response, "video_url") == "Enter a valid URL."
    assert "1. What is working" in response.content.decode()


def test_lead_records_notes_and_attendance(client, program_people, team):
    session = GroupSessionFactory(group=team)
    mentor = team.program.participants.get(user=program_people.mentor)
    mentee = team.program.participants.get(user=program_people.mentee)
    client.force_login(program_people.mentor)

    response = client.post(url("session-record", team.program, session.pk), {
        "opening_whats_working": "Morning meetings", "notes": "Planned a lesson study",
        "closing_whats_working": "Cold calling with wait time",
        f"attendance_{mentor.pk}": "present", f"attendance_{mentee.pk}": "absent"})
    page = client.get(url("session-detail", team.program, session.pk)).content.decode()

    assert response.status_code == 302
    assert "Morning meetings" in page and "Cold calling with wait time" in page
    assert dict(session.attendance.values_list("participant_id", "status")) == {
        mentor.pk: "present", mentee.pk: "absent"}


def test_bad_attendance_value_is_refused(client, program_people, team):
    session = GroupSessionFactory(group=team)
    mentee = team.program.participants.get(user=program_people.mentee)
    client.force_login(program_people.mentor)

    response = client.post(url("session-record", team.program, session.pk), {
        "notes": "Kept notes", f"attendance_{mentee.pk}": "asleep"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert "Kept notes" in response.content.decode()
    assert session.attendance.count() == 0


def test_member_sees_a_session_but_cannot_change_it(client, program_people, team):
    session = GroupSessionFactory(group=team, title="Lesson study")
    AttendanceFactory(session=session,
                      participant=team.program.participants.get(user=program_people.mentee))
    client.force_login(program_people.mentee)

    page = client.get(url("session-detail", team.program, session.pk)).content.decode()
    response = client.post(url("session-record", team.program, session.pk), {"notes": "x"})

    assert "Lesson study" in page and "Record notes and attendance" not in page
    assert response.status_code == 404
