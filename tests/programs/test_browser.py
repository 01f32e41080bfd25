"""A coordinator sets up a district-based program and enrols a teacher, in a real browser,
with the accessibility check on every page of the journey."""

import pytest

from programs.models import Participant, Program
from tests import factories
from tests.browser import check_accessibility, follow, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_creates_a_program_and_accepts_a_mentee(page, browser):
    school = factories.SchoolFactory(name="Lincoln Elementary")
    other_school = factories.SchoolFactory(district=school.district, name="Roosevelt Middle")
    coordinator = factories.district_admin(school.district, display_name="Dana Coordinator")
    mentor = factories.teacher(other_school, user__display_name="Morgan Mentor",
                               years_of_experience=12)
    teacher = factories.teacher(school, user__display_name="Taylor Newteacher",
                                years_of_experience=0)
    base = page.base_url

    # The coordinator starts from the district-based model.
    sign_in(page, coordinator.email, factories.PASSWORD,
            totp_secret=factories.TOTP_SECRETS[coordinator.pk])
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/programs/")
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="New program"))
    check_accessibility(page)
    page.get_by_label("District-based", exact=False).check()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#id_matched_by").input_value() == "steering_committee"
    check_accessibility(page)
    page.locator("#id_name").fill("Across the District 2026-27")
    page.locator("#id_aims").fill("Every new teacher learns with a colleague who teaches "
                                   "the same grade and subject.")
    page.locator("#id_school_year").fill("2026-27")
    page.locator("#id_starts_on").fill("2026-08-17")
    page.locator("#id_ends_on").fill("2027-06-11")
    page.get_by_role("button", name="Create program").click()

    # The calendar comes next; the program is a draft until enrolment opens.
    page.get_by_role("heading", name="Calendar", level=2).wait_for()
    check_accessibility(page)
    page.locator("#id_terms-0-name").fill("Fall")
    page.locator("#id_terms-0-starts_on").fill("2026-08-17")
    page.locator("#id_terms-0-ends_on").fill("2026-12-18")
    page.locator("#id_blackouts-0-name").fill("Winter break")
    page.locator("#id_blackouts-0-starts_on").fill("2026-12-21")
    page.locator("#id_blackouts-0-ends_on").fill("2027-01-01")
    page.get_by_role("button", name="Save calendar").click()
    page.get_by_text("The calendar is saved.").wait_for()
    program = Program.objects.get(name="Across the District 2026-27")

    # A mentor joins, and enrolment opens.
    page.goto(f"{base}/programs/{program.pk}/participants/add/")
    check_accessibility(page)
    page.locator("#id_email").fill(mentor.email)
    page.locator("#id_role").select_option("mentor")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Morgan Mentor is now Mentor.").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Open enrolment").click()
    page.get_by_text("The program is now “Enrolling”.").wait_for()
    check_accessibility(page)

    # The new teacher applies as a mentee and names the mentor.
    context = browser.new_context(viewport=page.viewport_size, locale="en-US")
    teacher_page = context.new_page()
    teacher_page.base_url = base
    sign_in(teacher_page, teacher.email, factories.PASSWORD)
    teacher_page.wait_for_url(f"{base}/")
    teacher_page.goto(f"{base}/programs/")
    follow(teacher_page, teacher_page.get_by_role("link", name="Across the District 2026-27"))
    check_accessibility(teacher_page)
    follow(teacher_page, teacher_page.get_by_role("link", name="Apply to join"))
    check_accessibility(teacher_page)
    assert teacher_page.get_by_label("A mentee: I would like a mentor").is_checked()
    teacher_page.get_by_label("Morgan Mentor, Roosevelt Middle").check()
    teacher_page.get_by_label("Anything else").fill("I teach third grade for the first time.")
    teacher_page.get_by_role("button", name="Send application").click()
    teacher_page.get_by_text("Your application is in.").wait_for()
    check_accessibility(teacher_page)

    # The coordinator reviews and accepts.
    follow(page, page.get_by_role("link", name="Applications"))
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Taylor Newteacher"))
    assert page.get_by_text("Morgan Mentor (Roosevelt Middle)").is_visible()
    check_accessibility(page)
    page.get_by_label("Accept").check()
    page.get_by_label("Message to the applicant").fill("Welcome! Morgan will be in touch.")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Decision saved for Taylor Newteacher.").wait_for()
    check_accessibility(page)

    # The teacher sees the decision on the program page.
    teacher_page.reload()
    teacher_page.get_by_text("Welcome! Morgan will be in touch.").wait_for()
    check_accessibility(teacher_page)
    context.close()
    assert program.participants.get(user=teacher).status == Participant.Status.ACTIVE
