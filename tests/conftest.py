import os
import socket
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests import factories

pytest_plugins = ["tests.browser"]


def _reachable(url, default_port):
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1",
                                       parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_configure(config):
    """Stop at once, naming what is missing, when a service the suite runs on is down."""
    missing = []
    if not _reachable(os.environ["DATABASE_URL"], 5432):
        missing.append(f"PostgreSQL at {os.environ['DATABASE_URL']} (set DATABASE_URL)")
    if not _reachable(os.environ["REDIS_URL"], 6379):
        missing.append(f"Redis at {os.environ['REDIS_URL']} (set REDIS_URL)")
    if missing:
        pytest.exit("The test suite needs: " + "; ".join(missing), returncode=3)


@pytest.fixture(autouse=True)
def _fresh_start():
    """Each test starts with an empty cache (rate limits, one-time codes) and in the default
    language: a request in another language leaves it active in this thread."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.deactivate()
    yield


@pytest.fixture
def people(db):
    """Everyone a permission test tries: each role in one district, and outsiders."""
    school = factories.SchoolFactory(name="Lincoln Elementary")
    other_school = factories.SchoolFactory(district=school.district, name="Roosevelt Middle")
    elsewhere = factories.SchoolFactory(name="Faraway High")
    return SimpleNamespace(
        district=school.district,
        school=school,
        other_school=other_school,
        district_admin=factories.district_admin(school.district),
        school_admin=factories.school_admin(school),
        teacher=factories.teacher(school),
        colleague=factories.teacher(other_school),
        outsider=factories.district_admin(elsewhere.district),
        outsider_teacher=factories.teacher(elsewhere),
        elsewhere=elsewhere,
    )


ROLES = ["district_admin", "school_admin", "teacher", "colleague", "outsider", "anonymous"]


@pytest.fixture
def as_role(client, people):
    """Sign the test client in as a named role ("anonymous" signs out)."""

    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(people, role))
        return client

    return sign_in


@pytest.fixture
def assert_access(as_role):
    """Try one URL as every role and compare the status codes with what is expected.

    `expected` maps a role to a status; anonymous visitors must always be sent to sign in.
    """

    def check(url, expected, method="get", data=None):
        seen = {}
        for role in ROLES:
            client = as_role(role)
            response = getattr(client, method)(url, data or {})
            seen[role] = response.status_code
            if role == "anonymous":
                assert response.status_code == 302, url
                assert response.url.startswith(reverse("account_login")), response.url
        assert seen == {**expected, "anonymous": 302}, url
        return seen

    return check


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real Celery worker, in a thread, consuming from Redis; tasks queued on commit reach
    it the way they reach production workers."""
    from celery.contrib.testing.worker import start_worker

    from mentorship.celery import app

    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = True


def wait_for(condition, timeout=15.0):
    """Poll until condition() is true; fail after timeout seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the condition did not become true in time")


@pytest.fixture
def clock():
    """Time stands at a Monday afternoon inside the usual test program (Aug. 17, 2026 to
    June 11, 2027; `tests.pairing.days.MONDAY_IN_PROGRAM`) and moves on from there."""
    import time_machine

    from tests.pairing.days import MONDAY_IN_PROGRAM

    with time_machine.travel(MONDAY_IN_PROGRAM, tick=True) as traveller:
        yield traveller
