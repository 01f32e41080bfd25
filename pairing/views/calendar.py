"""A person's private calendar: the page with their feed address and next events, the feed
itself (no sign-in: the token in its address is the secret), single-event downloads, and
the "Add to my calendar" link on a group session's page.

A download is for those who may see the event's page: a check-in for its pair, a session for
whoever sees its group, a window for whoever sees its program; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from mentorship.shortcuts import require_perm
from programs.models import Group, GroupSession, ObservationWindow
from programs.views.common import program_for

from .. import calendar
from ..models import CheckIn

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _private(response):
    """Keep a calendar answer out of shared caches, search engines and referrers."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_settings(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            calendar.create_feed(user)
            messages.success(request, _("Your calendar address is ready. Add it to your "
                                        "calendar app as described below."))
        elif action == "revoke" and calendar.revoke_feed(user):
            messages.success(request, _("Your calendar address is turned off. Calendars "
                                        "that use it will stop updating."))
        return redirect("pairing:calendar")
    feed = calendar.live_feed(user)
    url = calendar.feed_url(feed) if feed else ""
    return render(request, "pairing/calendar/feed_settings.html", {
        "feed": feed, "feed_url": url, "webcal_url": calendar.webcal_url(url) if url else "",
        "entries": calendar.next_entries(user),
        "past_days": calendar.FEED_PAST_DAYS,
    })


@require_safe
def feed(request, token):
    found = calendar.feed_for_token(token)
    if found is None:
        raise Http404
    owner = found.user
    with translation.override(owner.preferred_language):
        entries = calendar.feed_entries(owner)
        body = calendar.to_ical(entries, name=_("Mentorship"), refresh=True,
                                uid=f"feed-{found.pk}@{calendar.site_host()}")
    calendar.mark_read(found)
    return _private(HttpResponse(body, content_type=CONTENT_TYPE))


def _download(entry, filename):
    response = HttpResponse(calendar.to_ical([entry]), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return _private(response)


@login_required
@require_safe
def checkin_ics(request, pk):
    checkin = get_object_or_404(
        CheckIn.objects.select_related("pairing__program__district", "pairing__mentor__user",
                                       "pairing__mentee__user")
        .defer(*CheckIn.NOTE_FIELDS), pk=pk)
    require_perm(request.user, "pairing.read_pair_notes", checkin.pairing)
    entry = calendar.checkin_entry(checkin, request.user, with_link=True)
    day = timezone.localtime(checkin.scheduled_at, entry.start.tzinfo).date()
    return _download(entry, f"check-in-{day.isoformat()}")


@login_required
@require_safe
def session_ics(request, pk):
    session = get_object_or_404(
        GroupSession.objects.select_related("group").defer(*calendar.SESSION_PRIVATE_FIELDS),
        pk=pk)
    program = program_for(request.user, session.group.program_id)
    if not Group.objects.visible_to(request.user, program).filter(pk=session.group_id).exists():
        raise Http404
    session.group.program = program
    return _download(calendar.session_entry(session, with_link=True),
                     slugify(session.title) or "session")


@login_required
@require_safe
def window_ics(request, pk):
    window = get_object_or_404(ObservationWindow, pk=pk)
    window.program = program_for(request.user, window.program_id)
    name = slugify(_("Observation window %(name)s") % {"name": window.name})
    return _download(calendar.window_entry(window), name or "observation-window")


def session_panel(request, session):
    """An "Add to my calendar" link on a group session's page; no queries."""
    return render_to_string("pairing/calendar/session_panel.html", {"session": session})
