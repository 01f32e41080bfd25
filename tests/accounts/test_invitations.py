import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import DistrictRole, Invitation, User
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-enough-passphrase"


def link_in(message):
    return re.search(r"http://testserver(/join/\S+/)", message.body).group(1)


def invite(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:invitations"), data)


def sign_up(client, link, email, name="Ana Rivera"):
    client.get(link)
    return client.post(reverse("account_signup"), {
        "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "display_name": name, "preferred_language": "es",
    })


def test_invited_teacher_signs_up_into_the_right_district_and_school(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.school_admin)
    response = invite(client, django_capture_on_commit_callbacks,
                      email="ana.rivera@example.org", role="teacher", school=people.school.pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.rivera@example.org"]
    assert people.district.name in message.subject
    assert "text/html" in {kind: body for body, kind in message.alternatives}
    link = link_in(message)
    client.logout()

    opened = client.get(link)
    assert opened.status_code == 302 and opened.url == reverse("account_signup")
    signup_page = client.get(reverse("account_signup")).content.decode()
    assert "ana.rivera@example.org" in signup_page
    response = sign_up(client, link, "ana.rivera@example.org")

    assert response.status_code == 302
    person = User.objects.get(email="ana.rivera@example.org")
    assert person.district == people.district
    assert person.staff_profile.school == people.school
    assert person.display_name == "Ana Rivera"
    assert person.preferred_language == "es"
    assert client.get(reverse("home")).status_code == 200  # signed in, no verification step
    assert Invitation.objects.get(email=person.email).accepted_by == person


def test_a_used_link_says_so(client, people, django_capture_on_commit_callbacks):
    client.force_login(people.district_admin)
    invite(client, django_capture_on_commit_callbacks, email="new@example.org",
           role="teacher", school=people.school.pk)
    link = link_in(mail.outbox[0])
    client.logout()
    sign_up(client, link, "new@example.org")
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_expired_link_says_so(client, people):
    invitation = factories.InvitationFactory(school=people.school)
    from accounts.services import invitation_url

    link = invitation_url(invitation).removeprefix("http://testserver")
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.get(link)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not client.get(reverse("account_signup")).content.decode().count("password1")


def test_a_tampered_link_says_so(client, people):
    invitation = factories.InvitationFactory(school=people.school)
    from accounts.services import invitation_url

    link = invitation_url(invitation).removeprefix("http://testserver")
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]

    response = client.get(tampered)

    assert response.status_code == 404
    assert "incomplete or has been changed" in response.content.decode()


def test_a_withdrawn_invitation_no_longer_works(client, people):
    invitation = factories.InvitationFactory(school=people.school)
    from accounts.services import invitation_url, revoke_invitation

    revoke_invitation(invitation=invitation)
    response = client.get(invitation_url(invitation).removeprefix("http://testserver"))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_sign_up_is_closed_without_an_invitation(client, db):
    response = client.post(reverse("account_signup"), {
        "email": "walk-in@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "display_name": "Walk In", "preferred_language": "en",
    })

    assert not User.objects.filter(email="walk-in@example.org").exists()
    assert "closed" in response.content.decode().lower()


def test_sign_up_refuses_another_address_than_the_invited_one(client, people):
    invitation = factories.InvitationFactory(school=people.school, email="invited@example.org")
    from accounts.services import invitation_url

    client.get(invitation_url(invitation).removeprefix("http://testserver"))
    response = client.post(reverse("account_signup"), {
        "email": "someone.else@example.org", "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD, "display_name": "Someone", "preferred_language": "en",
    })

    assert response.status_code == 200
    assert "invited@example.org" in response.content.decode()
    assert not User.objects.filter(email="someone.else@example.org").exists()


def test_a_short_password_is_refused_next_to_the_field_keeping_the_name(client, people):
    invitation = factories.InvitationFactory(school=people.school, email="short@example.org")
    from accounts.services import invitation_url

    client.get(invitation_url(invitation).removeprefix("http://testserver"))
    response = client.post(reverse("account_signup"), {
        "email": "short@example.org", "password1": "short-pw", "password2": "short-pw",
        "display_name": "Kept Name", "preferred_language": "en",
    })

    page = response.content.decode()
    assert "at least 12 characters" in page
    assert 'value="Kept Name"' in page
    assert not User.objects.filter(email="short@example.org").exists()


def test_an_existing_teacher_accepts_an_admin_invitation_while_signed_in(client, people):
    invitation = factories.InvitationFactory(
        school=people.school, email=people.teacher.email, role=Invitation.Role.SCHOOL_ADMIN
    )
    from accounts.services import invitation_url

    link = invitation_url(invitation).removeprefix("http://testserver")
    client.force_login(people.teacher)
    assert client.get(link).status_code == 200

    assert client.post(link).status_code == 302
    assert DistrictRole.objects.filter(user=people.teacher, school=people.school,
                                       role=DistrictRole.Role.SCHOOL_ADMIN).exists()


def test_someone_else_signed_in_is_told_the_invitation_is_not_theirs(client, people):
    invitation = factories.InvitationFactory(school=people.school)
    from accounts.services import invitation_url

    client.force_login(people.colleague)
    response = client.get(invitation_url(invitation).removeprefix("http://testserver"))

    assert response.status_code == 403
    assert invitation.email in response.content.decode()


def test_inviting_with_a_bad_email_shows_the_problem_and_keeps_the_input(client, people):
    client.force_login(people.district_admin)

    response = client.post(reverse("accounts:invitations"), {
        "email": "not-an-email", "display_name": "Typed Name", "role": "teacher",
        "school": people.school.pk,
    })

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Typed Name"' in page
    assert not Invitation.objects.exists()


def test_a_teacher_invitation_needs_a_school(client, people):
    client.force_login(people.district_admin)

    response = client.post(reverse("accounts:invitations"), {
        "email": "someone@example.org", "role": "teacher", "school": "",
    })

    assert response.status_code == 400
    assert "Choose the school this person works at." in response.content.decode()


def test_a_school_admin_cannot_invite_a_district_admin(client, people):
    client.force_login(people.school_admin)

    response = client.post(reverse("accounts:invitations"), {
        "email": "boss@example.org", "role": "district_admin",
    })

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_waiting_one(client, people,
                                                   django_capture_on_commit_callbacks):
    client.force_login(people.district_admin)
    for _ in range(2):
        invite(client, django_capture_on_commit_callbacks, email="twice@example.org",
               role="teacher", school=people.school.pk)

    first, second = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    client.logout()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 302


def test_an_open_invitation_does_not_get_in_the_way_of_a_password_reset(client, people):
    invitation = factories.InvitationFactory(school=people.school, email="invited@example.org")
    from accounts.services import invitation_url

    client.get(invitation_url(invitation).removeprefix("http://testserver"))
    response = client.post(reverse("account_reset_password"), {"email": people.teacher.email})

    assert response.status_code == 302
    assert mail.outbox[-1].to == [people.teacher.email]


def test_an_invitation_from_an_admin_who_lost_the_role_no_longer_works(client, people):
    from accounts.models import DistrictRole
    from accounts.services import invitation_url

    invitation = factories.InvitationFactory(school=people.school, invited_by=people.school_admin)
    DistrictRole.objects.filter(user=people.school_admin).delete()

    response = client.get(invitation_url(invitation).removeprefix("http://testserver"))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_inviter_who_loses_the_role_after_the_link_was_opened_stops_the_sign_up(client,
                                                                                 people):
    from accounts.models import DistrictRole
    from accounts.services import invitation_url

    invitation = factories.InvitationFactory(school=people.school, invited_by=people.school_admin,
                                             email="late@example.org")
    client.get(invitation_url(invitation).removeprefix("http://testserver"))
    DistrictRole.objects.filter(user=people.school_admin).delete()

    sign_up(client, reverse("account_signup"), "late@example.org")

    assert not User.objects.filter(email="late@example.org").exists()


def test_an_address_with_an_account_in_another_district_is_told_so_by_the_link(client, people):
    from accounts.services import invitation_url

    client.force_login(people.district_admin)
    response = client.post(reverse("accounts:invitations"), {
        "email": people.outsider_teacher.email, "role": "school_admin",
        "school": people.school.pk,
    })
    assert response.status_code == 302  # the inviter learns nothing about other districts

    invitation = Invitation.objects.get(email=people.outsider_teacher.email)
    client.force_login(people.outsider_teacher)
    page = client.get(invitation_url(invitation).removeprefix("http://testserver"))

    assert page.status_code == 410
    assert "another district" in page.content.decode()
    assert not DistrictRole.objects.filter(user=people.outsider_teacher).exists()


def test_the_service_refuses_what_the_form_would_not_offer(people):
    from django.core.exceptions import ValidationError

    from accounts.services import invite_person

    with pytest.raises(ValidationError, match="your own schools"):
        invite_person(invited_by=people.school_admin, email="a@example.org", role="teacher",
                      school=people.other_school)
    with pytest.raises(ValidationError, match="your own schools"):
        invite_person(invited_by=people.district_admin, email="b@example.org",
                      role="teacher", school=people.elsewhere)
    with pytest.raises(ValidationError, match="cannot invite people to this role"):
        invite_person(invited_by=people.school_admin, email="c@example.org",
                      role="school_admin", school=people.school)
    with pytest.raises(ValidationError, match="cannot invite"):
        invite_person(invited_by=people.teacher, email="d@example.org", role="teacher",
                      school=people.school)
    assert not Invitation.objects.exists()


def test_withdrawing_stops_the_link_and_says_so(client, people):
    invitation = factories.InvitationFactory(school=people.school)
    client.force_login(people.school_admin)

    client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    again = client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]), follow=True)

    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    assert "no longer open" in again.content.decode()


def test_an_opened_invitation_does_not_wait_in_the_browser_forever(client, people):
    from accounts.services import invitation_url

    invitation = factories.InvitationFactory(school=people.school, email="later@example.org")
    client.get(invitation_url(invitation).removeprefix("http://testserver"))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        sign_up(client, "/", "later@example.org")  # "/" opens nothing: the stash is old

    assert not User.objects.filter(email="later@example.org").exists()


def test_the_plain_text_email_is_not_html_escaped(people, django_capture_on_commit_callbacks):
    from accounts.services import invite_person

    people.district.name = "Smith & Jones USD"
    people.district.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite_person(invited_by=people.district_admin, email="o@example.org", role="teacher",
                      school=people.school, display_name="Siobhán O'Brien")

    message = mail.outbox[0]
    assert "Hello Siobhán O'Brien," in message.body
    assert "Smith & Jones USD" in message.subject


def test_a_school_admin_cannot_replace_another_admins_invitation(client, people,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(people.district_admin)
    invite(client, django_capture_on_commit_callbacks, email="principal@example.org",
           role="district_admin")
    client.force_login(people.school_admin)

    response = invite(client, django_capture_on_commit_callbacks,
                      email="PRINCIPAL@example.org", role="teacher", school=people.school.pk)

    assert response.status_code == 400
    assert "Another administrator has already invited this person." in \
        str(response.context["form"].errors["email"])
    assert 'value="PRINCIPAL@example.org"' in response.content.decode()
    (open_one,) = Invitation.objects.pending()
    assert open_one.role == "district_admin"
    assert len(mail.outbox) == 1


def test_the_subject_of_an_invitation_stays_on_one_line(people):
    from accounts.tasks import render_invitation_email

    people.district.name = "Springfield\nPublic Schools"
    people.district.save()
    invitation = factories.InvitationFactory(school=people.school,
                                             invited_by=people.district_admin)

    message = render_invitation_email(invitation)

    assert "\n" not in message.subject
    assert "Springfield Public Schools" in message.subject
