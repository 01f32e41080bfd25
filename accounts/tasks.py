import logging
import zoneinfo
from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Invitation
from .services import invitation_url

logger = logging.getLogger(__name__)


@shared_task(name="accounts.send_invitation")
def send_invitation(invitation_id: int) -> bool:
    """Email an invitation link; returns whether this call sent it.

    The row is claimed by a conditional update first, so two workers never send the same
    invitation. A failure leaves the claim in place and records the error: the sweeper
    tries again once the claim is old, up to MAX_SEND_ATTEMPTS, and the admin sees it.
    """
    now = timezone.now()
    claimed = Invitation.objects.unsent(now).filter(pk=invitation_id).update(
        claimed_at=now, send_attempts=F("send_attempts") + 1
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("district", "school", "invited_by").get(
        pk=invitation_id
    )
    try:
        render_invitation_email(invitation).send()
    except Exception as error:  # SMTP refusals, timeouts, DNS: all retried by the sweeper
        logger.exception("sending invitation %s failed", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(send_error=str(error)[:1000])
        return False
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now(), send_error="")
    return True


def render_invitation_email(invitation):
    context = {"invitation": invitation, "url": invitation_url(invitation)}
    # The invited person's language, never the inviter's: they are the one reading it.
    language = invitation.email_language()
    with translation.override(language), timezone.override(
        zoneinfo.ZoneInfo(invitation.district.time_zone)
    ):
        message = EmailMultiAlternatives(
            # One line whatever the names in it hold: a line break would stop the send.
            subject=" ".join(render_to_string("accounts/email/invitation_subject.txt",
                                              context).split()),
            body=render_to_string("accounts/email/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("accounts/email/invitation.html", context), "text/html"
        )
    return message


@shared_task(name="accounts.queue_unsent_invitations")
def queue_unsent_invitations() -> int:
    """Ticks every minute: queue every open invitation whose email has not gone out (the
    broker was down when it was made, a worker died holding it, or sending failed)."""
    settled = timezone.now() - timedelta(minutes=1)  # leave fresh ones to their on-commit task
    pks = list(Invitation.objects.unsent().filter(created_at__lt=settled)
               .values_list("pk", flat=True)[:1000])
    for pk in pks:
        send_invitation.delay(pk)
    return len(pks)
