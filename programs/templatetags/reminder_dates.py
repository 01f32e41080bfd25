"""Dates and times of reminder emails, written the way the recipient's language writes them.

A reminder's context holds ISO strings (it is stored as JSON and rendered later, in the
recipient's language), so "2026-12-08" and "15:30" are turned back into a date and a time
here and formatted with the active language's formats: "Dec. 8, 2026" and "3:30 p.m." in
English, "8 de diciembre de 2026" and "15:30" in Spanish.
"""

from datetime import date, time

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def isodate(value, fmt="DATE_FORMAT"):
    """An ISO date string as a date in the active language; anything else as it is."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return value
    return formats.date_format(day, fmt)


@register.filter
def isotime(value, fmt="TIME_FORMAT"):
    """An "HH:MM" string as a time of day in the active language; anything else as it is."""
    try:
        moment = value if isinstance(value, time) else time.fromisoformat(str(value))
    except ValueError:
        return value
    return formats.time_format(moment, fmt)
