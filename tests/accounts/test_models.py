import pytest
from django.db import IntegrityError

from accounts.models import CareerStage, StaffProfile, User
from tests import factories


@pytest.mark.parametrize(("years", "stage"), [
    (0, CareerStage.NEW), (1, CareerStage.EARLY), (3, CareerStage.EARLY),
    (4, CareerStage.ESTABLISHED), (9, CareerStage.ESTABLISHED), (10, CareerStage.EXPERIENCED),
    (35, CareerStage.EXPERIENCED),
])
def test_years_of_experience_imply_the_career_stage(years, stage):
    assert StaffProfile(years_of_experience=years).career_stage == stage


@pytest.mark.django_db
def test_career_stage_filter_matches_the_stage_of_each_profile():
    school = factories.SchoolFactory()
    for years in [0, 2, 5, 12]:
        factories.StaffProfileFactory(user__district=school.district, school=school,
                                      years_of_experience=years)

    for stage in CareerStage:
        found = StaffProfile.objects.in_career_stage(stage)
        assert [p.career_stage for p in found] == [stage]


@pytest.mark.django_db
def test_two_accounts_cannot_share_an_email_in_different_case():
    factories.UserFactory(email="ana@example.org")

    with pytest.raises(IntegrityError):
        User.objects.create(email="Ana@Example.org", display_name="Ana again")


@pytest.mark.django_db
def test_a_role_left_behind_in_another_district_grants_nothing():
    admin = factories.district_admin(factories.DistrictFactory())
    admin.district = factories.DistrictFactory()
    admin.save()

    moved = User.objects.get(pk=admin.pk)
    assert not moved.is_district_admin
    assert not User.objects.visible_to(moved).exclude(pk=moved.pk).exists()


@pytest.mark.django_db
def test_rows_tying_people_and_schools_to_a_district_must_agree():
    from django.core.exceptions import ValidationError

    from accounts.models import DistrictRole, Invitation

    school = factories.SchoolFactory()
    elsewhere = factories.SchoolFactory()
    person = factories.teacher(school)
    role = DistrictRole(user=person, district=school.district, school=elsewhere,
                        role=DistrictRole.Role.SCHOOL_ADMIN)
    invitation = Invitation(district=school.district, school=elsewhere, email="x@example.org",
                            expires_at="2030-01-01T00:00Z")
    profile = person.staff_profile
    profile.school = elsewhere

    for row in (role, invitation, profile):
        with pytest.raises(ValidationError, match="another district"):
            row.full_clean()
