from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from goals.models import (
    ActionStep,
    ExampleGoal,
    Goal,
    GoalComment,
    ProgressEntry,
    Reflection,
    ReflectionPrompt,
    ReflectionReply,
)
from tests.programs.factories import ParticipantFactory


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    participant = factory.SubFactory(ParticipantFactory, role="mentee")
    specific = "Use a visual timetable each morning so my Grade 3 class starts work quickly"
    measure = "Minutes from the bell until every student is working"
    baseline = Decimal("12")
    target = Decimal("5")
    unit = "minutes"
    relevance = "Calm starts give my students more time to learn, which the program aims at."
    due_on = date(2027, 3, 19)
    state = Goal.State.ACTIVE
    created_by = factory.LazyAttribute(lambda o: o.participant.user)


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    goal = factory.SubFactory(GoalFactory)
    description = "Print the timetable cards"
    due_on = date(2026, 12, 18)
    added_by = factory.LazyAttribute(lambda o: o.goal.participant.user)


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    goal = factory.SubFactory(GoalFactory)
    value = Decimal("9")
    note = "Better on Monday and Tuesday"
    recorded_on = date(2026, 11, 20)
    recorded_by = factory.LazyAttribute(lambda o: o.goal.participant.user)


class GoalCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalComment

    goal = factory.SubFactory(GoalFactory)
    author = factory.LazyAttribute(lambda o: o.goal.participant.user)
    body = "Nice start."


class ExampleGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExampleGoal

    program = None
    specific = "Greet every student by name at the door each morning"
    measure = "Students greeted by name, counted on five days"
    target = Decimal("25")
    unit = "students"
    relevance = "Students who feel known take part more."


class ReflectionPromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReflectionPrompt

    kind = ReflectionPrompt.Kind.COACHING
    text = factory.Sequence(lambda n: f"What did you notice this week ({n})?")


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    author = None
    program = None
    body = "The morning routine held all week."
    confidence = 3
    visibility = Reflection.Visibility.PRIVATE
    shared_at = factory.LazyAttribute(
        lambda entry: None if entry.visibility == Reflection.Visibility.PRIVATE
        else timezone.now())


class ReflectionReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReflectionReply

    reflection = None
    author = None
    body = "Well noticed."
