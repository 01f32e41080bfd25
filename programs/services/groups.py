"""Writes with rules for groups, their sessions and attendance, and the team hub.

Every function here is keyword-only, runs in one transaction and raises ValidationError
keyed by the form field a person would correct.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..calendar import check_day
from ..models import Attendance, Group, GroupMembership, GroupSession, HubPost, Participant, Program

SESSION_DETAILS = ["kind", "title", "starts_at", "duration_minutes", "location", "video_url",
                   "agenda"]
# What a session's calendar event carries: a change to any of these is a new version of it.
SESSION_EVENT_DETAILS = ["kind", "title", "starts_at", "duration_minutes", "location",
                         "video_url"]


# Groups and their membership

def _check_group(program: Program, *, name: str, focus_areas, leads, members, group=None):
    # The program's row is locked until the write commits, so a double submit or two
    # coordinators editing at once are checked one after the other, never half-written.
    Program.objects.select_for_update().filter(pk=program.pk).exists()
    errors = {}
    others = Group.objects.filter(program=program, name__iexact=name.strip())
    if group is not None:
        others = others.exclude(pk=group.pk)
    if others.exists():
        errors["name"] = _("This program already has a group with this name.")
    if any(area.district_id != program.district_id for area in focus_areas):
        errors["focus_areas"] = _("Choose focus areas of this program's district.")
    chosen = list(leads) + list(members)
    if any(p.program_id != program.pk or p.status != Participant.Status.ACTIVE for p in chosen):
        errors["members"] = _("Only active participants of this program can join a group.")
    else:
        twice = Counter(p.user_id for p in {p.pk: p for p in chosen}.values())
        doubled = sorted({p.user.display_name for p in chosen if twice[p.user_id] > 1})
        if doubled:
            errors["members"] = _("%(names)s chosen in two roles: choose each person once.") % {
                "names": ", ".join(doubled)}
    if errors:
        raise ValidationError(errors)


def _set_members(group: Group, leads: Iterable[Participant], members: Iterable[Participant]):
    """Leads are members too; whoever is in neither list leaves the group (their attendance
    at past sessions stays)."""
    wanted = {p.pk: True for p in leads}
    for participant in members:
        wanted.setdefault(participant.pk, False)
    existing = {m.participant_id: m for m in group.memberships.all()}
    group.memberships.exclude(participant_id__in=wanted).delete()
    for participant_id, is_lead in wanted.items():
        membership = existing.get(participant_id)
        if membership is None:
            GroupMembership.objects.create(group=group, participant_id=participant_id,
                                           is_lead=is_lead)
        elif membership.is_lead != is_lead:
            membership.is_lead = is_lead
            membership.save(update_fields=["is_lead"])


@transaction.atomic
def create_group(*, program: Program, name: str, kind: str, focus: str = "",
                 focus_areas=(), leads=(), members=()) -> Group:
    """Create a group of the program's active participants; leads are members who lead."""
    _check_group(program, name=name, focus_areas=focus_areas, leads=leads, members=members)
    group = Group.objects.create(program=program, name=name.strip(), kind=kind, focus=focus)
    group.focus_areas.set(focus_areas)
    _set_members(group, leads, members)
    return group


@transaction.atomic
def update_group(*, group: Group, name: str, kind: str, focus: str = "", focus_areas=(),
                 leads=(), members=()) -> Group:
    """Change a group's details and membership to exactly what is given."""
    _check_group(group.program, name=name, focus_areas=focus_areas, leads=leads,
                 members=members, group=group)
    group.name, group.kind, group.focus = name.strip(), kind, focus
    group.save(update_fields=["name", "kind", "focus"])
    group.focus_areas.set(focus_areas)
    _set_members(group, leads, members)
    return group


# Sessions and attendance

def check_session_time(program: Program, starts_at: datetime) -> None:
    """A session happens inside the program's dates and never on a blackout day; the day is
    the district's local day."""
    day = timezone.localtime(starts_at, ZoneInfo(program.district.time_zone)).date()
    check_day(program, day, "starts_at")


@transaction.atomic
def schedule_session(*, group: Group, created_by, kind: str, title: str, starts_at: datetime,
                     duration_minutes: int = 60, location: str = "", video_url: str = "",
                     agenda: str = "") -> GroupSession:
    """Schedule a session of the group on a day the program's calendar allows."""
    check_session_time(group.program, starts_at)
    session = GroupSession(group=group, created_by=created_by, kind=kind, title=title,
                           starts_at=starts_at, duration_minutes=duration_minutes,
                           location=location, video_url=video_url, agenda=agenda)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def update_session(*, session: GroupSession, **details) -> GroupSession:
    """Change when, where and what a session is; a new time is checked against the calendar
    (a session that stays on its day is not refused for a blackout added later). A change
    to what its calendar event carries bumps the sequence, so calendars replace the event;
    saving without a change writes nothing."""
    unknown = set(details) - set(SESSION_DETAILS)
    if unknown:
        raise TypeError(f"not session details: {sorted(unknown)}")
    before = GroupSession.objects.select_for_update().get(pk=session.pk)
    if "starts_at" in details and details["starts_at"] != before.starts_at:
        check_session_time(session.group.program, details["starts_at"])
    changed = [field for field, value in details.items() if value != getattr(before, field)]
    for field, value in details.items():
        setattr(session, field, value)
    session.sequence, session.updated_at = before.sequence, before.updated_at
    if not changed:
        return session
    session.full_clean()
    if set(changed) & set(SESSION_EVENT_DETAILS):
        session.sequence += 1
        changed.append("sequence")
    session.save(update_fields=[*changed, "updated_at"])
    return session


@transaction.atomic
def cancel_session(*, session: GroupSession, by, reason: str = "") -> GroupSession:
    """Call a session off before it starts, with an optional reason. It stays on the group's
    page, marked cancelled; reminders and calendars leave it out (its calendar event is a
    new version). A session with attendance recorded already is not cancelled: that record
    would count people absent from a session that never was."""
    before = GroupSession.objects.select_for_update().get(pk=session.pk)
    if before.cancelled_at is not None:
        raise ValidationError(_("This session is cancelled already."))
    if before.starts_at <= timezone.now():
        raise ValidationError(_("This session has started, so it can no longer be cancelled."))
    if Attendance.objects.filter(session=session).exists():
        raise ValidationError(_("Attendance is recorded for this session. Clear it under "
                                "“Record notes and attendance” before cancelling."))
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason to 300 characters.")})
    session.cancelled_at, session.cancelled_by, session.cancellation_reason = (
        timezone.now(), by, reason)
    session.sequence = before.sequence + 1
    session.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason",
                                "sequence", "updated_at"])
    return session


@transaction.atomic
def restore_session(*, session: GroupSession) -> GroupSession:
    """Undo a cancellation, as long as the session has not started: it is on again."""
    before = GroupSession.objects.select_for_update().get(pk=session.pk)
    if before.cancelled_at is None:
        raise ValidationError(_("This session is not cancelled."))
    if before.starts_at <= timezone.now():
        raise ValidationError(_("This session’s time has passed, so its cancellation "
                                "stands. Schedule a new session instead."))
    session.cancelled_at, session.cancelled_by, session.cancellation_reason = None, None, ""
    session.sequence = before.sequence + 1
    session.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason",
                                "sequence", "updated_at"])
    return session


def attendees(session: GroupSession):
    """Who attendance is taken for: the group's members, and anyone already recorded for
    this session (a person who has since left the group keeps their record)."""
    return (Participant.objects.filter(Q(memberships__group_id=session.group_id)
                                       | Q(attendance__session=session))
            .distinct().select_related("user").order_by("user__display_name", "pk"))


@transaction.atomic
def record_session(*, session: GroupSession, opening_whats_working: str = "", notes: str = "",
                   closing_whats_working: str = "",
                   attendance: Mapping[int, str] | None = None) -> GroupSession:
    """Save a session's notes and attendance. `attendance` maps participant ids to a status;
    an empty status clears what was recorded. Only the group's people can be recorded, and
    a cancelled session takes no attendance."""
    if GroupSession.objects.cancelled().filter(pk=session.pk).exists():
        raise ValidationError(_("This session is cancelled, so it takes no notes or "
                                "attendance."))
    session.opening_whats_working = opening_whats_working
    session.notes = notes
    session.closing_whats_working = closing_whats_working
    session.save(update_fields=["opening_whats_working", "notes", "closing_whats_working"])
    attendance = attendance or {}
    allowed = set(attendees(session).values_list("pk", flat=True))
    if set(attendance) - allowed:
        raise ValidationError(_("Attendance can only be recorded for the group's members."))
    if any(s and s not in Attendance.Status.values for s in attendance.values()):
        raise ValidationError(_("Choose present, absent or excused."))
    cleared = [pk for pk, status in attendance.items() if not status]
    Attendance.objects.filter(session=session, participant_id__in=cleared).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, participant_id=pk, status=status)
         for pk, status in attendance.items() if status],
        update_conflicts=True, unique_fields=["session", "participant"],
        update_fields=["status"],
    )
    return session


# The team hub

def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    return body


def start_thread(*, group: Group, author, body: str) -> HubPost:
    """A new post at the top of the group's hub."""
    return HubPost.objects.create(group=group, author=author, body=_clean_body(body))


def reply_to_post(*, post: HubPost, author, body: str) -> HubPost:
    """A reply joins the post's thread (replies to a reply join the same thread); a removed
    post takes no new replies."""
    thread = post.parent or post
    if HubPost.objects.filter(pk=thread.pk, removed_at__isnull=False).exists():
        raise ValidationError({"body": _("This post was removed, so it takes no replies.")})
    return HubPost.objects.create(group=thread.group, parent=thread, author=author,
                                  body=_clean_body(body))


@transaction.atomic
def edit_post(*, post: HubPost, editor, body: str) -> HubPost:
    """Only the author changes their post, and not once it is removed; the edit is dated."""
    post = HubPost.objects.select_for_update().get(pk=post.pk)
    if post.author_id != editor.pk:
        raise PermissionDenied
    if post.removed_at is not None:
        raise ValidationError({"body": _("This post was removed and can no longer be edited.")})
    body = _clean_body(body)
    if body != post.body:
        post.body, post.edited_at = body, timezone.now()
        post.save(update_fields=["body", "edited_at"])
    return post


def remove_post(*, post: HubPost, remover) -> bool:
    """The author takes their post down: it shows as removed and its text is kept, so
    replies keep their place. Returns False when it was already removed."""
    if post.author_id != remover.pk:
        raise PermissionDenied
    now = timezone.now()
    if not HubPost.objects.filter(pk=post.pk, removed_at__isnull=True).update(removed_at=now):
        return False
    post.removed_at = now
    return True
