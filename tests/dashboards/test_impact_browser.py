"""The district impact page and the board report in a browser, at desktop and phone
width: charts drawn, tables behind them, axe finds nothing."""

import pytest

from dashboards.rollups import refresh_district
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.dashboards.impact_data import SECRET, build_district

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_admin_reads_the_impact_page_and_prints_the_report(page):
    data = build_district()
    refresh_district(data.district)
    admin = factories.district_admin(data.district, password=factories.PASSWORD)
    sign_in(page, admin.email, factories.PASSWORD, factories.TOTP_SECRETS[admin.pk])
    page.goto(f"{page.base_url}/dashboards/district/")
    page.locator("canvas[data-drawn]").first.wait_for()  # Chart.js drew under the CSP
    assert page.get_by_role("heading", name="Mentoring impact in Riverside").is_visible()
    assert page.get_by_text("Figures computed").is_visible()
    check_accessibility(page)

    page.get_by_label("School", exact=True).select_option(label="Lincoln Elementary")
    follow(page, page.get_by_role("button", name="Show", exact=True))
    assert page.get_by_role("rowheader", name="Lincoln Elementary").first.is_visible()
    assert page.get_by_role("rowheader", name="Roosevelt Middle").count() == 0
    check_accessibility(page)

    follow(page, page.get_by_role("link", name="Printable report for the board"))
    page.locator("canvas[data-drawn]").first.wait_for()
    assert page.locator("nav").count() == 0
    assert SECRET not in page.content()
    check_accessibility(page)


def test_a_bad_filter_is_explained_in_the_page(phone_page):
    data = build_district()
    refresh_district(data.district)
    admin = factories.district_admin(data.district, password=factories.PASSWORD)
    sign_in(phone_page, admin.email, factories.PASSWORD, factories.TOTP_SECRETS[admin.pk])
    phone_page.goto(f"{phone_page.base_url}/dashboards/district/?program=nine")
    assert phone_page.get_by_text("Choose a program from the list.").is_visible()
    check_accessibility(phone_page)
