"""The days the pairing tests stand on, in the test district's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

CHICAGO = ZoneInfo("America/Chicago")
# Monday 23 November 2026, 9:00 in Chicago: the check-in tests' today.
MONDAY_MORNING = datetime(2026, 11, 23, 15, tzinfo=UTC)
# A Monday afternoon in the program (Aug. 17, 2026 to June 11, 2027): the calendar tests'.
MONDAY_IN_PROGRAM = datetime(2026, 12, 7, 14, 0, tzinfo=CHICAGO)
