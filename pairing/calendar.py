"""Calendar data: a person's private feed and single-event downloads, in iCalendar.

An event says when and where, who with, and links back to its page; never what a pair or a
group wrote (check-in topics and notes, session agendas and notes). A feed address is a
secret in a URL, read by calendar services and easily forwarded, so whatever it carries must
be harmless if it leaks.

Times carry the district's time zone (TZID plus a VTIMEZONE), so a check-in at 15:30 in
Chicago stays at 15:30 Chicago time in any calendar, across daylight-saving changes.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from programs.models import GroupMembership, GroupSession, ObservationWindow, Participant

from .models import CalendarFeed, CheckIn, Pairing

PRODID = "-//Mentorship//Calendar//EN"
# How far back a feed reaches: recent meetings stay visible, old ones drop off.
FEED_PAST_DAYS = 60
# Calendar services poll a feed every few minutes to hours; marking every read would write
# a row each time for no gain.
READ_MARK_INTERVAL = timedelta(hours=1)
REFRESH_INTERVAL = timedelta(hours=1)
# The settings page lists at most this many of the person's next events.
NEXT_EVENTS_SHOWN = 20

# What the feed must never load, let alone carry.
SESSION_PRIVATE_FIELDS = ("agenda", "opening_whats_working", "notes", "closing_whats_working")


def site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute(path):
    return settings.SITE_URL + path


def feed_url(feed):
    return absolute(reverse("pairing:calendar-feed", args=[feed.token]))


def webcal_url(url):
    """The same address with the scheme calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[-1]


def zone_of(program):
    try:
        return ZoneInfo(program.district.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@dataclass
class Entry:
    """One event, as the calendar page lists it and as an .ics file carries it."""

    kind: str  # "checkin", "session", "window", or an app's own ("observation")
    uid: str
    summary: str
    start: datetime | date
    end: datetime | date  # exclusive; for all-day events the day after the last
    page_path: str  # the event's page on the site
    download_url: str  # path of the single-event .ics
    stamp: datetime  # when its details last changed
    sequence: int = 0
    cancelled: bool = False
    location: str = ""
    description: str = ""
    private: bool = False
    transparent: bool = False

    @property
    def page_url(self):
        return absolute(self.page_path)

    @property
    def all_day(self):
        return not isinstance(self.start, datetime)

    @property
    def last_day(self):
        """The last day of an all-day event (its end is the day after)."""
        return self.end - timedelta(days=1) if self.all_day else self.end

    @property
    def sort_key(self):
        if self.all_day:
            return datetime.combine(self.start, time.min, tzinfo=timezone.get_current_timezone())
        return self.start


# Entries

def _lines(*parts):
    return "\n".join(str(p) for p in parts if p)


def _where(location, video_url, with_link):
    """(location, link line) of a meeting. The join link travels only in a download made
    while signed in: a feed address can leak, and with it would go a private call."""
    if video_url and not with_link:
        return location, _("Video call: sign in on the page below for the link.")
    return location or video_url, video_url if location else ""


def checkin_entry(checkin, user, *, with_link=False):
    """A check-in as its reader sees it: "Check-in with <their partner>". Pausing or ending
    a pairing cancels its check-ins still to come, so the stored status is the whole story."""
    pairing = checkin.pairing
    program = pairing.program
    zone = zone_of(program)
    partner = pairing.partner_of(user).user
    cancelled = checkin.status == CheckIn.Status.CANCELLED
    summary = _("Check-in with %(name)s") % {"name": partner.display_name}
    if cancelled:
        summary = _("Cancelled: %(event)s") % {"event": summary}
    page = reverse("pairing:checkin-detail", args=[checkin.pk])
    location, link = _where(checkin.location, checkin.video_url, with_link)
    return Entry(
        kind="checkin", uid=f"checkin-{checkin.pk}@{site_host()}", summary=summary,
        start=checkin.scheduled_at.astimezone(zone), end=checkin.ends_at.astimezone(zone),
        page_path=page, download_url=reverse("pairing:checkin-ics", args=[checkin.pk]),
        stamp=checkin.updated_at,
        sequence=checkin.sequence, cancelled=cancelled, location=location,
        description=_lines(program.name, checkin.get_mode_display(), link, absolute(page)),
        private=True,
    )


def session_entry(session, *, with_link=False):
    group = session.group
    program = group.program
    zone = zone_of(program)
    page = reverse("programs:session-detail", args=[program.pk, session.pk])
    location, link = _where(session.location, session.video_url, with_link)
    summary = session.title
    if session.is_cancelled:
        summary = _("Cancelled: %(event)s") % {"event": summary}
    return Entry(
        kind="session", uid=f"session-{session.pk}@{site_host()}", summary=summary,
        start=session.starts_at.astimezone(zone), end=session.ends_at.astimezone(zone),
        page_path=page, download_url=reverse("pairing:session-ics", args=[session.pk]),
        stamp=session.updated_at,
        sequence=session.sequence, cancelled=session.is_cancelled, location=location,
        description=_lines(f"{session.get_kind_display()} · {group.name}", program.name,
                           link, absolute(page)),
    )


def window_entry(window):
    program = window.program
    page = reverse("programs:detail", args=[program.pk]) + "#calendar-heading"
    return Entry(
        kind="window", uid=f"window-{window.pk}@{site_host()}",
        summary=_("Observation window: %(name)s") % {"name": window.name},
        start=window.opens_on, end=window.closes_on + timedelta(days=1),
        page_path=page, download_url=reverse("pairing:window-ics", args=[window.pk]),
        stamp=window.updated_at,
        sequence=window.sequence, description=_lines(program.name, absolute(page)),
        transparent=True,  # a window spans weeks; it does not make anyone busy
    )


# What a person's calendar holds

# Apps above pairing add their own events here (observations adds scheduled observations),
# as callables `events(user, *, since, upcoming) -> [Entry]`: the person's events from
# `since` on, in one query whatever their number; with `upcoming`, only those still to
# happen (nothing cancelled), at most NEXT_EVENTS_SHOWN of them, soonest first. What they
# carry follows this module's rule: when, where, who with, never what anyone wrote.
event_sources = []


def extra_entries(user, *, since, upcoming=False):
    return [entry for events in event_sources
            for entry in events(user, since=since, upcoming=upcoming)]


def _my_pairings(user):
    return Pairing.objects.of_user(user).filter(program__district_id=user.district_id)


def _my_checkins(user):
    return (CheckIn.objects.filter(pairing_id__in=_my_pairings(user).values("pk"))
            .select_related("pairing__program__district", "pairing__mentor__user",
                            "pairing__mentee__user")
            .defer(*CheckIn.NOTE_FIELDS))


def _my_sessions(user):
    groups = GroupMembership.objects.filter(
        participant__user=user, participant__status=Participant.Status.ACTIVE,
        group__program__district_id=user.district_id).values("group_id")
    return (GroupSession.objects.filter(group_id__in=groups)
            .select_related("group__program__district")
            .defer(*SESSION_PRIVATE_FIELDS))


def _my_windows(user):
    programs = Participant.objects.active().filter(
        user=user, program__district_id=user.district_id).values("program_id")
    return (ObservationWindow.objects.filter(program_id__in=programs)
            .select_related("program__district"))


def feed_entries(user):
    """Everything a person's feed carries, from FEED_PAST_DAYS ago onward: check-ins of
    their pairings (cancelled ones too, so calendars remove them), sessions of the groups
    they are an active member of (cancelled ones too, likewise), and the observation
    windows of their programs."""
    now = timezone.now()
    since = now - timedelta(days=FEED_PAST_DAYS)
    checkins = _my_checkins(user).filter(scheduled_at__gte=since).order_by("scheduled_at", "pk")
    sessions = _my_sessions(user).filter(starts_at__gte=since).order_by("starts_at", "pk")
    windows = _my_windows(user).filter(closes_on__gte=since.date()).order_by("opens_on", "pk")
    return ([checkin_entry(c, user) for c in checkins]
            + [session_entry(s) for s in sessions] + [window_entry(w) for w in windows]
            + extra_entries(user, since=since))


def next_entries(user):
    """The person's next events, soonest first: check-ins still scheduled (pausing or
    ending a pairing cancels those to come), sessions still to come and not cancelled,
    observation windows open or still to open."""
    now, limit = timezone.now(), NEXT_EVENTS_SHOWN
    checkins = (_my_checkins(user)
                .filter(status=CheckIn.Status.SCHEDULED, scheduled_at__gte=now)
                .order_by("scheduled_at", "pk")[:limit])
    sessions = (_my_sessions(user).scheduled().filter(starts_at__gte=now)
                .order_by("starts_at", "pk")[:limit])
    windows = (_my_windows(user).filter(closes_on__gte=timezone.localdate(now))
               .order_by("opens_on", "pk")[:limit])
    entries = ([checkin_entry(c, user) for c in checkins]
               + [session_entry(s) for s in sessions] + [window_entry(w) for w in windows])
    entries += extra_entries(user, since=now, upcoming=True)
    return sorted(entries, key=lambda e: e.sort_key)[:limit]


# iCalendar

def to_event(entry):
    event = Event.new(
        uid=entry.uid, summary=entry.summary, start=entry.start, end=entry.end,
        stamp=entry.stamp.astimezone(UTC), sequence=entry.sequence,
        last_modified=entry.stamp.astimezone(UTC),
        status="CANCELLED" if entry.cancelled else "CONFIRMED", url=entry.page_url,
        location=entry.location or None, description=entry.description or None,
        transparency="TRANSPARENT" if entry.transparent else "OPAQUE",
    )
    if entry.private:
        event.add("CLASS", "PRIVATE")
    return event


def to_ical(entries, *, name=None, uid=None, refresh=False):
    """An iCalendar file (bytes) of these entries, with a VTIMEZONE for every zone used."""
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid,
                            refresh_interval=REFRESH_INTERVAL if refresh else None)
    calendar.add("METHOD", "PUBLISH")
    if refresh:
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))  # Outlook's name
    for entry in entries:
        calendar.add_component(to_event(entry))
    timed = [e for e in entries if not e.all_day]
    if timed:
        # Zone rules for the span the events cover (a year either side is plenty), not
        # every transition since 1970.
        first = min(e.start for e in timed).date() - timedelta(days=366)
        last = max(e.end for e in timed).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


# Feeds

def live_feed(user):
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def create_feed(user):
    """The person's live feed, made now if they have none."""
    try:
        with transaction.atomic():
            return live_feed(user) or CalendarFeed.objects.create(user=user)
    except IntegrityError:  # made by a second click at the same moment
        return live_feed(user)


def revoke_feed(user):
    """Turn the person's live address off for good; True when there was one."""
    return bool(CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))


def feed_for_token(token):
    """The live feed of an active person for this token, or None."""
    return (CalendarFeed.objects.select_related("user")
            .filter(token=token, revoked_at__isnull=True, user__is_active=True).first())


def mark_read(feed):
    """Note when a calendar last read the feed: one UPDATE at most once an hour."""
    now = timezone.now()
    if feed.last_read_at and feed.last_read_at > now - READ_MARK_INTERVAL:
        return
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    feed.last_read_at = now
