from datetime import date, timedelta

import factory
from django.utils import timezone

from programs.models import (
    Application,
    Group,
    GroupMembership,
    GroupSession,
    Participant,
    Program,
    TimeLog,
)
from programs.presets import PRESETS, ProgramModel
from tests.factories import DistrictFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    model = ProgramModel.ONE_ON_ONE
    status = Program.Status.RUNNING
    aims = "Help new teachers settle in and grow."
    school_year = "2026-27"
    starts_on = date(2026, 8, 17)
    ends_on = date(2027, 6, 11)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """Settings not given come from the program model's preset, as in the browser."""
        for field, value in PRESETS[kwargs["model"]].items():
            kwargs.setdefault(field, value)
        return kwargs


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    program = factory.SubFactory(ProgramFactory)
    user = None
    role = Participant.Role.MENTEE
    status = Participant.Status.ACTIVE
    school = factory.LazyAttribute(
        lambda o: getattr(getattr(o.user, "staff_profile", None), "school", None))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    participant = factory.SubFactory(ParticipantFactory, status=Participant.Status.APPLIED)
    years_of_experience = 0
    statement = "I would like support with classroom routines."


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Group.Kind.LEARNING_TEAM
    focus = "Secondary science"


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    participant = None
    is_lead = False


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Team meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    duration_minutes = 60
    location = "Library"


class TimeLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeLog

    program = factory.SubFactory(ProgramFactory)
    user = None
    date = date(2026, 10, 5)
    minutes = 60
    kind = TimeLog.Kind.PLANNING


class BlackoutPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.BlackoutPeriod"

    program = factory.SubFactory(ProgramFactory)
    name = "Thanksgiving break"
    starts_on = date(2026, 11, 25)
    ends_on = date(2026, 11, 27)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.Attendance"

    session = factory.SubFactory(GroupSessionFactory)
    participant = None
    status = "present"


class HubPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.HubPost"

    group = factory.SubFactory(GroupFactory)
    author = None
    parent = None
    body = factory.Sequence(lambda n: f"What worked in my classroom this week, part {n}.")
