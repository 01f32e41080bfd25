"""Reminders at district scale: 100,000 due reminders (a source registered here over
20,000 generated teachers, five reminders each) are planned into the outbox of a
throwaway PostgreSQL database, then sent to a local SMTP server (aiosmtpd, in its own
process) by two sender processes running the `notifications.send_batch` task's code
(claim a batch, send it over one connection, mark each row), as two Celery worker
processes would, without a broker between them.

Measured:
- planning: wall time of `notifications.planning.plan` for the 100,000 reminders, and of
  a second run (which must add nothing);
- sending: emails per second, from the first claim to the last row marked, over the whole
  outbox (each reminder is also an in-app row, delivered by the same senders);
- a bare `smtplib` loop sending the same number of prebuilt messages over one connection
  to the same server, for comparison.
Goals: planning under 60 s, sending at no less than half the bare loop's rate.
"""

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from benchmarks.database import django_environment, throwaway_database

GOAL_PLAN_SECONDS = 60
TEMPLATE = "notifications/email/digest"


def run(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks notifications")
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--per-teacher", type=int, default=5)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--bare", type=int, default=5_000,
                        help="messages the bare smtplib loop sends")
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

            start_count = count.value
            started = time.perf_counter()
            with ProcessPoolExecutor(max_workers=args.senders, mp_context=context) as pool:
                results = list(pool.map(_send, [env] * args.senders))
            seconds = time.perf_counter() - started
            arrived = count.value - start_count
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                states = pool.submit(_states, env).result()
            rate = arrived / seconds
            print(f"sending: {arrived:,} emails arrived in {seconds:.1f} s with "
                  f"{args.senders} sender processes ({sum(results):,} rows claimed): "
                  f"{rate:,.0f} emails/s; outbox states {states}", flush=True)

            bare = _bare_loop(port, args.bare, count)
            print(f"bare smtplib loop, one connection: {args.bare:,} messages in "
                  f"{bare:.1f} s: {args.bare / bare:,.0f} messages/s")
            print(f"sending rate / bare rate: {rate / (args.bare / bare):.2f} "
                  f"(goal: at least 0.50)", flush=True)
    finally:
        stop.set()
        sink.join(10)


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sink(port, ready, stop, count):
    """An SMTP server that accepts and counts."""
    from aiosmtpd.controller import Controller

    class Counter:
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


def _send(env):
    _setup(env)
    from notifications import delivery

    claimed = 0
    while batch := delivery.send_batch():
        claimed += batch
    return claimed


def _states(env):
    _setup(env)
    from django.db.models import Count

    from notifications.models import Message

    return dict(Message.objects.values_list("state").annotate(n=Count("pk")).order_by())


def _bare_loop(port, count, _arrived):
    """The same kind of message, prebuilt once, sent `count` times over one connection."""
    import smtplib
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "Mentorship <noreply@bench.example.org>"
    message["To"] = "teacher1@bench.example.org"
    message["Subject"] = "[Mentorship] Your reminder for today"
    message.set_content("Hello Teacher 1,\n\nHere is what is due.\n" * 3)
    message.add_alternative("<p>Hello Teacher 1,</p><p>Here is what is due.</p>" * 3,
                            subtype="html")
    data = message.as_bytes()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for _ in range(count):
            connection.sendmail("noreply@bench.example.org", ["teacher1@bench.example.org"],
                                data)
    return time.perf_counter() - started
