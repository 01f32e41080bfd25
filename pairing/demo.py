"""Pairings of the demo district (`manage.py seed_demo`): the induction program's mentors
and new teachers paired since the start of the year, with a history of check-ins, next
steps, and some pairs overdue. The school-based and district-based programs are left for
the matching screen. Rows are found by natural keys, so a second run changes nothing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo import upsert
from programs.calendar import ProgramCalendar
from programs.demo import MENTEE, MENTOR
from programs.models import Participant, Program, TimeLog

from .models import CheckIn, NextStep, Pairing, PairingEvent
from .services.cadence import next_checkin_due

STARTED_ON = date(2026, 8, 31)
FIRST_CHECKIN = date(2026, 9, 2)
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
        pairing = upsert(demo, Pairing, {"program": program, "mentor": mentor,
                                         "mentee": mentee},
                         {"status": Pairing.Status.ACTIVE, "started_on": STARTED_ON})
        upsert(demo, PairingEvent, {"pairing": pairing, "kind": PairingEvent.Kind.APPROVED},
               {"by": coordinator.user if coordinator else None,
                "at": datetime.combine(STARTED_ON, time(9), tzinfo=tz)})
        # Every fourth pair stopped meeting in October: their check-in is overdue.
        last_day = date(2026, 10, 9) if index % 4 == 3 else today - timedelta(days=1)
        held = _history(demo, pairing, calendar, tz, last_day, with_notes=index == 0)
        due = next_checkin_due(pairing, held, calendar) if held else None
        if pairing.next_checkin_due_on != due:
            pairing.next_checkin_due_on = due
            pairing.save(update_fields=["next_checkin_due_on"])
        if index % 4 != 3:
            _upcoming(demo, pairing, calendar, tz, today)


def _history(demo, pairing, calendar, tz, last_day, *, with_notes):
    """Held check-ins at the program's cadence from the start of the year; the day of the
    last."""
    day, last_held, number = FIRST_CHECKIN, None, 0
    while day <= last_day:
        school_day = calendar.next_school_day(day)
        if school_day is None or school_day > last_day:
            break
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
