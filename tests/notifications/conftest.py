"""The outbox's tests: reminder kinds of their own (so that no app's real sources run),
their templates, and a program with a person in each role."""

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from mentorship import reminders
from mentorship.reminders import Kind, Reminder
from tests.programs.conftest import program_people  # noqa: F401  shared fixture

TEMPLATES_DIR = Path(__file__).parent / "templates"
CHICAGO = ZoneInfo("America/Chicago")
# A Tuesday at 10:00 in Chicago (the factories' district time zone): working hours.
TUESDAY_MORNING = datetime(2026, 10, 6, 10, 0, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def test_templates(settings):
    pages, emails = settings.TEMPLATES
    settings.TEMPLATES = [pages, {**emails, "DIRS": [*emails["DIRS"], TEMPLATES_DIR]}]


@pytest.fixture
def due(monkeypatch):
    """Two kinds of reminder whose sources yield what the test puts in `due.items` (a
    reminder a person may turn off or take in the digest, and one they may not)."""
    scene = SimpleNamespace(items=[], required=[])
    kinds = {
        "goal-nudge": Kind("goal-nudge", "Goal nudges", "A nudge about a goal.",
                           lambda now: list(scene.items)),
        "must-read": Kind("must-read", "Must-read notices", "",
                          lambda now: list(scene.required), optional=False,
                          digestible=False),
    }
    monkeypatch.setattr(reminders, "kinds", kinds)
    return scene


def nudge(user, n=1, *, program=None, not_before=None, key=None):
    return Reminder(key=key or f"goal-nudge:user-{user.pk}:{n}", user_id=user.pk,
                    template="testing/reminder", context={"what": f"Goal {n}"},
                    url="/goals/", program_id=program.pk if program else None,
                    not_before=not_before)
