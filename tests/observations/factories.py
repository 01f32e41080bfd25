import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from observations.models import (
    Debrief,
    DebriefNextStep,
    Domain,
    Indicator,
    ObservationCycle,
    ObservationNote,
    ObservationTemplate,
    Rating,
    ScaleLevel,
    TemplateVersion,
)
from tests.pairing.factories import PairingFactory

CHICAGO = ZoneInfo("America/Chicago")


def generic_version():
    """The generic template shipped with the product (seeded again when a browser test run
    before this one emptied the tables)."""
    from observations.demo import generic_version as shipped

    return shipped()


def template_version(district=None, *, program=None, levels=("Low", "Middle", "High"),
                     domains=(("Climate", ("Calm start", "Respectful talk")),),
                     name="Our rubric", published=True):
    template = ObservationTemplate.objects.create(district=district, program=program,
                                                  name=name)
    version = TemplateVersion.objects.create(
        template=template, number=1,
        state=TemplateVersion.State.PUBLISHED if published else TemplateVersion.State.DRAFT,
        published_at=timezone.now() if published else None)
    for value, label in enumerate(levels, start=1):
        ScaleLevel.objects.create(version=version, value=value, label=label)
    for position, (domain_name, texts) in enumerate(domains):
        domain = Domain.objects.create(version=version, name=domain_name, position=position)
        for index, text in enumerate(texts):
            Indicator.objects.create(domain=domain, text=text, guidance=f"Watch: {text}",
                                     position=index)
    return version


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationCycle
        skip_postgeneration_save = True

    pairing = factory.SubFactory(PairingFactory)
    program = factory.LazyAttribute(lambda o: o.pairing.program)
    mentor = factory.LazyAttribute(lambda o: o.pairing.mentor.user)
    mentee = factory.LazyAttribute(lambda o: o.pairing.mentee.user)
    template_version = factory.LazyFunction(generic_version)
    kind = ObservationCycle.Kind.MENTOR_OBSERVES
    stage = ObservationCycle.Stage.PLANNING
    focus = "Pacing of the opening"
    due_on = factory.LazyFunction(lambda: timezone.localdate())

    @factory.post_generation
    def look_fors(self, create, extracted, **kwargs):
        if not create:
            return
        chosen = extracted if extracted is not None else list(
            Indicator.objects.filter(domain__version=self.template_version)
            .order_by("domain__position", "position")[:2])
        self.look_fors.set(chosen)


def local(*args):
    return datetime(*args, tzinfo=CHICAGO)


def full_cycle(pairing=None, *, note="Nine of twelve students started within a minute",
               strengths="Clear routines at the start", growth="Wait time after questions",
               step="Count to five after each question", stage=ObservationCycle.Stage.CLOSED,
               shared=True, **kwargs):
    """A cycle with a note, a rating on each look-for and a debrief."""
    if pairing is not None:
        kwargs["pairing"] = pairing
    cycle = CycleFactory(stage=stage, observed_at=timezone.now(),
                         scheduled_at=timezone.now(), lesson_context="Grade 3 reading",
                         **kwargs)
    ObservationNote.objects.create(cycle=cycle, client_id=uuid.uuid4(),
                                   text=note, author=cycle.mentor)
    levels = list(cycle.template_version.levels.order_by("value"))
    for index, indicator in enumerate(cycle.look_fors.all()):
        Rating.objects.create(cycle=cycle, indicator=indicator,
                              level=levels[index % len(levels)], rated_by=cycle.mentor)
    debrief = Debrief.objects.create(cycle=cycle, strengths=strengths, growth_areas=growth,
                                     written_by=cycle.mentor,
                                     shared_at=timezone.now() if shared else None)
    DebriefNextStep.objects.create(debrief=debrief, description=step)
    if stage == ObservationCycle.Stage.CLOSED:
        cycle.closed_at = timezone.now()
        cycle.save(update_fields=["closed_at"])
    return cycle
