"""Who may start, read and work on observation cycles, and build templates.

What a cycle holds is read by its two people (the coach who observes and debriefs, and the
teacher who receives the feedback) and by whoever the teacher shares that one cycle with.
Coordinators are program staff, and in induction programs they are often district staff
who take part in evaluation, so they are treated like the admins: counts, stages and dates,
never notes, ratings, evidence or debriefs, unless the teacher shares the cycle with them.
"""

import rules

from pairing.models import Pairing
from programs.models import Program
from programs.permissions import can_manage_program, in_district, is_school_admin_in_district
from programs.presets import PairingShape

from .models import CycleShare


@rules.predicate
def in_cycle(user, cycle):
    return cycle is not None and cycle.includes(user)


@rules.predicate
def is_cycle_mentor(user, cycle):
    return cycle is not None and user.is_authenticated and cycle.mentor_id == user.pk


@rules.predicate
def is_cycle_mentee(user, cycle):
    return cycle is not None and user.is_authenticated and cycle.mentee_id == user.pk


@rules.predicate
def shared_with_reader(user, cycle):
    """The teacher shared this cycle with the reader, has not taken it back, and the reader
    still holds the role it was shared with them for (see `CycleShareQuerySet.in_audience`)."""
    if cycle is None or not user.is_authenticated or user.district_id != cycle.program.district_id:
        return False
    cache = cycle.__dict__.setdefault("_shared_with", {})
    if user.pk not in cache:
        cache[user.pk] = (CycleShare.objects.live().in_audience()
                          .filter(cycle=cycle, recipient=user).exists())
    return cache[user.pk]


@rules.predicate
def cycle_is_open(user, cycle):
    return cycle is not None and cycle.is_open


def coaches_in(pairing, user):
    """The person who may start a cycle in this pairing as its coach: the mentor, or
    either peer of a peer pairing."""
    if not user.is_authenticated or not pairing.includes(user):
        return False
    if pairing.program.pairing_shape == PairingShape.PEERS:
        return True
    return pairing.mentor.user_id == user.pk


@rules.predicate
def can_start_cycle(user, pairing):
    return (pairing is not None and pairing.status == Pairing.Status.ACTIVE
            and pairing.program.status != Program.Status.CLOSED
            and coaches_in(pairing, user))


@rules.predicate
def manages_templates(user, program):
    """A program's templates are built by those who manage the program."""
    return can_manage_program(user, program)


@rules.predicate
def sees_coverage(user, program):
    """Counts of cycles planned, done and overdue: those who manage the program, and a
    school's admin for their school's teachers. Never what a cycle holds."""
    return in_district(user, program) and (can_manage_program(user, program)
                                           or is_school_admin_in_district(user, program))


rules.add_perm("observations.read_cycle", in_cycle | shared_with_reader)
rules.add_perm("observations.work_on_cycle", in_cycle & cycle_is_open)
rules.add_perm("observations.coach_cycle", is_cycle_mentor & cycle_is_open)
rules.add_perm("observations.reflect_on_cycle", is_cycle_mentee & cycle_is_open)
rules.add_perm("observations.share_cycle", is_cycle_mentee)
rules.add_perm("observations.start_cycle", can_start_cycle)
rules.add_perm("observations.manage_templates", manages_templates)
rules.add_perm("observations.view_coverage", sees_coverage)
