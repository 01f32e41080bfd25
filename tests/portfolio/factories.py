import factory

from portfolio.models import Award, Badge, Criterion, hashed_email, new_salt
from tests.factories import DistrictFactory


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    district = factory.SubFactory(DistrictFactory)
    program = None
    name = factory.Sequence(lambda n: f"Badge {n}")
    description = "Recognises steady work through the year."
    criteria = "Take part and keep at it."
    criterion = Criterion.MANUAL
    threshold = 1


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    badge = factory.SubFactory(BadgeFactory)
    recipient = None
    method = Award.Method.AUTOMATIC
    salt = factory.LazyFunction(new_salt)
    identity = factory.LazyAttribute(lambda o: hashed_email(o.recipient.email, o.salt))
