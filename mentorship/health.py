"""Readiness of the parts a request depends on, for load balancers and the deploy docs."""

import logging

from django.db import connection
from kombu.exceptions import OperationalError as BrokerError

from mentorship.celery import app

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: the database does not answer")
        return False


def broker_answers() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except (BrokerError, OSError):
        logger.exception("health check: the task broker does not answer")
        return False
