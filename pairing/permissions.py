"""Who may match, see and change pairings, and read what a pair writes.

Check-in notes are the pair's own: coordinators and admins see that a check-in happened,
when and for how long, never what was said (DESIGN.md, mentoring apart from evaluation).
"""

import rules

from programs.models import Participant, Program
from programs.permissions import (
    MATCHER_ROLE,
    active_roles,
    can_manage_program,
    coordinates,
    in_district,
    is_active_participant,
    is_school_admin_in_district,
)
from programs.presets import MatchedBy


def matching_schools(user):
    """{program id: school ids this person matches for, or None for the whole program}, for
    the programs where they are one of the people who match (besides managing it)."""
    if not user.is_authenticated:
        return {}
    cache = user.__dict__.setdefault("_matching_schools", None)
    if cache is not None:
        return cache
    found = {}
    rows = (Participant.objects.active()
            .filter(user=user, role__in=MATCHER_ROLE.values(),
                    program__district_id=user.district_id)
            .values_list("program_id", "program__matched_by", "role", "school_id"))
    for program_id, matched_by, role, school_id in rows:
        if MATCHER_ROLE.get(matched_by) != role:
            continue
        if matched_by == MatchedBy.SCHOOL_REP:
            schools = found.setdefault(program_id, set())
            if schools is not None and school_id:
                schools.add(school_id)
        else:
            found[program_id] = None
    user.__dict__["_matching_schools"] = found
    return found


def matching_school(user, program):
    """The school a person matches for in this program: None for the whole program (those
    who manage it, the steering committee, team leads), a school for its mentoring rep."""
    if can_manage_program(user, program):
        return None
    schools = matching_schools(user).get(program.pk, set())
    return next(iter(sorted(schools)), None) if schools else None


@rules.predicate
def can_match(user, program):
    if not in_district(user, program) or program.status == Program.Status.CLOSED:
        return False
    if can_manage_program(user, program):
        return True
    # The program's roles are read once per request; only a matcher's schools cost more.
    if MATCHER_ROLE.get(program.matched_by) not in active_roles(user, program):
        return False
    # A rep who has no school recorded has nobody to match.
    return program.pk in matching_schools(user) and (
        matching_schools(user)[program.pk] is None or bool(matching_schools(user)[program.pk]))


@rules.predicate
def in_pairing(user, pairing):
    return (pairing is not None and user.is_authenticated and pairing.includes(user)
            and pairing.status != pairing.Status.PROPOSED)


@rules.predicate
def manages_pairing(user, pairing):
    """Those who manage the program, and its matchers within their school; never someone
    in the pairing (a lead mentor who matches, a rep who mentors): their own pairing is
    not theirs to end."""
    if pairing is None or not in_district(user, pairing.program) or pairing.includes(user):
        return False
    if can_manage_program(user, pairing.program):
        return True
    if pairing.program_id not in matching_schools(user):
        return False
    schools = matching_schools(user)[pairing.program_id]
    return schools is None or bool({pairing.mentee.school_id, pairing.mentor.school_id}
                                   & schools)


@rules.predicate
def reads_rematch_requests(user, pairing):
    """The program's coordinators only, and never on a pairing of their own: the person
    who asks was promised that nobody else reads it (admins evaluate, reps are colleagues)."""
    return (pairing is not None and coordinates(user, pairing.program)
            and not pairing.includes(user))


@rules.predicate
def pairing_is_open(user, pairing):
    return pairing is not None and pairing.is_open


@rules.predicate
def pairing_is_active(user, pairing):
    return (pairing is not None and pairing.status == pairing.Status.ACTIVE
            and pairing.program.status != Program.Status.CLOSED)


rules.add_perm("pairing.match", can_match)
# The list shows each reader the pairings they may see (a pair, their own).
rules.add_perm("pairing.view_pairings", can_manage_program | can_match
               | is_school_admin_in_district | is_active_participant)
rules.add_perm("pairing.manage_pairing", manages_pairing)
rules.add_perm("pairing.read_rematch_requests", reads_rematch_requests)
rules.add_perm("pairing.read_pair_notes", in_pairing)
rules.add_perm("pairing.schedule_checkin", in_pairing & pairing_is_active)
rules.add_perm("pairing.request_rematch", in_pairing & pairing_is_open)
