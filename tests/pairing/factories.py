from datetime import date, timedelta

import factory
from django.utils import timezone

from pairing.models import CheckIn, NextStep, Pairing
from tests.programs.factories import ParticipantFactory


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    program = factory.LazyAttribute(lambda o: o.mentor.program)
    mentor = factory.SubFactory(ParticipantFactory, role="mentor")
    mentee = factory.SubFactory(ParticipantFactory, role="mentee",
                                program=factory.SelfAttribute("..mentor.program"))
    status = Pairing.Status.ACTIVE
    started_on = date(2026, 9, 1)
    next_checkin_due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    pairing = factory.SubFactory(PairingFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    duration_minutes = 30
    mode = CheckIn.Mode.IN_PERSON
    location = "Room 12"
    scheduled_by = factory.LazyAttribute(lambda o: o.pairing.mentor.user)


class NextStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NextStep

    checkin = factory.SubFactory(CheckInFactory, status=CheckIn.Status.HELD)
    description = "Try a seating chart for the afternoon class"
    owner = factory.LazyAttribute(lambda o: o.checkin.pairing.mentee.user)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5))
