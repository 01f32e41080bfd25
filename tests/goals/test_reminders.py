"""What goals has due for reminders: a prompt per person and reflection period, action
steps and goals due on the day; planning twice gives the same keys, and the queries do not
grow with the number of people."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import reminders
from goals.models import Goal, PromptSchedule
from programs.models import Participant
from tests import factories
from tests.goals.factories import (
    ActionStepFactory,
    GoalFactory,
    ReflectionFactory,
    ReflectionPromptFactory,
)
from tests.programs.factories import ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

DAY = date(2026, 11, 23)


def test_prompt_due_once_per_person_and_period(program_people):
    program = program_people.program
    prompt = ReflectionPromptFactory()
    PromptSchedule.objects.create(program=program, prompt=prompt)
    def due():
        return [d for d in reminders.reflection_prompts_due(DAY) if d.program_id == program.pk]

    assert [(d.user_id, d.what) for d in due()] == [(program_people.mentee.pk, prompt)]
    assert [d.key for d in due()] == [d.key for d in due()]
    ReflectionFactory(author=program_people.mentee, program=program)
    assert due() == []


def test_prompt_planning_costs_the_same_for_many_people(program_people, people):
    program = program_people.program

    def planned():
        with CaptureQueriesContext(connection) as queries:
            count = len([d for d in reminders.reflection_prompts_due(DAY)
                         if d.program_id == program.pk])
        return count, len(queries)

    one, small = planned()
    for _ in range(30):
        user = factories.teacher(people.school)
        ParticipantFactory(program=program, user=user, role=Participant.Role.MENTEE)
        ReflectionFactory(author=user, program=program)
    many, large = planned()
    assert (one, many) == (1, 1)  # those who wrote this period are not reminded
    assert large == small


def test_steps_and_goals_due_on_the_day(goal):
    step = ActionStepFactory(goal=goal, due_on=DAY)
    ActionStepFactory(goal=goal, due_on=DAY, done_on=DAY)
    assert [d.what for d in reminders.action_steps_due(DAY)] == [step]
    Goal.objects.filter(pk=goal.pk).update(due_on=DAY)
    assert [(d.what.pk, d.key) for d in reminders.goals_due(DAY)] == [
        (goal.pk, f"goal-due:goal-{goal.pk}:{DAY}")]
    dropped = GoalFactory(participant=goal.participant, state=Goal.State.DROPPED,
                          dropped_reason="Changed classes", due_on=DAY)
    assert dropped.pk not in [d.what.pk for d in reminders.goals_due(DAY)]
