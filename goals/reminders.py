"""What goals has due, under the contract of `mentorship/reminders.py`: a reflection prompt
each reflection period, and action steps and goals due tomorrow and today.

"Today" is the day in the program's district. Each source reads a fixed number of queries
however many people there are. The prompt's question may be quoted (it comes from the
prompt library); what a person wrote in a goal or a step is not, since a step can carry the
words of a debrief and an email travels further than the page.
"""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import Reminder, reminder
from programs.models import Participant
from programs.reminders import day_bounds, running_programs

from .models import GOAL_OWNER_ROLES, ActionStep, Goal, PromptSchedule, Reflection, ReflectionPrompt
from .prompts import period_of, prompt_for_period


@reminder("reflection-prompt", _("Reflection prompt"),
          _("A question to reflect on, once each reflection period of your program, until "
            "you have written in it."))
def reflection_prompts_due(now):
    """One reminder per active mentee or peer of each running program who has written no
    reflection in the program during the reflection period today falls in; the key names
    the period, so one reminder per period at most."""
    days = {pk: day for pk, day in running_programs(now).items()
            if day.program.starts_on <= day.today <= day.program.ends_on}
    if not days:
        return
    programs = {pk: day.program for pk, day in days.items()}
    scheduled = {}
    for row in (PromptSchedule.objects.filter(program__in=list(programs), prompt__active=True)
                .select_related("prompt").order_by("position", "pk")):
        scheduled.setdefault(row.program_id, []).append(row.prompt)
    districts = {p.district_id for p in programs.values()}
    prompts = list(ReflectionPrompt.objects.active().filter(
        Q(district__isnull=True, program__isnull=True)
        | Q(district_id__in=districts, program__isnull=True)
        | Q(program__in=list(programs))).order_by("pk"))
    periods = {pk: period_of(day.program, day.today) for pk, day in days.items()}
    earliest = min(first for _, first, _ in periods.values())
    last_written = {
        (row["author_id"], row["program_id"]): row["last"]
        for row in Reflection.objects.filter(
            program__in=list(programs),
            # A day early: the day is compared in each district's zone below.
            created_at__gte=datetime.combine(earliest - timedelta(days=1), time.min, UTC))
        .values("author_id", "program_id").annotate(last=Max("created_at"))}
    people = (Participant.objects.filter(program__in=list(programs), role__in=GOAL_OWNER_ROLES,
                                         status=Participant.Status.ACTIVE,
                                         user__is_active=True)
              .values_list("user_id", "program_id").distinct().order_by("program_id",
                                                                        "user_id"))
    for user_id, program_id in people.iterator():
        day = days[program_id]
        program = day.program
        index, first, last = periods[program_id]
        written = last_written.get((user_id, program_id))
        if written is not None and day.date_of(written) >= first:
            continue
        fallback = [p for p in prompts if p.program_id in (None, program_id)
                    and (p.district_id in (None, program.district_id))]
        prompt = prompt_for_period(program, index, scheduled.get(program_id, []), fallback)
        if prompt is None:
            continue
        yield Reminder(
            key=f"reflection-prompt:program-{program_id}:user-{user_id}:{first}",
            user_id=user_id,
            template="goals/reminders/reflection_prompt",
            context={"prompt": prompt.text, "program": program.name,
                     "until": last.isoformat()},
            url=reverse("goals:reflection-create") + "?" + urlencode(
                {"program": program_id, "prompt": prompt.pk}),
            program_id=program_id)


def _when(day, due_on):
    """"today" or "tomorrow" for a date due in this district, else None."""
    if due_on == day.today:
        return "today"
    if due_on == day.tomorrow:
        return "tomorrow"
    return None


@reminder("action-step-due", _("Action step due"),
          _("The day before an action step of your goal is due, and on the day."))
def action_steps_due(now):
    """Open action steps of open goals, to the goal's owner: once the day before the step is
    due and once on the day."""
    days = running_programs(now)
    if not days:
        return
    first, last = day_bounds(days)
    steps = (ActionStep.objects.open()
             .filter(due_on__gte=first, due_on__lte=last + timedelta(days=1),
                     goal__state__in=Goal.OPEN_STATES,
                     goal__participant__program__in=list(days),
                     goal__participant__status=Participant.Status.ACTIVE,
                     goal__participant__user__is_active=True)
             .select_related("goal__participant").order_by("due_on", "pk"))
    for step in steps:
        participant = step.goal.participant
        day = days[participant.program_id]
        when = _when(day, step.due_on)
        if when is None:
            continue
        yield Reminder(
            key=f"action-step-due:step-{step.pk}:{step.due_on}:{when}",
            user_id=participant.user_id,
            template="goals/reminders/action_step_due",
            context={"when": when, "due_on": step.due_on.isoformat(),
                     "program": day.program.name},
            url=reverse("goals:goal-detail", args=[step.goal_id]),
            program_id=participant.program_id)


@reminder("goal-due", _("Goal due"),
          _("The day before a goal’s date, and on the day: time to record where it stands, "
            "or revise it."))
def goals_due(now):
    """Active goals whose date is tomorrow or today, to their owner: once each day."""
    days = running_programs(now)
    if not days:
        return
    first, last = day_bounds(days)
    goals = (Goal.objects
             .filter(state=Goal.State.ACTIVE, due_on__gte=first,
                     due_on__lte=last + timedelta(days=1),
                     participant__program__in=list(days),
                     participant__status=Participant.Status.ACTIVE,
                     participant__user__is_active=True)
             .select_related("participant").order_by("due_on", "pk"))
    for goal in goals:
        participant = goal.participant
        day = days[participant.program_id]
        when = _when(day, goal.due_on)
        if when is None:
            continue
        yield Reminder(
            key=f"goal-due:goal-{goal.pk}:{goal.due_on}:{when}",
            user_id=participant.user_id,
            template="goals/reminders/goal_due",
            context={"when": when, "due_on": goal.due_on.isoformat(),
                     "program": day.program.name},
            url=reverse("goals:goal-detail", args=[goal.pk]),
            program_id=participant.program_id)
