import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Invitation
from .services import invitation_url

logger = logging.getLogger(__name__)


@shared_task(name="accounts.send_invitation", bind=True, max_retries=5,
             autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600)
def send_invitation(self, invitation_id: int) -> bool:
    """Email an invitation link. Sends at most once per invitation: the row is claimed by a
    conditional update before sending and released again if sending fails."""
    claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("district", "school", "invited_by").get(
        pk=invitation_id
    )
    if invitation.state != Invitation.State.PENDING:
        return False
    context = {"invitation": invitation, "url": invitation_url(invitation)}
    try:
        with translation.override(
            getattr(invitation.invited_by, "preferred_language", None) or "en"
        ):
            subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("accounts/email/invitation.txt", context),
                to=[invitation.email],
            )
            message.attach_alternative(
                render_to_string("accounts/email/invitation.html", context), "text/html"
            )
            message.send()
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(sent_at=None)
        logger.exception("sending invitation %s failed", invitation_id)
        raise
    return True
