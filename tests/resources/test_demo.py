"""The demo library: a few dozen resources across subjects with their history; a second
seed changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from resources.demo import ADAPTATIONS, SPECS
from resources.models import (
    Comment,
    Endorsement,
    Resource,
    ResourceAuthor,
    ResourceFeedback,
    ResourceTag,
    ResourceVersion,
)

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "counts": {model.__name__: model.objects.count()
                   for model in (Resource, ResourceVersion, ResourceAuthor, ResourceTag,
                                 Comment, ResourceFeedback, Endorsement)},
        "resources": sorted(Resource.objects.values_list(
            "title", "status", "scope", "body", "endorsement_count", "adapted_from__title")),
    }


def test_seed_builds_a_library_with_history_and_a_second_run_changes_nothing():
    seed()
    first = snapshot()
    out = seed()

    assert snapshot() == first
    assert "no changes" in out
    counts = first["counts"]
    assert counts["Resource"] == len(SPECS) + len(ADAPTATIONS) >= 30
    assert counts["ResourceVersion"] > counts["Resource"]
    assert counts["Comment"] > 10 and counts["ResourceFeedback"] > 10
    assert Resource.objects.filter(adapted_from__isnull=False).count() == len(ADAPTATIONS)
    assert Resource.objects.filter(status=Resource.Status.DRAFT).exists()
    assert Resource.objects.values("subjects__name").distinct().count() >= 10


def test_the_demo_mentor_and_mentee_co_wrote_a_unit_plan():
    seed()

    plan = Resource.objects.get(title="Ratios in the kitchen")

    assert sorted(plan.authors.values_list("email", flat=True)) == [
        "mentee@riverside.example.org", "mentor@riverside.example.org"]
    # Written, given evidence by the co-author, then linked to the observation look-fors.
    assert list(plan.versions.order_by("number").values_list("note", flat=True))[1:] == [
        "Added the evidence and a check for understanding",
        "Linked to the observation look-fors it helps with"]
    assert plan.feedback.filter(author__email="mentee@riverside.example.org").exists()
    assert plan.adaptations.count() == 1


def test_the_demo_debrief_and_goal_have_resources_attached():
    from goals.models import ActionStep
    from observations.models import DebriefNextStep
    from resources.models import ResourceIndicator
    from resources.places import action_step_uses, next_step_uses

    seed()
    first = (next_step_uses().count(), action_step_uses().count(),
             ResourceIndicator.objects.count())
    seed()

    assert (next_step_uses().count(), action_step_uses().count(),
            ResourceIndicator.objects.count()) == first
    step = DebriefNextStep.objects.get(pk=next_step_uses().get().object_id)
    assert step.debrief.is_shared
    action = ActionStep.objects.get(pk=action_step_uses().get().object_id)
    assert action.goal.participant.user.email == "mentee@riverside.example.org"
    assert ResourceIndicator.objects.exists()
