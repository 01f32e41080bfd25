"""What goals adds to other apps' pages through their registries: the home page section,
the check-in page's "make it an action step" form, and the program's tabs."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Participant

from .models import ActionStep, Goal, PromptSchedule, Reflection, ReflectionReply
from .permissions import program_running
from .views.goals import with_latest_value

CELEBRATE_DAYS = 30
STEPS_AHEAD_DAYS = 14
SHARED_DAYS = 14
SHOWN = 5


def home_panel(request):
    """The reader's goals and progress, action steps due, the reflection prompt due,
    achievements to celebrate (their own, their mentees', and their group's when the
    owner chose to celebrate there), and entries newly shared with them; for a participant
    with none of these, the way to their goals and journal. A fixed number of queries
    whatever the data."""
    user = request.user
    if not user.is_authenticated or user.district_id is None:
        return ""
    # Everything below belongs to people taking part in a program: one query tells.
    if not Participant.objects.filter(user=user, status=Participant.Status.ACTIVE).exists():
        return ""
    today = timezone.localdate()
    goals = list(with_latest_value(Goal.objects.of_user(user).open().select_related(
        "participant__program")).order_by("due_on", "pk")[:SHOWN])
    for goal in goals:
        goal.target_reached = reached(goal, goal.latest_value)
    steps = list(ActionStep.objects.open().filter(
        goal__participant__user=user, goal__state__in=Goal.OPEN_STATES,
        due_on__lte=today + timedelta(days=STEPS_AHEAD_DAYS)).select_related("goal")
        .order_by("due_on", "pk")[:SHOWN])
    due = PromptSchedule.objects.due_for(user, today)
    celebrations = list(Goal.objects.celebrated_for(user).filter(
        achieved_on__gte=today - timedelta(days=CELEBRATE_DAYS)).select_related(
        "participant__user", "participant__program").order_by("-achieved_on", "-pk")
        [:SHOWN])
    shared = list(Reflection.objects.visible_to(user).exclude(author_id=user.pk).filter(
        created_at__gte=timezone.now() - timedelta(days=SHARED_DAYS)).annotate(
        answered=Exists(ReflectionReply.objects.filter(
            reflection=OuterRef("pk"), author_id=user.pk)))
        .select_related("author", "prompt").order_by("-created_at", "-pk")[:SHOWN])
    return render_to_string("goals/includes/home_panel.html", {
        "goals": goals, "steps": steps, "due": due, "celebrations": celebrations,
        "shared": shared, "today": today}, request=request)


def reached(goal, value):
    """Whether `value` meets the goal's target, in the direction from where it started (a
    target below the start is reached by going down)."""
    if value is None or goal.target is None:
        return False
    if goal.baseline is not None and goal.target < goal.baseline:
        return value <= goal.target
    return value >= goal.target


def checkin_panel(request, checkin):
    """On a check-in's page, for the pair: take an agreed next step into one of the
    mentee's open goals, and write a reflection about the check-in. One query, three when
    the mentee has open goals."""
    pairing = checkin.pairing
    goals = list(Goal.objects.filter(participant_id=pairing.mentee_id,
                                     state__in=Goal.OPEN_STATES).order_by("due_on", "pk"))
    rows = []
    if goals:
        # The mentee's own next steps: those are theirs to take toward their goals.
        steps = list(checkin.next_steps.filter(owner_id=pairing.mentee.user_id)
                     .order_by("due_on", "pk"))
        taken = {}
        for step_id, goal_id in ActionStep.objects.filter(
                next_step__in=[s.pk for s in steps]).values_list("next_step_id", "goal_id"):
            taken.setdefault(step_id, set()).add(goal_id)
        by_pk = {g.pk: g for g in goals}
        rows = [{"step": step,
                 "goals": [g for g in goals if g.pk not in taken.get(step.pk, ())],
                 "taken": [by_pk[pk] for pk in taken.get(step.pk, ()) if pk in by_pk]}
                for step in steps]
    # The reader is one of the pair (the page checked that): their participant is loaded.
    mine = pairing.mentee if pairing.mentee.user_id == request.user.pk else pairing.mentor
    can_reflect = (mine.status == Participant.Status.ACTIVE
                   and program_running(pairing.program))
    return render_to_string("goals/includes/checkin_panel.html", {
        "rows": rows, "checkin": checkin, "program": pairing.program,
        "can_reflect": can_reflect,
        "mentee_is_reader": pairing.mentee.user_id == request.user.pk}, request=request)


def program_tabs(request, program):
    user = request.user
    tabs = []
    if user.has_perm("goals.view_goal_counts", program):
        tabs.append((_("Goals"), reverse("goals:program-goals", args=[program.pk])))
    if user.has_perm("goals.manage_prompts", program):
        tabs.append((_("Reflection prompts"),
                     reverse("goals:program-prompts", args=[program.pk])))
    return tabs
