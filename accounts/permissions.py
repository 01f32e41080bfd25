"""Who may do what with people, schools and invitations.

Object lookups are scoped by the models' `visible_to` / `managed_by` querysets (anything
outside them is a 404); these rules say which actions a role may take.
"""

import rules

from .models import Invitation


@rules.predicate
def is_district_admin(user):
    return user.is_authenticated and user.is_district_admin


@rules.predicate
def is_school_admin(user):
    return user.is_authenticated and user.is_school_admin


@rules.predicate
def administers_school(user, school):
    if school is None or not user.is_authenticated or user.district_id != school.district_id:
        return False
    return user.is_district_admin or school in user.administered_schools


is_admin = is_district_admin | is_school_admin

rules.add_perm("accounts.view_staff_directory", is_admin)
rules.add_perm("accounts.invite_people", is_admin)
rules.add_perm("accounts.manage_school", administers_school)
rules.add_perm("accounts.change_district_settings", is_district_admin)
rules.add_perm("accounts.review_access_log", is_district_admin)


def invitable_roles(user):
    """The roles this person may hand out: school admins invite teachers to their schools;
    only district admins make other admins."""
    if is_district_admin(user):
        return list(Invitation.Role)
    if is_school_admin(user):
        return [Invitation.Role.TEACHER]
    return []
