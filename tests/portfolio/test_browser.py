"""Badges in a real browser at desktop and phone width, each page checked by axe: a
coordinator defines a badge and awards it with evidence; the mentee finds it on their
home page, opens it, prints its certificate and downloads their portfolio; anyone given
the badge's address checks it against the mentee's email address."""

import pytest

from portfolio.models import Award, Criterion
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.portfolio.factories import BadgeFactory

pytestmark = pytest.mark.browser


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def test_define_award_print_and_check_a_badge(page, program_people):
    people = program_people
    BadgeFactory(district=people.program.district, program=people.program, name="Regular",
                 criterion=Criterion.SESSIONS_ATTENDED, threshold=3)
    sign_in_as(page, people.coordinator)
    page.goto(f"{page.base_url}/programs/{people.program.pk}/")
    tabs = page.get_by_role("navigation", name="Program sections")
    follow(page, tabs.get_by_role("link", name="Badges"))
    check_accessibility(page)
    # An automatic badge's page: its holders, the last check and "Check now".
    follow(page, page.get_by_role("link", name="Regular"))
    follow(page, page.get_by_role("button", name="Check now"))
    page.get_by_text("The check is on its way").wait_for()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Badges", exact=True))
    follow(page, page.get_by_role("link", name="New badge"))
    check_accessibility(page)

    page.get_by_label("Program").select_option(label=people.program.name)
    page.get_by_label("Name").fill("Family night host")
    page.get_by_label("Description").fill("Brought families into the school.")
    page.get_by_label("How it is earned").fill("Awarded for hosting a family night.")
    page.get_by_label("Awarded by a coordinator, with evidence").check()
    page.get_by_label("Green").check()
    follow(page, page.get_by_role("button", name="Create the badge"))
    page.get_by_role("heading", name="Family night host").wait_for()
    check_accessibility(page)

    follow(page, page.get_by_role("link", name="Award this badge"))
    check_accessibility(page)
    page.get_by_label("Email address of the person").fill("nobody@example.org")
    page.get_by_label("Evidence").fill("Hosted the science family night in March.")
    follow(page, page.get_by_role("button", name="Award the badge"))
    page.get_by_text("No one in your district has this email address.").wait_for()
    assert page.get_by_label("Evidence").input_value() == (
        "Hosted the science family night in March.")
    check_accessibility(page)
    page.get_by_label("Email address of the person").fill(people.mentee.email)
    follow(page, page.get_by_role("button", name="Award the badge"))
    assert people.mentee.display_name in page.locator("main table").inner_text()
    award = Award.objects.get()

    # The mentee finds it on the home page and opens it.
    sign_in_as(page, people.mentee)
    panel = page.locator("section", has=page.get_by_role("heading", name="Your badges"))
    follow(page, panel.get_by_role("link", name="Family night host"))
    check_accessibility(page)
    assert "Hosted the science family night in March." in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Certificate to print"))
    page.get_by_role("heading", name=people.mentee.display_name).wait_for()
    check_accessibility(page)
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()
    page.emulate_media(media="screen")

    page.goto(f"{page.base_url}/badges/mine/")
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="All badges"))
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="My portfolio"))
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download to read and print (HTML)").click()
    assert download.value.suggested_filename.endswith(".html")

    # Whoever is given the address checks it, signed in or not.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/badges/verify/{award.public_id}/")
    check_accessibility(page)
    page.get_by_label("Email address").fill(people.mentee.email)
    follow(page, page.get_by_role("button", name="Check"))
    page.get_by_text("Yes: this badge was awarded to this email address.").wait_for()
    check_accessibility(page)
