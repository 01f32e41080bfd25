"""The journal: a person's reflections, entries shared with them, writing from a prompt,
replies. Every list, search and export starts from `Reflection.objects.visible_to` or the
reader's own entries, so a private entry reaches nobody but its author. Lists of other
people's entries show no body; opening one is written to the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import record_read
from mentorship.exports import csv_response
from mentorship.shortcuts import add_service_error, invalid, require_perm
from pairing.models import CheckIn
from programs.models import GroupSession, Participant, Program

from .. import services
from ..extensions import links_for, reflection_links
from ..forms import ReflectionForm, ReplyForm, add_link_choices
from ..models import Goal, PromptSchedule, Reflection, ReflectionPrompt
from ..permissions import paired_with, pairings_with

PAGE_SIZE = 20
CONFIDENCE_POINTS = 20
SHOWN_CHOICES = 10


def reflection_for(user, pk):
    return get_object_or_404(Reflection.objects.visible_to(user).select_related(
        "author", "program", "prompt", "goal__participant__program", "checkin", "session"),
        pk=pk)


def writable_programs(user):
    return (Program.objects.in_district_of(user)
            .filter(participants__user=user, participants__status=Participant.Status.ACTIVE,
                    status__in=[Program.Status.ENROLLING, Program.Status.RUNNING])
            .distinct().order_by("name"))


def confidence_chart(user):
    """The reader's own confidence over their latest rated entries: their own figures."""
    rows = list(Reflection.objects.of_user(user).filter(confidence__isnull=False)
                .order_by("-created_at", "-pk").values_list("created_at", "confidence")
                [:CONFIDENCE_POINTS])
    if len(rows) < 2:
        return None
    rows.reverse()
    return {"id": "my-confidence", "title": _("My confidence, entry by entry"),
            "kind": "line",
            "labels": [timezone.localtime(at).date().isoformat() for at, _ in rows],
            "series": [{"label": _("Confidence"), "values": [value for _, value in rows]}],
            "y_min": 1, "y_max": 5,
            "y_ticks": {1: _("not yet"), 3: _("getting there"), 5: _("very confident")}}


@login_required
def reflection_list(request):
    user = request.user
    show = request.GET.get("show", "mine")
    # A NUL character cannot be searched for (nor stored): it is left out of the words.
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:200]
    if show == "shared":
        entries = Reflection.objects.visible_to(user).exclude(author_id=user.pk)
    else:
        show = "mine"
        entries = Reflection.objects.of_user(user)
    if query:
        entries = entries.filter(Q(body__icontains=query) | Q(prompt__text__icontains=query))
    entries = (entries.select_related("author", "program", "prompt", "goal")
               .annotate(reply_count=Count("replies")).order_by("-created_at", "-pk"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    link_map = links_for(reflection_links, page.object_list, user)
    for entry in page.object_list:
        entry.links = link_map.get(entry.pk, [])
    return render(request, "goals/reflection_list.html", {
        "page": page, "show": show, "query": query,
        "due": PromptSchedule.objects.due_for(user, timezone.localdate()),
        "chart": confidence_chart(user) if show == "mine" else None})


def latest(queryset, order):
    """The latest few rows of `queryset`, as a queryset a form field can still check a
    choice against."""
    newest = queryset.order_by(order, "-pk").values("pk")[:SHOWN_CHOICES]
    return queryset.model.objects.filter(pk__in=newest).order_by(order, "-pk")


def _linked(request, model_qs, name):
    pk = request.POST.get(name) or request.GET.get(name)
    if not pk:
        return None
    try:
        return get_object_or_404(model_qs, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def reflection_create(request):
    user = request.user
    programs = list(writable_programs(user))
    if not programs:
        raise Http404
    chosen = request.POST.get("program") or request.GET.get("program")
    try:
        program = next(p for p in programs if str(p.pk) == str(chosen)) if chosen else (
            programs[0])
    except StopIteration:
        raise Http404 from None
    prompt = _linked(request, ReflectionPrompt.objects.for_program(program), "prompt")
    goal = _linked(request, Goal.objects.visible_to(user).filter(
        participant__program=program), "goal")
    checkin = _linked(request, CheckIn.objects.of_user(user).filter(
        pairing__program=program), "checkin")
    session = _linked(request, GroupSession.objects.filter(
        group__program=program, group__memberships__participant__user=user).distinct(),
        "session")
    cancelled_session = None
    if session is not None and session.cancelled_at is not None:
        # A link from before the session was cancelled: the entry is not tied to it.
        cancelled_session, session = session, None
    form = ReflectionForm(request.POST or None)
    # What the entry is about, when the page it was started from did not say.
    add_link_choices(
        form,
        goals=None if goal else latest(Goal.objects.of_user(user).current().filter(
            participant__program=program), "-created_at"),
        checkins=None if checkin else latest(CheckIn.objects.of_user(user).filter(
            pairing__program=program, status=CheckIn.Status.HELD), "-scheduled_at"),
        sessions=None if session else latest(GroupSession.objects.scheduled().filter(
            group__program=program, group__memberships__participant__user=user,
            starts_at__lte=timezone.now()), "-starts_at"))
    context = {"form": form, "program": program, "programs": programs, "prompt": prompt,
               "goal": goal, "checkin": checkin, "session": session,
               "cancelled_session": cancelled_session}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            goal = goal or data.get("about_goal")
            checkin = checkin or data.get("about_checkin")
            session = session or data.get("about_session")
            try:
                entry = services.write_reflection(
                    user, program=program, body=data["body"], prompt=prompt,
                    confidence=data["confidence"], visibility=data["visibility"], goal=goal,
                    checkin=checkin, session=session)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your reflection is saved."))
                return redirect("goals:reflection-detail", entry.pk)
        return invalid(request, "goals/reflection_form.html", context)
    return render(request, "goals/reflection_form.html", context)


def _detail_context(request, entry, reply_form=None):
    user = request.user
    replies = list(entry.replies.select_related("author"))
    if (entry.author_id != user.pk and entry.visibility == Reflection.Visibility.MENTOR
            and not paired_with(user, entry.program_id, entry.author_id)):
        # A past partner: the thread as it was when the pairing ended.
        ended = [span.ended_on for span in pairings_with(user, entry.program_id,
                                                          entry.author_id)
                 if span.ended_on is not None]
        replies = [reply for reply in replies if ended
                   and timezone.localtime(reply.created_at).date() < max(ended)]
    can_reply = user.has_perm("goals.reply_reflection", entry) or (
        entry.author_id == user.pk and bool(replies)
        and services.has_open_pairing(user, entry.program))
    # A linked goal is named only to those who may read it (a group member may not).
    goal = entry.goal if entry.goal and user.has_perm("goals.view_goal", entry.goal) else None
    return {"entry": entry, "replies": replies, "can_reply": can_reply, "goal": goal,
            "is_author": entry.author_id == user.pk,
            "links": links_for(reflection_links, [entry], user).get(entry.pk, []),
            "reply_form": reply_form or ReplyForm()}


@login_required
def reflection_detail(request, pk):
    entry = reflection_for(request.user, pk)
    if entry.author_id != request.user.pk:
        record_read(request.user, entry, owner=entry.author)
    return render(request, "goals/reflection_detail.html", _detail_context(request, entry))


@login_required
def reflection_edit(request, pk):
    entry = reflection_for(request.user, pk)
    require_perm(request.user, "goals.change_reflection", entry)
    form = ReflectionForm(request.POST or None, initial={
        "body": entry.body, "confidence": entry.confidence, "visibility": entry.visibility})
    context = {"form": form, "entry": entry, "program": entry.program, "editing": True,
               "prompt": entry.prompt, "goal": entry.goal, "checkin": entry.checkin,
               "session": entry.session}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_reflection(reflection=entry, changed_by=request.user,
                                           body=data["body"], confidence=data["confidence"],
                                           visibility=data["visibility"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your reflection is saved."))
                return redirect("goals:reflection-detail", entry.pk)
        return invalid(request, "goals/reflection_form.html", context)
    return render(request, "goals/reflection_form.html", context)


@login_required
@require_POST
def reflection_reply(request, pk):
    entry = reflection_for(request.user, pk)
    context = _detail_context(request, entry)
    if not context["can_reply"]:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_reflection(reflection=entry, author=request.user,
                                         body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect("goals:reflection-detail", entry.pk)
    return invalid(request, "goals/reflection_detail.html",
                   _detail_context(request, entry, reply_form=form))


@login_required
def reflection_export(request):
    """The reader's own journal as CSV: nobody exports anyone else's entries."""
    entries = (Reflection.objects.of_user(request.user)
               .select_related("program", "prompt", "goal").order_by("created_at", "pk"))
    labels = dict(Reflection.Visibility.choices)
    rows = ([timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"), e.program.name,
             e.prompt.text if e.prompt else "", e.confidence, str(labels[e.visibility]),
             e.goal.title if e.goal else "", e.body] for e in entries.iterator())
    return csv_response(_("my-journal"), [_("Written"), _("Program"), _("Prompt"),
                                          _("Confidence"), _("Who can read it"), _("Goal"),
                                          _("Reflection")], rows)
