"""Background work of the programs app. Tasks are thin: ids in, a service call, a log line."""

import logging

from celery import shared_task

from .services import roster

logger = logging.getLogger(__name__)


@shared_task(name="programs.check_roster_import")
def check_roster_import(import_id: int) -> bool:
    """Check an uploaded roster and record its problems and counts; at most one run at a
    time per import (the run claims it)."""
    ran = roster.check_import(import_id=import_id)
    logger.info("roster import %s checked: %s", import_id, ran)
    return ran


@shared_task(name="programs.apply_roster_import")
def apply_roster_import(import_id: int) -> bool:
    """Apply a checked roster, all or nothing; at most once (the run claims it, and a
    second run finds it applied)."""
    applied = roster.apply_import(import_id=import_id)
    logger.info("roster import %s applied: %s", import_id, applied)
    return applied


@shared_task(name="programs.sweep_roster_imports")
def sweep_roster_imports() -> int:
    """Ticks every few minutes: queue again imports whose worker died or whose task was
    lost; fail those that stopped too often."""
    return roster.sweep_stuck_imports()


@shared_task(name="programs.discard_old_roster_uploads")
def discard_old_roster_uploads() -> int:
    """Daily: delete roster files kept longer than the district needs them."""
    discarded = roster.discard_old_uploads()
    logger.info("old roster uploads deleted: %s", discarded)
    return discarded
