"""The reflection prompts the product ships with, in its own words (no district, no
program). Migration 0002 adds them on every installation; `ensure_shipped_prompts` puts
back any that are missing (the demo calls it, and tests after a browser test has emptied
the tables)."""

import importlib

from .models import ReflectionPrompt

# The list lives in the migration that adds the prompts, so the two can never differ.
SHIPPED_PROMPTS = importlib.import_module("goals.migrations.0002_shipped_prompts").PROMPTS


def ensure_shipped_prompts():
    """Create the shipped prompts that are missing; returns how many were created."""
    existing = set(ReflectionPrompt.objects.filter(
        district__isnull=True, program__isnull=True).values_list("text", flat=True))
    missing = [ReflectionPrompt(kind=kind, text=text) for kind, text in SHIPPED_PROMPTS
               if text not in existing]
    ReflectionPrompt.objects.bulk_create(missing)
    return len(missing)
