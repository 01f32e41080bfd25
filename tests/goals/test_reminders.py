"""What goals has due for reminders: a prompt per person and reflection period, action
steps and goals due tomorrow and today in the district's own day; planning twice gives the
same keys, and the queries do not grow with the number of people."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals import reminders
from goals.models import Goal, PromptSchedule
from mentorship.reminders import kinds
from programs.models import Participant, Program
from tests import factories
from tests.goals.factories import (
    ActionStepFactory,
    GoalFactory,
    ReflectionFactory,
    ReflectionPromptFactory,
)
from tests.programs.factories import ParticipantFactory
from tests.reminders import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

# Monday 23 November 2026, 9:00 in Chicago (15:00 UTC).
DAY = date(2026, 11, 23)


def run(source):
    return list(source(timezone.now()))




def test_every_kind_is_registered():
    assert {"reflection-prompt", "action-step-due", "goal-due"} <= set(kinds)
    assert kinds["goal-due"].source is reminders.goals_due


def test_prompt_due_once_per_person_and_period(program_people):
    program = program_people.program
    prompt = ReflectionPromptFactory(text="What went well this week, and why?")
    PromptSchedule.objects.create(program=program, prompt=prompt)

    def due():
        return [d for d in run(reminders.reflection_prompts_due) if d.program_id == program.pk]

    assert [(d.user_id, d.context["prompt"]) for d in due()] == [
        (program_people.mentee.pk, prompt.text)]
    assert [d.key for d in due()] == [d.key for d in due()]
    subject, text, html = render(due()[0])
    assert subject == "A question to reflect on, for New Teacher Induction"
    assert "“What went well this week, and why?”" in text
    assert "What went well this week, and why?" in html
    assert f"prompt={prompt.pk}" in due()[0].url
    ReflectionFactory(author=program_people.mentee, program=program)
    assert due() == []


def test_prompt_not_for_an_inactive_account_or_a_closed_program(program_people):
    program = program_people.program
    PromptSchedule.objects.create(program=program, prompt=ReflectionPromptFactory())
    program_people.mentee.is_active = False
    program_people.mentee.save(update_fields=["is_active"])
    assert [d for d in run(reminders.reflection_prompts_due) if d.program_id == program.pk] == []
    program_people.mentee.is_active = True
    program_people.mentee.save(update_fields=["is_active"])
    Program.objects.filter(pk=program.pk).update(status=Program.Status.CLOSED)
    assert [d for d in run(reminders.reflection_prompts_due) if d.program_id == program.pk] == []


def test_prompt_planning_costs_the_same_for_many_people(program_people, people):
    program = program_people.program

    def planned():
        with CaptureQueriesContext(connection) as queries:
            count = len([d for d in run(reminders.reflection_prompts_due)
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


def test_steps_due_the_day_before_and_on_the_day(goal, monday_morning):
    tomorrow = ActionStepFactory(goal=goal, due_on=DAY + timedelta(days=1))
    today = ActionStepFactory(goal=goal, due_on=DAY)
    ActionStepFactory(goal=goal, due_on=DAY, done_on=DAY)
    ActionStepFactory(goal=goal, due_on=DAY + timedelta(days=2))
    ActionStepFactory(goal=goal, due_on=DAY - timedelta(days=1))
    due = run(reminders.action_steps_due)
    assert [r.key for r in due] == [f"action-step-due:step-{today.pk}:{DAY}:today",
                                    f"action-step-due:step-{tomorrow.pk}:"
                                    f"{DAY + timedelta(days=1)}:tomorrow"]
    assert {r.user_id for r in due} == {goal.participant.user_id}
    assert [r.key for r in due] == [r.key for r in run(reminders.action_steps_due)]
    subject, text, html = render(due[1])
    assert subject == "An action step is due tomorrow"
    assert "One of your action steps in New Teacher Induction is due tomorrow, Nov. 24, 2026." \
        in text
    # The step's words stay on the page: they may come from a debrief.
    assert tomorrow.description not in text + html
    monday_morning.shift(timedelta(days=1))
    assert f"action-step-due:step-{tomorrow.pk}:{DAY + timedelta(days=1)}:today" in [
        r.key for r in run(reminders.action_steps_due)]


def test_goals_due_tomorrow_and_today_only_while_active(goal):
    Goal.objects.filter(pk=goal.pk).update(due_on=DAY)
    due = run(reminders.goals_due)
    assert [(r.user_id, r.key) for r in due] == [
        (goal.participant.user_id, f"goal-due:goal-{goal.pk}:{DAY}:today")]
    subject, text, _html = render(due[0])
    assert subject == "Your goal’s date is today"
    assert "has its date today, Nov. 23, 2026" in text
    assert goal.specific not in text
    dropped = GoalFactory(participant=goal.participant, state=Goal.State.DROPPED,
                          dropped_reason="Changed classes", due_on=DAY)
    assert dropped.pk not in [int(r.key.split(":")[1][5:]) for r in run(reminders.goals_due)]
    Goal.objects.filter(pk=goal.pk).update(due_on=DAY + timedelta(days=1))
    assert [r.key for r in run(reminders.goals_due)] == [
        f"goal-due:goal-{goal.pk}:{DAY + timedelta(days=1)}:tomorrow"]


def test_nothing_due_for_a_withdrawn_owner_or_a_closed_program(goal):
    ActionStepFactory(goal=goal, due_on=DAY)
    Goal.objects.filter(pk=goal.pk).update(due_on=DAY)
    Participant.objects.filter(pk=goal.participant_id).update(
        status=Participant.Status.WITHDRAWN)
    assert run(reminders.action_steps_due) + run(reminders.goals_due) == []
    Participant.objects.filter(pk=goal.participant_id).update(status=Participant.Status.ACTIVE)
    Program.objects.filter(pk=goal.participant.program_id).update(status=Program.Status.CLOSED)
    assert run(reminders.action_steps_due) + run(reminders.goals_due) == []


def test_steps_and_goals_cost_the_same_for_many(goal, program_people, people,
                                                django_assert_max_num_queries):
    ActionStepFactory(goal=goal, due_on=DAY)
    Goal.objects.filter(pk=goal.pk).update(due_on=DAY)
    with django_assert_max_num_queries(2):  # programs, steps with their owners
        assert len(run(reminders.action_steps_due)) == 1
    with django_assert_max_num_queries(2):  # programs, goals with their owners
        assert len(run(reminders.goals_due)) == 1
    for _ in range(12):
        owner = ParticipantFactory(program=program_people.program,
                                   user=factories.teacher(people.school))
        other = GoalFactory(participant=owner, state=Goal.State.ACTIVE, due_on=DAY)
        ActionStepFactory(goal=other, due_on=DAY)
    with django_assert_max_num_queries(2):
        assert len(run(reminders.action_steps_due)) == 13
    with django_assert_max_num_queries(2):
        assert len(run(reminders.goals_due)) == 13


def test_subjects_are_one_line(goal, program_people):
    PromptSchedule.objects.create(program=program_people.program,
                                  prompt=ReflectionPromptFactory())
    ActionStepFactory(goal=goal, due_on=DAY)
    Goal.objects.filter(pk=goal.pk).update(due_on=DAY + timedelta(days=1))
    for source in (reminders.reflection_prompts_due, reminders.action_steps_due,
                   reminders.goals_due):
        for reminder in run(source):
            assert "\n" not in render(reminder)[0]
