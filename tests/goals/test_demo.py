"""The demo's goals and journal: the demo mentee has a goal in every state and entries of
every visibility; a second run changes nothing."""

from io import StringIO

from django.core.management import call_command

from goals.models import ActionStep, ExampleGoal, Goal, PromptSchedule, Reflection

MENTEE = "mentee@riverside.example.org"
MENTOR = "mentor@riverside.example.org"


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_mentee_has_goals_in_every_state_and_a_journal(db):
    seed()
    goals = Goal.objects.filter(participant__user__email=MENTEE)
    assert set(goals.values_list("state", flat=True)) == set(Goal.State.values)
    current = goals.get(state=Goal.State.ACTIVE, revises__isnull=False)
    assert current.revises.state == Goal.State.REVISED
    assert current.progress.count() >= 1
    assert current.comments.filter(author__email=MENTOR).exists()
    assert ActionStep.objects.filter(goal=current, origin="checkin").exists()
    entries = Reflection.objects.filter(author__email=MENTEE)
    assert set(entries.values_list("visibility", flat=True)) >= set(Reflection.Visibility.values)
    assert entries.filter(replies__author__email=MENTOR).exists()
    assert ExampleGoal.objects.filter(published=True).count() == 2
    assert PromptSchedule.objects.count() == 3


def test_seeding_twice_changes_no_goal(db):
    seed()
    models = (Goal, ActionStep, Reflection, ExampleGoal, PromptSchedule)
    counts = {model: model.objects.count() for model in models}
    assert "no changes" in seed()
    assert counts == {model: model.objects.count() for model in counts}
