"""When an email may go out: the district's working hours and days, the person's quiet
hours, and the daily digest's time, all in the district's time zone. Pure functions."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def parse_hours(text):
    """"07:00-19:00" -> (time(7), time(19))."""
    start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    if not start < end:
        raise ValueError(f"working hours must start before they end: {text!r}")
    return start, end


def working_hours():
    return parse_hours(settings.NOTIFICATIONS_WORKING_HOURS)


def _at(day, moment, zone):
    return datetime.combine(day, moment, tzinfo=zone)


def in_quiet(moment, quiet):
    if quiet is None:
        return False
    start, end = quiet
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # across midnight


def next_allowed(when, zone, quiet=None):
    """The earliest moment at or after `when` (aware) inside the working hours of a working
    day and outside the quiet hours (local `(start, end)` times), in `zone`."""
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    start, end = working_hours()
    days = settings.NOTIFICATIONS_WORKING_DAYS
    local = when.astimezone(zone)
    for _ in range(60):  # a handful of steps always settles it; the bound only guards typos
        clock = local.time().replace(tzinfo=None)
        if local.weekday() not in days or clock >= end:
            local = _at(local.date() + timedelta(days=1), start, zone)
        elif clock < start:
            local = _at(local.date(), start, zone)
        elif in_quiet(clock, quiet):
            quiet_end = quiet[1]
            day = local.date() if clock < quiet_end else local.date() + timedelta(days=1)
            local = _at(day, quiet_end, zone)
        else:
            return local
    return local


def next_digest(when, zone, quiet=None):
    """The daily digest's moment for something waiting from `when`: the next digest time of
    the district's day at or after it, moved into allowed hours. Its local date names the
    digest (one per person per local day)."""
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    digest_at = time.fromisoformat(settings.NOTIFICATIONS_DIGEST_AT)
    local = when.astimezone(zone)
    moment = _at(local.date(), digest_at, zone)
    if moment < local:
        moment = _at(local.date() + timedelta(days=1), digest_at, zone)
    return next_allowed(moment, zone, quiet)
