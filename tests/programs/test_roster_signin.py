"""Staff created by a roster import have no password yet: they set one with "forgot
password" on their school email and can then sign in."""

import re

from django.core import mail
from django.urls import reverse

from accounts.models import User
from programs.models import RosterImport
from programs.services.roster import import_roster_path
from tests import factories


def test_an_imported_teacher_sets_a_password_and_signs_in(db, client, tmp_path):
    school = factories.SchoolFactory(code="101")
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("staff_id,email,first_name,last_name,school_code\n"
                        "t-1,Imported.Teacher@example.org,Imported,Teacher,101\n")
    outcome = import_roster_path(path=str(csv_file), district=school.district,
                                 format=RosterImport.Format.SIMPLE_CSV, full_sync=False)
    assert not outcome.problems
    user = User.objects.get(email="imported.teacher@example.org")
    assert not user.has_usable_password()

    client.post(reverse("account_reset_password"), {"email": "Imported.Teacher@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}", follow=True)
    new_password = "a-long-new-password-2026"
    client.post(response.redirect_chain[-1][0] if response.redirect_chain else f"/{path}",
                {"password1": new_password, "password2": new_password})

    client.logout()
    response = client.post(reverse("account_login"),
                           {"login": "imported.teacher@example.org", "password": new_password})
    assert response.status_code == 302
    assert response.url == "/"


def test_an_address_the_roster_changes_no_longer_leads_to_the_account(db, client, tmp_path):
    from allauth.account.models import EmailAddress

    school = factories.SchoolFactory(code="101")
    csv_file = tmp_path / "staff.csv"

    def sync(rows):
        csv_file.write_text("staff_id,email,first_name,last_name,school_code\n" + rows)
        outcome = import_roster_path(path=str(csv_file), district=school.district,
                                     format=RosterImport.Format.SIMPLE_CSV, full_sync=False)
        assert not outcome.problems, outcome.problems.as_list()

    sync("t-1,old@example.org,Ana,Diaz,101\n")
    sync("t-1,new@example.org,Ana,Diaz,101\n")
    ana = User.objects.get(email="new@example.org")
    assert list(EmailAddress.objects.filter(user=ana).values_list("email", "primary")) == [
        ("new@example.org", True)]

    client.post(reverse("account_reset_password"), {"email": "old@example.org"})
    assert not any("password/reset/key" in message.body for message in mail.outbox)

    # The old address can go to a newcomer in a later import.
    sync("t-1,new@example.org,Ana,Diaz,101\nt-2,old@example.org,Ben,Ortiz,101\n")
    assert User.objects.get(email="old@example.org").display_name == "Ben Ortiz"
