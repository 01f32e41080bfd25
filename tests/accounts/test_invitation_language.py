"""An invitation email is written in the invited person's language: their own choice when
they have an account already, else the one the inviter chose, else the district's; never
the inviter's."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from accounts.tasks import render_invitation_email
from tests import factories

pytestmark = pytest.mark.django_db

SPANISH_SUBJECT = "Le invitamos al programa de mentoría de"
ENGLISH_SUBJECT = "You're invited to the mentorship program of"


def invite(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("accounts:invitations"), data)


@pytest.fixture
def english_admin(people):
    people.school_admin.preferred_language = "en"
    people.school_admin.save(update_fields=["preferred_language"])
    return people.school_admin


def test_an_invitee_the_inviter_knows_speaks_spanish_gets_it_in_spanish(
        client, people, english_admin, django_capture_on_commit_callbacks):
    client.force_login(english_admin)

    response = invite(client, django_capture_on_commit_callbacks, email="lucia@example.org",
                      role="teacher", school=people.school.pk, language="es")

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith(SPANISH_SUBJECT)
    assert "Abra este enlace para crear su cuenta:" in message.body
    assert Invitation.objects.get().language == "es"


def test_a_person_with_an_account_gets_their_own_language_whatever_the_inviter_chose(
        people, english_admin):
    factories.UserFactory(email="Lucia@example.org", preferred_language="es")
    invitation = factories.InvitationFactory(
        district=people.district, school=people.school, email="lucia@example.org",
        invited_by=english_admin, language="en", role="school_admin")

    message = render_invitation_email(invitation)

    assert message.subject.startswith(SPANISH_SUBJECT)


def test_an_unknown_language_follows_the_district_not_the_inviter(people):
    spanish_admin = people.school_admin
    spanish_admin.preferred_language = "es"
    spanish_admin.save(update_fields=["preferred_language"])
    invitation = factories.InvitationFactory(school=people.school, invited_by=spanish_admin)

    assert render_invitation_email(invitation).subject.startswith(ENGLISH_SUBJECT)

    people.district.language = "es"
    people.district.save(update_fields=["language"])
    invitation.refresh_from_db()
    assert render_invitation_email(invitation).subject.startswith(SPANISH_SUBJECT)


def test_the_form_offers_the_districts_language_by_default(client, people, english_admin):
    people.district.language = "es"
    people.district.save(update_fields=["language"])
    client.force_login(english_admin)

    page = client.get(reverse("accounts:invitations")).content.decode()

    assert "The district’s language (Spanish)" in page


def test_an_unknown_language_code_is_refused_next_to_the_field(
        client, people, english_admin, django_capture_on_commit_callbacks):
    client.force_login(english_admin)

    response = invite(client, django_capture_on_commit_callbacks, email="lucia@example.org",
                      role="teacher", school=people.school.pk, language="klingon")

    assert response.status_code == 400
    assert "Select a valid choice." in str(response.context["form"].errors["language"])
    assert 'value="lucia@example.org"' in response.content.decode()
    assert not mail.outbox
