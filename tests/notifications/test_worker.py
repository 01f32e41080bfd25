"""Proofs with the real parts: a Celery worker process on Redis, a real SMTP server on
loopback counting what arrives, a worker killed mid-batch, Redis stopped, SMTP refusing."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications import planning
from notifications.delivery import message_id
from notifications.models import Message
from tests import factories
from tests.conftest import wait_for
from tests.notifications.conftest import nudge
from tests.notifications.smtp import free_port, start_sink

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
SHARED_REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
# The broker and cache of the workers a test process starts: a Redis number of that
# process's own, so that two processes' workers never take each other's tasks. It lies
# below the test processes' own numbers (tests/settings.py counts those down from
# TEST_REDIS_DB, at most four).
WORKER_REDIS_DB = str(int(os.environ.get("TEST_REDIS_DB", "15")) - 4
                      - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0))


@pytest.fixture
def sink():
    sink = start_sink()
    yield sink
    sink.controller.stop()


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


class Worker:
    """`celery -A mentorship worker` in its own process, on the test database."""

    def __init__(self, redis, smtp_port, log, **settings):
        env = {k: v for k, v in os.environ.items()
               if k not in ("CELERY_BROKER_URL", "PYTEST_XDIST_WORKER")}
        env.update({"DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
                    "DATABASE_URL": database_url(), "REDIS_URL": redis,
                    "TEST_REDIS_DB": WORKER_REDIS_DB, "TEST_SMTP_PORT": str(smtp_port),
                    **{key: str(value) for key, value in settings.items()}})
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [CELERY, "-A", "mentorship", "worker", "-P", "solo", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: b"ready." in Path(log).read_bytes(), timeout=60)
        except AssertionError:
            self.kill()
            raise AssertionError(f"the worker did not start: see {log}") from None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def workers(*args, **kwargs):
    started = []

    def start():
        started.append(Worker(*args, **kwargs))
        return started[-1]

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def broker(redis):
    """A producer on the broker the worker reads, as beat would tick it."""
    app = Celery("ticks", broker=f"{redis}/{WORKER_REDIS_DB}")
    app.conf.broker_connection_timeout = 3
    return app


@contextlib.contextmanager
def web_queues_to(redis):
    """The web process (this test's client) queues its tasks on the worker's broker."""
    from mentorship.celery import app

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = f"{redis}/{WORKER_REDIS_DB}", False
    reset()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        reset()


def purge(redis):
    with broker(redis).connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


def plan_emails(due, people, count, program=None):
    """`count` reminders to a few teachers, due now; returns their emails' Message-IDs."""
    teachers = [factories.teacher(people.school) for _ in range(min(count, 20))]
    due.items = [nudge(teachers[n % len(teachers)], n, program=program) for n in range(count)]
    planning.plan()
    Message.objects.update(next_attempt_at=timezone.now())
    return {message_id(m) for m in Message.objects.filter(channel="email")}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
        due, people, sink, tmp_path):
    redis = SHARED_REDIS
    purge(redis)
    expected = plan_emails(due, people, 1000)
    ticks = broker(redis)
    with workers(redis, sink.port, tmp_path / "worker.log", NOTIFICATIONS_BATCH_SIZE=2000,
                 NOTIFICATIONS_SENDING_TIMEOUT=1) as start:
        first = start()
        ticks.send_task("notifications.send_batch")
        wait_for(lambda: sink.count() >= 300, timeout=60)
        first.kill()
        arrived = sink.count()
        assert arrived < 1000, "the batch ended before the kill: nothing was proven"
        assert Message.objects.filter(channel="email", state="sending").exists()

        start()
        time.sleep(1.2)  # the sending timeout: the dead sender's claim is old now
        ticks.send_task("notifications.sweep")  # as beat ticks it
        # Generous: a busy machine sends slowly, and a passing run waits no longer for it.
        wait_for(lambda: not Message.objects.filter(channel="email").exclude(
            state="sent").exists(), timeout=240)
        # A row is marked just before its final dot: give the server the last ones.
        with contextlib.suppress(AssertionError):
            wait_for(lambda: sink.count() >= 1000, timeout=10)
        time.sleep(1)  # and any second copy the time to arrive

    counts = Counter(sink.received)
    assert set(counts) == expected
    assert [mid for mid, n in counts.items() if n > 1] == []
    assert len(sink.received) == 1000


def redis_server(port):
    return subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_pages_work_while_redis_is_down_and_the_waiting_messages_go_once_when_it_returns(
        due, people, program_people, sink, tmp_path, client, settings):
    port = free_port()
    redis = f"redis://127.0.0.1:{port}"
    server = redis_server(port)
    try:
        wait_for(lambda: _answers(port), timeout=10)
        settings.CACHES = {"default": {**settings.CACHES["default"],
                                       "LOCATION": f"{redis}/{WORKER_REDIS_DB}"}}
        expected = plan_emails(due, people, 20, program=program_people.program)
        failed = Message.objects.filter(channel="email").first()
        Message.objects.filter(pk=failed.pk).update(state="failed", last_error="550 earlier")
        with workers(redis, sink.port, tmp_path / "worker.log") as start:
            start()
            server.terminate()
            server.wait(10)

            # The cache misses instead of failing; every page and the retry work.
            from django.core.cache import cache

            cache.set("still-here", 1)
            assert cache.get("still-here") is None
            with web_queues_to(redis):
                assert client.get(reverse("account_login")).status_code == 200
                # Signing in counts attempts in the cache and allauth refuses while it
                # cannot count them (it fails closed): an answer, not an error page.
                refused = client.post(reverse("account_login"), {
                    "login": program_people.coordinator.email,
                    "password": factories.PASSWORD})
                assert refused.status_code == 429
                client.force_login(program_people.coordinator)  # signed in before
                for url in (reverse("home"), reverse("notifications:list"),
                            reverse("notifications:preferences"),
                            reverse("notifications:program-outbox",
                                    args=[program_people.program.pk]) + "?show=failed"):
                    assert client.get(url).status_code == 200, url
                retry = client.post(reverse("notifications:retry", args=[failed.pk]))
                assert retry.status_code == 302
            # Nothing lost: everything waits in the database.
            assert Message.objects.filter(channel="email", state="pending").count() == 20
            assert sink.count() == 0

            server = redis_server(port)
            wait_for(lambda: _answers(port), timeout=10)
            # Beat ticks again; the same worker, never restarted, reconnects and sends.
            ticks = broker(redis)
            wait_for(lambda: _tick(ticks) and sink.count() >= 20, timeout=60)
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(10)

    assert Counter(sink.received) == Counter(expected)
    assert not Message.objects.filter(channel="email").exclude(state="sent").exists()


def _answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_connect_timeout=0.5).ping()
    except redis.ConnectionError:
        return False


def _tick(ticks):
    try:
        ticks.send_task("notifications.send_due")
    except Exception:
        return False
    time.sleep(0.5)
    return True


def test_a_refusing_smtp_server_ends_failed_shown_to_the_coordinator_and_retry_sends_once(
        due, people, program_people, sink, tmp_path, client):
    redis = SHARED_REDIS
    purge(redis)
    sink.refuse_with = "451 4.3.0 Mailbox busy, try again later"
    expected = plan_emails(due, people, 1, program=program_people.program)
    email = Message.objects.get(channel="email")
    ticks = broker(redis)
    with workers(redis, sink.port, tmp_path / "worker.log",
                 NOTIFICATIONS_MAX_ATTEMPTS=3) as start:
        start()

        def failed():
            ticks.send_task("notifications.send_due")  # beat's tick
            time.sleep(0.3)
            return Message.objects.get(pk=email.pk).state == "failed"

        wait_for(failed, timeout=30)
        assert sink.refused == 3
        assert sink.received == []

        client.force_login(program_people.coordinator)
        outbox = reverse("notifications:program-outbox", args=[program_people.program.pk])
        page = client.get(outbox + "?show=failed").content.decode()
        assert "Mailbox busy, try again later" in page
        assert "Goals: Goal 0" in page

        sink.refuse_with = None
        with web_queues_to(redis):
            client.post(reverse("notifications:retry", args=[email.pk]))
            client.post(reverse("notifications:retry", args=[email.pk]))  # a double click
        wait_for(lambda: sink.count() == 1, timeout=30)
        time.sleep(1)

    assert sink.received == list(expected)
    assert Message.objects.get(pk=email.pk).state == "sent"
