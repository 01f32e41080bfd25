"""Who may see and do what with goals, example goals, prompts and reflections.

Objects are found through `visible_to` querysets (anything outside them is a 404); these
predicates say which actions a person may take on what they can see. Goals are worked on
by their owner and the owner's partner in an open pairing (the mentor, or the other peer;
a past partner only reads what was theirs before the pairing ended); the program's
coordinators read them; admins see counts only. A reflection is changed by its author
alone and answered by the author's mentor once it is shared.
"""

from datetime import date, datetime
from typing import NamedTuple

import rules
from django.db.models import Min, Q
from django.utils import timezone

from pairing.models import Pairing, PairingEvent
from programs.models import Program
from programs.permissions import (
    active_roles,
    can_manage_program,
    coordinates,
    in_district,
    is_active_participant,
    is_school_admin_in_district,
)

from .models import APPROVED_PAIRINGS, GOAL_OWNER_ROLES, OPEN_PAIRINGS


class PairingSpan(NamedTuple):
    status: str
    started_on: date | None
    ended_on: date | None
    approved_at: datetime | None


def pairings_with(user, program_id, other_user_id):
    """The approved pairings (open or past) of the program in which `user` and
    `other_user_id` are the two people, as `PairingSpan`s. Kept on the user for the rest
    of the request."""
    if not user.is_authenticated or user.pk == other_user_id:
        return []
    cache = user.__dict__.setdefault("_goals_pairings_with", {})
    key = (program_id, other_user_id)
    if key not in cache:
        cache[key] = [PairingSpan(*row) for row in Pairing.objects.filter(
            program_id=program_id, status__in=APPROVED_PAIRINGS).filter(
            Q(mentor__user=user, mentee__user_id=other_user_id)
            | Q(mentee__user=user, mentor__user_id=other_user_id)
        ).annotate(approved_at=Min("events__at", filter=Q(
            events__kind=PairingEvent.Kind.APPROVED))).values_list(
            "status", "started_on", "ended_on", "approved_at")]
    return cache[key]


def paired_with(user, program_id, other_user_id):
    """Whether `user` and `other_user_id` are the two people of an open (active or paused)
    pairing of the program: partners who still work together."""
    return any(span.status in OPEN_PAIRINGS
               for span in pairings_with(user, program_id, other_user_id))


def paired_before(user, program_id, other_user_id, when):
    """Whether the two are partners now, or were on the day `when` (a datetime) and the
    pairing ended after it: what a past partner still reads."""
    if when is None:
        return False
    day = timezone.localtime(when).date()
    return any(span.status in OPEN_PAIRINGS
               or (span.ended_on is not None and span.ended_on > day)
               for span in pairings_with(user, program_id, other_user_id))


def began_by(span, when):
    """Whether the pairing had begun (been approved) at `when`, as `models.began_by`
    decides in SQL."""
    day = timezone.localtime(when).date()
    if span.approved_at is not None:
        return span.approved_at <= when or (span.started_on is not None
                                            and span.started_on < day)
    return span.started_on is not None and span.started_on <= day


def shared_while_paired(user, reflection):
    """Whether the author shared the entry with `user` while the two were paired in an open
    pairing that is still open: a mentor who came later does not read what was shared with
    the one before."""
    return reflection.shared_at is not None and any(
        span.status in OPEN_PAIRINGS and began_by(span, reflection.shared_at)
        for span in pairings_with(user, reflection.program_id, reflection.author_id))


def program_running(program):
    return program.status in (Program.Status.ENROLLING, Program.Status.RUNNING)


@rules.predicate
def owns_goal(user, goal):
    return goal is not None and user.is_authenticated and goal.participant.user_id == user.pk


@rules.predicate
def partners_goal(user, goal):
    """The owner's partner now, or a past partner for a goal written before the pairing
    ended."""
    return goal is not None and paired_before(user, goal.participant.program_id,
                                              goal.participant.user_id, goal.created_at)


@rules.predicate
def works_with_owner(user, goal):
    """The owner's partner in an open pairing: a past partner reads, and writes nothing."""
    return goal is not None and paired_with(user, goal.participant.program_id,
                                            goal.participant.user_id)


@rules.predicate
def coordinates_goal(user, goal):
    return goal is not None and coordinates(user, goal.participant.program)


@rules.predicate
def goal_is_open(user, goal):
    return (goal is not None and goal.is_open
            and program_running(goal.participant.program))


@rules.predicate
def goal_in_running_program(user, goal):
    return goal is not None and program_running(goal.participant.program)


@rules.predicate
def sets_goals_in(user, program):
    """An active mentee or peer of a program that is under way."""
    return (in_district(user, program) and program_running(program)
            and bool(active_roles(user, program) & set(GOAL_OWNER_ROLES)))


@rules.predicate
def writes_reflections_in(user, program):
    return is_active_participant(user, program) and program_running(program)


@rules.predicate
def authored(user, reflection):
    return reflection is not None and user.is_authenticated and reflection.author_id == user.pk


@rules.predicate
def mentors_author(user, reflection):
    """The author's partner in an open pairing of the program, on an entry the author
    shared with them (while that pairing was under way)."""
    return (reflection is not None and not reflection.is_private
            and shared_while_paired(user, reflection))


@rules.predicate
def sees_goal_counts(user, program):
    return can_manage_program(user, program) or is_school_admin_in_district(user, program)


rules.add_perm("goals.view_goal", owns_goal | partners_goal | coordinates_goal)
# Editing a draft, action steps and progress: the owner and their partner, while it is open.
rules.add_perm("goals.work_on_goal", (owns_goal | works_with_owner) & goal_is_open)
# Making it active, revising, achieving, dropping: the owner's own decisions.
rules.add_perm("goals.decide_goal", owns_goal & goal_is_open)
rules.add_perm("goals.comment_goal",
               (owns_goal | works_with_owner) & goal_in_running_program)
rules.add_perm("goals.create_goal", sets_goals_in)
# The program's goals, goal by goal: its coordinators. Counts: whoever manages the program
# and the district's school admins.
rules.add_perm("goals.view_program_goals", coordinates)
rules.add_perm("goals.view_goal_counts", sees_goal_counts | coordinates)
rules.add_perm("goals.manage_examples", can_manage_program)
rules.add_perm("goals.manage_prompts", can_manage_program)
rules.add_perm("goals.write_reflection", writes_reflections_in)
rules.add_perm("goals.change_reflection", authored)
rules.add_perm("goals.reply_reflection", mentors_author)
