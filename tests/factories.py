import time
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.utils import timezone

from accounts.models import District, DistrictRole, Invitation, School, StaffProfile, User

PASSWORD = "correct-horse-battery-staple"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    time_zone = "America/Chicago"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    code = factory.Sequence(lambda n: f"S{n:04d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    district = factory.SubFactory(DistrictFactory)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True,
                                        primary=True)


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..user.district"))
    years_of_experience = 3


def teacher(school, **kwargs):
    return StaffProfileFactory(user__district=school.district, school=school, **kwargs).user


TOTP_SECRETS = {}


def totp_code(secret):
    """The code an authenticator app shows right now for this secret."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user):
    """Give an admin the authenticator app their role requires; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    TOTP_SECRETS[user.pk] = secret
    return secret


def district_admin(district, **kwargs):
    user = UserFactory(district=district, **kwargs)
    DistrictRole.objects.create(user=user, district=district,
                                role=DistrictRole.Role.DISTRICT_ADMIN)
    with_totp(user)
    return user


def school_admin(school, **kwargs):
    user = teacher(school, **kwargs)
    DistrictRole.objects.create(user=user, district=school.district, school=school,
                                role=DistrictRole.Role.SCHOOL_ADMIN)
    with_totp(user)
    return user


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    district = factory.SelfAttribute("school.district")
    school = factory.SubFactory(SchoolFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Invitation.Role.TEACHER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))

