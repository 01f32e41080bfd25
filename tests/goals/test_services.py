"""Goal, action step, progress and reflection services: their rules, as a person meets
them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from goals import services
from goals.models import ActionStep, Goal, PromptSchedule, Reflection, ReflectionPrompt
from pairing.models import CheckIn
from programs.models import Participant, Program
from tests.goals.conftest import participant
from tests.goals.factories import ActionStepFactory, GoalFactory, ReflectionFactory
from tests.pairing.factories import CheckInFactory, NextStepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

SHARP = {"specific": "Use exit tickets in every maths lesson to check understanding",
             "measure": "Share of students answering the exit ticket correctly",
             "baseline": Decimal("45"), "target": Decimal("75"), "unit": "%",
             "relevance": "Knowing who understood lets me reteach the students who need it.",
             "due_on": date(2027, 4, 30)}


def mentee_of(program_people):
    return participant(program_people, Participant.Role.MENTEE)


def test_create_goal_as_draft_then_activate(program_people, pair):
    goal = services.create_goal(participant=mentee_of(program_people),
                                created_by=program_people.mentee, **SHARP)
    assert goal.state == Goal.State.DRAFT
    goal = services.activate_goal(goal=goal, activated_by=program_people.mentee)
    assert goal.state == Goal.State.ACTIVE


def test_goal_date_must_be_inside_the_program(program_people):
    with pytest.raises(ValidationError) as error:
        services.create_goal(participant=mentee_of(program_people),
                             created_by=program_people.mentee,
                             **{**SHARP, "due_on": date(2027, 7, 1)})
    assert "due_on" in error.value.message_dict


def test_only_the_mentee_creates_their_goal(program_people, pair):
    with pytest.raises(PermissionDenied):
        services.create_goal(participant=mentee_of(program_people),
                             created_by=program_people.mentor, **SHARP)


def test_a_mentor_role_sets_no_goal_of_their_own(program_people):
    with pytest.raises(PermissionDenied):
        services.create_goal(participant=participant(program_people, Participant.Role.MENTOR),
                             created_by=program_people.mentor, **SHARP)


def test_activating_a_goal_with_no_number_is_refused(program_people):
    goal = services.create_goal(participant=mentee_of(program_people),
                                created_by=program_people.mentee,
                                **{**SHARP, "target": None, "baseline": None,
                                   "measure": "How calm the room feels"})
    with pytest.raises(ValidationError) as error:
        services.activate_goal(goal=goal, activated_by=program_people.mentee)
    assert "target" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.state == Goal.State.DRAFT


def test_revise_keeps_the_old_version_and_moves_open_steps(goal, program_people):
    done = ActionStepFactory(goal=goal, done_on=date(2026, 11, 2))
    still_open = ActionStepFactory(goal=goal, description="Practise the routine")
    new = services.revise_goal(goal=goal, revised_by=program_people.mentee,
                               target=Decimal("4"))
    goal.refresh_from_db()
    assert goal.state == Goal.State.REVISED
    assert (new.revises, new.state, new.target) == (goal, Goal.State.ACTIVE, Decimal("4"))
    assert new.specific == goal.specific
    assert list(goal.action_steps.all()) == [done]
    assert list(new.action_steps.all()) == [still_open]
    assert list(Goal.objects.current()) == [new]


def test_a_revised_goal_cannot_be_revised_again(goal, program_people):
    services.revise_goal(goal=goal, revised_by=program_people.mentee, target=Decimal("4"))
    goal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.revise_goal(goal=goal, revised_by=program_people.mentee, target=Decimal("3"))


def test_drop_needs_a_reason_and_keeps_the_goal(goal, program_people):
    with pytest.raises(ValidationError) as error:
        services.drop_goal(goal=goal, dropped_by=program_people.mentee, reason="  ")
    assert "reason" in error.value.message_dict
    services.drop_goal(goal=goal, dropped_by=program_people.mentee,
                       reason="My timetable changed")
    goal.refresh_from_db()
    assert (goal.state, goal.dropped_reason) == (Goal.State.DROPPED, "My timetable changed")


def test_achieve_with_celebration(goal, program_people):
    services.achieve_goal(goal=goal, achieved_by=program_people.mentee,
                          celebrate_in_group=True)
    goal.refresh_from_db()
    assert goal.state == Goal.State.ACHIEVED
    assert goal.achieved_on == date(2026, 11, 23)
    assert goal.celebrate_in_group


def test_the_mentor_does_not_decide_for_the_mentee(goal, program_people):
    with pytest.raises(PermissionDenied):
        services.achieve_goal(goal=goal, achieved_by=program_people.mentor)


def test_add_action_step_by_mentee_or_mentor_inside_the_program(goal, program_people):
    step = services.add_action_step(goal, description="Make the cards",
                                    due_on=date(2026, 12, 4), added_by=program_people.mentor)
    assert (step.origin, step.goal) == (ActionStep.Origin.OWN, goal)
    with pytest.raises(ValidationError) as error:
        services.add_action_step(goal, description="Later", due_on=date(2027, 8, 1),
                                 added_by=program_people.mentee)
    assert "due_on" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.add_action_step(goal, description="Mine", due_on=date(2026, 12, 4),
                                 added_by=program_people.coordinator)


def test_action_step_from_a_checkin_next_step_once(goal, pair, program_people):
    step = NextStepFactory(checkin=CheckInFactory(pairing=pair, status=CheckIn.Status.HELD))
    made = services.add_action_step(goal, description=step.description, due_on=step.due_on,
                                    added_by=program_people.mentee,
                                    origin=ActionStep.Origin.CHECKIN, next_step=step)
    assert made.next_step == step
    with pytest.raises(ValidationError):
        services.add_action_step(goal, description=step.description, due_on=step.due_on,
                                 added_by=program_people.mentee,
                                 origin=ActionStep.Origin.CHECKIN, next_step=step)


def test_action_steps_of_a_closed_goal_are_refused(goal, program_people):
    services.achieve_goal(goal=goal, achieved_by=program_people.mentee)
    goal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.add_action_step(goal, description="Too late", due_on=date(2026, 12, 4),
                                 added_by=program_people.mentee)


def test_action_step_querysets(goal):
    soon = ActionStepFactory(goal=goal, due_on=date(2026, 11, 25))
    ActionStepFactory(goal=goal, due_on=date(2026, 11, 24), done_on=date(2026, 11, 20))
    ActionStepFactory(goal=goal, due_on=date(2027, 1, 10))
    assert list(ActionStep.objects.due_between(date(2026, 11, 23), date(2026, 11, 30))) == [
        soon]
    assert ActionStep.objects.open().count() == 2


def test_record_progress_with_evidence(goal, program_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("tally.pdf", b"%PDF-1.4 tally", content_type="application/pdf")
    entry = services.record_progress(goal=goal, recorded_by=program_people.mentee,
                                     value=Decimal("8"), recorded_on=date(2026, 11, 20),
                                     note="Two good days", evidence=pdf)
    assert (entry.evidence_name, entry.evidence_type) == ("tally.pdf", "application/pdf")


def test_evidence_that_lies_about_its_type_is_refused(goal, program_people, settings,
                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture")
    with pytest.raises(ValidationError) as error:
        services.record_progress(goal=goal, recorded_by=program_people.mentee,
                                 value=Decimal("8"), recorded_on=date(2026, 11, 20),
                                 evidence=fake)
    assert "evidence" in error.value.message_dict
    assert not goal.progress.exists()


def test_progress_in_the_future_is_refused(goal, program_people):
    with pytest.raises(ValidationError) as error:
        services.record_progress(goal=goal, recorded_by=program_people.mentee,
                                 value=Decimal("8"), recorded_on=date(2026, 12, 20))
    assert "recorded_on" in error.value.message_dict


def test_comments_by_the_pair_only(goal, program_people):
    services.comment_on_goal(goal=goal, author=program_people.mentor, body="Good progress")
    with pytest.raises(PermissionDenied):
        services.comment_on_goal(goal=goal, author=program_people.coordinator, body="Hi")
    assert [c.body for c in goal.comments.all()] == ["Good progress"]


def test_write_reflection_private_by_default(program_people):
    entry = services.write_reflection(program_people.mentee, program=program_people.program,
                                      body="A calm week.", confidence=4)
    assert (entry.visibility, entry.confidence) == (Reflection.Visibility.PRIVATE, 4)


def test_sharing_with_a_mentor_needs_a_mentor(program_people):
    with pytest.raises(ValidationError) as error:
        services.write_reflection(program_people.mentee, program=program_people.program,
                                  body="Hello", visibility=Reflection.Visibility.MENTOR)
    assert "visibility" in error.value.message_dict


def test_confidence_is_one_to_five(program_people):
    with pytest.raises(ValidationError) as error:
        services.write_reflection(program_people.mentee, program=program_people.program,
                                  body="Hello", confidence=6)
    assert "confidence" in error.value.message_dict


def test_reflection_links_must_be_the_authors(program_people, pair, goal):
    other = GoalFactory(participant=program_people.other_program.participants.get(
        user=program_people.other_participant))
    with pytest.raises(ValidationError) as error:
        services.write_reflection(program_people.mentee, program=program_people.program,
                                  body="Hello", goal=other)
    assert "goal" in error.value.message_dict
    entry = services.write_reflection(program_people.mentee, program=program_people.program,
                                      body="Hello", goal=goal,
                                      checkin=CheckInFactory(pairing=pair))
    assert entry.goal == goal


def test_mentor_replies_only_to_what_is_shared(program_people, pair):
    private = ReflectionFactory(author=program_people.mentee, program=program_people.program)
    shared = ReflectionFactory(author=program_people.mentee, program=program_people.program,
                               visibility=Reflection.Visibility.MENTOR)
    with pytest.raises(PermissionDenied):
        services.reply_to_reflection(reflection=private, author=program_people.mentor,
                                     body="Seen")
    reply = services.reply_to_reflection(reflection=shared, author=program_people.mentor,
                                         body="Well noticed")
    assert reply.reflection == shared
    with pytest.raises(PermissionDenied):
        services.reply_to_reflection(reflection=shared, author=program_people.coordinator,
                                     body="Hi")


def test_no_reflection_in_a_closed_program(program_people):
    Program.objects.filter(pk=program_people.program.pk).update(status="closed")
    program_people.program.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.write_reflection(program_people.mentee, program=program_people.program,
                                  body="Hello")


def test_coordinator_adds_and_schedules_prompts(program_people):
    program = program_people.program
    first = services.add_prompt(program=program, created_by=program_people.coordinator,
                                kind="equity", text="Who spoke least today?", schedule=True)
    shipped = ReflectionPrompt.objects.filter(district__isnull=True).first()
    services.schedule_prompt(program=program, prompt=shipped,
                             scheduled_by=program_people.coordinator)
    assert [s.prompt for s in PromptSchedule.objects.filter(program=program)] == [first,
                                                                               shipped]
    with pytest.raises(PermissionDenied):
        services.add_prompt(program=program, created_by=program_people.mentee, kind="equity",
                            text="Mine")


def test_fifteen_prompts_ship_with_the_product(db):
    shipped = ReflectionPrompt.objects.filter(district__isnull=True, program__isnull=True)
    assert shipped.count() == 15
    assert set(shipped.values_list("kind", flat=True)) == set(ReflectionPrompt.Kind.values)


def test_only_the_owners_own_next_step_becomes_an_action_step(goal, pair, program_people):
    step = NextStepFactory(checkin=CheckInFactory(pairing=pair, status=CheckIn.Status.HELD),
                           owner=program_people.mentor, description="Send the article")
    with pytest.raises(ValidationError):
        services.add_action_step(goal, description=step.description, due_on=step.due_on,
                                 added_by=program_people.mentor,
                                 origin=ActionStep.Origin.CHECKIN, next_step=step)


def test_coordinator_reorders_the_schedule(program_people):
    program = program_people.program
    first, second, third = (services.add_prompt(
        program=program, created_by=program_people.coordinator, kind="closer",
        text=f"Prompt {n}", schedule=True) for n in range(3))
    services.move_prompt(program=program, prompt=third, moved_by=program_people.coordinator,
                         up=True)
    services.move_prompt(program=program, prompt=first, moved_by=program_people.coordinator,
                         up=True)  # already first: nothing moves
    order = [row.prompt for row in PromptSchedule.objects.filter(program=program)]
    assert order == [first, third, second]


def test_only_the_owner_chooses_to_celebrate_with_the_group(goal, program_people):
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.DRAFT)
    services.update_goal(goal=goal, changed_by=program_people.mentor,
                         measure="Minutes until all are working", celebrate_in_group=True)
    goal.refresh_from_db()
    assert goal.measure == "Minutes until all are working"
    assert not goal.celebrate_in_group

    services.update_goal(goal=goal, changed_by=program_people.mentee, celebrate_in_group=True)
    goal.refresh_from_db()
    assert goal.celebrate_in_group
