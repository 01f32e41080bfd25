"""Reading a person's calendar feed in tests, as a calendar client would."""

from django.urls import reverse
from icalendar import Calendar

from pairing.models import CalendarFeed


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
