"""What goals has due on a day, for the reminders the notifications app will send.

Following DESIGN.md ("Background work"), goals decides what is due; the sender turns each
item into an outbox row under its `key`, so planning twice adds nothing. Each function
reads a fixed number of queries however many people there are, and yields plain items.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils import timezone

from programs.models import Participant, Program

from .models import GOAL_OWNER_ROLES, ActionStep, Goal, PromptSchedule, Reflection, ReflectionPrompt
from .prompts import period_of, prompt_for_period


@dataclass(frozen=True)
class Due:
    key: str
    user_id: int
    program_id: int
    what: object  # the ReflectionPrompt, ActionStep or Goal that is due
    due_on: date


def reflection_prompts_due(on: date):
    """One reminder per active mentee or peer of each running program who has written no
    reflection in the program during the reflection period `on` falls in; the key names the
    period, so one reminder per period at most."""
    programs = {p.pk: p for p in Program.objects.filter(
        status=Program.Status.RUNNING, starts_on__lte=on, ends_on__gte=on)
        .select_related("district")}
    if not programs:
        return
    scheduled = {}
    for row in (PromptSchedule.objects.filter(program__in=list(programs), prompt__active=True)
                .select_related("prompt").order_by("position", "pk")):
        scheduled.setdefault(row.program_id, []).append(row.prompt)
    districts = {p.district_id for p in programs.values()}
    prompts = list(ReflectionPrompt.objects.active().filter(
        Q(district__isnull=True, program__isnull=True)
        | Q(district_id__in=districts, program__isnull=True)
        | Q(program__in=list(programs))).order_by("pk"))
    periods = {pk: period_of(program, on) for pk, program in programs.items()}
    earliest = min(first for _, first, _ in periods.values())
    last_written = {
        (row["author_id"], row["program_id"]): row["last"]
        for row in Reflection.objects.filter(
            program__in=list(programs),
            # A day early: the day is compared in each district's zone below.
            created_at__gte=datetime.combine(earliest - timedelta(days=1), time.min, UTC))
        .values("author_id", "program_id").annotate(last=Max("created_at"))}
    people = (Participant.objects.filter(program__in=list(programs), role__in=GOAL_OWNER_ROLES,
                                         status=Participant.Status.ACTIVE)
              .values_list("user_id", "program_id").distinct().order_by("program_id",
                                                                        "user_id"))
    for user_id, program_id in people.iterator():
        program = programs[program_id]
        index, first, _last = periods[program_id]
        written = last_written.get((user_id, program_id))
        zone = ZoneInfo(program.district.time_zone)
        if written is not None and timezone.localtime(written, zone).date() >= first:
            continue
        fallback = [p for p in prompts if p.program_id in (None, program_id)
                    and (p.district_id in (None, program.district_id))]
        prompt = prompt_for_period(program, index, scheduled.get(program_id, []), fallback)
        if prompt is not None:
            yield Due(f"reflection-prompt:program-{program_id}:user-{user_id}:{first}",
                      user_id, program_id, prompt, first)


def action_steps_due(on: date):
    """Open action steps of open goals due on `on`, one reminder each to the goal's owner."""
    steps = (ActionStep.objects.open().filter(due_on=on, goal__state__in=Goal.OPEN_STATES)
             .select_related("goal__participant").order_by("pk"))
    for step in steps.iterator():
        participant = step.goal.participant
        yield Due(f"action-step-due:step-{step.pk}:{on}", participant.user_id,
                  participant.program_id, step, on)


def goals_due(on: date):
    """Active goals whose date is `on`: time to record where they stand, or revise."""
    goals = (Goal.objects.filter(state=Goal.State.ACTIVE, due_on=on)
             .select_related("participant").order_by("pk"))
    for goal in goals.iterator():
        yield Due(f"goal-due:goal-{goal.pk}:{on}", goal.participant.user_id,
                  goal.participant.program_id, goal, on)
