"""The outbox's ticking tasks. Beat ticks `plan`, `send_due` and `sweep`; `send_batch` is
what `send_due` fans out. All are safe to run twice or at once: the unique key and the
claim decide."""

import logging
import math

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from mentorship.background import enqueue_on_commit

from . import delivery, planning
from .models import Message

logger = logging.getLogger(__name__)


@shared_task(name="notifications.plan")
def plan() -> int:
    """Ticks every minute: every app's due reminders become outbox rows, once each."""
    added = planning.plan()
    if added:
        logger.info("planned %s reminders", added)
    return added


@shared_task(name="notifications.send_due")
def send_due() -> int:
    """Ticks every minute: gather the digests that are due, then start senders for what is
    waiting (each claims its own batch). Returns the number of senders started."""
    now = timezone.now()
    delivery.bundle_digests(now)
    due = Message.objects.due(now).count()
    if not due:
        return 0
    size = settings.NOTIFICATIONS_BATCH_SIZE
    busy = math.ceil(Message.objects.filter(state=Message.State.SENDING).count() / size)
    senders = min(math.ceil(due / size), max(settings.NOTIFICATIONS_SENDERS - busy, 1))
    for _ in range(senders):
        enqueue_on_commit(send_batch)
    return senders


@shared_task(name="notifications.send_batch")
def send_batch(message_ids: list[int] | None = None) -> int:
    """Send one batch of due messages (only those of `message_ids` when given); a full
    batch queues the next, so a backlog drains without waiting for the next tick."""
    claimed = delivery.send_batch(message_ids)
    if message_ids is None and claimed >= settings.NOTIFICATIONS_BATCH_SIZE:
        enqueue_on_commit(send_batch)
    return claimed


@shared_task(name="notifications.sweep")
def sweep() -> int:
    """Ticks every few minutes: rows whose sender died while sending go back to the queue."""
    returned = delivery.sweep()
    if returned:
        logger.warning("returned %s messages stuck in sending", returned)
        enqueue_on_commit(send_due)
    return returned
