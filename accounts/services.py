"""Writes with rules: inviting people, accepting and withdrawing invitations."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.background import enqueue_on_commit

from .models import District, DistrictRole, Invitation, StaffProfile, User
from .permissions import administers_school, invitable_roles

INVITATION_SALT = "accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:invitation-accept", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class InvitationProblem(Exception):
    """Why an invitation link cannot be used, in words for the person who clicked it."""

    # "tampered", "unknown", "expired", "accepted", "revoked", "undelivered", "other_district"
    reason: str


def load_invitation(token: str) -> Invitation:
    """The invitation a link points to, or InvitationProblem saying why it cannot be used."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise InvitationProblem("tampered") from None
    invitation = (
        Invitation.objects.select_related("district", "school", "invited_by")
        .filter(pk=pk).first()
    )
    if invitation is None:
        raise InvitationProblem("unknown")
    check_invitation_usable(invitation)
    return invitation


def check_invitation_usable(invitation: Invitation) -> None:
    """Raise InvitationProblem unless the invitation is open and its sender may still grant
    what it offers (an admin who lost their role cannot hand it on afterwards)."""
    if not invitation.is_open:
        raise InvitationProblem(invitation.state)
    inviter = invitation.invited_by
    if inviter is None:
        return  # made by an operator in the Django admin
    if not inviter.is_active or invitation.role not in invitable_roles(inviter) or (
        invitation.school and not administers_school(inviter, invitation.school)
    ):
        raise InvitationProblem("revoked")
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None and existing.district_id not in (None, invitation.district_id):
        raise InvitationProblem("other_district")


def invite_person(*, invited_by: User, email: str, role: str, school=None,
                  display_name: str = "", language: str = "") -> Invitation:
    """Create an invitation and queue its email once the transaction commits.

    A new invitation to an address replaces the open one, so that only the newest link works.
    Whether the address has an account in another district is not revealed here: the link
    says so to its owner.
    """
    from .tasks import send_invitation

    email = User.objects.normalize_email(email).strip().lower()
    if role not in invitable_roles(invited_by):
        raise ValidationError({"role": _("You cannot invite people to this role.")})
    if role == Invitation.Role.DISTRICT_ADMIN:
        school = None
    elif school is None:
        raise ValidationError({"school": _("Choose the school this person works at.")})
    elif not administers_school(invited_by, school):
        raise ValidationError({"school": _("You can only invite people to your own schools.")})
    if role == Invitation.Role.TEACHER and User.objects.filter(
        email__iexact=email, district_id=invited_by.district_id
    ).exists():
        raise ValidationError({"email": _("This person already has an account here.")})

    with transaction.atomic():
        # Invitations of a district are written one at a time, so a double submit waits
        # for the first and then replaces it: only one link works.
        District.objects.select_for_update().filter(pk=invited_by.district_id).exists()
        now = timezone.now()
        open_ones = Invitation.objects.filter(
            district_id=invited_by.district_id, email__iexact=email,
            accepted_at__isnull=True, revoked_at__isnull=True,
        )
        mine = Invitation.objects.visible_to(invited_by).values("pk")
        if open_ones.pending(now).exclude(pk__in=mine).exists():
            # Another admin's invitation (a district admin's, another school's) is theirs to
            # withdraw; replacing it would also change the role or school it offers.
            raise ValidationError({"email": _(
                "Another administrator has already invited this person. Ask them to "
                "withdraw that invitation, or wait until it expires.")})
        open_ones.filter(pk__in=mine).update(revoked_at=now)
        invitation = Invitation.objects.create(
            district_id=invited_by.district_id, school=school, email=email, role=role,
            display_name=display_name, invited_by=invited_by, language=language,
        )
        enqueue_on_commit(send_invitation, invitation.pk)
    return invitation


def revoke_invitation(*, invitation: Invitation) -> bool:
    """Withdraw an open invitation; returns False when it was no longer open."""
    return bool(Invitation.objects.pending().filter(pk=invitation.pk).update(
        revoked_at=timezone.now()
    ))


def accept_invitation(*, invitation: Invitation, user: User) -> None:
    """Place the person in the invitation's district and school and grant its role.

    Runs once: a second acceptance of the same invitation raises InvitationProblem.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
            "invited_by", "school").get(pk=invitation.pk)
        check_invitation_usable(invitation)
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another email address."))
        if user.district_id is None:
            user.district_id = invitation.district_id
            if not user.display_name:
                user.display_name = invitation.display_name or user.email.split("@")[0]
            user.save(update_fields=["district", "display_name"])
        profile, _created = StaffProfile.objects.get_or_create(user=user)
        if profile.school_id is None and invitation.school_id:
            profile.school_id = invitation.school_id
            profile.save(update_fields=["school"])
        if invitation.role == Invitation.Role.DISTRICT_ADMIN:
            DistrictRole.objects.get_or_create(
                user=user, district_id=invitation.district_id,
                role=DistrictRole.Role.DISTRICT_ADMIN,
            )
        elif invitation.role == Invitation.Role.SCHOOL_ADMIN:
            DistrictRole.objects.get_or_create(
                user=user, district_id=invitation.district_id,
                role=DistrictRole.Role.SCHOOL_ADMIN, school_id=invitation.school_id,
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
