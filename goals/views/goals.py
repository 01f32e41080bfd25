"""A person's goals: the list, writing one with the SMART check beside it, its page with
progress, action steps and comments, and its changes of state. Goals are found through
`Goal.objects.visible_to` (the owner, their partner, the program's coordinators); anyone
else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import record_read
from mentorship.shortcuts import add_service_error, invalid, require_perm
from pairing.models import NextStep
from programs.models import Participant, Program

from .. import services
from ..extensions import action_step_links, links_for, render_goal_panels
from ..forms import (
    AchieveForm,
    ActionStepForm,
    CommentForm,
    DropForm,
    GoalForm,
    NextStepToGoalForm,
    ProgressForm,
)
from ..models import GOAL_OWNER_ROLES, ActionStep, ExampleGoal, Goal, ProgressEntry, partners_of
from ..permissions import paired_with
from ..smart import check_goal

PAGE_SIZE = 20
GOAL_RELATED = ["participant__program__district", "participant__user", "focus_area"]


def goal_for(user, pk):
    return get_object_or_404(Goal.objects.visible_to(user).select_related(*GOAL_RELATED),
                             pk=pk)


def to_current_version(request, goal):
    """A form sent from an earlier version of a goal (a page left open while the goal was
    revised) is not saved; the person is sent to the current version with a message."""
    if goal.state != Goal.State.REVISED:
        return None
    later = dict(Goal.objects.filter(participant_id=goal.participant_id,
                                     revises__isnull=False).values_list("revises_id", "pk"))
    current, seen = goal.pk, 0
    while current in later and seen < 100:
        current, seen = later[current], seen + 1
    if current == goal.pk or not Goal.objects.visible_to(request.user).filter(
            pk=current).exists():
        raise Http404
    messages.warning(request, _("This goal has been revised since the page was opened, so "
                                "nothing was saved. This is its current version."))
    return redirect("goals:goal-detail", current)


def with_latest_value(goals, reader=None):
    """Each goal's latest value and open steps; with a `reader`, of what they may read (a
    past partner, what was written before the pairing ended)."""
    entries, steps = ProgressEntry.objects.all(), ActionStep.objects.open()
    if reader is not None:
        entries, steps = entries.visible_to(reader), steps.visible_to(reader)
    latest = entries.filter(goal=OuterRef("pk")).order_by("-recorded_on", "-pk")
    open_steps = (steps.filter(goal=OuterRef("pk")).order_by().values("goal")
                  .annotate(n=Count("pk")).values("n"))
    return goals.annotate(latest_value=Subquery(latest.values("value")[:1]),
                          open_steps=Coalesce(Subquery(open_steps), 0))


@login_required
def goal_list(request):
    """The reader's own goals and, for a mentor, their mentees' goals; current versions,
    filtered by state."""
    user = request.user
    mine = Goal.objects.of_user(user)
    as_mentor, as_mentee = partners_of(user)
    theirs = Goal.objects.visible_to(user).filter(
        Q(participant__in=as_mentor) | Q(participant__in=as_mentee)).exclude(
        participant__user=user)
    whose = request.GET.get("whose")
    if whose not in ("mine", "mentees"):
        whose = "mine" if mine.exists() or not theirs.exists() else "mentees"
    goals = mine if whose == "mine" else theirs
    state = request.GET.get("state", "current")
    if state in Goal.State.values:
        goals = goals.filter(state=state)
    else:
        state = "current"
        goals = goals.current()
    goals = with_latest_value(goals.select_related(*GOAL_RELATED), reader=user).order_by(
        "participant__program__name", "due_on", "pk")
    page = Paginator(goals, PAGE_SIZE).get_page(request.GET.get("page"))
    programs = (Program.objects.filter(
        participants__user=user, participants__role__in=GOAL_OWNER_ROLES,
        participants__status=Participant.Status.ACTIVE,
        status__in=[Program.Status.ENROLLING, Program.Status.RUNNING])
        .distinct().order_by("name"))
    return render(request, "goals/goal_list.html", {
        "page": page, "whose": whose, "state": state, "states": Goal.State.choices,
        "programs": programs, "today": timezone.localdate()})


def _program_to_set_goals_in(request):
    pk = request.POST.get("program") or request.GET.get("program")
    programs = Program.objects.visible_to(request.user).select_related("district")
    if pk is None:
        mine = list(programs.filter(
            participants__user=request.user, participants__role__in=GOAL_OWNER_ROLES,
            participants__status=Participant.Status.ACTIVE).distinct()[:2])
        if len(mine) != 1:
            raise Http404
        program = mine[0]
    else:
        try:
            program = get_object_or_404(programs, pk=int(pk))
        except (TypeError, ValueError):
            raise Http404 from None
    require_perm(request.user, "goals.create_goal", program)
    return program


def _smart_context(form, program, goal=None):
    """The SMART check of what the form holds now; a field with an error counts as empty."""
    names = ("specific", "measure", "baseline", "target", "relevance", "due_on")
    if form.is_bound:
        read = {}
        for name in names:
            try:
                read[name] = form.fields[name].clean(form[name].data)
            except ValidationError:
                read[name] = None
    else:
        read = {name: form.initial.get(name) for name in names}
    for name in ("specific", "measure", "relevance"):
        read[name] = read[name] or ""
    return check_goal(**read, action_steps=goal.action_steps.count() if goal else 0,
                      program_starts_on=program.starts_on, program_ends_on=program.ends_on,
                      today=timezone.localdate())


def _example_initial(request, program):
    pk = request.GET.get("example")
    if not pk:
        return {}, None
    try:
        example = ExampleGoal.objects.get(pk=int(pk), program=program, published=True)
    except (ValueError, ExampleGoal.DoesNotExist):
        return {}, None
    return {name: getattr(example, name) for name in
            ("focus_area", "specific", "measure", "baseline", "target", "unit",
             "relevance")}, example


@login_required
def goal_create(request):
    program = _program_to_set_goals_in(request)
    participant = program.participants.filter(
        user=request.user, role__in=GOAL_OWNER_ROLES,
        status=Participant.Status.ACTIVE).order_by("role").first()
    initial, example = _example_initial(request, program)
    form = GoalForm(request.POST or None, program=program, initial=initial)
    examples = ExampleGoal.objects.filter(program=program, published=True).select_related(
        "focus_area")[:10]
    context = {"form": form, "program": program, "examples": examples, "example": example}
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.create_goal(participant=participant, created_by=request.user,
                                            activate=request.POST.get("activate") == "1",
                                            **form.goal_fields())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your goal is saved as a draft.")
                                 if goal.state == Goal.State.DRAFT
                                 else _("Your goal is saved and active."))
                return redirect("goals:goal-detail", goal.pk)
        context["smart"] = _smart_context(form, program)
        return invalid(request, "goals/goal_form.html", context)
    context["smart"] = _smart_context(form, program)
    return render(request, "goals/goal_form.html", context)


@login_required
@require_POST
def smart_check(request):
    """The SMART check of the goal form as it is being typed (htmx), without saving."""
    goal = None
    if request.POST.get("goal"):
        try:
            goal = goal_for(request.user, int(request.POST["goal"]))
        except ValueError:
            raise Http404 from None
        program = goal.participant.program
    else:
        try:
            program_pk = int(request.POST.get("program") or 0)
        except ValueError:
            raise Http404 from None
        program = get_object_or_404(Program.objects.visible_to(request.user), pk=program_pk)
        if not (request.user.has_perm("goals.create_goal", program)):
            raise Http404
    form = GoalForm(request.POST, program=program)
    form.is_valid()
    return render(request, "goals/includes/smart_check.html",
                  {"smart": _smart_context(form, program, goal)})


def _detail_context(request, goal, **forms):
    user = request.user
    # A past partner reads what was written before the pairing ended, nothing after.
    steps = list(goal.action_steps.visible_to(user).select_related("next_step"))
    progress = list(goal.progress.visible_to(user).select_related("recorded_by"))
    comments = list(goal.comments.visible_to(user).select_related("author"))
    versions = {g.pk: g for g in Goal.objects.filter(participant_id=goal.participant_id)
                .only("pk", "revises_id", "specific", "state", "created_at")}
    later = {g.revises_id: g for g in versions.values() if g.revises_id}
    earlier_chain, cursor = [], goal.revises_id
    while cursor and cursor in versions and len(earlier_chain) < 50:
        earlier_chain.append(versions[cursor])
        cursor = versions[cursor].revises_id
    link_map = links_for(action_step_links, steps, user)
    for step in steps:
        step.links = link_map.get(step.pk, [])
    can_work = user.has_perm("goals.work_on_goal", goal)
    return {
        "goal": goal, "program": goal.participant.program, "steps": steps,
        "progress": progress, "comments": comments,
        "earlier_versions": earlier_chain, "later_version": later.get(goal.pk),
        "chart": progress_chart(goal, progress),
        "smart": services.smart_check(goal) if goal.is_open else None,
        "can_work": can_work, "can_decide": user.has_perm("goals.decide_goal", goal),
        "can_comment": user.has_perm("goals.comment_goal", goal),
        "is_owner": goal.participant.user_id == user.pk,
        "progress_form": forms.get("progress_form") or ProgressForm(
            initial={"recorded_on": timezone.localdate()}),
        "step_form": forms.get("step_form") or ActionStepForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "achieve_form": AchieveForm(initial={"celebrate_in_group": goal.celebrate_in_group}),
        "panels": render_goal_panels(request, goal),
        "today": timezone.localdate(),
    }


def progress_chart(goal, progress):
    if not progress:
        return None
    labels = [entry.recorded_on.isoformat() for entry in progress]
    values = [float(entry.value) for entry in progress]
    if goal.baseline is not None:
        labels.insert(0, _("Start"))
        values.insert(0, float(goal.baseline))
    chart = {"id": f"goal-{goal.pk}-progress",
             "title": _("Progress toward the target: %(measure)s") % {"measure": goal.measure},
             "kind": "line", "labels": labels,
             "series": [{"label": goal.unit or _("Value"), "values": values}]}
    numbers = values + ([float(goal.target)] if goal.target is not None else [])
    low, high = min(numbers), max(numbers)
    margin = (high - low) * 0.1 or 1
    chart["y_min"], chart["y_max"] = min(0, low - margin) if low >= 0 else low - margin, \
        high + margin
    if goal.target is not None:
        chart["target"] = float(goal.target)
        chart["target_label"] = _("Target")
    return chart


@login_required
def goal_detail(request, pk):
    goal = goal_for(request.user, pk)
    return render(request, "goals/goal_detail.html", _detail_context(request, goal))


def _detail_with_errors(request, goal, **forms):
    return invalid(request, "goals/goal_detail.html", _detail_context(request, goal, **forms))


@login_required
def goal_edit(request, pk):
    """A draft is changed in place by its owner or their partner."""
    goal = goal_for(request.user, pk)
    require_perm(request.user, "goals.work_on_goal", goal)
    if goal.state != Goal.State.DRAFT:
        messages.info(request, _("An active goal is revised, so its earlier version stays "
                                 "readable."))
        return redirect("goals:goal-detail", goal.pk)
    program = goal.participant.program
    form = GoalForm(request.POST or None, instance=goal, program=program,
                    owner=goal.participant.user_id == request.user.pk)
    context = {"form": form, "program": program, "goal": goal, "editing": True}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_goal(goal=goal, changed_by=request.user, **form.goal_fields())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("goals:goal-detail", goal.pk)
        context["smart"] = _smart_context(form, program, goal)
        return invalid(request, "goals/goal_form.html", context)
    context["smart"] = services.smart_check(goal)
    return render(request, "goals/goal_form.html", context)


@login_required
def goal_revise(request, pk):
    """A new version of an active goal; the old one stays readable, linked to it."""
    goal = goal_for(request.user, pk)
    if sent := to_current_version(request, goal):
        return sent
    require_perm(request.user, "goals.decide_goal", goal)
    if goal.state != Goal.State.ACTIVE:
        messages.info(request, _("Only an active goal is revised."))
        return redirect("goals:goal-detail", goal.pk)
    program = goal.participant.program
    initial = {name: getattr(goal, name) for name in
               ("focus_area", "specific", "measure", "baseline", "target", "unit",
                "relevance", "due_on", "celebrate_in_group")}
    form = GoalForm(request.POST or None, program=program, initial=initial)
    context = {"form": form, "program": program, "goal": goal, "revising": True}
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.revise_goal(goal=goal, revised_by=request.user,
                                           **form.goal_fields())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The goal is revised; the earlier version is "
                                            "kept and linked."))
                return redirect("goals:goal-detail", new.pk)
        context["smart"] = _smart_context(form, program, goal)
        return invalid(request, "goals/goal_form.html", context)
    context["smart"] = services.smart_check(goal)
    return render(request, "goals/goal_form.html", context)


def _state_change(request, goal, action):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("goals:goal-detail", goal.pk)
    return None


@login_required
@require_POST
def goal_activate(request, pk):
    goal = goal_for(request.user, pk)
    require_perm(request.user, "goals.decide_goal", goal)
    answer = _state_change(request, goal, lambda: services.activate_goal(
        goal=goal, activated_by=request.user))
    if answer is None:
        messages.success(request, _("Your goal is active."))
    return answer or redirect("goals:goal-detail", goal.pk)


@login_required
@require_POST
def goal_achieve(request, pk):
    goal = goal_for(request.user, pk)
    if sent := to_current_version(request, goal):
        return sent
    require_perm(request.user, "goals.decide_goal", goal)
    form = AchieveForm(request.POST)
    form.is_valid()
    answer = _state_change(request, goal, lambda: services.achieve_goal(
        goal=goal, achieved_by=request.user,
        celebrate_in_group=form.cleaned_data.get("celebrate_in_group", False)))
    if answer is None:
        messages.success(request, _("Congratulations: your goal is achieved!"))
    return answer or redirect("goals:goal-detail", goal.pk)


@login_required
def goal_drop(request, pk):
    goal = goal_for(request.user, pk)
    if sent := to_current_version(request, goal):
        return sent
    require_perm(request.user, "goals.decide_goal", goal)
    form = DropForm(request.POST or None)
    context = {"form": form, "goal": goal, "program": goal.participant.program}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.drop_goal(goal=goal, dropped_by=request.user,
                                   reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The goal is dropped. It stays in your record."))
                return redirect("goals:goal-detail", goal.pk)
        return invalid(request, "goals/goal_drop.html", context)
    return render(request, "goals/goal_drop.html", context)


@login_required
@require_POST
def progress_add(request, pk):
    goal = goal_for(request.user, pk)
    if sent := to_current_version(request, goal):
        return sent
    require_perm(request.user, "goals.work_on_goal", goal)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_progress(goal=goal, recorded_by=request.user, value=data["value"],
                                     recorded_on=data["recorded_on"], note=data["note"],
                                     evidence=data["evidence"] or None)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(reverse("goals:goal-detail", args=[goal.pk]) + "#progress")
    return _detail_with_errors(request, goal, progress_form=form)


@login_required
def evidence(request, pk):
    """Evidence is served only after the reader is found to see the goal; reads by anyone
    but the owner and their partner are written to the access log."""
    entry = get_object_or_404(ProgressEntry.objects.visible_to(request.user).select_related(
        "goal__participant__user"), pk=pk)
    if not entry.evidence:
        raise Http404
    owner = entry.goal.participant.user
    if owner.pk != request.user.pk and not paired_with(
            request.user, entry.goal.participant.program_id, owner.pk):
        record_read(request.user, entry, owner=owner)
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=entry.evidence_type,
                            as_attachment=not entry.evidence_is_image,
                            filename=entry.evidence_name)
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


@login_required
def evidence_remove(request, pk):
    """Whoever recorded a progress entry removes its evidence file, after confirming,
    while the goal is open; the value and the note stay. Anyone else: not found."""
    entry = get_object_or_404(ProgressEntry.objects.visible_to(request.user).select_related(
        *[f"goal__{name}" for name in GOAL_RELATED]), pk=pk, recorded_by_id=request.user.pk)
    goal = entry.goal
    # The people who work on the goal; a past partner reads it and changes nothing.
    require_perm(request.user, "goals.comment_goal", goal)
    if not entry.evidence:
        raise Http404
    back = reverse("goals:goal-detail", args=[goal.pk]) + "#progress"
    if not goal.is_open:
        messages.info(request, _("The goal is no longer open: its evidence stays as it is."))
        return redirect(back)
    if request.method == "POST":
        try:
            services.remove_evidence(entry=entry, removed_by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(name)s” is removed; the progress entry stays.")
                             % {"name": entry.evidence_name})
        return redirect(back)
    return render(request, "goals/evidence_remove.html",
                  {"entry": entry, "goal": goal, "back": back})


@login_required
@require_POST
def step_add(request, pk):
    goal = goal_for(request.user, pk)
    if sent := to_current_version(request, goal):
        return sent
    require_perm(request.user, "goals.work_on_goal", goal)
    form = ActionStepForm(request.POST)
    if form.is_valid():
        try:
            services.add_action_step(goal, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Action step added."))
            return redirect(reverse("goals:goal-detail", args=[goal.pk]) + "#steps")
    return _detail_with_errors(request, goal, step_form=form)


@login_required
@require_POST
def step_done(request, pk):
    step = get_object_or_404(ActionStep.objects.select_related(
        *[f"goal__{name}" for name in GOAL_RELATED]),
        pk=pk, goal__in=Goal.objects.visible_to(request.user))
    # A step left on an earlier version: its people are told why nothing changes.
    require_perm(request.user, "goals.comment_goal" if step.goal.state == Goal.State.REVISED
                 else "goals.work_on_goal", step.goal)
    try:
        step = services.mark_step_done(step=step, marked_by=request.user,
                                       done=request.POST.get("done") == "1")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    target = request.POST.get("next")
    if target == "home":
        return redirect("home")
    return redirect(reverse("goals:goal-detail", args=[step.goal_id]) + "#steps")


@login_required
@require_POST
def comment_add(request, pk):
    goal = goal_for(request.user, pk)
    if sent := to_current_version(request, goal):
        return sent
    require_perm(request.user, "goals.comment_goal", goal)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_goal(goal=goal, author=request.user,
                                     body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect(reverse("goals:goal-detail", args=[goal.pk]) + "#comments")
    return _detail_with_errors(request, goal, comment_form=form)


@login_required
@require_POST
def next_step_to_goal(request, pk):
    """A check-in's agreed next step becomes an action step of one of the mentee's open
    goals in the program (from the check-in page). Only the pair reaches the step."""
    step = get_object_or_404(NextStep.objects.filter(
        checkin__pairing__in=_pairings_of(request.user)).select_related(
        "checkin__pairing__mentee"), pk=pk)
    pairing = step.checkin.pairing
    goals = Goal.objects.filter(participant_id=pairing.mentee_id,
                                state__in=Goal.OPEN_STATES)
    form = NextStepToGoalForm(request.POST, goals=goals)
    back = reverse("pairing:checkin-detail", args=[step.checkin_id])
    if not form.is_valid():
        messages.error(request, _("Choose one of the goals listed."))
        return redirect(back)
    goal = form.cleaned_data["goal"]
    try:
        services.add_action_step(goal, description=step.description, due_on=step.due_on,
                                 added_by=request.user, origin=ActionStep.Origin.CHECKIN,
                                 next_step=step)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(step)s” is now an action step of the goal.")
                         % {"step": step.description})
    return redirect(back)


def _pairings_of(user):
    from pairing.models import Pairing

    return Pairing.objects.of_user(user).values("pk")
