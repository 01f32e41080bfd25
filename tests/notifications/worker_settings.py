"""Settings of the real Celery worker the proofs start: the test database (DATABASE_URL),
the broker they name (REDIS_URL), and a real SMTP server on loopback (TEST_SMTP_PORT)."""

import os
from pathlib import Path

from tests.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["TEST_SMTP_PORT"])
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
EMAIL_TIMEOUT = 10
TEMPLATES[1]["DIRS"] = [*TEMPLATES[1]["DIRS"], Path(__file__).parent / "templates"]  # noqa: F405
# The proofs run at any hour: every moment is a working one, and retries do not wait.
NOTIFICATIONS_WORKING_HOURS = "00:00-23:59:59.999999"
NOTIFICATIONS_WORKING_DAYS = list(range(7))
NOTIFICATIONS_RETRY_DELAYS = [0]
