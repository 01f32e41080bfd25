"""Who may define, award and read badges.

Badges are found through `Badge.objects.visible_to` and awards through
`Award.objects.visible_to` (anything outside them is a 404); these predicates say what a
person may do with what they can see. A district's own badges are its admins' to define and
award; a program's badges are for those who manage the program. An award is read by its
recipient and by those who manage its badge; its public Open Badges address shows the
badge, never the person's name or email.
"""

import rules

from programs.models import Program
from programs.permissions import can_manage_program


@rules.predicate
def manages_badge(user, badge):
    if badge is None or not user.is_authenticated or user.district_id != badge.district_id:
        return False
    if badge.program_id:
        return can_manage_program(user, badge.program)
    return user.is_district_admin


@rules.predicate
def badge_is_active(user, badge):
    return badge is not None and badge.active


@rules.predicate
def creates_badges(user):
    """District admins (for the district or any program) and those who manage a program."""
    if not user.is_authenticated or user.district_id is None:
        return False
    return user.is_district_admin or Program.objects.managed_by(user).exists()


@rules.predicate
def receives_award(user, award):
    return award is not None and user.is_authenticated and award.recipient_id == user.pk


@rules.predicate
def manages_award(user, award):
    return award is not None and manages_badge(user, award.badge)


@rules.predicate
def award_stands(user, award):
    return award is not None and not award.is_revoked


@rules.predicate
def has_district(user):
    return user.is_authenticated and user.district_id is not None


rules.add_perm("portfolio.create_badges", creates_badges)
rules.add_perm("portfolio.manage_badge", manages_badge)
rules.add_perm("portfolio.award_badge", manages_badge & badge_is_active)
rules.add_perm("portfolio.view_award", receives_award | manages_award)
rules.add_perm("portfolio.revoke_award", manages_award & award_stands)
rules.add_perm("portfolio.reinstate_award", manages_award & ~award_stands)
# A certificate is printed, and an assertion downloaded, while the award stands: by the
# person, or by a coordinator for a ceremony.
rules.add_perm("portfolio.share_award", (receives_award | manages_award) & award_stands)
rules.add_perm("portfolio.export_portfolio", has_district)
