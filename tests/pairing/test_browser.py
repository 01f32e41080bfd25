"""The pairing journey in a real browser, each page checked by axe: a coordinator runs the
matching, changes one proposal and approves; the mentor schedules a check-in and, after it,
records it with a next step; the mentee finds the next step on their home page."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Subject
from pairing.models import CheckIn, NextStep, Pairing
from programs.calendar import ProgramCalendar
from programs.models import Participant, TimeLog
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.programs.factories import ApplicationFactory, ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def test_match_approve_then_meet_and_agree_next_steps(page):
    school = factories.SchoolFactory(name="Lincoln Elementary")
    district = school.district
    zone = ZoneInfo(district.time_zone)
    today = timezone.localdate(timezone=zone)
    program = ProgramFactory(district=district, model="one_on_one", name="Induction",
                             starts_on=today - timedelta(days=60),
                             ends_on=today + timedelta(days=200))
    math = Subject.objects.create(district=district, name="Mathematics")
    art = Subject.objects.create(district=district, name="Art")

    def join(name, role, subject, years):
        user = factories.teacher(school, user__display_name=name)
        participant = ParticipantFactory(program=program, user=user, role=role)
        ApplicationFactory(participant=participant, years_of_experience=years).subjects.set(
            [subject] if subject else [])
        return user

    coordinator = join("Cora Jones", Participant.Role.COORDINATOR, None, 15)
    maria = join("Maria Lopez", Participant.Role.MENTOR, math, 12)
    join("Sam Chen", Participant.Role.MENTOR, art, 9)
    join("Tess Green", Participant.Role.MENTOR, None, 20)
    nina = join("Nina Park", Participant.Role.MENTEE, math, 0)
    omar = join("Omar Ali", Participant.Role.MENTEE, art, 1)

    # The coordinator runs the matching: everyone is proposed, each score explained.
    sign_in_as(page, coordinator)
    page.goto(f"{page.base_url}/programs/{program.pk}/")
    tabs = page.get_by_role("navigation", name="Program sections")
    follow(page, tabs.get_by_role("link", name="Matching"))
    check_accessibility(page)
    follow(page, page.get_by_role("button", name="Run the matching"))
    page.get_by_text("The matching has run.").wait_for()
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    nina_row = page.locator("tr", has_text="Nina Park")
    assert "Maria Lopez" in nina_row.inner_text()
    nina_row.locator("summary").click()
    assert "Same subject" in nina_row.inner_text()
    check_accessibility(page)

    # Omar goes to Tess instead: the score is updated in place.
    omar_row = page.locator("tr", has_text="Omar Ali")
    follow(page, omar_row.get_by_role("link", name="Change"))
    page.get_by_role("heading", name="Partner for Omar Ali").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Choose Tess Green").click()
    page.get_by_role("heading", name="Proposed now: Tess Green").wait_for()
    assert "changed by hand" in page.locator("main").inner_text()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Back to the proposals"))
    follow(page, page.get_by_role("button", name="Approve these pairings"))
    page.get_by_text("Pairings approved.").wait_for()
    check_accessibility(page)
    assert set(Pairing.objects.active().values_list(
        "mentor__user__display_name", "mentee__user__display_name")) == {
        ("Maria Lopez", "Nina Park"), ("Tess Green", "Omar Ali")}
    assert Pairing.objects.get(mentee__user=omar).overridden

    # The mentor meets their new mentee and schedules a check-in on the next school day.
    sign_in_as(page, maria)
    mentees = page.get_by_role("region", name="Your mentees", exact=True).inner_text()
    assert "Nina Park" in mentees and "Not met yet" in mentees
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Nina Park"))
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Schedule a check-in"))
    check_accessibility(page)
    day = ProgramCalendar(program).next_school_day(today + timedelta(days=1))
    page.get_by_label("Date and time").fill(f"{day:%Y-%m-%d}T15:30")
    page.get_by_label("Place").fill("Room 12")
    follow(page, page.get_by_role("button", name="Schedule the check-in"))
    checkin = CheckIn.objects.get()
    assert timezone.localtime(checkin.scheduled_at, zone).time() == time(15, 30)
    check_accessibility(page)

    # The day after, the mentor records how it went with one next step for the mentee.
    after = datetime.combine(day + timedelta(days=1), time(17), tzinfo=zone)
    with time_machine.travel(after, tick=True):
        sign_in_as(page, maria)  # two days on, the session has ended
        page.goto(f"{page.base_url}/checkins/{checkin.pk}/")
        follow(page, page.get_by_role("link", name="Record how it went"))
        check_accessibility(page)
        page.get_by_label("Time spent (minutes)").fill("40")
        follow(page, page.get_by_role("button", name="Save the record"))
        # Strengths come first: nothing is saved without them.
        assert "Start with what is working" in page.locator("main").inner_text()
        assert page.get_by_label("Time spent (minutes)").input_value() == "40"
        check_accessibility(page)
        page.get_by_label("What is working").fill("Clear routines at the start of class")
        page.get_by_label("Topics").fill("Exit tickets")
        first_step = page.get_by_role("group", name="Next step 1")
        first_step.get_by_label("Next step").fill("Try a three-question exit ticket")
        first_step.get_by_label("Who").select_option(label="Nina Park (mentee)")
        first_step.get_by_label("Due").fill(f"{day + timedelta(days=7):%Y-%m-%d}")
        follow(page, page.get_by_role("button", name="Save the record"))
        page.get_by_text("The check-in is recorded.").wait_for()
        check_accessibility(page)
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.HELD and checkin.minutes_spent == 40
    assert TimeLog.objects.filter(kind=TimeLog.Kind.CHECK_IN, minutes=40).count() == 2
    assert NextStep.objects.get().owner == nina

    # The mentee sees the next step on their home page.
    sign_in_as(page, nina)
    main = page.locator("main").inner_text()
    assert "Try a three-question exit ticket" in main
    partners = page.get_by_role("region", name="Your mentoring").inner_text()
    assert "Maria Lopez" in partners and "Mentor ·" in partners
    check_accessibility(page)
    # Another pair's business is not shown.
    assert "Omar Ali" not in main and "Tess Green" not in main
