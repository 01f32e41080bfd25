"""Who may see which dashboard."""

import rules

from programs.permissions import can_manage_program, is_matcher, is_school_admin_in_district


@rules.predicate
def sees_program_health(user, program):
    """Those who manage the program (its coordinators, the district's admins, the admin
    of a school's own program), the people who match in its model (steering committee,
    team leads, school reps), and school admins for their own school's pairings."""
    return (can_manage_program(user, program) or is_matcher(user, program)
            or is_school_admin_in_district(user, program))


rules.add_perm("dashboards.view_program_health", sees_program_health)


@rules.predicate
def sees_district_impact(user):
    """District admins, for the whole district; school admins, for their own schools."""
    return user.is_authenticated and user.district_id is not None and (
        user.is_district_admin or user.is_school_admin)


@rules.predicate
def keeps_district_figures(user):
    return user.is_authenticated and user.district_id is not None and user.is_district_admin


rules.add_perm("dashboards.view_district_impact", sees_district_impact)
rules.add_perm("dashboards.change_impact_settings", keeps_district_figures)
