"""Settings for the test suite: the real parts (PostgreSQL, Redis), fast password hashing."""

import os

os.environ.setdefault("ENV_FILE", os.devnull)  # a developer's .env never leaks into tests
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentorship")
# Each parallel test process gets its own Redis database, so their queues never mix.
_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{15 - _worker}")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from mentorship.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Tasks queued on commit run in the request that queued them; the tests about background
# work start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
SITE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
