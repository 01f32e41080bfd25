"""Badges of the demo district (`manage.py seed_demo`): district badges for reflections,
mentor training (the demo mentor's two training days are logged here) and group sessions;
the induction program's badges for goals achieved and observation cycles (completed and
coached), and one a coordinator awards by hand, held by the demo mentee. The automatic ones
are awarded by the same check the background runs, to whoever the demo's goals,
reflections, sessions and cycles have earned them. Rows are found by their natural keys and
awards are made once, so a second run changes nothing."""

from dataclasses import dataclass
from datetime import date

from accounts.demo import upsert
from accounts.models import User
from programs.demo import DISTRICT_ADMIN, MENTEE, MENTOR
from programs.models import Program, TimeLog

from . import services
from .models import Award, Badge, BadgeColor, Criterion, Issuer

INDUCTION = "New Teacher Induction"


@dataclass(frozen=True)
class BadgeSpec:
    name: str
    program: str | None
    criterion: str
    threshold: int
    color: str
    description: str
    criteria: str


BADGES = [
    BadgeSpec("Reflective practitioner", None, Criterion.REFLECTIONS_WRITTEN, 2,
              BadgeColor.PURPLE,
              "Makes reflection a habit: looks back on teaching and learns from it.",
              "Share two reflections with your mentor or your group in any of the "
              "district's programs. Private entries stay private and do not count."),
    BadgeSpec("Mentor training", None, Criterion.MENTOR_TRAINING, 6, BadgeColor.TEAL,
              "Completed the district's mentor training.",
              "Six hours of mentor training: the program's training workshops and other "
              "training logged as protected time."),
    BadgeSpec("Team player", None, Criterion.SESSIONS_ATTENDED, 1, BadgeColor.BROWN,
              "Took part in a learning team, cohort or peer team.",
              "Attend a group session of a team."),
    BadgeSpec("First goal achieved", INDUCTION, Criterion.GOALS_ACHIEVED, 1, BadgeColor.GREEN,
              "Set a SMART goal with a mentor and reached it.",
              "Achieve one goal in the induction program."),
    BadgeSpec("Observed and growing", INDUCTION, Criterion.CYCLES_COMPLETED, 2,
              BadgeColor.BLUE,
              "Opened the classroom door for feedback and acted on it.",
              "Complete two observation cycles, from the pre-conference to the reflection on "
              "the debrief."),
    BadgeSpec("Observation coach", INDUCTION, Criterion.CYCLES_COACHED, 2, BadgeColor.RED,
              "Coached new teachers through observation cycles.",
              "Coach two observation cycles to the end as the mentor."),
    BadgeSpec("Community builder", INDUCTION, Criterion.MANUAL, 1, BadgeColor.GREEN,
              "Brought colleagues, students and families together.",
              "Awarded by the program's coordinator for work that builds the school's "
              "community, with evidence of what was done."),
]
# The demo mentor's training before the school year, logged as protected time.
TRAINING_DAYS = [(date(2026, 8, 18), "Mentor training, day 1: coaching conversations"),
                 (date(2026, 8, 19), "Mentor training, day 2: observing and debriefing")]
EVIDENCE = ("Organised the first-grade family literacy night with two colleagues: forty "
            "families came, and the reading corners are still in use.")


def seed_portfolio(demo):
    district = demo.district
    admin = User.objects.get(email=DISTRICT_ADMIN)
    upsert(demo, Issuer, {"district": district},
           {"name": f"{district.name} Mentoring",
            "email": "mentoring@riverside.example.org",
            "description": "The teacher induction and mentoring programs of the district."})
    programs = {p.name: p for p in Program.objects.filter(district=district)}
    mentor = User.objects.get(email=MENTOR)
    for day, note in TRAINING_DAYS:
        upsert(demo, TimeLog, {"program": programs[INDUCTION], "user": mentor, "date": day,
                               "kind": TimeLog.Kind.TRAINING},
               {"minutes": 180, "note": note, "logged_by": mentor})
    badges = []
    for spec in BADGES:
        badges.append(upsert(demo, Badge, {
            "district": district, "program": programs[spec.program] if spec.program else None,
            "name": spec.name},
            {"criterion": spec.criterion, "threshold": spec.threshold, "color": spec.color,
             "description": spec.description, "criteria": spec.criteria, "active": True,
             "created_by": admin}))
    for badge in badges:
        made = services.check_badge(badge.pk) if badge.is_automatic else 0
        demo.created["award"] += made
    mentee = User.objects.get(email=MENTEE)
    manual = badges[-1]
    if not Award.objects.filter(badge=manual, recipient=mentee).exists():
        Award.issue(badge=manual, recipient_id=mentee.pk, email=mentee.email,
                    method=Award.Method.MANUAL, awarded_by=admin, evidence=EVIDENCE).save()
        demo.created["award"] += 1
