"""Goals and reflections of the demo district (`manage.py seed_demo`, after the pairings).

The demo mentee has a goal in every state: an active goal with progress, action steps (one
taken from a check-in's next step) and a mentor's comment, revised from an earlier version
that stays readable; an achieved goal celebrated with the group; a vague draft the SMART
check flags; a dropped goal with its reason. Their journal holds entries of every
visibility, one with a reply from the mentor. Other mentees of the induction program have
a goal each, some achieved. The coordinator published two example goals, added a prompt of
their own and scheduled three. Dates come from the program's start and today, so the seed
works on any day; rows are found by natural keys, so a second run changes nothing.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo import upsert
from pairing.models import NextStep, Pairing
from programs.demo import MENTEE
from programs.models import Participant, Program

from .models import (
    ActionStep,
    ExampleGoal,
    Goal,
    GoalComment,
    ProgressEntry,
    PromptSchedule,
    Reflection,
    ReflectionPrompt,
    ReflectionReply,
)
from .shipped import ensure_shipped_prompts

TRANSITIONS_V1 = "Make transitions after lunch faster"
TRANSITIONS_V2 = ("Use a countdown signal and a posted routine so my Grade 2 class settles "
                  "after lunch in under 3 minutes")
CALLS_HOME = "Make one positive call home for every student in my class by the end of October"
QUESTIONING = "Get better at questioning"
NEWSLETTER = "Send a weekly class newsletter to families"
OTHER_GOALS = [
    ("Use exit tickets in every maths lesson to see who needs a second look",
     "Share of students answering the exit ticket correctly", 45, 75, "%"),
    ("Greet every student by name at the door each morning",
     "Students greeted by name, counted on five days", 10, 24, "students"),
    ("Hold a think-pair-share in each lesson so quiet students speak",
     "Students who speak in whole-class discussion", 8, 18, "students"),
]
EXAMPLES = [
    ("Post and practise a routine for the first five minutes of class so every student is "
     "working within three minutes of the bell",
     "Minutes from the bell until every student is working", 8, 3, "minutes",
     "Calm, quick starts give students more time to learn."),
    ("Raise the share of students who hand in homework on time from 60% to 85% with a "
     "homework board and a weekly check",
     "Share of homework handed in on time", 60, 85, "%",
     "Homework practice helps students keep up with the unit."),
]
OWN_PROMPT = "Which routine did your students own this week without being reminded?"
JOURNAL = [
    ("private", 2, "The afternoon was hard again. I am not sure the new signal works when "
                   "I am tired myself; I want to think it through before I talk about it."),
    ("mentor", 3, "The countdown worked three days out of five. On Friday I forgot to post "
                  "the routine and it showed. Next week I will keep the card on the door."),
    ("group", 4, "Positive calls home are done for every student. Parents of two quiet "
                 "students told me their children talk about the class at dinner."),
    ("private", 4, "I noticed I call on the same four students. Tomorrow I will use name "
                   "sticks for the whole morning and see who I have been missing."),
]


def seed_goals(demo):
    program = Program.objects.get(district=demo.district, name="New Teacher Induction")
    today = timezone.localdate()
    coordinator = (program.participants.filter(role=Participant.Role.COORDINATOR)
                   .select_related("user").first())
    _examples_and_prompts(demo, program, coordinator.user if coordinator else None)
    mentee = program.participants.filter(user__email=MENTEE,
                                         role=Participant.Role.MENTEE).first()
    if mentee is None:
        return
    mentor = (Pairing.objects.filter(mentee=mentee).exclude(status=Pairing.Status.PROPOSED)
              .select_related("mentor__user").first())
    mentor_user = mentor.mentor.user if mentor else None
    _story(demo, program, mentee, mentor_user, today)
    _journal(demo, program, mentee.user, mentor_user, today)
    _others(demo, program, today)


def _day(program, offset, today):
    """A day `offset` days into the program, never after today or the program's end."""
    return min(program.starts_on + timedelta(days=offset), today, program.ends_on)


def _goal(demo, participant, specific, values):
    return upsert(demo, Goal, {"participant": participant, "specific": specific},
                  {"created_by": participant.user, **values})


def _story(demo, program, mentee, mentor_user, today):
    focus = program.district.focus_areas.order_by("name").first()
    due = program.starts_on + timedelta(days=200)
    first = _goal(demo, mentee, TRANSITIONS_V1, {
        "focus_area": focus, "measure": "How long transitions take", "baseline": Decimal(8),
        "target": Decimal(5), "unit": "minutes",
        "relevance": "Time lost after lunch is time my students do not learn.",
        "due_on": due, "state": Goal.State.REVISED})
    current = _goal(demo, mentee, TRANSITIONS_V2, {
        "focus_area": focus, "revises": first,
        "measure": "Minutes from the end of lunch until every student is working",
        "baseline": Decimal(8), "target": Decimal(3), "unit": "minutes",
        "relevance": "Calm afternoons give my students back ten minutes of learning a day, "
                     "and classroom routines are the program's first aim.",
        "due_on": due, "state": Goal.State.ACTIVE, "celebrate_in_group": True})
    for week, value in enumerate([8, 7, 6.5, 5, 4.5, 4]):
        day = program.starts_on + timedelta(days=21 + 7 * week)
        if day > today:
            break
        upsert(demo, ProgressEntry, {"goal": current, "recorded_on": day},
               {"value": Decimal(str(value)), "recorded_by": mentee.user,
                "note": "Timed with the class stopwatch." if week == 0 else ""})
    upsert(demo, ActionStep, {"goal": current, "description": "Print the countdown cards"},
           {"due_on": _day(program, 20, today), "done_on": _day(program, 19, today),
            "added_by": mentee.user})
    upsert(demo, ActionStep, {"goal": current,
                              "description": "Post the after-lunch routine on the door"},
           {"due_on": min(today + timedelta(days=5), program.ends_on), "added_by": mentee.user})
    step = (NextStep.objects.filter(checkin__pairing__mentee=mentee, done_at__isnull=True)
            .order_by("due_on").first())
    if step is not None:
        upsert(demo, ActionStep, {"goal": current, "next_step": step},
               {"description": step.description, "due_on": min(max(
                   step.due_on, program.starts_on), program.ends_on),
                "origin": ActionStep.Origin.CHECKIN, "added_by": mentee.user})
    if mentor_user is not None:
        upsert(demo, GoalComment, {"goal": current, "author": mentor_user,
                                   "body": "Four minutes already: the posted routine is "
                                           "doing its work. Keep timing it."}, {})
    achieved_on = program.starts_on + timedelta(days=74)
    achieved = today >= achieved_on
    _goal(demo, mentee, CALLS_HOME, {
        "measure": "Students whose families had a positive call", "baseline": Decimal(0),
        "target": Decimal(24), "unit": "calls",
        "relevance": "Families who hear good news first become partners for the year.",
        "due_on": achieved_on, "celebrate_in_group": True,
        "state": Goal.State.ACHIEVED if achieved else Goal.State.ACTIVE,
        "achieved_on": achieved_on if achieved else None})
    _goal(demo, mentee, QUESTIONING, {
        "measure": "", "relevance": "", "due_on": program.ends_on, "state": Goal.State.DRAFT})
    _goal(demo, mentee, NEWSLETTER, {
        "measure": "Newsletters sent", "target": Decimal(30), "unit": "newsletters",
        "relevance": "Families asked to know what we learn.", "due_on": program.ends_on,
        "state": Goal.State.DROPPED,
        "dropped_reason": "The school started a grade-level newsletter that does this."})


def _journal(demo, program, author, mentor_user, today):
    prompts = list(ReflectionPrompt.objects.filter(district__isnull=True, program__isnull=True)
                   .order_by("pk")[:len(JOURNAL)])
    goal = Goal.objects.filter(participant__user=author, specific=TRANSITIONS_V2).first()
    for index, (visibility, confidence, body) in enumerate(JOURNAL):
        entry = upsert(demo, Reflection, {"author": author, "program": program, "body": body},
                       {"visibility": visibility, "confidence": confidence,
                        "prompt": prompts[index] if index < len(prompts) else None,
                        "goal": goal if index in (0, 1) else None})
        written = datetime.combine(_day(program, 28 + 14 * index, today), time(16),
                                   tzinfo=ZoneInfo(program.district.time_zone))
        if entry.created_at != written:
            Reflection.objects.filter(pk=entry.pk).update(created_at=written)
        if visibility == "mentor" and mentor_user is not None:
            upsert(demo, ReflectionReply, {"reflection": entry, "author": mentor_user,
                                           "body": "Keeping the card on the door is a "
                                                   "great fix. What will you do on days "
                                                   "you have a substitute?"}, {})


def _others(demo, program, today):
    """A goal for a few other mentees of the program; the first is achieved."""
    mentees = (Participant.objects.filter(program=program, role=Participant.Role.MENTEE)
               .active().exclude(user__email=MENTEE).order_by("user__email")[:len(OTHER_GOALS)])
    for index, (participant, (specific, measure, start, target, unit)) in enumerate(
            zip(mentees, OTHER_GOALS, strict=False)):
        achieved_on = _day(program, 60, today)
        done = index == 0 and today > program.starts_on + timedelta(days=60)
        _goal(demo, participant, specific, {
            "measure": measure, "baseline": Decimal(start), "target": Decimal(target),
            "unit": unit, "relevance": "It helps my students and serves the program's aims.",
            "due_on": program.starts_on + timedelta(days=180),
            "state": Goal.State.ACHIEVED if done else Goal.State.ACTIVE,
            "achieved_on": achieved_on if done else None, "celebrate_in_group": done})


def _examples_and_prompts(demo, program, coordinator):
    demo.created["reflectionprompt"] += ensure_shipped_prompts()
    for specific, measure, start, target, unit, relevance in EXAMPLES:
        upsert(demo, ExampleGoal, {"program": program, "specific": specific},
               {"measure": measure, "baseline": Decimal(start), "target": Decimal(target),
                "unit": unit, "relevance": relevance, "published_by": coordinator})
    own = upsert(demo, ReflectionPrompt, {"program": program, "text": OWN_PROMPT},
                 {"kind": ReflectionPrompt.Kind.OPENER, "district": program.district,
                  "created_by": coordinator})
    shipped = list(ReflectionPrompt.objects.filter(
        district__isnull=True, program__isnull=True,
        kind__in=[ReflectionPrompt.Kind.COACHING, ReflectionPrompt.Kind.EQUITY])
        .order_by("pk")[:2])
    for position, prompt in enumerate([own, *shipped]):
        upsert(demo, PromptSchedule, {"program": program, "prompt": prompt},
               {"position": position})
