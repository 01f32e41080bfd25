"""Planning: what every app's `reminders.py` says is due becomes outbox rows.

Rows are inserted in bulk with the unique (channel, key) pair as the guard, so a second
run adds nothing. Nothing is rendered here (rendering 100,000 messages would take longer
than the minute between two runs): the sender renders each message in its recipient's
language when it goes out, and stores what went out.
"""

import logging
from itertools import islice

from django.contrib.auth import get_user_model
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
    return added


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
        state = Message.State.PENDING if enabled else Message.State.SKIPPED
        common = {"recipient_id": item.user_id, "kind": kind.name, "key": item.key,
                  "template": item.template, "context": item.context, "url": item.url or "",
                  "program_id": item.program_id, "state": state}
        rows.append(Message(channel=Message.Channel.EMAIL, in_digest=digest,
                            next_attempt_at=when_cache[slot], **common))
        # In the app, a message disturbs nobody: it shows as soon as it is due.
        rows.append(Message(channel=Message.Channel.IN_APP, next_attempt_at=earliest, **common))
    # The unique key is the last guard, should two planners run at once.
    Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    return len(rows) // 2
