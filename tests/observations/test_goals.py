"""Where a cycle meets the mentee's goals: the pre-conference focus names a goal, a shared
debrief's next step becomes an action step in one click, and the mentee's reflection on
the debrief goes to their journal and closes the cycle; the goal and the reflection link
back to the cycle."""

import pytest
from django.urls import reverse

from goals.models import ActionStep, Reflection, ReflectionPrompt
from observations.models import ObservationCycle
from tests import factories
from tests.goals.factories import GoalFactory
from tests.observations.factories import full_cycle
from tests.programs.factories import ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
Stage = ObservationCycle.Stage


@pytest.fixture
def goal(pair):
    return GoalFactory(participant=pair.mentee, specific="Calm starts with a visual timetable")


def test_a_next_step_becomes_an_action_step_of_the_goal_in_one_click(client, pair, goal):
    cycle = full_cycle(pair, stage=Stage.REFLECTION, goal=goal, step="Count to five")
    step = cycle.debrief.next_steps.get()
    client.force_login(pair.mentee.user)
    page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content.decode()
    assert "Make it an action step of the goal" in page

    client.post(reverse("observations:next-step-action", args=[step.pk]), {"goal": goal.pk})

    action = ActionStep.objects.get()
    assert (action.goal, action.description, action.origin) == (goal, "Count to five",
                                                                 ActionStep.Origin.DEBRIEF)
    step.refresh_from_db()
    assert step.action_step == action
    # A second click makes no twin.
    client.post(reverse("observations:next-step-action", args=[step.pk]), {"goal": goal.pk})
    assert ActionStep.objects.count() == 1
    goal_page = client.get(reverse("goals:goal-detail", args=[goal.pk])).content.decode()
    assert reverse("observations:cycle-detail", args=[cycle.pk]) in goal_page


def test_the_mentee_reflects_on_the_debrief_and_the_cycle_closes(client, pair, goal):
    cycle = full_cycle(pair, stage=Stage.REFLECTION, goal=goal)
    prompt = ReflectionPrompt.objects.create(kind=ReflectionPrompt.Kind.OPENER,
                                             text="What worked in this lesson?")
    client.force_login(pair.mentee.user)
    url = reverse("observations:reflect", args=[cycle.pk])

    empty = client.post(url, {"prompt": prompt.pk, "body": "", "visibility": "mentor"})
    assert empty.status_code == 400
    assert "Write your reflection first." in empty.content.decode()

    client.post(url, {"prompt": prompt.pk, "body": "Waiting longer worked", "confidence": 4,
                      "visibility": "mentor"})

    cycle.refresh_from_db()
    reflection = Reflection.objects.get()
    assert (cycle.stage, cycle.reflection) == (Stage.CLOSED, reflection)
    assert (reflection.goal, reflection.prompt, reflection.confidence) == (goal, prompt, 4)
    client.force_login(pair.mentor.user)
    page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content.decode()
    assert reverse("goals:reflection-detail", args=[reflection.pk]) in page


def test_a_private_reflection_is_not_linked_for_the_mentor(client, pair):
    cycle = full_cycle(pair, stage=Stage.REFLECTION)
    client.force_login(pair.mentee.user)
    client.post(reverse("observations:reflect", args=[cycle.pk]),
                {"body": "Kept to myself", "visibility": "private"})
    reflection = Reflection.objects.get()

    client.force_login(pair.mentor.user)
    page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content.decode()

    assert reverse("goals:reflection-detail", args=[reflection.pk]) not in page


def test_the_pre_conference_names_one_of_the_mentees_goals(client, pair, goal):
    cycle = full_cycle(pair, stage=Stage.PLANNING)
    other = GoalFactory(specific="Someone else's goal", participant=ParticipantFactory(
        program=pair.program, user=factories.teacher(pair.mentee.school)))
    client.force_login(pair.mentor.user)
    url = reverse("observations:cycle-plan", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert "Calm starts with a visual timetable" in page
    assert "Someone else" not in page

    client.post(url, {"focus": "Starts", "goal": goal.pk, "lesson_context": "",
                      "duration_minutes": 45})
    refused = client.post(url, {"focus": "Starts", "goal": other.pk, "lesson_context": "",
                                "duration_minutes": 45})

    cycle.refresh_from_db()
    assert cycle.goal == goal
    assert refused.status_code == 400


def test_the_reflection_and_the_action_step_link_back_to_the_cycle(client, pair, goal):
    cycle = full_cycle(pair, stage=Stage.REFLECTION, goal=goal, step="Count to five")
    step = cycle.debrief.next_steps.get()
    client.force_login(pair.mentee.user)
    client.post(reverse("observations:next-step-action", args=[step.pk]), {"goal": goal.pk})
    client.post(reverse("observations:reflect", args=[cycle.pk]),
                {"body": "Waiting longer worked", "visibility": "mentor"})
    reflection = Reflection.objects.get()
    cycle_url = reverse("observations:cycle-detail", args=[cycle.pk])

    for reader in (pair.mentee.user, pair.mentor.user):
        client.force_login(reader)
        page = client.get(reverse("goals:reflection-detail", args=[reflection.pk]))
        assert cycle_url in page.content.decode()
        goal_page = client.get(reverse("goals:goal-detail", args=[goal.pk])).content.decode()
        assert "From an observation debrief" in goal_page
