"""Rendering a declared reminder as the outbox does: its context through JSON, plus the
values every reminder template receives."""

import json

from django.template.loader import render_to_string


def render(reminder, **extra):
    """The reminder's subject, plain text and HTML, in the active language."""
    context = {**json.loads(json.dumps(reminder.context)), "name": "Ana",
               "url": "https://example.org" + reminder.url,
               "site_url": "https://example.org", "preferences_url": "https://example.org/p",
               "unsubscribe_url": "https://example.org/u", **extra}
    return tuple(render_to_string(f"{reminder.template}{suffix}", context, using="emails")
                 for suffix in ("_subject.txt", ".txt", ".html"))
