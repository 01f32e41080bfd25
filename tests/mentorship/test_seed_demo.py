"""seed_demo builds the demo district, its staff and one account per role; a second run
changes nothing."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DISTRICT_NAME,
    LEVEL_GRADES,
    SCHOOLS,
    generate_staff_specs,
)
from accounts.models import (
    CareerStage,
    District,
    DistrictRole,
    FocusArea,
    Language,
    School,
    StaffProfile,
    Subject,
    User,
)
from tests.factories import totp_code

DISTRICT_ADMIN = "district.admin@riverside.example.org"


@pytest.fixture(autouse=True)
def _issuer(settings):
    settings.MFA_TOTP_ISSUER = "Mentorship"  # MFA_TOTP_ISSUER may come from the environment


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def totp_secrets():
    return {
        a.user.email: decrypt(a.data["secret"])
        for a in Authenticator.objects.filter(type=Authenticator.Type.TOTP).select_related("user")
    }


def snapshot():
    """Everything the seed writes, in a form that compares equal when nothing changed."""
    profiles = StaffProfile.objects.select_related("user", "school").prefetch_related(
        "subjects", "expertise")
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (District, School, Subject, FocusArea, User, StaffProfile, DistrictRole,
                          Authenticator, EmailAddress, StaffProfile.subjects.through,
                          StaffProfile.expertise.through)
        },
        "secrets": totp_secrets(),
        "passwords": dict(User.objects.values_list("email", "password")),
        "roles": sorted(DistrictRole.objects.values_list("user__email", "role", "school__code")),
        "profiles": sorted(
            (p.user.email, p.user.display_name, p.school.code if p.school else None,
             p.job_title, p.years_of_experience, tuple(p.grades_taught), tuple(p.languages),
             tuple(sorted(s.name for s in p.subjects.all())),
             tuple(sorted(f.name for f in p.expertise.all())))
            for p in profiles
        ),
    }


def test_seed_demo_is_idempotent(db):
    seed()
    first = snapshot()
    out = seed()
    second = snapshot()

    assert second["counts"] == first["counts"]
    assert second["secrets"] == first["secrets"]
    assert second == first
    assert "no changes" in out
    assert first["counts"]["District"] == 1
    assert len(first["secrets"]) == 3


def test_seed_demo_builds_a_realistic_district(db):
    seed()

    district = District.objects.get(name=DISTRICT_NAME)
    assert district.time_zone == "America/Chicago"
    assert district.schools.count() == len(SCHOOLS) == 8
    assert district.subjects.filter(name="Mathematics").exists()
    assert district.focus_areas.filter(name="Multilingual learners").exists()

    profiles = StaffProfile.objects.filter(user__district=district).select_related("school")
    assert 140 <= profiles.count() <= 170
    assert {p.career_stage for p in profiles} == set(CareerStage)
    for stage in CareerStage:
        assert profiles.in_career_stage(stage).exists()
    assert max(p.years_of_experience for p in profiles) <= 30

    level_of = {spec.code: spec.level for spec in SCHOOLS}
    languages = set(Language.values)
    for profile in profiles:
        assert set(profile.languages) <= languages and "en" in profile.languages
        if profile.school:
            assert set(profile.grades_taught) <= set(LEVEL_GRADES[level_of[profile.school.code]])
    assert sum("es" in p.languages for p in profiles) >= 10
    generated = User.objects.filter(district=district).exclude(
        email__in=[a.email for a in DEMO_ACCOUNTS])
    assert generated.exists()
    assert not any(user.has_usable_password() for user in generated), (
        "generated staff cannot sign in")


def test_generated_staff_are_the_same_every_time():
    assert generate_staff_specs() == generate_staff_specs()


def test_demo_accounts_sign_in_with_the_demo_password(db):
    seed()
    User.objects.filter(email="mentor@riverside.example.org").update(password="!changed")
    seed()  # puts the demo password back

    assert len(DEMO_PASSWORD) >= 12
    for account in DEMO_ACCOUNTS:
        user = authenticate(email=account.email, password=DEMO_PASSWORD)
        assert user is not None, account.email
        assert EmailAddress.objects.filter(
            user=user, email=account.email, verified=True, primary=True).exists()
        assert user.needs_two_factor == account.two_factor
        assert Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP).exists() == account.two_factor

    admin = User.objects.get(email=DISTRICT_ADMIN)
    assert admin.is_district_admin
    school_admin = User.objects.get(email="school.admin@riverside.example.org")
    assert [s.code for s in school_admin.administered_schools] == ["201"]
    mentee = StaffProfile.objects.get(user__email="mentee@riverside.example.org")
    assert mentee.career_stage == CareerStage.NEW
    mentor = StaffProfile.objects.get(user__email="mentor@riverside.example.org")
    assert mentor.career_stage == CareerStage.EXPERIENCED
    operator = User.objects.get(email="operator@example.org")
    assert operator.is_superuser and operator.is_staff and operator.district is None


def test_seed_demo_prints_the_district_admins_otpauth_uri(db):
    out = seed()

    secret = totp_secrets()[DISTRICT_ADMIN]
    uri = f"otpauth://totp/Mentorship:{DISTRICT_ADMIN}?secret={secret}&issuer=Mentorship"
    assert uri in out
    assert DEMO_PASSWORD in out
    assert validate_totp_code(secret, totp_code(secret))
    assert uri in seed(), "the second run prints the same secret"


def test_seed_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
