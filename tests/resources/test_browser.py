"""The resource library in a real browser: a mentor and a mentee co-write a unit plan, the
mentee adds feedback from using it, and a mentor at another school copies and adapts it.
Every page visited is checked with axe, at desktop and phone width."""

import re

import pytest

from resources.models import Resource
from tests import factories
from tests.browser import check_accessibility, follow, open_menu, sign_in

pytestmark = pytest.mark.browser


def switch_to(page, person):
    page.context.clear_cookies()
    sign_in(page, person.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def field(page, label):
    """A form field by its label (crispy-forms adds an asterisk to required ones)."""
    return page.get_by_label(label).first


def open_resources(page):
    if page.is_phone:
        open_menu(page)
    page.get_by_role("link", name="Resources", exact=True).click()
    page.wait_for_url(f"{page.base_url}/resources/")
    check_accessibility(page)


def test_a_unit_plan_is_co_written_used_and_adapted(page):
    school = factories.SchoolFactory(name="Jefferson Middle School")
    other_school = factories.SchoolFactory(district=school.district, name="Oak Hollow Middle")
    school.district.subjects.create(name="Mathematics")
    mentor = factories.teacher(school, user__display_name="Elena Ramirez")
    mentee = factories.teacher(school, user__display_name="Jordan Lee")
    adapter = factories.teacher(other_school, user__display_name="Sam Okafor")

    # The mentor starts a draft.
    switch_to(page, mentor)
    open_resources(page)
    follow(page, page.get_by_role("link", name="Write a resource"))
    check_accessibility(page)
    field(page, "Type").select_option(label="Unit plan")
    field(page, "Title").fill("Ratios in the kitchen")
    field(page, "Summary").fill("Three weeks of ratio reasoning with family recipes.")
    field(page, "Content").fill("# Week 1\n\nDouble a recipe for the class.")
    field(page, "Mathematics").check()
    field(page, "Grade 7").check()
    field(page, "Tags").fill("ratios, recipes")
    field(page, "Rationale").fill("Recipes make ratios concrete.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Ratios in the kitchen"
    check_accessibility(page)
    plan_url = page.url

    # ...and invites the mentee to write it with her.
    page.get_by_text("Add a co-author").click()
    field(page, "Colleague’s email address").fill(mentee.email)
    page.get_by_role("button", name="Add co-author").click()
    page.get_by_text("Jordan Lee is now a co-author.").wait_for()
    check_accessibility(page)

    # The mentee improves the plan and publishes it.
    switch_to(page, mentee)
    page.goto(plan_url)
    follow(page, page.get_by_role("link", name="Edit", exact=True))
    check_accessibility(page)
    field(page, "Content").fill(
        "# Week 1\n\nDouble a recipe for the class.\n\n# Week 2\n\nCompare unit prices.")
    field(page, "What did you change?").fill("Added week 2")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved as version 2.").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published").first.wait_for()
    check_accessibility(page)

    # After teaching it, the mentee adds feedback from using it with students.
    page.get_by_text("Add feedback from using it").click()
    field(page, "Used with").fill("Grade 7, two classes")
    field(page, "What happened").fill("Students loved scaling the recipes.")
    page.get_by_role("button", name="Add feedback").click()
    page.get_by_text("your feedback is part of the design record").wait_for()
    assert page.get_by_text("Students loved scaling the recipes.").is_visible()
    check_accessibility(page)

    # The versions show who changed what.
    follow(page, page.get_by_role("link", name="Versions").first)
    check_accessibility(page)
    assert page.get_by_role("cell", name="Added week 2").is_visible()
    follow(page, page.get_by_role("link", name="Version 2"))
    assert page.get_by_text("Added: Compare unit prices.").count() == 1
    assert page.get_by_label("Compare with").input_value() == "1"
    check_accessibility(page)

    # A mentor at another school finds it, copies and adapts it.
    switch_to(page, adapter)
    open_resources(page)
    field(page, "Search").fill("unit prices")
    follow(page, page.get_by_role("button", name="Search"))
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Ratios in the kitchen"))
    follow(page, page.get_by_role("link", name="Copy and adapt"))
    check_accessibility(page)
    field(page, "Title of your adaptation").fill("Ratios in the kitchen, bilingual")
    page.get_by_role("button", name="Make my copy").click()
    page.get_by_text("Your copy is a draft of your own").wait_for()
    check_accessibility(page)
    field(page, "Content").fill("# Semana 1\n\nDouble a recipe, in two languages.")
    page.get_by_role("button", name="Save changes").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published").first.wait_for()
    lineage = page.get_by_role("region", name="Lineage and history")
    assert "Adapted from Ratios in the kitchen" in lineage.inner_text()
    check_accessibility(page)

    # The lineage shows on the original too.
    lineage.get_by_role("link", name="Ratios in the kitchen").click()
    page.wait_for_url(plan_url)
    lineage = page.get_by_role("region", name="Lineage and history")
    assert "Ratios in the kitchen, bilingual" in lineage.inner_text()
    assert re.search(r"Version 2, saved", lineage.inner_text())
    check_accessibility(page)

    original = Resource.objects.get(title="Ratios in the kitchen")
    assert original.versions.count() == 2
    assert original.adaptations.get().authors.get() == adapter
