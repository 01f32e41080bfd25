"""Settings for the test suite: the real parts (PostgreSQL, Redis), fast password hashing."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("ENV_FILE", os.devnull)  # a developer's .env never leaks into tests
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentorship")
# Each parallel test process gets its own Redis database, so their queues and caches
# never mix (one clearing the cache would wipe another's rate-limit counts). Set, not
# defaulted: the workers inherit the environment of the process that started them, which
# has loaded these settings already.
# TEST_REDIS_DB lets two suites share one Redis server (numbers count down from it).
_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
_first = int(os.environ.get("TEST_REDIS_DB", "15"))
_redis = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")
os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_first - _worker}"))
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
