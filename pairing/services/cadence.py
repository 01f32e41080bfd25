"""When a pairing's next check-in is due: the program's cadence from a day, moved off
weekends and blackout days."""

from datetime import date

from programs.calendar import ProgramCalendar


def next_checkin_due(pairing, after: date, calendar: ProgramCalendar | None = None):
    """The day the check-in after `after` is due, or None when the program ends first."""
    program = pairing.program
    calendar = calendar or ProgramCalendar(program)
    start = max(after, program.starts_on)
    return calendar.due_on(start, program.checkin_cadence_days)
