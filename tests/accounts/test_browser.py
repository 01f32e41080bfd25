"""Journeys through the accounts pages in a real browser, with the accessibility check."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from accounts.services import invitation_url, revoke_invitation
from tests import factories
from tests.browser import check_accessibility, follow, sign_in

pytestmark = pytest.mark.browser


def demo_accounts():
    """Seed the demo district and read the printed accounts and two-factor secrets."""
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    printed = out.getvalue()
    secrets = dict(re.findall(r"otpauth://totp/[^:]+:([^?\s]+)\?secret=([A-Z2-7]+)", printed))
    from accounts.demo import DEMO_PASSWORD

    return DEMO_PASSWORD, {email.replace("%40", "@"): s for email, s in secrets.items()}


def test_demo_teacher_signs_in_and_reaches_home(page):
    password, _ = demo_accounts()
    page.goto(f"{page.base_url}/accounts/login/")
    check_accessibility(page)

    sign_in(page, "mentee@riverside.example.org", password)

    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    check_accessibility(page)
    for path in ["/profile/", "/accounts/password/change/", "/accounts/2fa/", "/no-such-page/"]:
        page.goto(f"{page.base_url}{path}")
        check_accessibility(page)


def test_password_reset_pages_are_accessible(page):
    page.goto(f"{page.base_url}/accounts/password/reset/")
    check_accessibility(page)
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Reset My Password").click()
    page.wait_for_url(f"{page.base_url}/accounts/password/reset/done/")
    check_accessibility(page)


def test_demo_district_admin_signs_in_with_two_factor_and_sees_the_district(page):
    password, secrets = demo_accounts()
    email = "district.admin@riverside.example.org"

    sign_in(page, email, password, totp_secret=secrets[email], check=check_accessibility)

    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("heading", name="Your district").is_visible()
    check_accessibility(page)
    for path in ["/people/", "/schools/", "/invitations/", "/district/settings/", "/profile/"]:
        page.goto(f"{page.base_url}{path}")
        check_accessibility(page)
    page.goto(f"{page.base_url}/schools/")
    follow(page, page.get_by_role("link", name="Jefferson Middle School"))
    assert page.get_by_role("heading", level=1).inner_text() == "Jefferson Middle School"
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Marcus Bell"))
    assert page.get_by_role("heading", level=1).inner_text() == "Marcus Bell"
    check_accessibility(page)


def test_invitation_journey_from_email_to_home_page(page, browser):
    school = factories.SchoolFactory(name="Lincoln Elementary")
    admin = factories.district_admin(school.district)
    secret = factories.TOTP_SECRETS[admin.pk]
    sign_in(page, admin.email, factories.PASSWORD, totp_secret=secret)
    page.wait_for_url(f"{page.base_url}/")

    page.goto(f"{page.base_url}/invitations/")
    check_accessibility(page)
    page.get_by_label("Email address").fill("new.teacher@example.org")
    page.get_by_label("Name (optional)").fill("Noor Haddad")
    page.get_by_label("Role").select_option("teacher")
    page.get_by_label("School").select_option(label="Lincoln Elementary")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("An invitation is on its way").wait_for()
    check_accessibility(page)

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/join/\S+/)", mail.outbox[0].body).group(1)
    invitee = browser.new_context(viewport=page.viewport_size)
    invitee_page = invitee.new_page()
    invitee_page.goto(f"{page.base_url}{link}")
    invitee_page.wait_for_url(re.compile(r"/accounts/signup/"))
    check_accessibility(invitee_page)
    invitee_page.get_by_label("Your name").fill("Noor Haddad")
    invitee_page.locator("#id_password1").fill("a-long-enough-passphrase")
    invitee_page.locator("#id_password2").fill("a-long-enough-passphrase")
    invitee_page.get_by_role("button", name="Create account").click()
    invitee_page.wait_for_url(f"{page.base_url}/")
    assert "Noor Haddad" in invitee_page.get_by_role("heading", level=1).inner_text()
    assert User.objects.get(email="new.teacher@example.org").staff_profile.school == school

    invitee_page.goto(f"{page.base_url}{link}")
    assert "can’t be used" in invitee_page.get_by_role("heading", level=1).inner_text()
    invitee.close()


def test_bad_invitation_links_explain_themselves(page):
    school = factories.SchoolFactory()
    expired = factories.InvitationFactory(school=school, expires_at="2020-01-01T00:00Z")
    withdrawn = factories.InvitationFactory(school=school)
    revoke_invitation(invitation=withdrawn)
    good = invitation_url(factories.InvitationFactory(school=school))
    cases = {
        invitation_url(expired): "expired",
        invitation_url(withdrawn): "withdrawn",
        good[:-4] + "xx" + good[-2:]: "changed",
    }
    for url, words in cases.items():
        page.goto(url.replace("http://testserver", page.base_url))
        assert words in page.locator("main").inner_text()
        check_accessibility(page)
