"""Queueing background work so that it is never lost and never runs before its data exists."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args):
    """Queue `task(*args)` once the current transaction commits.

    Robust: when the broker is down the request still succeeds; the task's own sweeper finds
    the work in the database and queues it again, so the caller must record it there first.
    """

    def enqueue():
        try:
            task.delay(*args)
        except Exception:
            logger.exception("queueing %s%r failed; its sweeper will retry", task.name, args)

    transaction.on_commit(enqueue)
