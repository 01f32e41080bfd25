"""Every accounts page tried by each role and by outsiders of another district."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ADMINS_ONLY = {"district_admin": 200, "school_admin": 200, "teacher": 404, "colleague": 404}


def test_people_list_is_for_admins_and_shows_only_their_people(assert_access, as_role, people):
    url = reverse("accounts:people")
    assert_access(url, {**ADMINS_ONLY, "outsider": 200})

    school_admin_page = as_role("school_admin").get(url).content.decode()
    assert people.teacher.email in school_admin_page
    assert people.colleague.email not in school_admin_page  # another school
    outsider_page = as_role("outsider").get(url).content.decode()
    assert people.teacher.email not in outsider_page
    assert people.district_admin.email not in outsider_page


def test_person_detail_is_for_the_person_and_their_admins(assert_access, people):
    url = reverse("accounts:person-detail", args=[people.teacher.pk])
    assert_access(url, {"district_admin": 200, "school_admin": 200, "teacher": 200,
                        "colleague": 404, "outsider": 404})


def test_school_admin_cannot_open_a_person_of_another_school(assert_access, people):
    url = reverse("accounts:person-detail", args=[people.colleague.pk])
    assert_access(url, {"district_admin": 200, "school_admin": 404, "teacher": 404,
                        "colleague": 200, "outsider": 404})


def test_school_list_shows_admins_only_the_schools_they_manage(assert_access, as_role, people):
    url = reverse("accounts:schools")
    assert_access(url, {**ADMINS_ONLY, "outsider": 200})

    page = as_role("school_admin").get(url).content.decode()
    assert people.school.name in page
    assert people.other_school.name not in page
    assert people.school.name not in as_role("outsider").get(url).content.decode()


def test_school_detail_is_for_its_admins(assert_access, people):
    assert_access(reverse("accounts:school-detail", args=[people.school.pk]),
                  {**ADMINS_ONLY, "outsider": 404})
    assert_access(reverse("accounts:school-detail", args=[people.other_school.pk]),
                  {"district_admin": 200, "school_admin": 404, "teacher": 404,
                   "colleague": 404, "outsider": 404})


def test_invitation_list_is_for_admins(assert_access, as_role, people):
    invitation = factories.InvitationFactory(school=people.school, invited_by=people.school_admin)
    url = reverse("accounts:invitations")
    assert_access(url, {**ADMINS_ONLY, "outsider": 200})
    assert invitation.email not in as_role("outsider").get(url).content.decode()


def test_withdrawing_an_invitation_is_for_admins_of_its_school(assert_access, people):
    invitation = factories.InvitationFactory(school=people.school)
    url = reverse("accounts:invitation-revoke", args=[invitation.pk])

    assert_access(url, {"district_admin": 302, "school_admin": 302, "teacher": 404,
                        "colleague": 404, "outsider": 404}, method="post")

    other = factories.InvitationFactory(school=people.other_school)
    assert_access(reverse("accounts:invitation-revoke", args=[other.pk]),
                  {"district_admin": 302, "school_admin": 404, "teacher": 404,
                   "colleague": 404, "outsider": 404}, method="post")


def test_district_settings_are_for_district_admins(assert_access, as_role, people):
    url = reverse("accounts:district-settings")
    assert_access(url, {"district_admin": 200, "school_admin": 404, "teacher": 404,
                        "colleague": 404, "outsider": 200})
    assert people.district.name not in as_role("outsider").get(url).content.decode()


def test_profile_and_home_are_for_every_signed_in_person(assert_access):
    everyone = dict.fromkeys(
        ["district_admin", "school_admin", "teacher", "colleague", "outsider"], 200
    )
    assert_access(reverse("accounts:profile"), everyone)
    assert_access(reverse("home"), everyone)


def test_a_district_admin_gets_404_for_every_object_of_another_district(as_role, people):
    client = as_role("outsider")
    invitation = factories.InvitationFactory(school=people.school)
    urls = [
        reverse("accounts:person-detail", args=[people.teacher.pk]),
        reverse("accounts:person-detail", args=[people.district_admin.pk]),
        reverse("accounts:school-detail", args=[people.school.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("accounts:invitation-revoke",
                               args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_roles_and_staff_of_another_district_are_not_shown(as_role, people):
    from accounts.models import DistrictRole

    # A role left over in a district the person no longer belongs to grants nothing.
    DistrictRole.objects.create(user=people.teacher, district=people.elsewhere.district,
                                school=people.elsewhere, role=DistrictRole.Role.SCHOOL_ADMIN)
    # Someone who moved districts, whose old profile still names the school.
    moved = factories.teacher(people.school, user__display_name="Moved Away")
    moved.district = people.elsewhere.district
    moved.save()
    client = as_role("district_admin")

    person = client.get(reverse("accounts:person-detail", args=[people.teacher.pk]))
    school = client.get(reverse("accounts:school-detail", args=[people.school.pk]))

    assert "Faraway High" not in person.content.decode()
    assert "Moved Away" not in school.content.decode()
    assert people.teacher.display_name in school.content.decode()


def test_a_people_filter_that_cannot_be_read_lists_nobody(as_role, people):
    response = as_role("district_admin").get(reverse("accounts:people"),
                                             {"q": "x" * 101, "school": "abc"})

    assert response.status_code == 400
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    assert people.teacher.email not in response.content.decode()
