"""The Jinja2 environment of the outbox's emails (templates/jinja2).

Every email the outbox sends is rendered from these templates by a sender, one after the
other, so their speed is the senders' speed: Jinja2 compiles a template to Python and
renders an email in well under half the time the Django template language takes. The
pages stay in the Django template language.

Their messages are in Django's catalogue like every other: `{{ _("...") }}` and
`{% trans %}...{% pluralize n %}...{% endtrans %}` use Django's gettext, so the active
language is the one `translation.override` sets, and `manage.py makemessages` (this
project's, which reads them with Babel's Jinja2 extractor) collects them.
"""

from datetime import date, time

from django.utils import formats, translation
from jinja2 import Environment, Undefined, select_autoescape
from markupsafe import Markup, escape

EXTENSIONS = ["jinja2.ext.i18n"]


class EmailEnvironment(Environment):
    """Jinja2's environment, with two lookups that raise nothing on the way: a sender
    renders three templates an email, and each exception raised and caught costs it more
    than most of the rendering."""

    def make_globals(self, d):
        # A plain dict, not Jinja2's ChainMap over the environment's globals: each
        # rendering copies the globals, and the ChainMap raises a KeyError for every one
        # missing from its first map. The globals (gettext) are set once, before any
        # template is loaded.
        return {**self.globals, **(d or {})}

    def getattr(self, obj, attribute):
        # A reminder's context is JSON: `item.url` is a key of a dict, found at once here
        # rather than after an AttributeError. A key shadows a method of the same name,
        # as in Django's templates.
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(**options):
    options.update(
        # Plain-text parts and subjects are not HTML: only .html is escaped.
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        extensions=EXTENSIONS,
        # A missing value renders empty, in production as in development.
        undefined=Undefined,
        # As the Django template language does: the last line of a text part keeps its
        # line break.
        keep_trailing_newline=True,
    )
    env = EmailEnvironment(**options)
    env.install_gettext_callables(translation.gettext, translation.ngettext)
    env.filters.update(isodate=isodate, isotime=isotime, linebreaksbr=linebreaksbr)
    return env


def isodate(value, fmt="DATE_FORMAT"):
    """An ISO date string (a reminder's context is JSON) as a date in the active
    language: "Dec. 8, 2026" in English, "8 de diciembre de 2026" in Spanish; anything
    else as it is."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return value
    return formats.date_format(day, fmt)


def isotime(value, fmt="TIME_FORMAT"):
    """An "HH:MM" string as a time of day in the active language; anything else as it is."""
    try:
        moment = value if isinstance(value, time) else time.fromisoformat(str(value))
    except ValueError:
        return value
    return formats.time_format(moment, fmt)


def linebreaksbr(value):
    """For an HTML part: the text escaped, its line breaks as <br>."""
    lines = str(escape(value)).replace("\r\n", "\n").split("\n")
    return Markup("<br>".join(lines))
