"""Reminders at district scale: 100,000 due reminders (a source registered here over
20,000 generated teachers, five reminders each, one teacher in four reading Spanish) are
planned into the outbox of a throwaway PostgreSQL database, then sent to a local SMTP
server (aiosmtpd, in its own process, offering PIPELINING as Postfix, Exim and the mail
services do) by two sender processes running the
`notifications.send_batch` task's code (claim a batch, send it over one connection, mark
each row), as two Celery worker processes would, without a broker between them.

Measured:
- planning: wall time of `notifications.planning.plan` for the 100,000 reminders, and of
  a second run (which must add nothing);
- sending: emails per second, from the moment the started senders are let go to the last
  row marked, over the whole outbox (each reminder is also an in-app row, which planning
  writes delivered: the senders claim the emails). What each worker process does
  once in its life is left out of that window: starting Python and Django, opening its
  database connection, loading the URL configuration, the translation catalogues and the
  compiled templates. Everything a batch does is in it: claiming, reading the rows,
  rendering each email in its recipient's language, signing its unsubscribe link, one
  SMTP connection per batch, each email's mark inside its SMTP transaction;
- the comparison: a bare `smtplib` loop sending prebuilt copies of real emails of this
  outbox (rendered by the senders' own code, so of the same sizes and languages), each to
  its own recipient, to the same server process, with as many connections (one per
  process) as there are senders, just before and just after the senders; it renders,
  reads and marks nothing, and waits for each reply in turn (smtplib does not
  pipeline). The goal compares the senders' rate with the mean of those two runs. The
  same loop over one connection is printed too, for reference.
- CPU: seconds of CPU per email spent by the senders, by their database server processes
  and by the SMTP server, so that a slow run can be told from a busy machine (the load
  average is printed too), and the part of the senders' that rendering takes, timed
  alone on the bare loop's emails.
Goals: planning under 60 s, sending at no less than half the bare loop's rate.
"""

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from benchmarks.database import django_environment, throwaway_database

GOAL_PLAN_SECONDS = 60
GOAL_RATIO = 0.50
TEMPLATE = "notifications/email/digest"
SAMPLES = 200  # real emails rendered for the bare loop to send
RENDER_ROUNDS = 5
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def run(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks notifications")
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--per-teacher", type=int, default=5)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--bare", type=int, default=20_000,
                        help="messages each run of the bare smtplib loop sends")
    parser.add_argument("--plan-only", action="store_true", help="measure planning only")
    parser.add_argument("--database", default="mentorship_bench_notifications",
                        help="name of the throwaway database (dropped if it exists)")
    args = parser.parse_args(argv)
    context = get_context("spawn")
    ready, stop, count = context.Event(), context.Event(), context.Value("q", 0)
    port = _free_port()
    sink = context.Process(target=_sink, args=(port, ready, stop, count), daemon=True)
    sink.start()
    ready.wait(30)
    try:
        with throwaway_database(args.database) as url:
            env = {**django_environment(url), "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                   # Every hour is a working hour here: what is measured is the machinery.
                   "NOTIFICATIONS_WORKING_HOURS": "00:00-23:59:59.999999",
                   "NOTIFICATIONS_WORKING_DAYS": "0,1,2,3,4,5,6",
                   "SITE_URL": "https://mentorship.example.org"}
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                prepared = pool.submit(_prepare, env, args.reminders // args.per_teacher).result()
            print(f"database ready, {prepared['teachers']:,} teachers generated in "
                  f"{prepared['seconds']:.1f} s", flush=True)
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                planned = pool.submit(_plan, env, args.per_teacher).result()
            print(f"planning: {planned['added']:,} reminders in {planned['first_s']:.1f} s "
                  f"(goal: under {GOAL_PLAN_SECONDS} s); {planned['rows']:,} outbox rows "
                  f"(email and in-app)")
            print(f"planning again: {planned['again_added']:,} added in "
                  f"{planned['again_s']:.1f} s", flush=True)
            if args.plan_only:
                return

            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                samples, render_ms = pool.submit(_samples, env, SAMPLES).result()
            size = sum(len(data) for _, data in samples) / len(samples)
            print(f"{cores()} cores; load average before sending: {_load()}")

            before = _bare(context, port, samples, args.bare, args.senders, sink.pid, count)
            sent = _senders(context, env, args.senders, sink.pid, count)
            after = _bare(context, port, samples, args.bare, args.senders, sink.pid, count)
            single = _bare(context, port, samples, args.bare, 1, sink.pid, count)
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                states = pool.submit(_states, env).result()

            rate = sent["arrived"] / sent["seconds"]
            print(f"sending: {sent['arrived']:,} emails arrived in {sent['seconds']:.1f} s "
                  f"with {args.senders} sender processes ({sent['claimed']:,} rows claimed): "
                  f"{rate:,.0f} emails/s; outbox states {states}")
            print("  left out of the timed window, once per worker process: Python and "
                  f"Django start-up, URL configuration, catalogues, templates "
                  f"({sent['warmup']:.1f} s)")
            print("  " + _cpu_line(sent, sent["arrived"]))
            print(f"  of the senders' CPU, rendering an email's subject and bodies: "
                  f"{render_ms:.2f} ms (the emails of the bare loop, rendered again alone)")
            print(f"  load average after sending: {_load()}", flush=True)
            for name, bare in (("before", before), ("after", after)):
                print(f"bare smtplib loop {name}, {args.senders} connections: "
                      f"{bare['arrived']:,} messages in {bare['seconds']:.1f} s: "
                      f"{bare['rate']:,.0f} messages/s")
                print(f"  {_cpu_line(bare, bare['arrived'], 'clients')}")
            print(f"bare smtplib loop, 1 connection (for reference): {single['arrived']:,} "
                  f"messages in {single['seconds']:.1f} s: {single['rate']:,.0f} messages/s")
            print(f"  (the bare loop sends {len(samples)} real emails of this outbox, "
                  f"{size:,.0f} bytes on average, prebuilt; it renders and marks nothing)")
            bare_rate = (before["rate"] + after["rate"]) / 2
            print(f"sending rate / bare rate (mean of before and after, {args.senders} "
                  f"connections each): {rate / bare_rate:.2f} (goal: at least {GOAL_RATIO:.2f})",
                  flush=True)
    finally:
        stop.set()
        sink.join(10)


def cores():
    return os.cpu_count()


def _load():
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _cpu_seconds(pid):
    """User and system CPU seconds of a process of this machine (None elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def _cpu_line(result, emails, clients="senders"):
    parts = []
    for label, key in ((clients, "cpu"), ("database", "db_cpu"), ("SMTP server", "sink_cpu")):
        if result.get(key) is not None and emails:
            parts.append(f"{label} {1000 * result[key] / emails:.2f} ms")
    return "CPU per email: " + ", ".join(parts) if parts else ""


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sink(port, ready, stop, count):
    """An SMTP server that accepts and counts."""
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            # Offered as Postfix, Exim and the mail services offer it.
            session.host_name = hostname
            return [*responses[:-1], "250-PIPELINING", responses[-1]]

        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def _setup(env):
    os.environ.update(env)
    import django

    django.setup()


def _prepare(env, teachers):
    started = time.perf_counter()
    _setup(env)
    from django.core.management import call_command

    from accounts.models import District, User

    call_command("migrate", verbosity=0, interactive=False)
    district = District.objects.create(name="Benchmark Unified", time_zone="America/Chicago")
    User.objects.bulk_create(
        (User(email=f"teacher{n}@bench.example.org", display_name=f"Teacher {n}",
              district=district, password="!", preferred_language="es" if n % 4 == 0
              else "en") for n in range(teachers)), batch_size=5000)
    return {"teachers": teachers, "seconds": time.perf_counter() - started}


def _source(per_teacher):
    """Five reminders per teacher, as an app's reminders.py would yield them."""
    from accounts.models import User
    from mentorship.reminders import Reminder

    def source(now):
        for pk, name in User.objects.values_list("pk", "display_name").iterator(5000):
            for n in range(per_teacher):
                yield Reminder(
                    key=f"bench:user-{pk}:{n}:{now.date()}", user_id=pk, template=TEMPLATE,
                    context={"items": [{"subject": f"Check-in {n} with {name} tomorrow",
                                        "url": f"https://mentorship.example.org/c/{n}"}]},
                    url=f"/pairing/checkins/{pk}{n}/")

    return source


def _plan(env, per_teacher):
    _setup(env)
    from django.utils import timezone

    from mentorship.reminders import Kind
    from notifications import planning
    from notifications.models import Message

    kinds = {"bench": Kind("bench", "Benchmark", "", _source(per_teacher))}
    now = timezone.now()
    started = time.perf_counter()
    added = planning.plan(now, kinds=kinds)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = planning.plan(now, kinds=kinds)
    return {"added": added, "first_s": first, "again_added": again,
            "again_s": time.perf_counter() - started, "rows": Message.objects.count()}


def _samples(env, count):
    """The first `count` emails of the outbox as the senders would write them (recipient
    and bytes), without claiming or marking anything, and the CPU milliseconds rendering
    one takes (timed over RENDER_ROUNDS renderings of them, once warm)."""
    _setup(env)
    from django.conf import settings
    from django.core.mail.message import sanitize_address

    from notifications import delivery
    from notifications.models import Message

    sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")
    renderer = delivery.Renderer()
    rows = (Message.objects.filter(channel=Message.Channel.EMAIL)
            .select_related("recipient__district").order_by("next_attempt_at", "pk")[:count])
    samples = []
    for message in rows:
        email = delivery.build_email(message, renderer.render(message))
        samples.append((email.recipient(), email.as_bytes(sender)))
    started = time.process_time()
    with renderer:  # as in a batch
        for _ in range(RENDER_ROUNDS):
            for message in rows:
                renderer.render(message)
    rendering = (time.process_time() - started) / (RENDER_ROUNDS * len(rows)) * 1000
    return samples, rendering


def _warm_up():
    """What a worker process does once in its life, before its first batch."""
    from django.conf import settings
    from django.db import connection
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    connection.ensure_connection()
    get_resolver().url_patterns  # noqa: B018  the URL configuration's first load
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Sent")
    for suffix in ("_subject.txt", ".txt", ".html"):
        get_template(f"{TEMPLATE}{suffix}")


def _sender(env, started, go, results):
    warm = time.perf_counter()
    _setup(env)
    from django.db import connection

    from notifications import delivery

    _warm_up()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    warm = time.perf_counter() - warm
    started.release()
    go.wait()
    cpu, db_cpu = time.process_time(), _cpu_seconds(backend)
    claimed = 0
    while batch := delivery.send_batch():
        claimed += batch
    db_end = _cpu_seconds(backend)
    results.put({"claimed": claimed, "cpu": time.process_time() - cpu, "warmup": warm,
                 "db_cpu": None if db_cpu is None or db_end is None else db_end - db_cpu})


def _bare_sender(port, messages, started, go, results):
    """One connection sending its share of the prebuilt messages."""
    import smtplib

    with smtplib.SMTP("127.0.0.1", port) as connection:
        connection.ehlo()
        started.release()
        go.wait()
        cpu = time.process_time()
        for recipient, data in messages:
            connection.sendmail("noreply@bench.example.org", [recipient], data)
        results.put({"claimed": len(messages), "cpu": time.process_time() - cpu,
                     "warmup": 0.0, "db_cpu": None})


def _together(context, target, args_of, processes, sink_pid, count):
    """Start `processes` processes, let them all go at once once each is ready, and time
    them until the last is done; returns their results summed and what arrived."""
    started, go, results = context.Semaphore(0), context.Event(), context.Queue()
    workers = [context.Process(target=target, args=(*args_of(n), started, go, results))
               for n in range(processes)]
    for worker in workers:
        worker.start()
    for _ in workers:
        if not started.acquire(timeout=300):
            raise RuntimeError("a process did not start")
    first, sink_cpu = count.value, _cpu_seconds(sink_pid)
    begun = time.perf_counter()
    go.set()
    done = [results.get() for _ in workers]
    seconds = time.perf_counter() - begun
    sink_end = _cpu_seconds(sink_pid)
    arrived = count.value - first
    for worker in workers:
        worker.join(30)
    total = {key: sum(result[key] for result in done) for key in ("claimed", "cpu", "warmup")}
    db = [result["db_cpu"] for result in done]
    return {**total, "warmup": total["warmup"] / processes, "seconds": seconds,
            "arrived": arrived, "rate": arrived / seconds,
            "db_cpu": None if None in db else sum(db),
            "sink_cpu": None if sink_cpu is None or sink_end is None else sink_end - sink_cpu}


def _senders(context, env, processes, sink_pid, count):
    return _together(context, _sender, lambda n: (env,), processes, sink_pid, count)


def _bare(context, port, samples, messages, processes, sink_pid, count):
    share = [[samples[(n + k * processes) % len(samples)]
              for k in range(messages // processes)] for n in range(processes)]
    return _together(context, _bare_sender, lambda n: (port, share[n]), processes,
                     sink_pid, count)


def _states(env):
    _setup(env)
    from django.db.models import Count

    from notifications.models import Message

    return dict(Message.objects.values_list("state").annotate(n=Count("pk")).order_by())
