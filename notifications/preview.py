"""What will go out over the next day, for the outbox screens: each app's sources asked what
they will say is due at later moments of the coming day, less what the outbox already
holds. Asking every source four times takes seconds at district scale, so a task does it
and keeps the result in the cache for a quarter of an hour; the screens read it from there
and ask for a new one when it is missing.

Only the kind, the recipient and the time are kept: what a message says is rendered when it
goes out, in its recipient's language.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from mentorship import reminders

from .models import Message

logger = logging.getLogger(__name__)

# The moments of the coming day the sources are asked about.
HOURS_AHEAD = (6, 12, 18, 24)
KEPT_FOR = 15 * 60
# A program's list is cut here (the soonest first); the screen gives the full count.
PROGRAM_ROWS = 1000
COMPUTED = "outbox-preview:computed"
QUEUED = "outbox-preview:queued"


def program_key(program_id):
    return f"outbox-preview:program-{program_id}"


def upcoming(now):
    """{program id: [(due by, kind, user id), ...]} for every reminder a source will yield
    within a day of `now` that the outbox does not hold yet, soonest first."""
    found = {}
    for hours in HOURS_AHEAD:
        at = now + timedelta(hours=hours)
        for kind in reminders.kinds.values():
            try:
                for item in kind.source(at):
                    if item.program_id is not None and item.key not in found:
                        due = max(at, item.not_before) if item.not_before else at
                        found[item.key] = (item.program_id, due, kind.name, item.user_id)
            except Exception:
                # One app's broken source must not hide every other app's reminders.
                logger.exception("previewing the reminders of kind %s failed", kind.name)
    keys = list(found)
    for start in range(0, len(keys), 5000):
        for key in Message.objects.filter(key__in=keys[start:start + 5000]).values_list(
                "key", flat=True).distinct():
            found.pop(key, None)
    by_program = defaultdict(list)
    for program_id, due, kind, user_id in found.values():
        by_program[program_id].append((due, kind, user_id))
    for rows in by_program.values():
        rows.sort()
    return by_program


@shared_task(name="notifications.preview")
def build_preview() -> int:
    """Ask the sources about the coming day and keep what they say for the screens.
    Returns how many reminders are coming up."""
    now = timezone.now()
    by_program = upcoming(now)
    cache.set_many({program_key(pk): {"count": len(rows), "rows": [
        (due.isoformat(), kind, user) for due, kind, user in rows[:PROGRAM_ROWS]]}
        for pk, rows in by_program.items()}, KEPT_FOR)
    # Written last: a screen that finds it finds every program's list of this run.
    cache.set(COMPUTED, now.isoformat(), KEPT_FOR)
    return sum(len(rows) for rows in by_program.values())


def preview_of(program_ids):
    """(computed at or None, count, [(due by, kind, user id, program id), ...]) for these
    programs, soonest first; a missing preview asks for one, at most once every few
    minutes."""
    found = cache.get_many([COMPUTED, *(program_key(pk) for pk in program_ids)])
    computed = found.pop(COMPUTED, None)
    if computed is None:
        from mentorship.background import enqueue_on_commit

        if cache.add(QUEUED, 1, 5 * 60):
            enqueue_on_commit(build_preview)
        return None, 0, []
    rows, count = [], 0
    for pk in program_ids:
        part = found.get(program_key(pk))
        if part:
            count += part["count"]
            rows.extend((datetime.fromisoformat(due), kind, user, pk) for due, kind, user
                        in part["rows"])
    rows.sort()
    return datetime.fromisoformat(computed), count, rows
