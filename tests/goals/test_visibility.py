"""Who sees which goals and reflections, at the queryset every page and export starts from.
A private reflection is its author's alone: not the mentor's, the coordinator's, an
admin's, a superuser's."""

from datetime import date

import pytest

from goals.models import Goal, PromptSchedule, Reflection
from pairing.models import Pairing
from programs.models import Participant
from tests import factories
from tests.goals.conftest import participant
from tests.goals.factories import GoalFactory, ReflectionFactory, ReflectionPromptFactory

pytestmark = pytest.mark.django_db


def test_goal_is_seen_by_owner_partner_and_coordinator(goal, people, program_people):
    seen = {role: Goal.objects.visible_to(getattr(program_people, role, None)
                                          or getattr(people, role)).filter(pk=goal.pk).exists()
            for role in ["mentee", "mentor", "coordinator", "school_rep", "district_admin",
                         "school_admin", "other_participant", "outsider"]}
    assert seen == {"mentee": True, "mentor": True, "coordinator": True, "school_rep": False,
                    "district_admin": False, "school_admin": False,
                    "other_participant": False, "outsider": False}


def test_a_past_mentor_still_reads_the_goal_written_before_the_end(goal, pair,
                                                                   program_people):
    from datetime import timedelta

    from django.utils import timezone

    Goal.objects.filter(pk=goal.pk).update(created_at=timezone.now() - timedelta(days=3))
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED,
                                              ended_on=timezone.localdate())
    assert Goal.objects.visible_to(program_people.mentor).filter(pk=goal.pk).exists()
    later = GoalFactory(participant=goal.participant)
    assert not Goal.objects.visible_to(program_people.mentor).filter(pk=later.pk).exists()


def test_a_proposed_mentor_does_not(program_people):
    mentee = participant(program_people, Participant.Role.MENTEE)
    goal = GoalFactory(participant=mentee)
    assert not Goal.objects.visible_to(program_people.mentor).filter(pk=goal.pk).exists()


def test_current_leaves_out_revised_versions(goal):
    newer = GoalFactory(participant=goal.participant, revises=goal)
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.REVISED)
    assert list(Goal.objects.of_user(goal.participant.user).current()) == [newer]


def test_reflections_by_visibility(reflections, people, program_people):
    seen = {}
    for role in ["mentee", "mentor", "coordinator", "school_rep", "district_admin",
                 "school_admin", "other_participant", "outsider"]:
        reader = getattr(program_people, role, None) or getattr(people, role)
        seen[role] = {r.visibility for r in Reflection.objects.visible_to(reader)}
    assert seen == {"mentee": {"private", "mentor", "group"}, "mentor": {"mentor", "group"},
                    "coordinator": set(), "school_rep": set(), "district_admin": set(),
                    "school_admin": set(), "other_participant": set(), "outsider": set()}


def test_group_entries_reach_the_authors_group(reflections, team, program_people, people):
    from tests.programs.factories import GroupMembershipFactory, ParticipantFactory

    member = factories.teacher(people.school)
    GroupMembershipFactory(group=team, participant=ParticipantFactory(
        program=program_people.program, user=member, role=Participant.Role.MENTEE))
    assert {r.visibility for r in Reflection.objects.visible_to(member)} == {"group"}


def test_a_superuser_sees_no_private_entry(reflections, people):
    root = factories.UserFactory(district=people.district, is_superuser=True, is_staff=True)
    assert not Reflection.objects.visible_to(root).filter(visibility="private").exists()


def test_prompt_due_follows_the_schedule_and_cadence(program_people):
    program = program_people.program  # starts Aug. 17, 2026, reflection cadence below
    program.reflection_cadence_days = 14
    program.save(update_fields=["reflection_cadence_days"])
    first, second = ReflectionPromptFactory(), ReflectionPromptFactory()
    PromptSchedule.objects.create(program=program, prompt=first, position=0)
    PromptSchedule.objects.create(program=program, prompt=second, position=1)
    mentee = program_people.mentee
    # Nov. 23 is day 98, the first of period 7: the second prompt, due until Dec. 6.
    due = PromptSchedule.objects.due_for(mentee, date(2026, 11, 23))
    assert [(d.prompt, d.period_starts_on, d.period_ends_on) for d in due] == [
        (second, date(2026, 11, 23), date(2026, 12, 6))]
    assert PromptSchedule.objects.due_for(mentee, date(2026, 12, 7))[0].prompt == first
    assert PromptSchedule.objects.due_for(program_people.mentor, date(2026, 11, 23)) == []


def test_nothing_is_due_once_written_in_the_period(program_people, clock):
    ReflectionFactory(author=program_people.mentee, program=program_people.program)
    today = date(2026, 12, 7)
    assert PromptSchedule.objects.due_for(program_people.mentee, today) == []


def test_without_a_schedule_the_shipped_prompts_come_round(program_people):
    due = PromptSchedule.objects.due_for(program_people.mentee, date(2026, 11, 23))
    assert len(due) == 1 and due[0].prompt.is_shipped


def test_a_group_celebrates_the_achieved_goals_of_its_active_members_only(people,
                                                                          program_people,
                                                                          team):
    from tests.programs.factories import GroupMembershipFactory, ParticipantFactory

    colleague = ParticipantFactory(program=program_people.program,
                                   user=factories.teacher(people.school),
                                   role=Participant.Role.MENTEE)
    GroupMembershipFactory(group=team, participant=colleague)
    achieved = GoalFactory(participant=colleague, state=Goal.State.ACHIEVED,
                           achieved_on=date(2026, 11, 20), celebrate_in_group=True)
    reader = program_people.mentee
    assert list(Goal.objects.celebrated_for(reader)) == [achieved]

    Participant.objects.filter(pk=colleague.pk).update(status=Participant.Status.WITHDRAWN)
    assert not Goal.objects.celebrated_for(reader).exists()
