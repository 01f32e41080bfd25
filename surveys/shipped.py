"""The survey templates the product ships with. Migration 0002 adds them on every
installation; `ensure_shipped_templates` puts back any that are missing (the demo calls it,
and tests after a browser test has emptied the tables)."""

import importlib

from .models import SurveyTemplate

SHIPPED_TEMPLATES = importlib.import_module("surveys.migrations.0002_shipped_templates").TEMPLATES


def ensure_shipped_templates():
    """Create the shipped templates that are missing; returns how many were created."""
    existing = set(SurveyTemplate.objects.values_list("key", flat=True))
    missing = [SurveyTemplate(**template) for template in SHIPPED_TEMPLATES
               if template["key"] not in existing]
    SurveyTemplate.objects.bulk_create(missing)
    return len(missing)
