"""Reading a person's calendar feed in tests, as a calendar client would."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from pairing.models import CalendarFeed

CHICAGO = ZoneInfo("America/Chicago")
# A Monday afternoon in the program (which runs from Aug. 17, 2026 to June 11, 2027).
MONDAY_IN_PROGRAM = datetime(2026, 12, 7, 14, 0, tzinfo=CHICAGO)


def read_feed(client, user):
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first() or \
        CalendarFeed.objects.create(user=user)
    response = client.get(reverse("pairing:calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode(), Calendar.from_ical(response.content)


def events_of(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def host():
    return "testserver"
