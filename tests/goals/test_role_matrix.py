"""Every goals view tried by each role and an outsider: the mentee who owns the goal,
their mentor, the program's coordinator and school rep, the district's admins, a
participant of another program, an admin of another district, anonymous. Outsiders get
404 and nothing changes for them."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import ExampleGoal, Goal, ReflectionPrompt
from pairing.models import CheckIn
from tests.goals.conftest import GOAL_ROLES
from tests.goals.factories import ActionStepFactory, GoalFactory, ProgressEntryFactory
from tests.pairing.factories import CheckInFactory, NextStepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

NOWHERE = dict.fromkeys(GOAL_ROLES[:-1], 404)
EVERYONE = dict.fromkeys(GOAL_ROLES[:-1], 200)
PAIR = {**NOWHERE, "mentee": 200, "mentor": 200}
READERS = {**PAIR, "coordinator": 200}
MANAGERS = {**NOWHERE, "coordinator": 200, "district_admin": 200}


def url(name, *args):
    return reverse(f"goals:{name}", args=args)


def test_goal_pages(goal, assert_goal_access):
    assert_goal_access(url("goal-list"), EVERYONE)
    assert_goal_access(url("goal-detail", goal.pk), READERS)
    assert_goal_access(url("goal-revise", goal.pk), {**NOWHERE, "mentee": 200})
    assert_goal_access(url("goal-drop", goal.pk), {**NOWHERE, "mentee": 200})
    # An active goal is revised, not edited: its pair is sent to the goal's page.
    assert_goal_access(url("goal-edit", goal.pk), {**NOWHERE, "mentee": 302, "mentor": 302})


def test_draft_pages(goal, assert_goal_access):
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.DRAFT)
    assert_goal_access(url("goal-edit", goal.pk), PAIR)
    assert_goal_access(url("goal-activate", goal.pk), {**NOWHERE, "mentee": 302},
                       method="post")
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.ACTIVE


def test_goal_create_and_smart_check(program_people, pair, assert_goal_access):
    program = program_people.program.pk
    assert_goal_access(url("goal-create") + f"?program={program}", {**NOWHERE, "mentee": 200})
    assert_goal_access(url("smart-check"), {**NOWHERE, "mentee": 200}, method="post",
                       data={"program": program, "specific": "Get better"})


def test_goal_writes(goal, pair, assert_goal_access, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    step = ActionStepFactory(goal=goal)
    assert_goal_access(url("step-add", goal.pk), {**NOWHERE, "mentee": 302, "mentor": 302},
                       method="post", data={"step-description": "Call home",
                                            "step-due_on": "2026-12-04"})
    assert goal.action_steps.count() == 3
    assert_goal_access(url("step-done", step.pk), {**NOWHERE, "mentee": 302, "mentor": 302},
                       method="post", data={"done": "1"})
    assert_goal_access(url("progress-add", goal.pk),
                       {**NOWHERE, "mentee": 302, "mentor": 302}, method="post",
                       data={"progress-value": "8", "progress-recorded_on": "2026-11-20"})
    assert goal.progress.count() == 2
    assert_goal_access(url("comment-add", goal.pk), {**NOWHERE, "mentee": 302, "mentor": 302},
                       method="post", data={"comment-body": "Going well"})
    assert goal.comments.count() == 2
    step_from_checkin = NextStepFactory(
        checkin=CheckInFactory(pairing=pair, status=CheckIn.Status.HELD))
    assert_goal_access(url("next-step-to-goal", step_from_checkin.pk),
                       {**NOWHERE, "mentee": 302, "mentor": 302}, method="post",
                       data={"goal": goal.pk})
    assert goal.action_steps.filter(next_step=step_from_checkin).count() == 1


def test_evidence(goal, assert_goal_access, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = ProgressEntryFactory(goal=goal, evidence=SimpleUploadedFile("a.pdf", b"%PDF-1"),
                                 evidence_name="a.pdf", evidence_type="application/pdf",
                                 evidence_size=6)
    assert_goal_access(url("evidence", entry.pk), READERS)


def test_achieve_and_drop(goal, program_people, assert_goal_access):
    other = GoalFactory(participant=goal.participant)
    assert_goal_access(url("goal-achieve", goal.pk), {**NOWHERE, "mentee": 302},
                       method="post", data={"celebrate_in_group": "on"})
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.ACHIEVED
    assert_goal_access(url("goal-drop", other.pk), {**NOWHERE, "mentee": 302},
                       method="post", data={"reason": "Changed classes"})
    assert Goal.objects.get(pk=other.pk).state == Goal.State.DROPPED


def test_program_pages(goal, program_people, assert_goal_access):
    program = program_people.program.pk
    assert_goal_access(url("program-goals", program),
                       {**MANAGERS, "school_admin": 200})
    assert_goal_access(url("program-goals-export", program), {**NOWHERE, "coordinator": 200})
    assert_goal_access(url("example-add", program),
                       {**NOWHERE, "coordinator": 302, "district_admin": 302},
                       method="post", data={"example-specific": "Greet each student",
                                            "example-measure": "Greetings a day"})
    assert ExampleGoal.objects.filter(program_id=program).count() == 2
    example = ExampleGoal.objects.filter(program_id=program).first()
    assert_goal_access(url("example-withdraw", program, example.pk),
                       {**NOWHERE, "coordinator": 302, "district_admin": 302}, method="post")
    assert_goal_access(url("program-prompts", program), MANAGERS)
    prompt = ReflectionPrompt.objects.filter(district__isnull=True).first()
    assert_goal_access(url("prompt-schedule", program, prompt.pk),
                       {**NOWHERE, "coordinator": 302, "district_admin": 302},
                       method="post", data={"action": "schedule"})


def test_journal_pages(reflections, assert_goal_access):
    assert_goal_access(url("reflection-list"), EVERYONE)
    assert_goal_access(url("reflection-export"), EVERYONE)
    participants = {**NOWHERE, "mentee": 200, "mentor": 200, "coordinator": 200,
                    "school_rep": 200, "other_participant": 200}
    assert_goal_access(url("reflection-create"), participants)
    assert_goal_access(url("reflection-detail", reflections.private.pk),
                       {**NOWHERE, "mentee": 200})
    assert_goal_access(url("reflection-detail", reflections.mentor.pk), PAIR)
    assert_goal_access(url("reflection-detail", reflections.group.pk), PAIR)
    assert_goal_access(url("reflection-edit", reflections.mentor.pk),
                       {**NOWHERE, "mentee": 200})
    # The author answers once the mentor has replied; the mentor first.
    others = GOAL_ROLES[1:]
    assert_goal_access(url("reflection-reply", reflections.mentor.pk),
                       {**dict.fromkeys(others[:-1], 404), "mentor": 302}, method="post",
                       data={"body": "Thank you for sharing"}, roles=others)
    assert_goal_access(url("reflection-reply", reflections.mentor.pk),
                       {"mentee": 302}, method="post", data={"body": "You're welcome"},
                       roles=["mentee", "anonymous"])
    assert reflections.mentor.replies.count() == 2
    assert_goal_access(url("reflection-reply", reflections.private.pk),
                       {**NOWHERE}, method="post", data={"body": "Peek"})
