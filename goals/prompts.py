"""Which reflection prompt is due for a person on a day.

A program's reflection cadence (`Program.reflection_cadence_days`) cuts its dates into
periods counted from its first day. In each period one prompt is due: the program's
scheduled prompts come round in their order, one per period; a program that scheduled
none goes round the prompts it may use (shipped, its district's, its own) in the order
they were added. A prompt is due for each active mentee or peer of a running program who
has written no reflection in that program during the period.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from programs.models import Participant, Program

from .models import GOAL_OWNER_ROLES, PromptSchedule, Reflection, ReflectionPrompt


@dataclass(frozen=True)
class DuePrompt:
    program: Program
    prompt: ReflectionPrompt
    period_starts_on: date
    period_ends_on: date


def period_of(program: Program, on: date) -> tuple[int, date, date]:
    """(index, first day, last day) of the reflection period `on` falls in."""
    cadence = max(1, program.reflection_cadence_days)
    index = (on - program.starts_on).days // cadence
    first = program.starts_on + timedelta(days=index * cadence)
    return index, first, min(first + timedelta(days=cadence - 1), program.ends_on)


def prompt_for_period(program: Program, index: int, scheduled: list, fallback: list):
    rotation = scheduled or fallback
    return rotation[index % len(rotation)] if rotation else None


def due_prompts(user, on: date) -> list[DuePrompt]:
    if not user.is_authenticated or user.district_id is None:
        return []
    programs = list(Program.objects.filter(
        district_id=user.district_id, status=Program.Status.RUNNING,
        starts_on__lte=on, ends_on__gte=on,
        participants__user=user, participants__role__in=GOAL_OWNER_ROLES,
        participants__status=Participant.Status.ACTIVE,
    ).select_related("district").distinct().order_by("name", "pk"))
    if not programs:
        return []
    scheduled = {}
    for row in (PromptSchedule.objects.filter(program__in=programs, prompt__active=True)
                .select_related("prompt").order_by("position", "pk")):
        scheduled.setdefault(row.program_id, []).append(row.prompt)
    district_prompts = list(ReflectionPrompt.objects.active().filter(
        Q(district__isnull=True, program__isnull=True)
        | Q(district_id=user.district_id, program__isnull=True)
        | Q(program__in=programs)).order_by("pk"))
    periods = {p.pk: period_of(p, on) for p in programs}
    earliest = min(first for _, first, _ in periods.values())
    zone = ZoneInfo(programs[0].district.time_zone)
    written = {}
    for program_id, created_at in Reflection.objects.filter(
            author_id=user.pk, program__in=programs,
            created_at__gte=datetime.combine(earliest, time.min, zone)
    ).values_list("program_id", "created_at"):
        written.setdefault(program_id, []).append(created_at.astimezone(zone).date())
    due = []
    for program in programs:
        index, first, last = periods[program.pk]
        if any(first <= day <= last for day in written.get(program.pk, [])):
            continue
        fallback = [p for p in district_prompts
                    if p.program_id is None or p.program_id == program.pk]
        prompt = prompt_for_period(program, index, scheduled.get(program.pk, []), fallback)
        if prompt is not None:
            due.append(DuePrompt(program, prompt, first, last))
    return due
