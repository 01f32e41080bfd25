"""Writes with rules: defining badges, awarding them (by hand or by the background check),
revoking and reinstating awards. Services never see a request.

A person holds a badge once: the database's unique constraint is the last guard, and every
way of awarding goes through it, so two checks running at once, or a check that runs again,
award nothing more.
"""

from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.background import enqueue_on_commit
from programs.models import Participant, Program

from . import criteria
from .models import Award, Badge, Issuer

# Fields that say who earns a badge: fixed once someone holds it, so every award of a badge
# was made by the same rule.
RULE_FIELDS = ("program_id", "criterion", "threshold")


def _require(user, perm, obj=None):
    """Every write checks who acts, whoever calls it (a view, a command, a shell)."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _batched(rows, size):
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _queue_check(badge):
    if badge.active and badge.is_automatic:
        from .tasks import check_badge

        enqueue_on_commit(check_badge, badge.pk)


@transaction.atomic
def save_badge(*, badge: Badge, by) -> Badge:
    """Create or change a badge. Its program must be of its district; once awarded, who
    earns it (program, criterion, how many) stays as it was. An automatic badge is checked
    in the background as soon as it is saved."""
    if badge.pk:
        before = Badge.objects.select_for_update().get(pk=badge.pk)
        # Judged on the badge as stored, and again as it will be.
        _require(by, "portfolio.manage_badge", before)
    else:
        _require(by, "portfolio.create_badges")
    if badge.district_id != getattr(by, "district_id", None):
        raise PermissionDenied("portfolio.manage_badge")
    if badge.program_id and badge.program.district_id != badge.district_id:
        raise ValidationError({"program": _("Choose a program of your district.")})
    if badge.program_id and not Program.objects.managed_by(by).filter(
            pk=badge.program_id).exists() and not by.is_district_admin:
        raise PermissionDenied("portfolio.manage_badge")
    if not badge.program_id and not by.is_district_admin:
        raise PermissionDenied("portfolio.manage_badge")
    if badge.pk:
        changed = [f for f in RULE_FIELDS if getattr(before, f) != getattr(badge, f)]
        if changed and before.awards.exists():
            raise ValidationError(_(
                "People already hold this badge, so who earns it cannot change. Retire it "
                "and make a new badge instead."))
    else:
        badge.created_by = by
    badge.full_clean(exclude=["created_by"])
    try:
        with transaction.atomic():
            badge.save()
    except IntegrityError:
        # Someone saved a badge of the same name at the same moment.
        raise ValidationError({"name": _("There is already a badge of this name.")}) from None
    Issuer.objects.get_or_create(district_id=badge.district_id)
    _queue_check(badge)
    return badge


def eligible_people(badge):
    """Who may hold a badge: active people of its district and, for a program's badge,
    the program's participants (whatever their role, unless they declined)."""
    people = User.objects.filter(district_id=badge.district_id, is_active=True)
    if badge.program_id:
        people = people.filter(participations__in=Participant.objects.filter(
            program_id=badge.program_id).exclude(status=Participant.Status.DECLINED))
    return people.distinct()


def award_badge(*, badge: Badge, recipient, awarded_by, evidence: str) -> Award:
    """A coordinator awards a badge by hand, with the evidence. Refused for a retired
    badge, a person it is not for, someone who already holds it, and oneself."""
    _require(awarded_by, "portfolio.manage_badge", badge)
    if not badge.active:
        raise ValidationError(_("This badge is retired and can no longer be awarded."))
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what the person did to earn it.")})
    if recipient.pk == awarded_by.pk:
        raise ValidationError({"recipient": _("Someone else awards you a badge.")})
    if not eligible_people(badge).filter(pk=recipient.pk).exists():
        raise ValidationError({"recipient": _(
            "This badge is for the people of its program; this person does not take part in it.")
            if badge.program_id else _("This person is not in your district.")})
    award = Award.issue(badge=badge, recipient_id=recipient.pk, email=recipient.email,
                        method=Award.Method.MANUAL, awarded_by=awarded_by,
                        evidence=evidence.strip())
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise ValidationError({"recipient": _("This person already has this badge.")}) from None
    return award


def check_badge(badge_id: int, *, chunk: int = 500) -> int:
    """Award an automatic badge to everyone who has reached its threshold and does not hold
    it yet; returns how many awards were made. Safe to run twice or at the same time: the
    unique constraint turns a second award of the same badge to the same person into
    nothing. A revoked award is not made again."""
    badge = Badge.objects.filter(pk=badge_id).first()
    if badge is None or not badge.active or not badge.is_automatic:
        return 0
    reached = criteria.earners(badge)
    made = 0
    if reached:
        candidates = (eligible_people(badge).filter(pk__in=reached)
                      .exclude(badge_awards__badge=badge).values_list("pk", "email"))
        now = timezone.now()
        for rows in _batched(candidates.iterator(), chunk):
            awards = [Award.issue(badge=badge, recipient_id=pk, email=email, issued_at=now,
                                  method=Award.Method.AUTOMATIC) for pk, email in rows]
            before = Award.objects.filter(badge=badge).count()
            Award.objects.bulk_create(awards, ignore_conflicts=True)
            made += Award.objects.filter(badge=badge).count() - before
    Badge.objects.filter(pk=badge.pk).update(checked_at=timezone.now())
    return made


@transaction.atomic
def revoke_award(*, award: Award, by, reason: str) -> Award:
    """Revoke an award: it stays on record, and its public address answers that it was
    revoked. The reason is kept for the person and the coordinators, never published."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the badge is revoked.")})
    award = Award.objects.select_for_update().select_related("badge").get(pk=award.pk)
    _require(by, "portfolio.manage_badge", award.badge)
    if award.is_revoked:
        raise ValidationError(_("This badge has already been revoked."))
    award.revoked_at, award.revoked_by = timezone.now(), by
    award.revocation_reason = reason.strip()
    award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return award


@transaction.atomic
def reinstate_award(*, award: Award, by) -> Award:
    """Undo a revocation: the award stands again at the same address."""
    award = Award.objects.select_for_update().select_related("badge").get(pk=award.pk)
    _require(by, "portfolio.manage_badge", award.badge)
    if not award.is_revoked:
        raise ValidationError(_("This badge has not been revoked."))
    award.revoked_at, award.revoked_by, award.revocation_reason = None, None, ""
    award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return award

