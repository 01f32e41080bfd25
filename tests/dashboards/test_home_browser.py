"""Each role's home page and the program health page in a real browser, at desktop and phone
width, checked with axe; charts are drawn and keep their tables."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser import check_accessibility, follow, sign_in

pytestmark = pytest.mark.browser


def open_home(page, person):
    page.context.clear_cookies()
    sign_in(page, person.email, factories.PASSWORD,
            totp_secret=factories.TOTP_SECRETS.get(person.pk))
    page.wait_for_url(f"{page.base_url}/")
    page.locator("main h1").wait_for()


def test_each_roles_home_page(page, scene, people, program_people):
    homes = [
        (scene.ann.mentee.user, "Recent feedback"),
        (scene.bea.mentor.user, "Your mentees"),
        (program_people.coordinator, "Programs you coordinate"),
        (program_people.school_rep, "Your school"),
        (people.school_admin, "Your school"),
        (people.district_admin, "Your district"),
    ]
    for person, heading in homes:
        open_home(page, person)
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
        check_accessibility(page)
    # The mentor's overdue mentee is said at the top.
    open_home(page, scene.bea.mentor.user)
    assert "1 check-in overdue" in page.locator("main").inner_text()


def test_a_coordinator_goes_from_their_home_to_the_programs_health(page, scene,
                                                                   program_people):
    health = reverse("dashboards:program-health", args=[scene.program.pk])
    open_home(page, program_people.coordinator)
    card = page.locator(f'main a[href="{health}"]')
    assert scene.program.name in card.inner_text()  # named for a screen reader
    follow(page, card)

    assert page.url == f"{page.base_url}{health}"
    page.locator("canvas[data-drawn]").nth(2).wait_for()  # check-ins, goals, time
    assert page.locator("canvas[data-chart-source]").count() == 3
    assert "Self-rated confidence falling" in page.locator("main").inner_text()
    check_accessibility(page)

    # A wrong number of weeks is said next to the field and kept; the page still shows.
    page.get_by_label("Not met or observed in the last (weeks)").fill("99")
    follow(page, page.get_by_role("button", name="Show", exact=True))
    assert page.locator(".invalid-feedback").inner_text() == "Choose 1 to 52 weeks."
    assert page.get_by_label("Not met or observed in the last (weeks)").input_value() == "99"
    check_accessibility(page)
    page.get_by_label("Not met or observed in the last (weeks)").fill("6")
    follow(page, page.get_by_role("button", name="Show", exact=True))
    assert page.locator("[data-figure=not-met]").inner_text() == "0"

    # The figures behind a chart are there as a table for whoever does not see it.
    page.get_by_text("Show the figures as a table").first.click()
    assert page.get_by_role("rowheader", name="2026-10").first.is_visible()
