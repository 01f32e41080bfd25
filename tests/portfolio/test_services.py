"""Awarding badges: by hand with evidence, and by the background check, once per person
and badge whatever runs twice; the counts each criterion reads; revoking and reinstating."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from portfolio import services, tasks
from portfolio.models import Award, Badge, Criterion, Issuer, hashed_email
from programs.models import Attendance, GroupSession, Participant, TimeLog
from tests import factories
from tests.portfolio.factories import AwardFactory, BadgeFactory
from tests.programs.factories import (
    AttendanceFactory,
    GroupFactory,
    GroupSessionFactory,
    ParticipantFactory,
    ProgramFactory,
    TimeLogFactory,
)

pytestmark = pytest.mark.django_db


def participant(program, user, role=Participant.Role.MENTEE):
    return (Participant.objects.filter(program=program, user=user, role=role).first()
            or ParticipantFactory(program=program, user=user, role=role))


def attend(program, user, times, status=Attendance.Status.PRESENT, kind=None, minutes=60):
    group = GroupFactory(program=program)
    member = participant(program, user)
    for _ in range(times):
        session = GroupSessionFactory(group=group, duration_minutes=minutes,
                                      kind=kind or GroupSession.Kind.MEETING)
        AttendanceFactory(session=session, participant=member, status=status)


def sessions_badge(program=None, district=None, threshold=3, **kwargs):
    return BadgeFactory(district=district or program.district, program=program,
                        criterion=Criterion.SESSIONS_ATTENDED, threshold=threshold, **kwargs)


def holders(badge):
    return sorted(badge.awards.values_list("recipient__display_name", flat=True))


def test_the_check_awards_who_reached_the_threshold_and_no_one_else(program_people):
    program = program_people.program
    badge = sessions_badge(program)
    attend(program, program_people.mentee, 3)
    attend(program, program_people.mentor, 2)
    attend(program, program_people.coordinator, 5, status=Attendance.Status.ABSENT)

    assert services.check_badge(badge.pk) == 1

    award = badge.awards.get()
    assert award.recipient == program_people.mentee
    assert award.method == Award.Method.AUTOMATIC
    assert award.identity == hashed_email(program_people.mentee.email, award.salt)
    assert award.identity.startswith("sha256$")
    assert award.matches_email(program_people.mentee.email.upper())
    assert not award.matches_email(program_people.mentor.email)
    assert Badge.objects.get(pk=badge.pk).checked_at is not None


def test_running_the_check_twice_awards_nothing_more(program_people):
    program = program_people.program
    badge = sessions_badge(program, threshold=1)
    attend(program, program_people.mentee, 1)
    attend(program, program_people.mentor, 1)

    assert services.check_badge(badge.pk) == 2
    assert services.check_badge(badge.pk) == 0
    assert tasks.check_badges() == 1  # the tick, tasks run at once in tests
    assert badge.awards.count() == 2


def test_the_database_refuses_a_second_award_of_the_same_badge(program_people):
    badge = sessions_badge(program_people.program)
    AwardFactory(badge=badge, recipient=program_people.mentee)

    with pytest.raises(IntegrityError):
        AwardFactory(badge=badge, recipient=program_people.mentee)


def test_a_program_badge_counts_that_program_and_a_district_badge_the_whole_district(
        people, program_people):
    program, other = program_people.program, program_people.other_program
    attend(program, program_people.mentee, 2)
    attend(other, program_people.mentee, 2)
    # A program of another district counts for nothing here.
    elsewhere = ProgramFactory(district=people.elsewhere.district)
    attend(elsewhere, people.outsider_teacher, 9)
    program_badge = sessions_badge(program)
    district_badge = sessions_badge(district=people.district, name="District regular")

    assert services.check_badge(program_badge.pk) == 0
    assert services.check_badge(district_badge.pk) == 1
    assert holders(district_badge) == [program_people.mentee.display_name]


def test_mentor_training_counts_workshop_hours_and_training_time(program_people):
    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program,
                         criterion=Criterion.MENTOR_TRAINING, threshold=3)
    mentor = program_people.mentor
    attend(program, mentor, 2, kind=GroupSession.Kind.WORKSHOP, minutes=60)
    # A team meeting is not training, nor is planning time.
    attend(program, mentor, 3, kind=GroupSession.Kind.MEETING)
    TimeLogFactory(program=program, user=mentor, kind=TimeLog.Kind.PLANNING, minutes=120)
    assert services.check_badge(badge.pk) == 0

    TimeLogFactory(program=program, user=mentor, kind=TimeLog.Kind.TRAINING, minutes=60)
    assert services.check_badge(badge.pk) == 1
    assert holders(badge) == [mentor.display_name]


def test_a_revoked_award_is_not_made_again_by_the_check(program_people):
    program = program_people.program
    badge = sessions_badge(program, threshold=1)
    attend(program, program_people.mentee, 1)
    services.check_badge(badge.pk)
    award = badge.awards.get()

    services.revoke_award(award=award, by=program_people.coordinator, reason="Recorded twice")
    assert services.check_badge(badge.pk) == 0
    award.refresh_from_db()
    assert award.is_revoked and award.revocation_reason == "Recorded twice"

    services.reinstate_award(award=award, by=program_people.coordinator)
    award.refresh_from_db()
    assert not award.is_revoked and award.revocation_reason == ""


def test_retired_and_manual_badges_are_not_checked(program_people):
    program = program_people.program
    attend(program, program_people.mentee, 5)
    retired = sessions_badge(program, active=False, name="Old")
    manual = BadgeFactory(district=program.district, program=program)

    assert services.check_badge(retired.pk) == 0
    assert services.check_badge(manual.pk) == 0
    assert Award.objects.count() == 0


def test_a_coordinator_awards_by_hand_with_evidence(program_people):
    badge = BadgeFactory(district=program_people.program.district,
                         program=program_people.program)
    award = services.award_badge(badge=badge, recipient=program_people.mentee,
                                 awarded_by=program_people.coordinator,
                                 evidence="Led the science fair night.")

    assert award.method == Award.Method.MANUAL
    assert award.awarded_by == program_people.coordinator
    assert award.matches_email(program_people.mentee.email)


@pytest.mark.parametrize("case, message", [
    ("no evidence", "Say what the person did to earn it."),
    ("twice", "This person already has this badge."),
    ("oneself", "Someone else awards you a badge."),
    ("outside the program", "this person does not take part in it"),
    ("retired", "This badge is retired and can no longer be awarded."),
])
def test_awarding_by_hand_is_refused_with_a_reason(people, program_people, case, message):
    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program,
                         active=case != "retired")
    recipient = {"oneself": program_people.coordinator,
                 "outside the program": program_people.other_participant}.get(
        case, program_people.mentee)
    if case == "twice":
        AwardFactory(badge=badge, recipient=recipient)

    with pytest.raises(ValidationError) as error:
        services.award_badge(badge=badge, recipient=recipient,
                             awarded_by=program_people.coordinator,
                             evidence="" if case == "no evidence" else "Did it.")
    assert message in " ".join(error.value.messages)
    assert Award.objects.filter(method=Award.Method.MANUAL).count() == 0


def test_who_earns_a_badge_is_fixed_once_someone_holds_it(program_people):
    badge = sessions_badge(program_people.program)
    AwardFactory(badge=badge, recipient=program_people.mentee)
    badge.threshold = 10
    with pytest.raises(ValidationError):
        services.save_badge(badge=badge, by=program_people.coordinator)

    badge.threshold = 3
    badge.description = "Clearer words."
    services.save_badge(badge=badge, by=program_people.coordinator)
    assert Badge.objects.get(pk=badge.pk).description == "Clearer words."


def test_saving_an_automatic_badge_awards_it_at_once_and_makes_the_issuer(
        program_people, django_capture_on_commit_callbacks):
    program = program_people.program
    attend(program, program_people.mentee, 1)
    badge = Badge(district=program.district, program=program, name="First session",
                  description="Came to a session.", criteria="Attend one group session.",
                  criterion=Criterion.SESSIONS_ATTENDED, threshold=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.save_badge(badge=badge, by=program_people.coordinator)

    assert holders(badge) == [program_people.mentee.display_name]
    assert Issuer.objects.filter(district=program.district).count() == 1


def test_a_badge_of_another_districts_program_is_refused(people, program_people):
    elsewhere = ProgramFactory(district=people.elsewhere.district)
    badge = Badge(district=people.district, program=elsewhere, name="Wrong",
                  description="x", criteria="x")
    with pytest.raises(ValidationError):
        services.save_badge(badge=badge, by=people.district_admin)


def test_people_who_left_the_district_are_not_awarded(program_people):
    program = program_people.program
    badge = sessions_badge(program, threshold=1)
    attend(program, program_people.mentee, 1)
    program_people.mentee.is_active = False
    program_people.mentee.save(update_fields=["is_active"])

    assert services.check_badge(badge.pk) == 0
    assert factories  # the shared factories made everyone above


def test_goals_achieved_count_the_owners_achieved_goals_only(program_people):
    from goals.models import Goal
    from tests.goals.factories import GoalFactory

    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program,
                         criterion=Criterion.GOALS_ACHIEVED, threshold=1)
    mentee = participant(program, program_people.mentee)
    GoalFactory(participant=mentee, state=Goal.State.ACTIVE)
    GoalFactory(participant=mentee, state=Goal.State.REVISED)
    other = GoalFactory(participant=participant(program_people.other_program,
                                                program_people.other_participant),
                        state=Goal.State.ACHIEVED, achieved_on=date(2026, 11, 2))
    assert services.check_badge(badge.pk) == 0

    GoalFactory(participant=mentee, state=Goal.State.ACHIEVED, achieved_on=date(2026, 11, 2))
    assert services.check_badge(badge.pk) == 1
    assert holders(badge) == [program_people.mentee.display_name]
    assert other.owner not in [a.recipient for a in badge.awards.all()]


def test_reflections_count_only_the_entries_the_author_shared(program_people):
    from goals.models import Reflection
    from tests.goals.factories import ReflectionFactory

    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program,
                         criterion=Criterion.REFLECTIONS_WRITTEN, threshold=2)
    # A private journal stays private: however many private entries, no badge says so.
    for _ in range(3):
        ReflectionFactory(author=program_people.mentee, program=program,
                          visibility=Reflection.Visibility.PRIVATE)
    ReflectionFactory(author=program_people.mentee, program=program,
                      visibility=Reflection.Visibility.MENTOR)
    assert services.check_badge(badge.pk) == 0

    ReflectionFactory(author=program_people.mentee, program=program,
                      visibility=Reflection.Visibility.GROUP)
    assert services.check_badge(badge.pk) == 1
    assert holders(badge) == [program_people.mentee.display_name]


def test_observation_cycles_count_closed_cycles_on_each_side(program_people):
    from observations.models import ObservationCycle
    from tests.observations.factories import CycleFactory
    from tests.pairing.factories import PairingFactory

    program = program_people.program
    pairing = PairingFactory(mentor=participant(program, program_people.mentor,
                                                Participant.Role.MENTOR),
                             mentee=participant(program, program_people.mentee))
    observed = BadgeFactory(district=program.district, program=program,
                            criterion=Criterion.CYCLES_COMPLETED, threshold=2)
    coached = BadgeFactory(district=program.district, program=program,
                           criterion=Criterion.CYCLES_COACHED, threshold=2)
    CycleFactory(pairing=pairing, stage=ObservationCycle.Stage.CLOSED)
    CycleFactory(pairing=pairing, stage=ObservationCycle.Stage.DEBRIEF)
    assert services.check_badge(observed.pk) == services.check_badge(coached.pk) == 0

    CycleFactory(pairing=pairing, stage=ObservationCycle.Stage.CLOSED)
    assert services.check_badge(observed.pk) == services.check_badge(coached.pk) == 1
    assert holders(observed) == [program_people.mentee.display_name]
    assert holders(coached) == [program_people.mentor.display_name]


def test_only_those_who_manage_a_badge_award_revoke_and_reinstate_it(people, program_people):
    from django.core.exceptions import PermissionDenied

    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program)
    for stranger in (program_people.other_participant, program_people.mentor,
                     people.outsider):
        with pytest.raises(PermissionDenied):
            services.award_badge(badge=badge, recipient=program_people.mentee,
                                 awarded_by=stranger, evidence="Did it.")
    assert not Award.objects.exists()

    award = services.award_badge(badge=badge, recipient=program_people.mentee,
                                 awarded_by=program_people.coordinator, evidence="Did it.")
    with pytest.raises(PermissionDenied):
        services.revoke_award(award=award, by=people.outsider, reason="because")
    with pytest.raises(PermissionDenied):
        services.revoke_award(award=award, by=program_people.mentee, reason="because")
    assert not Award.objects.get(pk=award.pk).is_revoked

    services.revoke_award(award=award, by=program_people.coordinator, reason="Twice")
    with pytest.raises(PermissionDenied):
        services.reinstate_award(award=award, by=people.outsider)
    assert Award.objects.get(pk=award.pk).is_revoked


def test_only_those_who_manage_a_program_make_or_change_its_badges(people, program_people):
    from django.core.exceptions import PermissionDenied

    program = program_people.program

    def new_badge(**extra):
        return Badge(**{"district": program.district, "program": program, "name": "Made",
                        "description": "x", "criteria": "x", **extra})

    for stranger in (program_people.mentee, program_people.other_participant,
                     people.outsider):
        with pytest.raises(PermissionDenied):
            services.save_badge(badge=new_badge(), by=stranger)
    # A coordinator makes badges of their program, not the district's own.
    with pytest.raises(PermissionDenied):
        services.save_badge(badge=new_badge(program=None), by=program_people.coordinator)
    assert not Badge.objects.exists()

    badge = services.save_badge(badge=new_badge(), by=program_people.coordinator)
    badge.description = "Changed by someone else"
    with pytest.raises(PermissionDenied):
        services.save_badge(badge=badge, by=program_people.other_participant)
    assert Badge.objects.get(pk=badge.pk).description == "x"


def test_two_badges_of_one_name_saved_at_once_give_a_message(program_people, monkeypatch):
    program = program_people.program
    BadgeFactory(district=program.district, program=program, name="Same")
    # The second save passed its checks before the first was stored.
    monkeypatch.setattr(Badge, "validate_constraints", lambda self, exclude=None: None)
    monkeypatch.setattr(Badge, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as error:
        services.save_badge(badge=Badge(district=program.district, program=program,
                                        name="Same", description="x", criteria="x"),
                            by=program_people.coordinator)
    assert error.value.message_dict == {"name": ["There is already a badge of this name."]}
