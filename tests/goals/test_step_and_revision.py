"""Marking an action step done while the goal is being revised: a step still open moves to
the new version and is marked there; a step left on the earlier version is not changed,
and the person is told why."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse

from goals import services
from goals.models import ActionStep, Goal
from tests.goals.factories import ActionStepFactory


def revise(goal, program_people):
    return services.revise_goal(goal=goal, revised_by=program_people.mentee,
                                target=Decimal("4"))


@pytest.mark.django_db
@pytest.mark.usefixtures("monday_morning")
def test_a_step_still_open_when_the_goal_is_revised_is_marked_on_the_new_version(
        goal, program_people):
    step = ActionStepFactory(goal=goal)
    new = revise(goal, program_people)

    # `step` was read before the revision: it still names the earlier version.
    marked = services.mark_step_done(step=step, marked_by=program_people.mentor)

    step.refresh_from_db()
    assert (marked.goal, step.goal) == (new, new)
    assert step.done_on is not None


@pytest.mark.django_db
@pytest.mark.usefixtures("monday_morning")
def test_a_step_left_on_a_revised_version_is_refused_with_a_message(
        goal, program_people, client):
    step = ActionStepFactory(goal=goal)
    services.mark_step_done(step=step, marked_by=program_people.mentee)
    new = revise(goal, program_people)
    step.refresh_from_db()
    assert step.goal == goal  # done steps stay with the version they belong to

    with pytest.raises(services.ValidationError, match="has been revised"):
        services.mark_step_done(step=step, marked_by=program_people.mentee, done=False)

    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:step-done", args=[step.pk]), {"done": ""},
                           follow=True)
    assert response.status_code == 200
    assert "This goal has been revised" in response.content.decode()
    step.refresh_from_db()
    assert step.done_on is not None and step.goal == goal
    assert not new.action_steps.exists()


@pytest.mark.django_db(transaction=True)
def test_a_step_marked_while_a_revision_is_under_way_waits_and_follows_it(
        goal, program_people):
    step = ActionStepFactory(goal=goal)
    locked, errors, revised = threading.Event(), [], []

    def revision_under_way():
        try:
            with transaction.atomic():
                # The revision has the goal in hand when the step is marked.
                Goal.objects.select_for_update().get(pk=goal.pk)
                locked.set()
                time.sleep(0.5)
                revised.append(revise(goal, program_people))
        except Exception as error:  # any error is the failure shown below
            errors.append(error)
            locked.set()
        finally:
            connection.close()

    thread = threading.Thread(target=revision_under_way)
    thread.start()
    assert locked.wait(10)
    services.mark_step_done(step=step, marked_by=program_people.mentee)
    thread.join()

    assert errors == []
    step = ActionStep.objects.get(pk=step.pk)
    assert step.done_on is not None
    # Marked on the version that is current, not left done on the one just replaced.
    assert step.goal == revised[0]
