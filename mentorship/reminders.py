"""What is due, declared by the app that owns the due date; sent by the notifications app.

Each app lists its reminders in its own `reminders.py` (found at start-up the way admin
modules are found), one source per kind of message:

    @reminder("checkin-tomorrow", _("Check-in tomorrow"), _("The day before a check-in."))
    def checkins_tomorrow(now):
        for checkin in ...:
            yield Reminder(key=f"checkin-tomorrow:checkin-{checkin.pk}", user_id=...,
                           template="pairing/reminders/checkin_tomorrow", context={...},
                           url=checkin.get_absolute_url(), program_id=checkin.program_id)

A source takes the current time (aware, UTC) and yields `Reminder`s for everything due at
that moment; it runs every few minutes, so a source yields the same keys again until the
item stops being due, and the outbox's unique key keeps it to one message. A source reads a
fixed number of queries however many people there are. It decides what is due and to whom;
the notifications app decides when it may go out (preferences, quiet hours, working hours of
the district), renders it in the recipient's language and sends it. No lower app imports the
notifications app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Reminder:
    # Unique for the message: planning twice finds it and adds nothing. Name what is due and
    # when, e.g. "checkin-overdue:pairing-42:2026-W47".
    key: str
    user_id: int
    # Template prefix: "<template>_subject.txt", "<template>.txt" and "<template>.html",
    # Jinja2 templates under templates/jinja2/.
    template: str
    # JSON-serialisable values only: rendered later, in the recipient's language.
    context: dict = field(default_factory=dict)
    # The page the message is about (a path; emails make it absolute).
    url: str = ""
    # The program it belongs to: its coordinators see it on the program's outbox screen.
    program_id: int | None = None
    # The earliest time it may go out (aware); None for as soon as allowed.
    not_before: datetime | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str
    source: Callable[[datetime], Iterable[Reminder]]
    # Whether a person may turn this kind off (an invitation to answer a survey may be).
    optional: bool = True
    # Whether it may wait for the person's daily digest.
    digestible: bool = True


kinds: dict[str, Kind] = {}


def reminder(name, label, description="", *, optional=True, digestible=True):
    """Register the decorated function as the source of the reminders of kind `name`."""

    def register(source):
        kinds[name] = Kind(name, label, description, source, optional, digestible)
        return source

    return register
