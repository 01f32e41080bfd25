"""Pairings of the demo district (`manage.py seed_demo`): the induction program's mentors
and new teachers paired since the start of the year, with a history of check-ins (a few
missed), next steps, some pairs overdue, one paused, one ended for a rematch and one with a
rematch request waiting. The school-based and district-based programs are left for the
matching screen. Rows are found by natural keys, so a second run changes nothing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo import upsert
from programs.calendar import ProgramCalendar
from programs.demo import MENTEE, MENTOR
from programs.models import Participant, Program, TimeLog

from .models import CheckIn, NextStep, Pairing, PairingEvent, RematchRequest
from .services.cadence import next_checkin_due

STARTED_ON = date(2026, 8, 31)
FIRST_CHECKIN = date(2026, 9, 2)
STOPPED_MEETING = date(2026, 10, 9)
# Pairs (by their place in email order) whose story differs from weekly meetings.
ASKED_FOR_REMATCH, PAUSED, ENDED = 1, 5, 6
PAUSED_ON, ENDED_ON = date(2026, 11, 6), date(2026, 10, 27)
TOPICS = [
    ("Classroom routines for the first weeks",
     "Students line up quickly after the new signal.",
     "Transitions after lunch take too long."),
    ("Planning the first unit assessment",
     "The exit tickets show who needs a second look.",
     "Finding time to give feedback on every ticket."),
    ("Parent conference preparation",
     "Positive phone calls home went well.",
     "Nervous about a difficult conversation."),
    ("Engaging quiet students",
     "Think-pair-share got more voices in.",
     "Two students still never speak in whole-class talk."),
]
NEXT_STEPS = ["Try a countdown signal for transitions",
              "Share two exit tickets at the next check-in",
              "Draft an opening line for the conference",
              "Observe a colleague's discussion routine"]


def seed_pairings(demo):
    program = Program.objects.get(district=demo.district, name="New Teacher Induction")
    tz = ZoneInfo(demo.district.time_zone)
    calendar = ProgramCalendar(program)
    participants = (Participant.objects.filter(program=program).active()
                    .select_related("user").order_by("user__email"))
    mentors = [p for p in participants if p.role == Participant.Role.MENTOR]
    mentees = [p for p in participants if p.role == Participant.Role.MENTEE]
    # The demo mentor and mentee work together; the others are paired in email order.
    mentors.sort(key=lambda p: p.user.email != MENTOR)
    mentees.sort(key=lambda p: p.user.email != MENTEE)
    coordinator = program.participants.filter(role=Participant.Role.COORDINATOR).first()
    today = timezone.localdate()
    for index, (mentor, mentee) in enumerate(zip(mentors, mentees, strict=False)):
        paused = index == PAUSED and today > PAUSED_ON
        ended = index == ENDED and today > ENDED_ON
        state = {"status": Pairing.Status.ACTIVE, "end_reason": "", "ended_on": None}
        if paused:
            state = {**state, "status": Pairing.Status.PAUSED, "next_checkin_due_on": None}
        elif ended:
            state = {"status": Pairing.Status.ENDED, "end_reason": Pairing.EndReason.REMATCH,
                     "ended_on": ENDED_ON, "next_checkin_due_on": None}
        pairing = upsert(demo, Pairing, {"program": program, "mentor": mentor,
                                         "mentee": mentee},
                         {**state, "started_on": STARTED_ON})
        upsert(demo, PairingEvent, {"pairing": pairing, "kind": PairingEvent.Kind.APPROVED},
               {"by": coordinator.user if coordinator else None,
                "at": datetime.combine(STARTED_ON, time(9), tzinfo=tz)})
        # Every fourth pair stopped meeting in October: their check-in is overdue.
        last_day = today - timedelta(days=1)
        if index % 4 == 3:
            last_day = min(last_day, STOPPED_MEETING)
        if paused or ended:
            last_day = min(last_day, PAUSED_ON if paused else ENDED_ON)
        held = _history(demo, pairing, calendar, tz, last_day, with_notes=index == 0)
        if paused:
            upsert(demo, PairingEvent, {"pairing": pairing, "kind": PairingEvent.Kind.PAUSED},
                   {"by": coordinator.user if coordinator else None,
                    "note": "Family leave until the winter break",
                    "at": datetime.combine(PAUSED_ON, time(10), tzinfo=tz)})
            continue
        if ended:
            _ended_for_rematch(demo, pairing, coordinator, tz)
            continue
        if index == ASKED_FOR_REMATCH:
            upsert(demo, RematchRequest, {"pairing": pairing, "requested_by": mentee.user},
                   {"reason": "We teach different grades and our free periods never line "
                              "up. Could I work with someone in the primary wing?"})
            upsert(demo, PairingEvent, {"pairing": pairing,
                                        "kind": PairingEvent.Kind.REMATCH_REQUESTED},
                   {"by": mentee.user})
        due = next_checkin_due(pairing, held, calendar) if held else None
        if pairing.next_checkin_due_on != due:
            pairing.next_checkin_due_on = due
            pairing.save(update_fields=["next_checkin_due_on"])
        if index % 4 != 3:
            _upcoming(demo, pairing, calendar, tz, today)


def _ended_for_rematch(demo, pairing, coordinator, tz):
    """The mentee asked for a rematch and the coordinator agreed: the pairing ended, and
    the mentee is back in the induction program's matching."""
    by = coordinator.user if coordinator else None
    asked = datetime.combine(ENDED_ON - timedelta(days=4), time(17), tzinfo=tz)
    ended = datetime.combine(ENDED_ON, time(9), tzinfo=tz)
    upsert(demo, RematchRequest, {"pairing": pairing, "requested_by": pairing.mentee.user},
           {"reason": "My mentor teaches high school science and I teach kindergarten; "
                      "I need help with early literacy.",
            "state": RematchRequest.State.REMATCHED, "answered_by": by, "answered_at": ended,
            "answer": "Agreed: we will match you with a mentor in the primary grades."})
    for kind, at, note, who in [
            (PairingEvent.Kind.REMATCH_REQUESTED, asked, "", pairing.mentee.user),
            (PairingEvent.Kind.REMATCH_ANSWERED, ended,
             str(RematchRequest.State.REMATCHED.label), by),
            (PairingEvent.Kind.ENDED, ended, str(Pairing.EndReason.REMATCH.label), by)]:
        upsert(demo, PairingEvent, {"pairing": pairing, "kind": kind},
               {"by": who, "at": at, "note": note})


def _history(demo, pairing, calendar, tz, last_day, *, with_notes):
    """Held check-ins at the program's cadence from the start of the year; the day of the
    last."""
    day, last_held, number = FIRST_CHECKIN, None, 0
    while day <= last_day:
        school_day = calendar.next_school_day(day)
        if school_day is None or school_day > last_day:
            break
        if number % 6 == 5:
            # Now and then a meeting did not happen: nothing is noted and no time is logged.
            upsert(demo, CheckIn, {"pairing": pairing, "scheduled_at": datetime.combine(
                school_day, time(15, 30), tzinfo=tz)},
                {"status": CheckIn.Status.MISSED, "duration_minutes": 30,
                 "location": "Room 114", "scheduled_by": pairing.mentor.user,
                 "recorded_by": pairing.mentor.user})
            number += 1
            day = school_day + timedelta(days=pairing.program.checkin_cadence_days)
            continue
        topics, working, challenges = TOPICS[number % len(TOPICS)]
        checkin = upsert(demo, CheckIn, {
            "pairing": pairing, "scheduled_at": datetime.combine(school_day, time(15, 30),
                                                                 tzinfo=tz)},
            {"status": CheckIn.Status.HELD, "duration_minutes": 30, "minutes_spent": 35,
             "location": "Room 114", "topics": topics, "whats_working": working,
             "challenges": challenges, "scheduled_by": pairing.mentor.user,
             "recorded_by": pairing.mentor.user})
        for person in (pairing.mentor.user, pairing.mentee.user):
            log = upsert(demo, TimeLog, {"program": pairing.program, "user": person,
                                         "date": school_day, "kind": TimeLog.Kind.CHECK_IN},
                         {"minutes": 35, "logged_by": pairing.mentor.user,
                          "note": "Check-in"})
            checkin.time_logs.add(log)
        if with_notes:
            upsert(demo, NextStep, {"checkin": checkin,
                                    "description": NEXT_STEPS[number % len(NEXT_STEPS)]},
                   {"owner": pairing.mentee.user, "due_on": school_day + timedelta(days=7),
                    "done_at": None if school_day + timedelta(days=21) > last_day else
                    datetime.combine(school_day + timedelta(days=5), time(16), tzinfo=tz)})
        last_held, number = school_day, number + 1
        day = school_day + timedelta(days=pairing.program.checkin_cadence_days)
    return last_held


def _upcoming(demo, pairing, calendar, tz, today):
    """One check-in on the calendar for the coming week, unless one is there already."""
    if pairing.checkins.filter(status=CheckIn.Status.SCHEDULED).exists():
        return
    day = calendar.next_school_day(today + timedelta(days=2))
    if day is None:
        return
    upsert(demo, CheckIn, {"pairing": pairing,
                           "scheduled_at": datetime.combine(day, time(15, 30), tzinfo=tz)},
           {"status": CheckIn.Status.SCHEDULED, "duration_minutes": 30,
            "location": "Room 114", "scheduled_by": pairing.mentee.user})
