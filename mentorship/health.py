"""Readiness of the parts a request depends on, for load balancers and the deploy docs."""

import logging

from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
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


class HealthCheckMiddleware:
    """Answers GET or HEAD /healthz: 200 when the database and the broker answer, else 503."""

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != self.PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        checks = {"database": database_answers(), "broker": broker_answers()}
        response = JsonResponse({name: "ok" if ok else "down" for name, ok in checks.items()},
                                status=200 if all(checks.values()) else 503)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
