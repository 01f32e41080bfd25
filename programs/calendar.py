"""A program's calendar as later features read it: terms, observation windows, blackout
days and usual meeting days, loaded once."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class ProgramCalendar:
    WEEKEND = {5, 6}

    def __init__(self, program):
        self.program = program
        self.terms = list(program.terms.all())
        self.windows = list(program.observation_windows.all())
        self.blackouts = list(program.blackouts.all())

    def blackout_on(self, day: date):
        return next((b for b in self.blackouts if b.starts_on <= day <= b.ends_on), None)

    def is_blackout(self, day: date) -> bool:
        return self.blackout_on(day) is not None

    def is_school_day(self, day: date) -> bool:
        return (self.program.starts_on <= day <= self.program.ends_on
                and day.weekday() not in self.WEEKEND and not self.is_blackout(day))

    def next_school_day(self, day: date) -> date | None:
        """The first school day on or after `day`, or None when the program has ended."""
        while day <= self.program.ends_on:
            if day >= self.program.starts_on and self.is_school_day(day):
                return day
            day += timedelta(days=1)
        return None

    def due_on(self, start: date, days: int) -> date | None:
        """A date `days` after `start`, moved forward off weekends and blackout days."""
        return self.next_school_day(start + timedelta(days=days))

    def next_meeting_day(self, after: date) -> date | None:
        """The next usual meeting day after `after` that is a school day."""
        meeting_days = set(self.program.meeting_days) or set(range(5))
        day = after + timedelta(days=1)
        while day <= self.program.ends_on:
            if day.weekday() in meeting_days and self.is_school_day(day):
                return day
            day += timedelta(days=1)
        return None

    def term_on(self, day: date):
        return next((t for t in self.terms if t.starts_on <= day <= t.ends_on), None)

    def window_on(self, day: date):
        return next((w for w in self.windows if w.opens_on <= day <= w.closes_on), None)


def check_day(program, day: date, field: str, *, weekdays_only: bool = False) -> None:
    """Something is scheduled inside the program's dates and never on a blackout day (nor
    on a weekend, with `weekdays_only`); otherwise the field gets an error naming why."""
    shown = date_format(day, "DATE_FORMAT")
    if not program.starts_on <= day <= program.ends_on:
        raise ValidationError({field: _(
            "%(day)s is outside the program, which runs from %(start)s to %(end)s. "
            "Choose a day inside it.") % {
                "day": shown, "start": date_format(program.starts_on, "DATE_FORMAT"),
                "end": date_format(program.ends_on, "DATE_FORMAT")}})
    blackout = ProgramCalendar(program).blackout_on(day)
    if blackout is not None:
        raise ValidationError({field: _(
            "%(day)s is a blackout day (%(name)s): nothing is scheduled on it. "
            "Choose another day.") % {"day": shown, "name": blackout.name}})
    if weekdays_only and day.weekday() in ProgramCalendar.WEEKEND:
        raise ValidationError({field: _(
            "%(day)s is a %(weekday)s, not a school day. Choose a weekday.") % {
                "day": shown, "weekday": date_format(day, "l")}})
