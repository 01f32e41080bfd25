"""The programs of the demo district (`manage.py seed_demo`).

Five programs of different models for the 2026-27 school year, each with its calendar, the
people who run it, mentors and mentees, and where the model has them: applicants with
preferred mentors, groups with sessions and attendance, a team hub, and protected time.
People are drawn from the generated staff by a fixed rule, so every run makes the same
choices; rows are found by their natural keys, so a second run changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from accounts.demo import upsert
from accounts.demo.data import ENGAGEMENT, PLANNING, SCIENCE
from accounts.models import StaffProfile, User

from .models import (
    Application,
    Attendance,
    BlackoutPeriod,
    Group,
    GroupMembership,
    GroupSession,
    HubPost,
    ObservationWindow,
    Participant,
    Program,
    Term,
    TimeLog,
)
from .presets import PRESETS, ProgramModel

YEAR = "2026-27"
STARTS_ON, ENDS_ON = date(2026, 8, 17), date(2027, 6, 11)
DISTRICT_ADMIN = "district.admin@riverside.example.org"
SCHOOL_ADMIN = "school.admin@riverside.example.org"
MENTOR = "mentor@riverside.example.org"
MENTEE = "mentee@riverside.example.org"
JEFFERSON = "201"

TERMS = [("Fall semester", date(2026, 8, 17), date(2026, 12, 18)),
         ("Spring semester", date(2027, 1, 5), date(2027, 6, 11))]
WINDOWS = [("First observation round", date(2026, 9, 14), date(2026, 10, 23)),
           ("Second observation round", date(2027, 1, 25), date(2027, 3, 5)),
           ("Final observation round", date(2027, 4, 12), date(2027, 5, 14))]
BLACKOUTS = [("Labor Day", date(2026, 9, 7), date(2026, 9, 7)),
             ("Thanksgiving break", date(2026, 11, 25), date(2026, 11, 27)),
             ("Winter break", date(2026, 12, 21), date(2027, 1, 4)),
             ("Spring break", date(2027, 3, 15), date(2027, 3, 19)),
             ("State testing window", date(2027, 4, 26), date(2027, 4, 30))]


@dataclass(frozen=True)
class ProgramSpec:
    name: str
    model: str
    status: str
    aims: str
    school_goals: str
    meeting_days: tuple = (1, 3)
    school_code: str | None = None
    settings: tuple = ()  # (field, value) changed from the preset


PROGRAMS = [
    ProgramSpec(
        "New Teacher Induction", ProgramModel.ONE_ON_ONE, Program.Status.RUNNING,
        "Every first-year teacher has an experienced mentor for the whole year: weekly "
        "check-ins, observation cycles each term, and someone to ask.",
        "Retain new teachers past their third year; strengthen classroom routines."),
    ProgramSpec(
        "District Mentoring Network", ProgramModel.DISTRICT_BASED, Program.Status.ENROLLING,
        "Early-career teachers apply for a mentor who teaches the same grade band and "
        "subject, from any school in the district.",
        "Grade-level and subject expertise shared across schools.",
        settings=(("checkin_cadence_days", 10),)),
    ProgramSpec(
        "Jefferson Middle School Mentoring", ProgramModel.SCHOOL_BASED,
        Program.Status.RUNNING,
        "Teachers new to Jefferson are paired with a colleague down the hall; the school "
        "protects release time for observations and planning.",
        "Jefferson's school improvement plan: consistent routines in every classroom.",
        school_code=JEFFERSON),
    ProgramSpec(
        "Secondary Science Learning Team", ProgramModel.LEARNING_TEAM, Program.Status.RUNNING,
        "Science teachers in grades 6-12 meet as a team with lead mentors to plan labs, "
        "look at student work and observe each other.",
        "Inquiry-based science in every secondary classroom.", meeting_days=(2,)),
    ProgramSpec(
        "Peer Collaboration Across Campuses", ProgramModel.PEER_COLLABORATION,
        Program.Status.RUNNING,
        "Teams of peers from schools across the district share practice on release days "
        "and in their team hub between meetings.",
        "Collaboration beyond a single building; fewer isolated teachers.", meeting_days=(4,)),
]


def seed_programs(demo):
    district = demo.district
    staff = list(StaffProfile.objects.filter(user__district=district, school__isnull=False)
                 .select_related("user", "school").prefetch_related("subjects", "expertise")
                 .order_by("user__email"))
    named = {u.email: u for u in User.objects.filter(
        email__in=[DISTRICT_ADMIN, SCHOOL_ADMIN, MENTOR, MENTEE])}
    teaching = [p for p in staff if p.user.email not in named]
    new = [p for p in teaching if p.years_of_experience == 0]
    early = [p for p in teaching if 1 <= p.years_of_experience <= 3]
    experienced = [p for p in teaching if p.years_of_experience >= 8]

    programs = {spec.name: _program(demo, district, spec) for spec in PROGRAMS}

    def join(program, user, role, status=Participant.Status.ACTIVE, capacity=None):
        school = getattr(getattr(user, "staff_profile", None), "school", None)
        return upsert(demo, Participant, {"program": program, "user": user, "role": role},
                      {"status": status, "capacity": capacity, "school": school})

    role = Participant.Role
    admin, principal = named[DISTRICT_ADMIN], named[SCHOOL_ADMIN]

    # One-on-one induction: the demo mentor and mentee, and first-year teachers with mentors.
    induction = programs["New Teacher Induction"]
    join(induction, admin, role.COORDINATOR)
    join(induction, named[MENTOR], role.MENTOR)
    join(induction, named[MENTEE], role.MENTEE)
    for profile in experienced[:10]:
        join(induction, profile.user, role.MENTOR)
    for profile in new[:10]:
        join(induction, profile.user, role.MENTEE)

    # District-based: a steering committee, mentors, and applications waiting for review.
    network = programs["District Mentoring Network"]
    join(network, admin, role.COORDINATOR)
    for profile in experienced[10:13]:
        join(network, profile.user, role.STEERING)
    mentors = [join(network, p.user, role.MENTOR, capacity=2) for p in experienced[13:21]]
    for i, profile in enumerate(early[:12]):
        status = Participant.Status.WAITLISTED if i % 5 == 4 else Participant.Status.APPLIED
        applicant = join(network, profile.user, role.MENTEE, status=status)
        _application(demo, applicant, profile, [mentors[i % len(mentors)],
                                                mentors[(i + 3) % len(mentors)]])

    # School-based at Jefferson Middle: the principal coordinates, a rep matches.
    jefferson = programs["Jefferson Middle School Mentoring"]
    at_jefferson = [p for p in teaching if p.school.code == JEFFERSON]
    join(jefferson, principal, role.COORDINATOR)
    veterans = [p for p in at_jefferson if p.years_of_experience >= 6]
    newcomers = [p for p in at_jefferson if p.years_of_experience <= 2]
    if veterans:
        join(jefferson, veterans[0].user, role.SCHOOL_REP)
    for profile in veterans[1:5]:
        join(jefferson, profile.user, role.MENTOR)
    for profile in newcomers[:4]:
        join(jefferson, profile.user, role.MENTEE)
    for i, profile in enumerate(veterans[1:5] + newcomers[:4]):
        for week in range(3):
            _time(demo, jefferson, profile.user, date(2026, 9, 14) + timedelta(weeks=week * 3),
                  [TimeLog.Kind.RELEASE_TIME, TimeLog.Kind.PEER_OBSERVATION,
                   TimeLog.Kind.PLANNING][(i + week) % 3], 45 + 15 * ((i + week) % 3))

    # Learning team: science teachers with two lead mentors and a year of team meetings.
    team_program = programs["Secondary Science Learning Team"]
    join(team_program, admin, role.COORDINATOR)
    scientists = [p for p in teaching if any(s.name == SCIENCE for s in p.subjects.all())
                  and p.school.code >= "200"]
    leads = [join(team_program, p.user, role.LEAD_MENTOR)
             for p in [p for p in scientists if p.years_of_experience >= 8][:2]]
    members = [join(team_program, p.user, role.MENTEE)
               for p in [p for p in scientists if p.years_of_experience < 8][:8]]
    team = _group(demo, team_program, "Secondary science", Group.Kind.LEARNING_TEAM,
                  "Secondary science: labs, inquiry and student discourse", leads, members)
    team.focus_areas.set([demo.focus_areas[ENGAGEMENT], demo.focus_areas[PLANNING]])
    _sessions(demo, team, leads, members, [
        ("Launching inquiry labs", datetime(2026, 9, 16, 15, 45)),
        ("Looking at student lab reports", datetime(2026, 10, 21, 15, 45)),
        ("Talk moves for science discussions", datetime(2026, 12, 9, 15, 45)),
    ])

    # Peer collaboration: a team across campuses with its hub and release days.
    peers_program = programs["Peer Collaboration Across Campuses"]
    join(peers_program, admin, role.COORDINATOR)
    by_school = {}
    for profile in early + new[10:]:
        by_school.setdefault(profile.school.code, profile)
    peers = [join(peers_program, p.user, role.PEER) for p in list(by_school.values())[:6]]
    peer_team = _group(demo, peers_program, "Across campuses team", Group.Kind.PEER_TEAM,
                       "Student engagement in the first ten minutes", [], peers)
    _sessions(demo, peer_team, [], peers, [
        ("Release day: engagement openers", datetime(2026, 10, 8, 8, 30)),
        ("Release day: sharing what we tried", datetime(2027, 1, 14, 8, 30)),
    ], kind=GroupSession.Kind.RELEASE_DAY, minutes=360)
    _hub(demo, peer_team, [p.user for p in peers])
    for peer in peers:
        _time(demo, peers_program, peer.user, date(2026, 10, 8), TimeLog.Kind.RELEASE_DAY, 360)
    return demo


def _program(demo, district, spec):
    values = {
        "model": spec.model, "status": spec.status, "aims": spec.aims,
        "school_goals": spec.school_goals, "school_year": YEAR, "starts_on": STARTS_ON,
        "ends_on": ENDS_ON, "meeting_days": list(spec.meeting_days),
        "school": demo.schools[spec.school_code] if spec.school_code else None,
        **PRESETS[spec.model], **dict(spec.settings),
    }
    program = upsert(demo, Program, {"district": district, "name": spec.name}, values)
    for name, starts_on, ends_on in TERMS:
        upsert(demo, Term, {"program": program, "name": name},
               {"starts_on": starts_on, "ends_on": ends_on})
    for name, opens_on, closes_on in WINDOWS:
        upsert(demo, ObservationWindow, {"program": program, "name": name},
               {"opens_on": opens_on, "closes_on": closes_on})
    for name, starts_on, ends_on in BLACKOUTS:
        upsert(demo, BlackoutPeriod, {"program": program, "name": name},
               {"starts_on": starts_on, "ends_on": ends_on})
    return program


def _application(demo, participant, profile, preferred):
    application = upsert(demo, Application, {"participant": participant}, {
        "grades": profile.grades_taught, "languages": profile.languages,
        "years_of_experience": profile.years_of_experience,
        "available_days": [1, 3], "available_times": ["after"],
        "statement": "I would like a mentor who teaches my grade and can help me plan "
                     "units and manage a busy classroom.",
    })
    if not application.subjects.exists():
        application.subjects.set(profile.subjects.all())
        application.focus_areas.set(profile.expertise.all()[:2])
        application.preferred_mentors.set(preferred)
        demo.created["application preferences"] += 1


def _group(demo, program, name, kind, focus, leads, members):
    group = upsert(demo, Group, {"program": program, "name": name},
                   {"kind": kind, "focus": focus})
    for participant in leads:
        upsert(demo, GroupMembership, {"group": group, "participant": participant},
               {"is_lead": True})
    for participant in members:
        upsert(demo, GroupMembership, {"group": group, "participant": participant},
               {"is_lead": False})
    return group


def _sessions(demo, group, leads, members, sessions, kind=GroupSession.Kind.MEETING,
              minutes=75):
    zone = ZoneInfo(demo.district.time_zone)
    held_before = datetime(2026, 11, 23, tzinfo=zone)
    for title, starts in sessions:
        starts_at = starts.replace(tzinfo=zone)
        held = starts_at < held_before
        session = upsert(demo, GroupSession, {"group": group, "title": title}, {
            "kind": kind, "starts_at": starts_at, "duration_minutes": minutes,
            "location": "Riverside High School, room 114" if kind == GroupSession.Kind.MEETING
            else "District learning center",
            "agenda": "1. What is working (10 min)\n2. Looking at practice (40 min)\n"
                      "3. Plans and next steps (15 min)\n4. Closing round",
            "opening_whats_working": "Students are using lab notebooks without reminders."
            if held else "",
            "notes": "We compared two approaches and agreed to try one each before the next "
                     "meeting." if held else "",
            "closing_whats_working": "Everyone leaves with one routine to try tomorrow."
            if held else "",
            "created_by": leads[0].user if leads else members[0].user,
        })
        if held:
            for i, participant in enumerate(leads + members):
                upsert(demo, Attendance, {"session": session, "participant": participant},
                       {"status": Attendance.Status.EXCUSED if i % 7 == 6
                        else Attendance.Status.PRESENT})


HUB_THREADS = [
    ("What is one engagement opener that worked this week?", [
        "A two-minute 'would you rather' tied to the lesson. Even my quietest class talked.",
        "Trying that tomorrow. I have had luck with a photo on the board and 'what do you "
        "notice?'",
    ]),
    ("Sharing my exit-ticket template from the release day", [
        "Thank you! I adapted it for sixth grade and added a sentence starter.",
    ]),
]


def _hub(demo, group, authors):
    for i, (body, replies) in enumerate(HUB_THREADS):
        post = upsert(demo, HubPost, {"group": group, "parent": None, "body": body},
                      {"author": authors[i % len(authors)]})
        for j, reply in enumerate(replies):
            upsert(demo, HubPost, {"group": group, "parent": post, "body": reply},
                   {"author": authors[(i + j + 1) % len(authors)]})


def _time(demo, program, user, day, kind, minutes):
    upsert(demo, TimeLog, {"program": program, "user": user, "date": day, "kind": kind},
           {"minutes": minutes, "note": "", "logged_by": user})

