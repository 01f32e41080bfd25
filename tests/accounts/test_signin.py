import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_teacher_signs_in_with_email_and_password(client, people):
    response = attempt(client, people.teacher.email, factories.PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_sixth_failure_in_five_minutes_on_one_account_is_refused(client, people):
    for _ in range(5):
        page = attempt(client, people.teacher.email, "wrong-password").content.decode()
        assert "not correct" in page

    response = attempt(client, people.teacher.email, factories.PASSWORD)

    assert response.status_code == 200  # the form again, not a sign-in
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_failures_on_one_account_do_not_lock_out_another(client, people):
    for _ in range(5):
        attempt(client, people.teacher.email, "wrong-password")

    assert attempt(client, people.colleague.email, factories.PASSWORD).status_code == 302


def test_the_django_admin_signs_in_through_the_same_rate_limited_form(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_admin_must_answer_the_second_factor(client, people):
    admin = factories.UserFactory(district=people.district)
    factories.DistrictRole.objects.create(user=admin, district=people.district,
                                          role="district_admin")
    secret = factories.with_totp(admin)

    response = attempt(client, admin.email, factories.PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet

    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_an_admin_without_an_authenticator_is_sent_to_set_one_up(client, people):
    admin = factories.UserFactory(district=people.district)
    factories.DistrictRole.objects.create(user=admin, district=people.district,
                                          role="district_admin")
    attempt(client, admin.email, factories.PASSWORD)

    response = client.get(reverse("accounts:people"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # Setting up a second factor asks for the password once more, then shows the QR code.
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "otpauth" in setup.content.decode() or "data:image" in setup.content.decode()


def test_a_teacher_is_not_asked_for_a_second_factor(client, people):
    client.force_login(people.teacher)

    assert client.get(reverse("home")).status_code == 200


def test_an_admin_cannot_remove_the_authenticator_their_role_requires(client, people):
    from allauth.mfa.models import Authenticator

    admin = people.district_admin
    client.force_login(admin)
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})

    client.post(reverse("mfa_deactivate_totp"), {})

    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
