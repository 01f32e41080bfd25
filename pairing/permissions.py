"""Who may match, see and change pairings, and read what a pair writes.

Check-in notes are the pair's own: coordinators and admins see that a check-in happened,
when and for how long, never what was said (mentoring is kept apart from evaluation).
"""

from dataclasses import dataclass

import rules

from programs.models import GroupMembership, Participant, Program
from programs.permissions import (
    MATCHER_ROLE,
    can_manage_program,
    coordinates,
    in_district,
    is_active_participant,
    is_matcher,
    is_school_admin_in_district,
)
from programs.presets import MatchedBy


def matching_schools(user):
    """{program id: school ids this person matches for, or None for the whole program}, for
    the programs where they are one of the people who match (besides managing it). A team
    lead's programs are not here: they match their teams, see `matching_groups`."""
    return _matching_scopes(user)[0]


def matching_groups(user):
    """{program id: ids of the teams this person leads}, for the programs that their team
    leads match: a lead matches, sees and changes the pairings of their own teams only."""
    return _matching_scopes(user)[1]


def _matching_scopes(user):
    if not user.is_authenticated:
        return {}, {}
    cache = user.__dict__.get("_matching_scopes")
    if cache is not None:
        return cache
    schools, groups = {}, {}
    rows = (Participant.objects.active()
            .filter(user=user, role__in=MATCHER_ROLE.values(),
                    program__district_id=user.district_id)
            .values_list("program_id", "program__matched_by", "role", "school_id"))
    for program_id, matched_by, role, school_id in rows:
        if MATCHER_ROLE.get(matched_by) != role:
            continue
        if matched_by == MatchedBy.SCHOOL_REP:
            found = schools.setdefault(program_id, set())
            if school_id:
                found.add(school_id)
        elif matched_by == MatchedBy.TEAM_LEADS:
            groups[program_id] = set()
        else:
            schools[program_id] = None
    if groups:
        for program_id, group_id in GroupMembership.objects.filter(
                is_lead=True, participant__user=user,
                participant__status=Participant.Status.ACTIVE,
                group__program_id__in=list(groups)).values_list("group__program_id",
                                                                "group_id"):
            groups[program_id].add(group_id)
    user.__dict__["_matching_scopes"] = (schools, groups)
    return schools, groups


@dataclass(frozen=True)
class MatchingScope:
    """What one person matches in one program: the whole program, one school (its rep), or
    the teams they lead (a lead; `group` is the team they work on now)."""

    school: int | None = None
    groups: frozenset = frozenset()
    group: int | None = None

    @property
    def whole_program(self):
        return self.school is None and not self.groups


def matching_scope(user, program, team=None):
    """The scope a person matches in this program. Those who manage it match the whole
    program; a school's rep their school (the first, if they represent several); a team
    lead the teams they lead, working on `team` when it is one of them, else the first."""
    if can_manage_program(user, program):
        return MatchingScope()
    led = matching_groups(user).get(program.pk)
    if led:
        chosen = team if team in led else min(led)
        return MatchingScope(groups=frozenset(led), group=chosen)
    schools = matching_schools(user).get(program.pk, set())
    return MatchingScope(school=next(iter(sorted(schools)), None) if schools else None)


@rules.predicate
def can_match(user, program):
    if not in_district(user, program) or program.status == Program.Status.CLOSED:
        return False
    if can_manage_program(user, program):
        return True
    # The program's roles are read once per request; only a matcher's scope costs more.
    if not is_matcher(user, program):
        return False
    # A rep who has no school recorded, or a lead of no team, has nobody to match.
    if matching_groups(user).get(program.pk):
        return True
    schools = matching_schools(user).get(program.pk, set())
    return schools is None or bool(schools)


@rules.predicate
def in_pairing(user, pairing):
    return (pairing is not None and user.is_authenticated and pairing.includes(user)
            and pairing.status != pairing.Status.PROPOSED)


@rules.predicate
def manages_pairing(user, pairing):
    """Those who manage the program, and its matchers within their school (a rep: the
    pairings of their school's mentees) or their teams (a lead: their members' pairings);
    never someone in the pairing (a lead mentor who matches, a rep who mentors): their own
    pairing is not theirs to end."""
    if pairing is None or not in_district(user, pairing.program) or pairing.includes(user):
        return False
    if can_manage_program(user, pairing.program):
        return True
    led = matching_groups(user).get(pairing.program_id)
    if led:
        # A lead: the pairings of their own teams' members.
        return GroupMembership.objects.filter(group_id__in=led,
                                              participant_id=pairing.mentee_id).exists()
    if pairing.program_id not in matching_schools(user):
        return False
    # A rep's reach is the school they match for: the mentee's. A mentor from their
    # school paired with another school's mentee is that school's rep's to act on.
    schools = matching_schools(user)[pairing.program_id]
    return schools is None or pairing.mentee.school_id in schools


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
