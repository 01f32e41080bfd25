"""Background work of the surveys app. Beat ticks `surveys.tick`; what is due lives in the
surveys' dates and status."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="surveys.tick")
def tick() -> dict:
    """Every few minutes: open surveys whose day came (inviting their audience), invite
    after debriefs and sessions, close ended surveys. Running twice changes nothing more."""
    done = services.tick()
    logger.info("surveys tick: %s", done)
    return done
