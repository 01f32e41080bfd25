"""Planning: what every app's `reminders.py` says is due becomes outbox rows.

Rows are inserted in bulk with the unique (channel, key) pair as the guard, so a second
run adds nothing. Nothing is rendered here (rendering 100,000 messages would take longer
than the minute between two runs): the sender renders each email in its recipient's
language when it goes out, and stores what went out. An in-app message is written
delivered, to show from its time on: nothing goes out for it, and its subject is rendered
when it is read.
"""

import logging
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from mentorship import reminders

from .models import Message, Preference, QuietHours
from .schedule import next_allowed, next_digest

logger = logging.getLogger(__name__)

CHUNK = 2000


def plan(now=None, kinds=None):
    """Insert the outbox rows for everything due at `now`; returns how many were new."""
    now = now or timezone.now()
    added = 0
    for kind in (kinds or reminders.kinds).values():
        try:
            items = iter(kind.source(now))
            while chunk := list(islice(items, CHUNK)):
                added += plan_chunk(kind, chunk, now)
        except Exception:
            # One app's broken source must not stop the reminders of every other app.
            logger.exception("planning the reminders of kind %s failed", kind.name)
    if added >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Until the table's statistics know of a burst of due rows, PostgreSQL expects a
        # handful: each claim would then sort every due row instead of reading the first
        # of the due index (40 ms against 3 ms a batch, at 100,000 due). Autovacuum would
        # tell it, minutes later.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Message._meta.db_table)}")
    return added


# Reminders planned in one run from which the outbox's statistics are brought up to date.
ANALYZE_AFTER = 1000


def plan_chunk(kind, chunk, now):
    """Rows for one chunk of one kind's reminders: four reads and one insert."""
    user_ids = {item.user_id for item in chunk}
    people = {pk: (active, zone or "UTC") for pk, active, zone in
              get_user_model().objects.filter(pk__in=user_ids)
              .values_list("pk", "is_active", "district__time_zone")}
    choices = {}
    if kind.optional or kind.digestible:
        choices = {user_id: (enabled, digest) for user_id, enabled, digest in
                   Preference.objects.filter(user_id__in=user_ids, kind=kind.name)
                   .values_list("user_id", "enabled", "digest")}
    quiet = {user_id: (start, end) for user_id, start, end in
             QuietHours.objects.filter(user_id__in=user_ids)
             .values_list("user_id", "starts_at", "ends_at")}
    # Rows planned by an earlier run are left alone (and their work skipped).
    planned = set(Message.objects.filter(channel=Message.Channel.EMAIL,
                                         key__in=[item.key for item in chunk])
                  .values_list("key", flat=True))
    when_cache = {}
    rows = []
    for item in chunk:
        if (item.key in planned or item.user_id not in people
                or not people[item.user_id][0]):
            continue
        planned.add(item.key)
        zone = people[item.user_id][1]
        enabled, digest = choices.get(item.user_id, (True, False))
        enabled = enabled or not kind.optional
        digest = enabled and digest and kind.digestible
        earliest = max(now, item.not_before) if item.not_before else now
        person_quiet = quiet.get(item.user_id)
        # Most rows of a run share the moment, zone and quiet hours: compute each once.
        slot = (earliest, zone, person_quiet, digest)
        if slot not in when_cache:
            when_cache[slot] = (next_digest if digest else next_allowed)(
                earliest, zone, person_quiet)
        common = (kind.name, item.key, item.template, item.context, item.url or "",
                  item.program_id)
        rows.append((item.user_id, Message.Channel.EMAIL, *common,
                     Message.State.PENDING if enabled else Message.State.SKIPPED, digest,
                     when_cache[slot], None))
        # In the app, a message disturbs nobody: it shows as soon as it is due.
        rows.append((item.user_id, Message.Channel.IN_APP, *common,
                     Message.State.SENT if enabled else Message.State.SKIPPED, False,
                     earliest, earliest if enabled else None))
    insert(rows)
    return len(rows) // 2


COLUMNS = ["recipient_id", "channel", "kind", "key", "template", "context", "url",
           "program_id", "state", "in_digest", "next_attempt_at", "sent_at"]
# The columns every new row starts with the same value in.
FIXED = {"attempts": "0", "last_error": "''", "subject": "''", "body_text": "''",
         "body_html": "''"}


def insert(rows):
    """Insert new outbox rows, skipping any whose (channel, key) exists: the unique key is
    the last guard, should two planners run at once. Plain multi-row INSERTs: building
    100,000 model instances and preparing each field is most of the time otherwise."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_in(rows)
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    names = ", ".join(ops.quote_name(c) for c in [*COLUMNS, *FIXED, "created_at"])
    fixed = ", ".join(FIXED.values())
    per_row = len(COLUMNS) + 1
    size = max(1, min(1000, (connection.features.max_query_params or 30000) // per_row))
    table = ops.quote_name(Message._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            placeholder = f"({', '.join(['%s'] * len(COLUMNS))}, {fixed}, %s)"
            params = []
            for row in batch:
                params += [*row[:5], ops.adapt_json_value(row[5], None), *row[6:10],
                           ops.adapt_datetimefield_value(row[10]),
                           ops.adapt_datetimefield_value(row[11]), now]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES "
                f"{', '.join([placeholder] * len(batch))} ON CONFLICT DO NOTHING", params)


def copy_in(rows):
    """PostgreSQL: COPY the rows into a temporary table, then insert what is new in one
    statement (a hundred thousand rows in seconds)."""
    from psycopg.types.json import Jsonb

    table = connection.ops.quote_name(Message._meta.db_table)
    columns = ", ".join(COLUMNS)
    fixed = ", ".join(FIXED.values())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE planned_messages (recipient_id bigint, channel text, "
            "kind text, key text, template text, context jsonb, url text, program_id bigint, "
            "state text, in_digest boolean, next_attempt_at timestamptz, sent_at timestamptz) "
            "ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY planned_messages ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row[:5], Jsonb(row[5]), *row[6:]))
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {', '.join(FIXED)}, created_at) "
            f"SELECT {columns}, {fixed}, now() FROM planned_messages "
            "ON CONFLICT DO NOTHING")
