"""A district admin imports a roster in a real browser: upload, preview, apply."""

import pytest

from accounts.models import User
from tests import factories
from tests.browser import check_accessibility, follow, open_menu, sign_in
from tests.programs.oneroster import OneRosterSet

pytestmark = pytest.mark.browser


def test_district_admin_uploads_previews_and_applies_a_roster(page, tmp_path):
    school = factories.SchoolFactory(name="Lincoln Elementary")
    admin = factories.district_admin(school.district)
    roster = OneRosterSet(schools=2, teachers=2).write_zip(tmp_path / "oneroster.zip")
    sign_in(page, admin.email, factories.PASSWORD, totp_secret=factories.TOTP_SECRETS[admin.pk])
    page.wait_for_url(f"{page.base_url}/")

    if page.is_phone:
        open_menu(page)
    page.get_by_role("link", name="Roster import").click()
    page.get_by_role("heading", name="Roster import").wait_for()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Upload a roster"))
    check_accessibility(page)
    page.get_by_label("OneRoster 1.1 CSV (zip or files)").check()
    page.get_by_label("Everyone (full import)", exact=False).check()
    page.get_by_label("Roster file or files").set_input_files(str(roster))
    page.get_by_role("button", name="Upload and check").click()

    page.get_by_text("No problems found.").wait_for()
    assert page.get_by_role("row", name="People created").inner_text().split()[-1] == "7"
    check_accessibility(page)
    assert not User.objects.filter(email__endswith="district.example.org").exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Apply the roster").click()
    # Not "being applied": the page updates by itself until the roster is in.
    page.get_by_text("What changed", exact=True).wait_for()
    check_accessibility(page)
    assert User.objects.filter(email__endswith="district.example.org").count() == 7
