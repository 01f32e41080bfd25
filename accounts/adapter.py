import contextlib

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Invitation
from .services import InvitationProblem, accept_invitation

SESSION_KEY = "accounts.invitation_id"


def stashed_invitation(request):
    """The pending invitation this browser opened, if any; sign-up is open only with one."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    invitation = Invitation.objects.filter(pk=pk).select_related("district", "school").first()
    if invitation is None or invitation.state != Invitation.State.PENDING:
        return None
    return invitation


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created only through an invitation, for the invited address."""

    def is_open_for_signup(self, request):
        return stashed_invitation(request) is not None

    def clean_email(self, email):
        signing_up = self.request is not None and self.request.path == reverse("account_signup")
        invitation = stashed_invitation(self.request) if signing_up else None
        if invitation is not None and email.lower() != invitation.email.lower():
            raise forms.ValidationError(
                _("Use the address the invitation was sent to: %(email)s")
                % {"email": invitation.email}
            )
        return super().clean_email(email)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.preferred_language = form.cleaned_data.get("preferred_language") or "en"
        user.save()
        invitation = stashed_invitation(request)
        if invitation is not None:
            # Accepted in another tab a moment ago: the account still stands.
            with contextlib.suppress(InvitationProblem):
                accept_invitation(invitation=invitation, user=user)
            request.session.pop(SESSION_KEY, None)
        return user
