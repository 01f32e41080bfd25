"""A small district made by hand for the impact figures, with every count known:

- Program "Induction 2026-27" (threshold 5, the district's too); three mentors at Hill
  Middle (12 years of experience: experienced).
- Mentees: 6 new teachers at Lincoln Elementary, 5 early-career teachers (2 years) at
  Roosevelt Middle, 2 new teachers at Cedar Primary. Each of the 13 has a mentor.
- Lincoln's mentees: 2 held check-ins each in October 2026, and one missed; Roosevelt's:
  1 held in November. Two cycles closed in January 2027 at Lincoln. Three goals achieved
  on 2027-01-15 at Lincoln.
- Reflections, September 2026: Lincoln's first three rate 2; the other three rate 3, and
  the fourth adds one rated 1 (own mean 2); Roosevelt's five rate 4. March 2027: all
  eleven rate 4. Cedar's two write nothing.
- Time: each mentor logs 120 minutes of release time and 60 of planning in October.
- One badge awarded to a Lincoln mentee in February 2027.
- Staff lists 2026-27: the 13 mentees, the 3 mentors, and 10 new teachers at Lincoln in no
  program. 2027-28: 5 of Lincoln's 6 mentees, all of Roosevelt's, both of Cedar's, 7 of
  the 10 others.
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from dashboards.models import StaffYear
from goals.models import Goal, Reflection
from observations.models import ObservationCycle
from pairing.models import CheckIn
from programs.models import TimeLog
from tests import factories
from tests.goals.factories import GoalFactory, ReflectionFactory
from tests.observations.factories import CycleFactory
from tests.pairing.factories import CheckInFactory, PairingFactory
from tests.portfolio.factories import AwardFactory, BadgeFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory, TimeLogFactory

UTC = ZoneInfo("UTC")
# Words that only the people of a pairing may read: no dashboard ever shows them.
SECRET = "Marigold umbrellas whisper about the staffroom kettle"


def at(*args):
    return datetime(*args, tzinfo=UTC)


def build_district(district=None):
    district = district or factories.DistrictFactory(name="Riverside")
    lincoln = factories.SchoolFactory(district=district, name="Lincoln Elementary")
    roosevelt = factories.SchoolFactory(district=district, name="Roosevelt Middle")
    cedar = factories.SchoolFactory(district=district, name="Cedar Primary")
    hill = factories.SchoolFactory(district=district, name="Hill Middle")
    program = ProgramFactory(district=district, name="Induction 2026-27")
    mentors = [ParticipantFactory(program=program, role="mentor",
                                  user=factories.teacher(hill, years_of_experience=12))
               for _ in range(3)]
    groups = {"lincoln": (lincoln, 6, 0), "roosevelt": (roosevelt, 5, 2), "cedar": (cedar, 2, 0)}
    mentees = {}
    pairings = {}
    index = 0
    for key, (school, count, years) in groups.items():
        mentees[key], pairings[key] = [], []
        for _ in range(count):
            user = factories.teacher(school, years_of_experience=years)
            mentee = ParticipantFactory(program=program, user=user, role="mentee")
            pairings[key].append(PairingFactory(mentor=mentors[index % 3], mentee=mentee))
            mentees[key].append(user)
            index += 1
    for pairing in pairings["lincoln"]:
        CheckInFactory(pairing=pairing, scheduled_at=at(2026, 10, 5, 15), status="held",
                       topics=SECRET, whats_working=SECRET)
        CheckInFactory(pairing=pairing, scheduled_at=at(2026, 10, 19, 15), status="held")
        CheckInFactory(pairing=pairing, scheduled_at=at(2026, 10, 26, 15), status="missed")
    for pairing in pairings["roosevelt"]:
        CheckInFactory(pairing=pairing, scheduled_at=at(2026, 11, 9, 15), status="held")
    for pairing in pairings["lincoln"][:2]:
        CycleFactory(pairing=pairing, stage=ObservationCycle.Stage.CLOSED, focus=SECRET,
                     closed_at=at(2027, 1, 20, 16))
    for pairing in pairings["lincoln"][:3]:
        GoalFactory(participant=pairing.mentee, state=Goal.State.ACHIEVED,
                    achieved_on=date(2027, 1, 15), specific=SECRET)

    def reflect(user, confidence, when, **kwargs):
        entry = ReflectionFactory(author=user, program=program, confidence=confidence,
                                  body=SECRET, **kwargs)
        Reflection.objects.filter(pk=entry.pk).update(created_at=when)

    for number, user in enumerate(mentees["lincoln"]):
        reflect(user, 2 if number < 3 else 3, at(2026, 9, 10, 12))
        reflect(user, 4, at(2027, 3, 10, 12), visibility=Reflection.Visibility.MENTOR)
    reflect(mentees["lincoln"][3], 1, at(2026, 9, 20, 12))
    for user in mentees["roosevelt"]:
        reflect(user, 4, at(2026, 9, 12, 12))
        reflect(user, 4, at(2027, 3, 12, 12))
    for mentor in mentors:
        TimeLogFactory(program=program, user=mentor.user, date=date(2026, 10, 7), minutes=120,
                       kind=TimeLog.Kind.RELEASE_TIME, note=SECRET)
        TimeLogFactory(program=program, user=mentor.user, date=date(2026, 10, 8), minutes=60,
                       kind=TimeLog.Kind.PLANNING)
    badge = BadgeFactory(district=district, program=program)
    AwardFactory(badge=badge, recipient=mentees["lincoln"][0], issued_at=at(2027, 2, 3, 12))

    others = [factories.teacher(lincoln, years_of_experience=0) for _ in range(10)]
    everyone = [u for group in mentees.values() for u in group]
    for user in everyone + [m.user for m in mentors] + others:
        profile = user.staff_profile
        StaffYear.objects.create(district=district, school_year="2026-27", user=user,
                                 school=profile.school, career_stage=profile.career_stage)
    stayed = mentees["lincoln"][:5] + mentees["roosevelt"] + mentees["cedar"] + others[:7]
    for user in stayed:
        StaffYear.objects.create(district=district, school_year="2027-28", user=user,
                                 school=user.staff_profile.school,
                                 career_stage=user.staff_profile.career_stage)
    return SimpleNamespace(district=district, program=program, lincoln=lincoln,
                           roosevelt=roosevelt, cedar=cedar, hill=hill, mentors=mentors,
                           mentees=mentees, pairings=pairings, others=others,
                           checkins=CheckIn.objects.filter(pairing__program=program),
                           now=timezone.now())
