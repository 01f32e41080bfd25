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
