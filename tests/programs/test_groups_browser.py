"""Journeys through a peer-collaboration team in a real browser, each page checked by axe:
a lead schedules and records a session, the team talks in the hub, a member logs time."""

from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from programs.models import Attendance, GroupSession, Participant, TimeLog
from programs.presets import ProgramModel
from tests import factories
from tests.browser import check_accessibility, sign_in
from tests.programs.factories import (
    BlackoutPeriodFactory,
    GroupFactory,
    GroupMembershipFactory,
    ParticipantFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.browser


def peer_team():
    """A running peer-collaboration program around today, with a team of three."""
    school = factories.SchoolFactory(name="Lincoln Elementary")
    far_school = factories.SchoolFactory(district=school.district, name="Hillside High")
    today = timezone.localdate(timezone=ZoneInfo(school.district.time_zone))
    program = ProgramFactory(district=school.district, name="Rural Peer Network",
                             model=ProgramModel.PEER_COLLABORATION,
                             starts_on=today - timedelta(days=80),
                             ends_on=today + timedelta(days=200))
    group = GroupFactory(program=program, name="Rural Literacy Team", kind="peer_team",
                         focus="Early literacy across small schools")

    def member(name, school, is_lead=False):
        user = factories.teacher(school, user__display_name=name)
        participant = ParticipantFactory(program=program, user=user,
                                         role=Participant.Role.PEER)
        GroupMembershipFactory(group=group, participant=participant, is_lead=is_lead)
        return user

    blackout_day = today + timedelta(days=7)
    BlackoutPeriodFactory(program=program, name="State testing day", starts_on=blackout_day,
                          ends_on=blackout_day)
    return SimpleNamespace(
        program=program, group=group, today=today, blackout_day=blackout_day,
        lead=member("Ana Rivera", school, is_lead=True),
        ben=member("Ben Okafor", far_school),
        chen=member("Chen Li", school),
    )


def visit(page, path):
    page.goto(f"{page.base_url}{path}")
    check_accessibility(page)


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def test_lead_schedules_a_session_and_records_notes_and_attendance(page):
    team = peer_team()
    sign_in_as(page, team.lead)

    visit(page, f"/programs/{team.program.pk}/groups/")
    page.get_by_role("link", name="Rural Literacy Team").click()
    page.get_by_role("heading", name="Rural Literacy Team").wait_for()
    check_accessibility(page)

    page.get_by_role("link", name="Schedule a session").click()
    page.get_by_label("Title").wait_for()
    check_accessibility(page)
    page.get_by_label("Title").fill("Guided reading routines")
    page.get_by_label("Starts at").fill(f"{team.blackout_day:%Y-%m-%d}T15:30")
    page.get_by_label("Place").fill("Hillside High, room 12")
    page.get_by_label("Agenda").fill("What is working\nLesson study plan")
    page.get_by_role("button", name="Schedule session").click()
    error = page.locator("#error_1_id_starts_at")
    error.wait_for()
    assert "is a blackout day (State testing day)" in error.inner_text()
    assert page.get_by_label("Title").input_value() == "Guided reading routines"
    check_accessibility(page)

    session_day = team.today + timedelta(days=9)
    page.get_by_label("Starts at").fill(f"{session_day:%Y-%m-%d}T15:30")
    page.get_by_role("button", name="Schedule session").click()
    page.get_by_role("heading", name="Guided reading routines").wait_for()
    check_accessibility(page)

    page.get_by_role("link", name="Record notes and attendance").click()
    page.get_by_label("Opening: what is working").wait_for()
    check_accessibility(page)
    page.get_by_label("Opening: what is working").fill("Partner reading is catching on")
    page.get_by_label("Notes", exact=True).fill("Planned a lesson study for next month")
    page.get_by_label("Closing: what is working").fill("Try reading conferences")
    page.get_by_role("combobox", name="Ana Rivera").select_option("present")
    page.get_by_role("combobox", name="Ben Okafor").select_option("present")
    page.get_by_role("combobox", name="Chen Li").select_option("excused")
    page.get_by_role("button", name="Save notes and attendance").click()
    page.get_by_text("Notes and attendance are saved.").wait_for()
    main = page.locator("main").inner_text()
    assert "Partner reading is catching on" in main and "Try reading conferences" in main
    assert "2 present" in main
    check_accessibility(page)

    session = GroupSession.objects.get()
    assert timezone.localtime(session.starts_at, ZoneInfo("America/Chicago")).hour == 15
    assert dict(session.attendance.values_list("participant__user__display_name", "status")) \
        == {"Ana Rivera": "present", "Ben Okafor": "present", "Chen Li": "excused"}
    assert Attendance.objects.count() == 3

    page.get_by_role("link", name="Rural Literacy Team").click()
    page.get_by_role("link", name="Guided reading routines").wait_for()
    check_accessibility(page)


def test_team_member_posts_in_the_hub_and_another_replies_in_place(page):
    team = peer_team()
    sign_in_as(page, team.ben)

    visit(page, f"/programs/{team.program.pk}/groups/{team.group.pk}/")
    page.get_by_role("link", name="Team hub").click()
    page.get_by_label("Start a new discussion").wait_for()
    check_accessibility(page)
    question = "How do you run guided reading with 28 students?"
    page.get_by_label("Start a new discussion").fill(question)
    page.get_by_role("button", name="Post", exact=True).click()
    page.get_by_text("Your post is in the hub.").wait_for()
    assert page.locator("article").first.inner_text().count(question) == 1
    check_accessibility(page)
    page.locator("article").first.get_by_role("link", name="Edit your post").click()
    page.get_by_label("Message").wait_for()
    check_accessibility(page)
    page.get_by_label("Message").fill(f"{question} (Grade 2)")
    page.get_by_role("button", name="Save post").click()
    page.get_by_text("Your post is updated.").wait_for()
    assert "edited" in page.locator("article").first.inner_text()

    sign_in_as(page, team.chen)
    visit(page, f"/programs/{team.program.pk}/groups/{team.group.pk}/hub/")
    page.evaluate("window.stillThisPage = true")
    thread = page.locator("article", has_text=question)
    thread.get_by_label("Reply to Ben Okafor").fill("Stations: I meet two groups a day.")
    thread.get_by_role("button", name="Reply").click()
    page.locator("article", has_text=question).get_by_text(
        "Stations: I meet two groups a day.").wait_for()
    assert page.evaluate("window.stillThisPage") is True  # no page load: htmx swapped it in
    assert page.locator("article", has_text=question).get_by_label(
        "Reply to Ben Okafor").input_value() == ""
    check_accessibility(page)

    page.reload()
    assert "Stations: I meet two groups a day." in page.locator("article").first.inner_text()
    check_accessibility(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".hub-replies").get_by_role("button", name="Remove your post").click()
    page.get_by_text("Your post is removed.").wait_for()
    thread_text = page.locator("article").first.inner_text()
    assert "Stations: I meet two groups a day." not in thread_text
    assert "This post was removed by its author." in thread_text
    check_accessibility(page)

    # Signed out meanwhile (the session ended): the reply is not lost, and they are told.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    reply_box = page.locator("article", has_text=question).get_by_label("Reply to Ben Okafor")
    reply_box.fill("Also: anchor charts at each station.")
    with page.expect_event("dialog") as alert:
        page.locator("article", has_text=question).get_by_role("button", name="Reply").click()
    assert alert.value.message.startswith("You have been signed out.")
    alert.value.accept()
    assert reply_box.input_value() == "Also: anchor charts at each station."


def test_participant_logs_protected_time_and_sees_it_against_the_target(page):
    team = peer_team()  # peer collaboration: 6 hours a month
    sign_in_as(page, team.ben)

    visit(page, f"/programs/{team.program.pk}/time/")
    assert "0 min of 6 h (0%)" in page.locator("main").inner_text()
    page.get_by_role("link", name="Log time").click()
    page.get_by_label("Minutes").wait_for()
    check_accessibility(page)

    page.get_by_label("Date").fill(f"{team.today:%Y-%m-%d}")
    page.get_by_label("Minutes").fill("-30")
    page.get_by_label("What the time was for").select_option(label="Planning together")
    page.get_by_label("Note").fill("Planned a unit with Chen")
    page.get_by_role("button", name="Log time").click()
    page.locator("#error_1_id_minutes").wait_for()
    assert page.locator("#error_1_id_minutes").inner_text() == "Log at least 5 minutes."
    assert page.get_by_label("Note").input_value() == "Planned a unit with Chen"
    check_accessibility(page)

    page.get_by_label("Minutes").fill("90")
    page.get_by_role("button", name="Log time").click()
    page.get_by_text("Your time is logged.").wait_for()
    main = page.locator("main").inner_text()
    assert "1 h 30 min of 6 h (25%)" in main
    assert "Planned a unit with Chen" in main
    progress = page.get_by_role("progressbar").first
    assert progress.get_attribute("value") == "25"
    check_accessibility(page)
    assert TimeLog.objects.get().user == team.ben


def test_coordinator_forms_a_team_and_reads_everyones_time(page):
    team = peer_team()
    coordinator = factories.teacher(team.program.district.schools.first(),
                                    user__display_name="Dana Whitfield")
    ParticipantFactory(program=team.program, user=coordinator,
                       role=Participant.Role.COORDINATOR)
    TimeLog.objects.create(program=team.program, user=team.chen, date=team.today,
                           minutes=400, kind=TimeLog.Kind.RELEASE_DAY)
    sign_in_as(page, coordinator)

    visit(page, f"/programs/{team.program.pk}/groups/")
    page.get_by_role("link", name="New group").click()
    page.get_by_label("Name").wait_for()
    check_accessibility(page)
    page.get_by_label("Name").fill("Secondary Science Team")
    page.get_by_label("Kind").select_option(label="Peer-collaboration team")
    page.get_by_role("group", name="Lead mentors").get_by_label("Chen Li (Peer)").check()
    page.get_by_role("group", name="Members").get_by_label("Ben Okafor (Peer)").check()
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("heading", name="Secondary Science Team").wait_for()
    main = page.locator("main").inner_text()
    assert "Chen Li" in main and "Ben Okafor" in main
    check_accessibility(page)
    page.get_by_role("link", name="Edit group").click()
    page.get_by_label("Focus", exact=True).wait_for()
    check_accessibility(page)

    visit(page, f"/programs/{team.program.pk}/time/summary/")
    chen_row = page.get_by_role("row", name="Chen Li")
    assert "6 h 40 min" in chen_row.inner_text()
    assert "(target met)" in chen_row.inner_text()
    page.get_by_role("link", name="Log time for a participant").click()
    page.get_by_label("Participant").select_option(label="Ben Okafor")
    page.get_by_label("Minutes").fill("60")
    page.get_by_label("What the time was for").select_option(label="Peer observation")
    check_accessibility(page)
    page.get_by_role("button", name="Log time").click()
    page.get_by_text("Time is logged for Ben Okafor.").wait_for()
    assert "1 h" in page.get_by_role("row", name="Ben Okafor").inner_text()
    check_accessibility(page)
