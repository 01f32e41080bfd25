"""Observation cycles of the demo district (`manage.py seed_demo`): the demo mentor and
mentee have a cycle at every stage (two closed, with notes, ratings, shared debriefs and
reflections, so the trends chart has a line; one waiting for the reflection, one with a
draft debrief, one under observation, one at the pre-conference); a few other pairs have a
closed cycle, and one an overdue pre-conference, so the coverage view has something to
count. Dates are counted back from today on the school calendar. Rows are found by
natural keys, so a second run changes nothing."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo import upsert
from pairing.models import Pairing
from programs.calendar import ProgramCalendar
from programs.demo import MENTEE
from programs.models import Program

from .models import (
    Debrief,
    DebriefNextStep,
    Indicator,
    ObservationCycle,
    ObservationNote,
    Rating,
    TemplateVersion,
)

Stage = ObservationCycle.Stage
NAMESPACE = uuid.UUID("6f1c2a52-93a4-4e55-9d51-6c0f3e3b8a10")

# (focus, stage, school days back it was observed (None: not yet), levels of its two
# look-fors (None: not observed), notes, strengths, growth, next steps, reflection)
STORY = [
    ("Calm, quick starts after lunch", Stage.CLOSED, 45, (2, None),
     ["12:31 Bell. Four students at the door, eight still at lockers.",
      "12:34 Teacher starts the timer on the board; talk drops.",
      "12:38 All twenty-two students have a pencil out and are writing."],
     "The visible timer worked: talk dropped within a minute of it starting.",
     "The first four minutes pass before any learning task is on the board.",
     ["Put the warm-up on the board before the bell",
      "Greet at the door with a one-line task"],
     "Seeing my notes with the times made it obvious where the minutes go. I will put the "
     "warm-up up before lunch ends."),
    ("Questions that ask students to explain", Stage.CLOSED, 20, (3, 2),
     ["9:05 “Why do you think the character left?” Three hands.",
      "9:07 Teacher waits about five seconds; two more hands go up.",
      "9:12 Turn-and-talk before sharing: every pair talking."],
     "Wait time after open questions brought in students who rarely speak.",
     "Most questions were still answered by the same four students.",
     ["Use name sticks for the second question of each round"],
     "I did not notice how often I called on the same students. Name sticks next week."),
    ("Checking understanding before independent work", Stage.REFLECTION, 4, (3, 3),
     ["10:20 Whiteboards up: 17 of 22 correct.",
      "10:22 Teacher pulls the five to the back table."],
     "The whiteboard check sorted who was ready in under a minute.",
     "The students who were ready waited while the small group was set up.",
     ["Have an extension task ready on the board"], None),
    ("Routines for group work", Stage.DEBRIEF, 1, (2, None),
     ["13:10 Roles cards handed out; two groups start at once."],
     "The role cards got two groups going at once.", "", [], None),
    ("Transitions between stations", Stage.OBSERVING, None, None, [], "", "", [], None),
    ("Feedback students act on", Stage.PLANNING, None, None, [], "", "", [], None),
]


def generic_version():
    """The generic template a migration ships; put back by the same code if it is missing
    (a database emptied by hand, or by a test run)."""
    import importlib

    from django.apps import apps

    found = TemplateVersion.objects.filter(template__district__isnull=True, number=1).first()
    if found is None:
        importlib.import_module("observations.migrations.0002_generic_template").seed(apps, None)
        found = TemplateVersion.objects.get(template__district__isnull=True, number=1)
    return found


def _school_days_back(calendar, today, count):
    day, found = today, 0
    while found < count and day > calendar.program.starts_on:
        day -= timedelta(days=1)
        if calendar.is_school_day(day):
            found += 1
    return day


def seed_observations(demo):
    program = Program.objects.get(district=demo.district, name="New Teacher Induction")
    version = generic_version()
    look_fors = list(Indicator.objects.filter(domain__version=version)
                     .order_by("domain__position", "position"))
    levels = {level.value: level for level in version.levels.all()}
    tz = ZoneInfo(demo.district.time_zone)
    calendar = ProgramCalendar(program)
    today = timezone.localdate(timezone=tz)
    pairings = list(Pairing.objects.filter(program=program, status=Pairing.Status.ACTIVE)
                    .select_related("mentor__user", "mentee__user").order_by("pk"))
    mine = next((p for p in pairings if p.mentee.user.email == MENTEE), None)
    # The same two look-fors every time, so the trends chart draws a line for each.
    chosen = [look_fors[0], look_fors[4]]
    if mine is not None:
        for entry in STORY:
            _cycle(demo, mine, entry, chosen, levels, version, calendar, tz, today)
    others = [p for p in pairings if p is not mine]
    for index, pairing in enumerate(others[:6]):
        # Most of the others have had one cycle; the last one's pre-conference is late.
        entry = STORY[1] if index < 5 else (
            "A first look at classroom routines", Stage.PLANNING, None, None, [], "", "", [],
            None)
        _cycle(demo, pairing, entry, chosen, levels, version, calendar, tz, today,
               overdue=index == 5)


def _cycle(demo, pairing, entry, look_fors, levels, version, calendar, tz, today, *,
           overdue=False):
    (focus, stage, back, ratings, notes, strengths, growth, steps, reflection) = entry
    observed_on = _school_days_back(calendar, today, back) if back is not None else None
    observed_at = (datetime.combine(observed_on, time(10), tzinfo=tz)
                   if observed_on and stage not in (Stage.PLANNING, Stage.OBSERVING) else None)
    if stage == Stage.OBSERVING:
        scheduled = calendar.next_school_day(today + timedelta(days=1)) or today
    else:
        scheduled = observed_on
    due = {
        Stage.PLANNING: (_school_days_back(calendar, today, 3) if overdue
                         else calendar.due_on(today, 5)),
        Stage.OBSERVING: scheduled,
        Stage.DEBRIEF: calendar.due_on(today, 2),
        Stage.REFLECTION: calendar.due_on(today, 5),
    }.get(stage)
    cycle = upsert(demo, ObservationCycle, {"pairing": pairing, "focus": focus}, {
        "program": pairing.program, "kind": ObservationCycle.Kind.MENTOR_OBSERVES,
        "mentor": pairing.mentor.user, "mentee": pairing.mentee.user,
        "template_version": version, "stage": stage, "due_on": due,
        "lesson_context": "Grade 3, whole class, after lunch." if stage != Stage.PLANNING
        else "",
        "scheduled_at": datetime.combine(scheduled, time(10), tzinfo=tz) if scheduled else None,
        "observed_at": observed_at, "created_by": pairing.mentor.user,
        "closed_at": observed_at + timedelta(days=3) if stage == Stage.CLOSED else None})
    if stage == Stage.PLANNING and not overdue:
        return cycle
    cycle.look_fors.set(look_fors)
    for number, text in enumerate(notes):
        upsert(demo, ObservationNote, {"cycle": cycle, "client_id": uuid.uuid5(
            NAMESPACE, f"{cycle.pk}-{number}")},
            {"text": text, "author": pairing.mentor.user,
             "noted_at": observed_at + timedelta(minutes=number * 3) if observed_at
             else timezone.now()})
    for indicator, value in zip(look_fors, ratings or (), strict=False):
        upsert(demo, Rating, {"cycle": cycle, "indicator": indicator},
               {"level": levels.get(value) if value else None, "rated_by": pairing.mentor.user})
    if stage in (Stage.DEBRIEF, Stage.REFLECTION, Stage.CLOSED) and (strengths or steps):
        shared = stage != Stage.DEBRIEF
        debrief = upsert(demo, Debrief, {"cycle": cycle}, {
            "strengths": strengths, "growth_areas": growth, "written_by": pairing.mentor.user,
            "shared_at": observed_at + timedelta(days=1) if shared else None})
        for position, text in enumerate(steps):
            upsert(demo, DebriefNextStep, {"debrief": debrief, "position": position},
                   {"description": text})
    if reflection:
        _reflection(demo, cycle, reflection)
    return cycle


def _reflection(demo, cycle, body):
    """The mentee's reflection on the debrief, shared with their mentor, in their journal."""
    from goals.models import Goal, Reflection

    goal = (Goal.objects.filter(participant__user=cycle.mentee,
                                participant__program=cycle.program).current()
            .order_by("pk").first())
    reflection = upsert(demo, Reflection, {"author": cycle.mentee, "program": cycle.program,
                                           "body": body},
                        {"visibility": Reflection.Visibility.MENTOR, "confidence": 3,
                         "goal": goal})
    if cycle.reflection_id != reflection.pk or cycle.goal_id != (goal.pk if goal else None):
        cycle.reflection, cycle.goal = reflection, goal
        cycle.save(update_fields=["reflection", "goal"])
