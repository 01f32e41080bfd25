"""Django's makemessages, which also collects the messages of the outbox's email
templates: they are Jinja2 templates (see notifications/templating.py), which Django's
extractor cannot read, so Babel's Jinja2 extractor reads them into the same catalogue."""

import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import makemessages
from django.core.management.utils import popen_wrapper

from notifications.templating import EXTENSIONS

JINJA2 = "django.template.backends.jinja2.Jinja2"


def jinja2_directories():
    return [Path(directory).resolve() for engine in settings.TEMPLATES
            if engine["BACKEND"] == JINJA2 for directory in engine.get("DIRS", [])]


def jinja2_messages():
    """(message, path, line) for each message of the Jinja2 templates; a plural's message
    is its (singular, plural) pair."""
    for directory in jinja2_directories():
        found = extract_from_dir(
            directory, method_map=[("**.html", "jinja2"), ("**.txt", "jinja2")],
            # A template the extractor cannot parse must stop the run, not vanish.
            options_map={"**": {"extensions": ",".join(EXTENSIONS), "silent": "false"}})
        for filename, line, message, _comments, _context in found:
            yield message, os.path.relpath(directory / filename), line


class Command(makemessages.Command):
    def find_files(self, root):
        # Django's extractor would read the Jinja2 templates as its own and miss their
        # {% trans %} blocks.
        skipped = jinja2_directories()
        return [found for found in super().find_files(root)
                if not any(Path(found.dirpath).resolve().is_relative_to(directory)
                           for directory in skipped)]

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        if self.domain == "django":
            self.add_jinja2_messages(os.path.join(self.default_locale_path, "django.pot"))
        return potfiles

    def add_jinja2_messages(self, potfile):
        catalog = Catalog()
        for message, path, line in jinja2_messages():
            catalog.add(message, locations=[(path, line)])
        with tempfile.NamedTemporaryFile("wb", suffix=".pot", delete=False) as extracted:
            write_po(extracted, catalog)
        try:
            sources = [potfile, extracted.name] if os.path.exists(potfile) else [extracted.name]
            _, errors, status = popen_wrapper(
                ["msgcat", "--use-first", "--to-code=utf-8", "-o", potfile, *sources])
        finally:
            os.unlink(extracted.name)
        if status:
            raise CommandError(f"errors happened while running msgcat\n{errors}")
