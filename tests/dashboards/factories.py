"""A small program made by hand, whose health figures are known in advance; and a way to
grow any program by many pairings, for the query-count tests."""

from datetime import date, datetime, time, timedelta

from goals.models import Goal, Reflection
from observations.models import ObservationCycle
from pairing.models import CheckIn, Pairing, RematchRequest
from programs.models import Attendance, Participant, Term
from tests import factories
from tests.goals.factories import GoalFactory, ReflectionFactory, ReflectionReplyFactory
from tests.observations.factories import CycleFactory, full_cycle
from tests.pairing.days import CHICAGO
from tests.pairing.factories import CheckInFactory, PairingFactory
from tests.programs.factories import (
    ApplicationFactory,
    GroupFactory,
    GroupMembershipFactory,
    GroupSessionFactory,
    ParticipantFactory,
    TimeLogFactory,
)

# The clock fixture's Monday.
TODAY = date(2026, 12, 7)
# Words written in notes, debriefs, check-ins and private reflections: no dashboard may
# ever show them.
SECRETS = {
    "note": "Narwhal counted the pencils twice",
    "debrief": "Ocelot strengths in the plenary",
    "growth": "Platypus wait time after questions",
    "private": "Quokka worry about the Friday meeting",
    "shared": "Wombat reflection shared with my mentor",
    "checkin": "Yak talked about the parents evening",
    "rematch": "Zebu says the pairing does not work",
}


def days_ago(days, hour=10):
    return datetime.combine(TODAY - timedelta(days=days), time(hour), tzinfo=CHICAGO)


def held(pairing, days, **kwargs):
    return CheckInFactory(pairing=pairing, status=CheckIn.Status.HELD,
                          scheduled_at=days_ago(days), minutes_spent=30, **kwargs)


def reflect(author, program, days, confidence, visibility, body="A steady week."):
    entry = ReflectionFactory(author=author, program=program, confidence=confidence,
                              visibility=visibility, body=body)
    Reflection.objects.filter(pk=entry.pk).update(
        created_at=days_ago(days), shared_at=None if visibility == "private" else days_ago(days))
    entry.refresh_from_db()
    return entry


def extra_pair(program, school, name, *, started_on=date(2026, 9, 1), due_in=7,
               status=Pairing.Status.ACTIVE):
    mentor = ParticipantFactory(
        program=program, role=Participant.Role.MENTOR,
        user=factories.teacher(school, user__display_name=f"{name}'s mentor"))
    mentee = ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                user=factories.teacher(school, user__display_name=name))
    return PairingFactory(mentor=mentor, mentee=mentee, status=status, started_on=started_on,
                          next_checkin_due_on=TODAY + timedelta(days=due_in))


def health_scene(people, program_people, pair):
    """The induction program with a cadence of 14 days, two observation cycles per pairing
    and term, and 120 minutes of protected time a month:

    - Ann (the district's teacher, Lincoln) with her mentor: met 3 days ago, observed 10
      days ago (a closed cycle) and a cycle in planning, an active goal; on track.
    - Bea (Roosevelt): last met 40 days ago, her check-in due 10 days ago: overdue by 10
      days and flagged for no check-in in two cadence periods; a draft goal.
    - Cal (Roosevelt): met 5 days ago; shared confidence 4 and 4 a month or more ago, 2
      and 3 in the last month (a private 5 does not count): flagged for falling confidence;
      an achieved goal; one shared entry answered, one waiting.
    - Dee (Roosevelt): met 2 days ago; absent from two team sessions in the last four
      weeks and asked for a rematch: flagged for both.
    - Eli (Roosevelt): paused.
    - Fay: an active mentee with no pairing; Gus: an application waiting.
    """
    program = program_people.program
    program.checkin_cadence_days = 14
    program.observation_cycles_per_term = 2
    program.protected_minutes_per_month = 120
    program.save()
    fall = Term.objects.create(program=program, name="Fall", starts_on=date(2026, 8, 17),
                               ends_on=date(2026, 12, 18))
    Term.objects.create(program=program, name="Spring", starts_on=date(2027, 1, 4),
                        ends_on=date(2027, 6, 11))
    other = people.other_school
    ann = pair
    Pairing.objects.filter(pk=ann.pk).update(next_checkin_due_on=TODAY + timedelta(days=7))
    held(ann, 3, topics=SECRETS["checkin"], whats_working=SECRETS["checkin"])
    observed = full_cycle(ann, note=SECRETS["note"], strengths=SECRETS["debrief"],
                          growth=SECRETS["growth"])
    ObservationCycle.objects.filter(pk=observed.pk).update(
        observed_at=days_ago(10), closed_at=days_ago(9), created_at=days_ago(20))
    planning = CycleFactory(pairing=ann)
    ObservationCycle.objects.filter(pk=planning.pk).update(created_at=days_ago(1))
    GoalFactory(participant=ann.mentee, state=Goal.State.ACTIVE)
    reflect(ann.mentee.user, program, 2, 5, "private", body=SECRETS["private"])

    bea = extra_pair(program, other, "Bea", due_in=-10)
    held(bea, 40)
    GoalFactory(participant=bea.mentee, state=Goal.State.DRAFT)

    cal = extra_pair(program, other, "Cal")
    held(cal, 5)
    reflect(cal.mentee.user, program, 40, 4, "group")
    reflect(cal.mentee.user, program, 50, 4, "group")
    answered = reflect(cal.mentee.user, program, 10, 2, "mentor", body=SECRETS["shared"])
    reflect(cal.mentee.user, program, 20, 3, "mentor")
    reflect(cal.mentee.user, program, 12, 5, "private", body=SECRETS["private"])
    ReflectionReplyFactory(reflection=answered, author=cal.mentor.user)
    GoalFactory(participant=cal.mentee, state=Goal.State.ACHIEVED, achieved_on=TODAY)

    dee = extra_pair(program, other, "Dee")
    held(dee, 2)
    team = GroupFactory(program=program, name="Primary team")
    GroupMembershipFactory(group=team, participant=dee.mentee)
    for days, status in ((6, "absent"), (13, "absent"), (20, "present"), (40, "absent")):
        session = GroupSessionFactory(group=team, starts_at=days_ago(days, 16))
        Attendance.objects.create(session=session, participant=dee.mentee, status=status)
    RematchRequest.objects.create(pairing=dee, requested_by=dee.mentee.user,
                                  reason=SECRETS["rematch"])

    eli = extra_pair(program, other, "Eli", status=Pairing.Status.PAUSED)
    ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                       user=factories.teacher(other, user__display_name="Fay"))
    ApplicationFactory(participant__program=program,
                       participant__user=factories.teacher(other, user__display_name="Gus"))
    TimeLogFactory(program=program, user=ann.mentee.user, date=date(2026, 11, 10), minutes=60)
    TimeLogFactory(program=program, user=ann.mentor.user, date=date(2026, 11, 12), minutes=90)
    TimeLogFactory(program=program, user=cal.mentee.user, date=date(2026, 12, 2), minutes=45)
    return {"program": program, "ann": ann, "bea": bea, "cal": cal, "dee": dee, "eli": eli,
            "fall": fall, "team": team, "observed": observed}


def grow(program, school, size):
    """`size` more pairings with what makes every figure move: held check-ins, a cycle,
    shared and private reflections, goals, time logs, a team session missed, a rematch."""
    team = GroupFactory(program=program)
    session = GroupSessionFactory(group=team, starts_at=days_ago(3, 16))
    for index in range(size):
        pairing = extra_pair(program, school, f"Grown {program.pk}-{index}",
                             due_in=-index % 5)
        held(pairing, index % 40)
        CycleFactory(pairing=pairing)
        reflect(pairing.mentee.user, program, index % 50, 1 + index % 5, "mentor")
        reflect(pairing.mentee.user, program, 5, 3, "private")
        GoalFactory(participant=pairing.mentee)
        TimeLogFactory(program=program, user=pairing.mentee.user, date=TODAY, minutes=30)
        GroupMembershipFactory(group=team, participant=pairing.mentee)
        Attendance.objects.create(session=session, participant=pairing.mentee,
                                  status="absent")
        if index % 3 == 0:
            RematchRequest.objects.create(pairing=pairing, requested_by=pairing.mentor.user,
                                          reason="Different schedules")
            ReflectionReplyFactory(
                reflection=reflect(pairing.mentee.user, program, 2, 2, "mentor"),
                author=pairing.mentor.user)
