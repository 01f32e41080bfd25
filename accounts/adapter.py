import contextlib
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.utils.translation import gettext as _

from .models import Invitation
from .services import InvitationProblem, accept_invitation, check_invitation_usable

SESSION_KEY = "accounts.invitation"
# An opened invitation waits this long in the browser for its sign-up, so that a shared
# school computer does not keep it for the next person.
STASH_SECONDS = 60 * 60


def stash_invitation(request, invitation):
    request.session[SESSION_KEY] = {"id": invitation.pk, "at": time.time()}


def stashed_invitation(request):
    """The open invitation this browser opened lately, if any; sign-up is open only with one."""
    stash = request.session.get(SESSION_KEY)
    if not isinstance(stash, dict) or time.time() - stash.get("at", 0) > STASH_SECONDS:
        return None
    invitation = (Invitation.objects.filter(pk=stash.get("id"))
                  .select_related("district", "school", "invited_by").first())
    if invitation is None:
        return None
    try:
        # Still open, and its sender may still grant it (they may have lost the role
        # since the link was opened): otherwise no account is made from it.
        check_invitation_usable(invitation)
    except InvitationProblem:
        return None
    return invitation


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created only through an invitation, for the invited address."""

    def is_open_for_signup(self, request):
        return stashed_invitation(request) is not None

    def clean_email(self, email):
        match = self.request.resolver_match if self.request is not None else None
        signing_up = match is not None and match.url_name == "account_signup"
        invitation = stashed_invitation(self.request) if signing_up else None
        if invitation is not None and email.lower() != invitation.email.lower():
            raise forms.ValidationError(
                _("Use the address the invitation was sent to: %(email)s")
                % {"email": invitation.email}
            )
        return super().clean_email(email)

    def save_user(self, request, user, form, commit=True):
        """Create the account from the sign-up form and accept the invitation it came with."""
        user.display_name = form.cleaned_data["display_name"]
        user.preferred_language = form.cleaned_data["preferred_language"]
        user = super().save_user(request, user, form, commit=True)
        invitation = stashed_invitation(request)
        if invitation is not None:
            # Accepted in another tab a moment ago: the account still stands.
            with contextlib.suppress(InvitationProblem):
                accept_invitation(invitation=invitation, user=user)
            request.session.pop(SESSION_KEY, None)
        return user


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Admins keep their authenticator app: their role requires it. They may replace it
        by asking an operator, who removes it in the Django admin."""
        return not (authenticator.type == authenticator.Type.TOTP
                    and authenticator.user.needs_two_factor)
