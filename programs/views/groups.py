"""Groups (learning teams, cohorts, peer teams), their sessions, and the team hub.

A group is seen by its active members and by those who manage the program; to anyone else
it, its sessions and its posts do not exist (404)."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm

from ..extensions import render_session_panels
from ..forms.groups import (
    GroupForm,
    HubEditForm,
    HubPostForm,
    HubReplyForm,
    SessionCancelForm,
    SessionForm,
    SessionRecordForm,
)
from ..models import Attendance, Group, GroupMembership, GroupSession, HubPost
from ..services import groups as services
from .common import group_for, program_for

GROUPS_PER_PAGE = 25
SESSIONS_PER_PAGE = 10
UPCOMING_SHOWN = 10
THREADS_PER_PAGE = 10


def group_in(request, program_pk, pk):
    program = program_for(request.user, program_pk)
    group = group_for(request.user, program, pk)
    group.program = program  # one program object, so roles are read once per request
    return program, group


def session_in(request, program_pk, pk):
    program = program_for(request.user, program_pk)
    session = get_object_or_404(
        GroupSession.objects.select_related("group", "created_by")
        .filter(group__in=Group.objects.visible_to(request.user, program)), pk=pk)
    session.group.program = program
    return program, session


def hub_post_in(request, program_pk, pk):
    """A post of a hub this person may post in."""
    program = program_for(request.user, program_pk)
    if not program.has_hub:
        raise Http404
    post = get_object_or_404(
        HubPost.objects.select_related("group", "author", "parent")
        .filter(group__in=Group.objects.visible_to(request.user, program)), pk=pk)
    post.group.program = program
    require_perm(request.user, "programs.post_in_hub", post.group)
    return program, post


# Groups

@login_required
def group_list(request, program_pk):
    program = program_for(request.user, program_pk)
    now = timezone.now()
    members = GroupMembership.objects.filter(group=OuterRef("pk")).order_by().values("group")
    groups = (
        Group.objects.filter(pk__in=Group.objects.visible_to(request.user, program).values("pk"))
        .annotate(
            member_count=Subquery(members.annotate(n=Count("pk")).values("n")),
            next_session_at=Min("sessions__starts_at", filter=Q(
                sessions__starts_at__gte=now, sessions__cancelled_at__isnull=True)),
        )
        .prefetch_related(Prefetch(
            "memberships", to_attr="leads",
            queryset=GroupMembership.objects.filter(is_lead=True)
            .select_related("participant__user")))
        .order_by("name", "pk")
    )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/groups/group_list.html", {"program": program, "page": page})


def _group_form_context(program, form, group=None):
    return {"program": program, "form": form, "group": group}


@login_required
def group_create(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "programs.manage_program", program)
    form = GroupForm(request.POST or None, program=program)
    if request.method == "POST":
        if form.is_valid():
            try:
                group = services.create_group(program=program, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The group %(name)s is created.")
                                 % {"name": group.name})
                return redirect("programs:group-detail", program.pk, group.pk)
        return invalid(request, "programs/groups/group_form.html",
                       _group_form_context(program, form))
    return render(request, "programs/groups/group_form.html", _group_form_context(program, form))


@login_required
def group_edit(request, program_pk, pk):
    program, group = group_in(request, program_pk, pk)
    require_perm(request.user, "programs.manage_program", program)
    form = GroupForm(request.POST or None, instance=group, program=program)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_group(group=group, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The group is saved."))
                return redirect("programs:group-detail", program.pk, group.pk)
        return invalid(request, "programs/groups/group_form.html",
                       _group_form_context(program, form, group))
    return render(request, "programs/groups/group_form.html",
                  _group_form_context(program, form, group))


@login_required
def group_detail(request, program_pk, pk):
    program, group = group_in(request, program_pk, pk)
    now = timezone.now()
    memberships = list(group.memberships.select_related("participant__user", "participant__school"))
    sessions = group.sessions.order_by()
    upcoming = list(sessions.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING_SHOWN])
    past = Paginator(sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
                     .annotate(present=Count("attendance", filter=Q(
                         attendance__status=Attendance.Status.PRESENT))),
                     SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/groups/group_detail.html", {
        "program": program, "group": group,
        "focus_areas": list(group.focus_areas.all()),
        "leads": [m for m in memberships if m.is_lead],
        "members": [m for m in memberships if not m.is_lead],
        "upcoming": upcoming, "page": past,
    })


# Sessions

@login_required
def session_create(request, program_pk, pk):
    program, group = group_in(request, program_pk, pk)
    require_perm(request.user, "programs.run_group", group)
    form = SessionForm(request.POST or None)
    context = {"program": program, "group": group, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.schedule_session(group=group, created_by=request.user,
                                                    **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect("programs:session-detail", program.pk, session.pk)
        return invalid(request, "programs/groups/session_form.html", context)
    return render(request, "programs/groups/session_form.html", context)


@login_required
def session_detail(request, program_pk, pk):
    program, session = session_in(request, program_pk, pk)
    recorded = {a.participant_id: a for a in session.attendance.all()}
    people = list(services.attendees(session))
    return render(request, "programs/groups/session_detail.html", {
        "program": program, "group": session.group, "session": session,
        "attendance": [(p, recorded.get(p.pk)) for p in people],
        "present": sum(1 for a in recorded.values()
                       if a.status == Attendance.Status.PRESENT),
        "panels": render_session_panels(request, session),
    })


@login_required
def session_edit(request, program_pk, pk):
    program, session = session_in(request, program_pk, pk)
    require_perm(request.user, "programs.run_group", session.group)
    # The form works on a copy, so the page keeps the saved title while showing errors.
    form = SessionForm(request.POST or None, instance=copy(session))
    context = {"program": program, "group": session.group, "session": session, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_session(session=session, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The session is saved."))
                return redirect("programs:session-detail", program.pk, session.pk)
        return invalid(request, "programs/groups/session_form.html", context)
    return render(request, "programs/groups/session_form.html", context)


@login_required
def session_cancel(request, program_pk, pk):
    program, session = session_in(request, program_pk, pk)
    require_perm(request.user, "programs.run_group", session.group)
    form = SessionCancelForm(request.POST or None)
    context = {"program": program, "group": session.group, "session": session, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cancel_session(session=session, by=request.user,
                                        reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The session is cancelled. The group no longer "
                                            "gets a reminder for it."))
                return redirect("programs:session-detail", program.pk, session.pk)
        return invalid(request, "programs/groups/session_cancel.html", context)
    return render(request, "programs/groups/session_cancel.html", context)


@login_required
@require_POST
def session_restore(request, program_pk, pk):
    program, session = session_in(request, program_pk, pk)
    require_perm(request.user, "programs.run_group", session.group)
    try:
        services.restore_session(session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The session is on again."))
    return redirect("programs:session-detail", program.pk, session.pk)


@login_required
def session_record(request, program_pk, pk):
    program, session = session_in(request, program_pk, pk)
    require_perm(request.user, "programs.run_group", session.group)
    recorded = dict(session.attendance.values_list("participant_id", "status"))
    form = SessionRecordForm(request.POST or None, session=session,
                             attendees=services.attendees(session), recorded=recorded)
    context = {"program": program, "group": session.group, "session": session, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_session(
                    session=session, attendance=form.attendance(),
                    **{f: form.cleaned_data[f] for f in
                       ("opening_whats_working", "notes", "closing_whats_working")})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Notes and attendance are saved."))
                return redirect("programs:session-detail", program.pk, session.pk)
        return invalid(request, "programs/groups/session_record.html", context)
    return render(request, "programs/groups/session_record.html", context)


# The team hub

def _threads(group):
    replies = HubPost.objects.select_related("author").order_by("created_at", "pk")
    return (group.posts.filter(parent__isnull=True).select_related("author")
            .prefetch_related(Prefetch("replies", queryset=replies))
            .order_by("-created_at", "-pk"))


def _hub_context(request, program, group, form=None):
    page = Paginator(_threads(group), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    for thread in page.object_list:
        thread.reply_form = HubReplyForm(post=thread)
    return {"program": program, "group": group, "page": page, "form": form or HubPostForm()}


def _hub_group(request, program_pk, pk):
    program, group = group_in(request, program_pk, pk)
    if not program.has_hub:
        raise Http404
    require_perm(request.user, "programs.post_in_hub", group)
    return program, group


@login_required
def hub(request, program_pk, pk):
    program, group = _hub_group(request, program_pk, pk)
    return render(request, "programs/groups/hub.html", _hub_context(request, program, group))


@login_required
@require_POST
def hub_post(request, program_pk, pk):
    program, group = _hub_group(request, program_pk, pk)
    form = HubPostForm(request.POST)
    if form.is_valid():
        try:
            post = services.start_thread(group=group, author=request.user,
                                         body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your post is in the hub."))
            return redirect(_post_url(program, post))
    return invalid(request, "programs/groups/hub.html",
                   _hub_context(request, program, group, form=form))


def _post_url(program, post):
    return f"{reverse('programs:hub', args=[program.pk, post.group_id])}#post-{post.pk}"


def _thread_for(post):
    """The thread as the hub shows it, with its replies, after a change."""
    return _threads(post.group).get(pk=post.parent_id or post.pk)


@login_required
@require_POST
def hub_reply(request, program_pk, pk):
    program, post = hub_post_in(request, program_pk, pk)
    form = HubReplyForm(request.POST, post=post.parent or post)
    reply = None
    if form.is_valid():
        try:
            reply = services.reply_to_post(post=post, author=request.user,
                                           body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        # The thread is swapped in place: with the new reply and an empty form, or with the
        # form's error (status 400, which app.js lets htmx swap for data-swap-errors forms).
        thread = _thread_for(post)
        if reply is None:
            # Focus returns to the field to correct once htmx has swapped the thread in.
            form.fields["body"].widget.attrs["data-focus-after-swap"] = ""
        return render(request, "programs/groups/includes/thread.html", {
            "program": program, "group": post.group, "thread": thread,
            "reply_form": HubReplyForm(post=thread) if reply else form,
            "new_reply": reply,
        }, status=200 if reply else 400)
    if reply is None:
        thread = _thread_for(post)
        return invalid(request, "programs/groups/hub_reply.html", {
            "program": program, "group": post.group, "thread": thread, "form": form})
    messages.success(request, _("Your reply is posted."))
    return redirect(_post_url(program, reply))


@login_required
def hub_edit(request, program_pk, pk):
    program, post = hub_post_in(request, program_pk, pk)
    if post.author_id != request.user.pk or post.removed_at is not None:
        raise Http404
    form = HubEditForm(request.POST or None, initial={"body": post.body})
    context = {"program": program, "group": post.group, "post": post, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit_post(post=post, editor=request.user,
                                   body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your post is updated."))
                return redirect(_post_url(program, post))
        return invalid(request, "programs/groups/hub_edit.html", context)
    return render(request, "programs/groups/hub_edit.html", context)


@login_required
@require_POST
def hub_remove(request, program_pk, pk):
    program, post = hub_post_in(request, program_pk, pk)
    if post.author_id != request.user.pk:
        raise Http404
    if services.remove_post(post=post, remover=request.user):
        messages.success(request, _("Your post is removed."))
    return redirect(_post_url(program, post))
