"""Who may do what in a program.

Objects are found through `visible_to` querysets (anything outside them is a 404); these
predicates say which actions a person may take on what they can see. A person's roles in a
program are read once and kept on the program object for the rest of the request.
"""

import rules

from accounts.permissions import is_district_admin

from .models import Participant, Program
from .presets import MatchedBy

MATCHER_ROLE = {
    MatchedBy.SCHOOL_REP: Participant.Role.SCHOOL_REP,
    MatchedBy.STEERING_COMMITTEE: Participant.Role.STEERING,
    MatchedBy.TEAM_LEADS: Participant.Role.LEAD_MENTOR,
}


def roles_in(user, program):
    """{role: status} of this person in this program."""
    if not user.is_authenticated or program is None:
        return {}
    cache = program.__dict__.setdefault("_roles_by_user", {})
    if user.pk not in cache:
        cache[user.pk] = dict(program.participants.filter(user=user)
                              .values_list("role", "status"))
    return cache[user.pk]


def active_roles(user, program):
    return {role for role, status in roles_in(user, program).items()
            if status == Participant.Status.ACTIVE}


def in_district(user, program):
    return (program is not None and user.is_authenticated
            and user.district_id == program.district_id)


@rules.predicate
def can_manage_program(user, program):
    """Coordinators, the district's admins, and the admin of a school's own program."""
    if not in_district(user, program):
        return False
    if user.is_district_admin:
        return True
    if program.school_id and program.school_id in {s.pk for s in user.administered_schools}:
        return True
    return Participant.Role.COORDINATOR in active_roles(user, program)


@rules.predicate
def is_matcher(user, program):
    """The people who match in this program's model: they also review applications."""
    role = MATCHER_ROLE.get(program.matched_by) if program else None
    return in_district(user, program) and role in active_roles(user, program)


@rules.predicate
def is_school_admin_in_district(user, program):
    return in_district(user, program) and user.is_school_admin


@rules.predicate
def is_active_participant(user, program):
    return in_district(user, program) and bool(active_roles(user, program))


@rules.predicate
def can_apply(user, program):
    """A teacher of the district may apply while the program enrols; a school's own
    program takes only its own staff; nobody applies twice for the same role."""
    if not in_district(user, program) or program.status != Program.Status.ENROLLING:
        return False
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return False
    if program.school_id and profile.school_id != program.school_id:
        return False
    current = {role for role, status in roles_in(user, program).items()
               if status not in (Participant.Status.WITHDRAWN, Participant.Status.DECLINED)}
    return not current & {Participant.Role.MENTOR, Participant.Role.MENTEE}


@rules.predicate
def logs_time(user, program):
    return is_active_participant(user, program) and program.status != Program.Status.CLOSED


@rules.predicate
def coordinates(user, program):
    """An active coordinator of the program (a role, unlike administering the district)."""
    return in_district(user, program) and Participant.Role.COORDINATOR in active_roles(
        user, program)


@rules.predicate
def is_group_member(user, group):
    """An active member or lead of the group."""
    if group is None or not user.is_authenticated:
        return False
    return group.memberships.filter(participant__user=user,
                                    participant__status=Participant.Status.ACTIVE).exists()


@rules.predicate
def leads_group(user, group):
    if group is None or not user.is_authenticated:
        return False
    return group.memberships.filter(participant__user=user, is_lead=True,
                                    participant__status=Participant.Status.ACTIVE).exists()


@rules.predicate
def coordinates_group(user, group):
    return group is not None and coordinates(user, group.program)


@rules.predicate
def can_create_program(user):
    return user.is_authenticated and (user.is_district_admin or user.is_school_admin)


@rules.predicate
def can_create_program_at(user, program):
    """Whether this person may create a program like this one (copying creates one)."""
    return can_create_program(user) and (
        user.is_district_admin or program.school in user.administered_schools)


rules.add_perm("programs.create_program", can_create_program)
rules.add_perm("programs.copy_program", can_manage_program & can_create_program_at)
rules.add_perm("programs.manage_program", can_manage_program)
rules.add_perm("programs.review_applications", can_manage_program | is_matcher)
rules.add_perm("programs.view_participants",
               can_manage_program | is_matcher | is_school_admin_in_district)
rules.add_perm("programs.apply", can_apply)
rules.add_perm("programs.log_time", logs_time)
# What a group says and writes is mentoring content: its leads and the program's
# coordinators run sessions and read their notes; admins see the groups, not the notes.
rules.add_perm("programs.run_group", leads_group | coordinates_group)
rules.add_perm("programs.read_group_notes", is_group_member | coordinates_group)
# The team hub is the team's own: members and leads only.
rules.add_perm("programs.post_in_hub", is_group_member)
rules.add_perm("programs.import_roster", is_district_admin)
