import logging

from celery import shared_task

from . import services
from .models import Badge

logger = logging.getLogger(__name__)


@shared_task(name="portfolio.check_badge")
def check_badge(badge_id: int) -> int:
    """Award one automatic badge to everyone who has earned it; how many were awarded.
    Running it twice, or on two workers at once, awards nothing more."""
    made = services.check_badge(badge_id)
    if made:
        logger.info("badge %s awarded to %s people", badge_id, made)
    return made


@shared_task(name="portfolio.check_badges")
def check_badges() -> int:
    """Ticks every few minutes: queue a check of every active automatic badge."""
    pks = list(Badge.objects.automatic().values_list("pk", flat=True))
    for pk in pks:
        check_badge.delay(pk)
    return len(pks)
