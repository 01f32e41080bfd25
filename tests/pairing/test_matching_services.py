"""Running the matching on a program's people, reviewing proposals and approving them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import FocusArea, Subject
from pairing.models import MatchingRun, Pairing, PairingEvent
from pairing.services import matching
from pairing.signals import pairings_approved
from programs.models import GroupMembership, Participant
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.factories import PairingFactory
from tests.programs.factories import (
    ApplicationFactory,
    GroupFactory,
    ParticipantFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_program(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE,
                             starts_on=timezone.localdate() - timedelta(days=30),
                             ends_on=timezone.localdate() + timedelta(days=200))
    return program


def join(program, role, *, school, years=0, subjects=(), focus=(), grades=(), preferred=(),
         capacity=None, name=None):
    user = factories.teacher(school, **({"user__display_name": name} if name else {}))
    participant = ParticipantFactory(program=program, user=user, role=role,
                                     capacity=capacity)
    application = ApplicationFactory(participant=participant, years_of_experience=years,
                                     grades=list(grades))
    application.subjects.set(subjects)
    application.focus_areas.set(focus)
    application.preferred_mentors.set(preferred)
    return participant


def subject(district, name):
    return Subject.objects.create(district=district, name=name)


def test_a_run_proposes_the_best_pairs_and_explains_each_score(people, district_program):
    math = subject(people.district, "Mathematics")
    art = subject(people.district, "Art")
    mentor_math = join(district_program, "mentor", school=people.school, years=12,
                       subjects=[math], grades=["06"])
    mentor_art = join(district_program, "mentor", school=people.other_school, years=9,
                      subjects=[art], grades=["01"])
    mentee_math = join(district_program, "mentee", school=people.school, subjects=[math],
                       grades=["07"])
    mentee_art = join(district_program, "mentee", school=people.other_school,
                      subjects=[art], grades=["02"])

    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    proposals = {p.mentee_id: p for p in run.proposals.all()}
    assert proposals[mentee_math.pk].mentor_id == mentor_math.pk
    assert proposals[mentee_art.pk].mentor_id == mentor_art.pk
    for proposal in proposals.values():
        assert proposal.status == Pairing.Status.PROPOSED
        assert proposal.breakdown["subject"] == 5 and proposal.breakdown["grade_band"] == 4
        assert proposal.score == pytest.approx(sum(proposal.breakdown.values()))
    assert run.unmatched == {}


def test_capacity_and_exclusions_are_never_broken(people, district_program):
    mentor = join(district_program, "mentor", school=people.school, years=10)
    mentees = [join(district_program, "mentee", school=people.school) for _ in range(3)]
    matching.add_exclusion(district_program, people.district_admin, person=mentor.user,
                           other=mentees[0].user, reason="evaluates")

    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    # One-on-one: one mentee per mentor, never the one they evaluate.
    assert run.proposals.count() == 1
    assert run.proposals.get().mentee_id != mentees[0].pk
    assert run.unmatched[str(mentees[0].pk)] == "excluded"
    left = [m for m in mentees[1:] if not run.proposals.filter(mentee=m).exists()]
    assert [run.unmatched[str(m.pk)] for m in left] == ["full"]


def test_group_programs_give_a_mentor_several_mentees(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.GROUP)
    join(program, "mentor", school=people.school, years=10, capacity=2)
    for _ in range(3):
        join(program, "mentee", school=people.school)

    run = matching.start_run(program, people.district_admin, kind="pairs")

    assert run.proposals.count() == 2
    assert len(run.unmatched) == 1


def test_a_locked_pair_stays_when_the_matching_runs_again(people, district_program):
    mentors = [join(district_program, "mentor", school=people.school, years=10)
               for _ in range(2)]
    mentees = [join(district_program, "mentee", school=people.school) for _ in range(2)]
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    kept = run.proposals.get(mentee=mentees[0])
    matching.set_locked(run, kept.pk, True, by=people.district_admin)

    again = matching.start_run(district_program, people.district_admin, kind="pairs")

    assert again.pk == run.pk
    assert again.proposals.filter(pk=kept.pk, mentor=kept.mentor_id).exists()
    assert again.proposals.count() == 2
    assert {p.mentor_id for p in again.proposals.all()} == {m.pk for m in mentors}


def test_change_mentor_rescores_and_refuses_a_full_or_excluded_mentor(people,
                                                                       district_program):
    math = subject(people.district, "Mathematics")
    first = join(district_program, "mentor", school=people.school, years=10, subjects=[math])
    second = join(district_program, "mentor", school=people.school, years=10)
    spare = join(district_program, "mentor", school=people.school, years=1)
    mentee = join(district_program, "mentee", school=people.school, subjects=[math])
    other_mentee = join(district_program, "mentee", school=people.school)
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    proposal = run.proposals.get(mentee=mentee)
    assert proposal.mentor_id == first.pk
    taken = run.proposals.get(mentee=other_mentee).mentor_id

    changed = matching.change_mentor(run, proposal.pk, spare.pk if taken != spare.pk else
                                     ({first.pk, second.pk, spare.pk} - {taken}).pop(),
                                     by=people.district_admin)
    assert changed.overridden
    assert changed.breakdown["subject"] == 0
    assert changed.score == pytest.approx(sum(changed.breakdown.values()))

    with pytest.raises(ValidationError) as error:
        matching.change_mentor(run, proposal.pk, taken, by=people.district_admin)
    assert "no open place" in str(error.value)
    matching.add_exclusion(district_program, people.district_admin, person=first.user,
                           other=mentee.user, reason="evaluates")
    with pytest.raises(ValidationError):
        matching.change_mentor(run, proposal.pk, first.pk, by=people.district_admin)


def test_swap_exchanges_mentors_and_updates_both_scores(people, district_program):
    math = subject(people.district, "Mathematics")
    art = subject(people.district, "Art")
    mentor_math = join(district_program, "mentor", school=people.school, years=10,
                       subjects=[math])
    mentor_art = join(district_program, "mentor", school=people.school, years=10,
                      subjects=[art])
    a = join(district_program, "mentee", school=people.school, subjects=[math])
    b = join(district_program, "mentee", school=people.school, subjects=[art])
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    pa, pb = run.proposals.get(mentee=a), run.proposals.get(mentee=b)

    first, second = matching.swap(run, pa.pk, pb.pk, by=people.district_admin)

    assert first.mentor_id == mentor_art.pk and second.mentor_id == mentor_math.pk
    assert first.breakdown["subject"] == 0 and second.breakdown["subject"] == 0
    assert first.score < pa.score


def test_approval_makes_active_pairings_with_a_first_check_in_due(
        people, district_program, django_capture_on_commit_callbacks):
    join(district_program, "mentor", school=people.school, years=10)
    mentee = join(district_program, "mentee", school=people.school)
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    received = []
    pairings_approved.connect(lambda **kw: received.append(kw["pairing_ids"]), weak=False,
                              dispatch_uid="test-approved")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            pairings = matching.approve(run, people.district_admin)
    finally:
        pairings_approved.disconnect(dispatch_uid="test-approved")

    pairing = Pairing.objects.get(mentee=mentee)
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.started_on == timezone.localdate()
    assert pairing.next_checkin_due_on > timezone.localdate()
    assert pairing.events.get().kind == PairingEvent.Kind.APPROVED
    run.refresh_from_db()
    assert run.state == MatchingRun.State.APPROVED
    assert [p.pk for p in pairings] == [pairing.pk]
    assert received == [[pairing.pk]]
    with pytest.raises(ValidationError):
        matching.approve(run, people.district_admin)


def test_people_in_an_open_pairing_are_not_matched_again(people, district_program):
    mentor = join(district_program, "mentor", school=people.school, years=10, capacity=1)
    mentee = join(district_program, "mentee", school=people.school)
    PairingFactory(mentor=mentor, mentee=mentee)
    spare = join(district_program, "mentor", school=people.school, years=10)

    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    assert not run.proposals.exists()
    # The full mentor is not left over; the one with a place is, for want of mentees.
    assert run.unmatched == {str(spare.pk): "no_mentee"}


def test_one_open_pairing_per_mentee_is_a_database_rule(people, district_program):
    mentee = join(district_program, "mentee", school=people.school)
    first = join(district_program, "mentor", school=people.school)
    second = join(district_program, "mentor", school=people.school)
    PairingFactory(mentor=first, mentee=mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        PairingFactory(mentor=second, mentee=mentee)
    # An ended pairing does not hold the mentee.
    Pairing.objects.filter(mentee=mentee).update(status=Pairing.Status.ENDED)
    PairingFactory(mentor=second, mentee=mentee)


def test_a_school_rep_matches_only_their_school(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    join(program, "mentor", school=people.school, years=10)
    join(program, "mentor", school=people.other_school, years=10)
    here = join(program, "mentee", school=people.school)
    join(program, "mentee", school=people.other_school)

    run = matching.start_run(program, people.teacher, kind="pairs", school_id=people.school.pk)

    assert [p.mentee_id for p in run.proposals.all()] == [here.pk]
    assert run.proposals.get().mentor.school == people.school


def test_school_scope_keeps_pairs_inside_a_school(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    mentor = join(program, "mentor", school=people.other_school, years=10)
    mentee = join(program, "mentee", school=people.school)

    run = matching.start_run(program, people.district_admin, kind="pairs")

    assert not run.proposals.exists()
    assert run.unmatched == {str(mentee.pk): "out_of_scope", str(mentor.pk): "no_mentee"}


def test_peers_are_paired_from_one_pool(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.PEER)
    peers = [join(program, "peer", school=people.school) for _ in range(5)]

    run = matching.start_run(program, people.district_admin, kind="peers")

    assert run.proposals.count() == 2
    paired = {p for pr in run.proposals.all() for p in (pr.mentor_id, pr.mentee_id)}
    assert len(paired) == 4
    assert list(run.unmatched.values()) == ["no_partner"]
    assert set(map(int, run.unmatched)) == {p.pk for p in peers} - paired


def test_cohort_members_are_placed_into_groups_by_focus(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.COHORT)
    literacy = FocusArea.objects.create(district=people.district, name="Literacy")
    behaviour = FocusArea.objects.create(district=people.district, name="Behaviour")
    reading = GroupFactory(program=program, name="Readers", kind="sub_team")
    reading.focus_areas.set([literacy])
    routines = GroupFactory(program=program, name="Routines", kind="sub_team")
    routines.focus_areas.set([behaviour])
    reader = join(program, "mentee", school=people.school, focus=[literacy])
    manager = join(program, "mentee", school=people.school, focus=[behaviour])

    run = matching.start_run(program, people.district_admin, kind="groups")
    placed = {p["participant"]: p["group"] for p in run.placements}
    assert placed == {reader.pk: reading.pk, manager.pk: routines.pk}

    assert matching.approve_placements(run, people.district_admin) == 2
    assert GroupMembership.objects.filter(group=reading, participant=reader).exists()


def test_discard_removes_the_proposals_and_closes_the_run(people, district_program):
    join(district_program, "mentor", school=people.school)
    join(district_program, "mentee", school=people.school)
    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    matching.discard(run, people.district_admin)

    run.refresh_from_db()
    assert run.state == MatchingRun.State.DISCARDED
    assert not Pairing.objects.filter(run=run).exists()


def test_preferred_mentor_wins_with_a_strong_bonus(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.DISTRICT_BASED)
    math = subject(people.district, "Mathematics")
    best_on_paper = join(program, "mentor", school=people.other_school, years=10,
                         subjects=[math])
    wanted = join(program, "mentor", school=people.other_school, years=10)
    mentee = join(program, "mentee", school=people.school, subjects=[math],
                  preferred=[wanted])

    run = matching.start_run(program, people.district_admin, kind="pairs")

    proposal = run.proposals.get(mentee=mentee)
    assert proposal.mentor_id == wanted.pk
    assert proposal.breakdown["preference"] == 8
    assert best_on_paper.pk != proposal.mentor_id


def test_people_added_without_applying_are_matched_from_their_profile(people,
                                                                      district_program):
    math = subject(people.district, "Mathematics")
    mentor_user = factories.teacher(people.school)
    mentor_user.staff_profile.subjects.set([math])
    mentor_user.staff_profile.years_of_experience = 8
    mentor_user.staff_profile.save()
    ParticipantFactory(program=district_program, user=mentor_user, role="mentor")
    mentee = join(district_program, "mentee", school=people.school, subjects=[math])

    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    proposal = run.proposals.get(mentee=mentee)
    assert proposal.breakdown["subject"] == 5
    assert proposal.breakdown["experience"] > 0


def test_a_withdrawn_mentor_is_not_in_the_pool(people, district_program):
    mentor = join(district_program, "mentor", school=people.school)
    Participant.objects.filter(pk=mentor.pk).update(status=Participant.Status.WITHDRAWN)
    mentee = join(district_program, "mentee", school=people.school)

    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    assert run.unmatched == {str(mentee.pk): "no_mentors"}


def test_approval_refuses_proposals_the_rules_no_longer_allow(people, district_program):
    mentor = join(district_program, "mentor", school=people.school, years=10)
    mentee = join(district_program, "mentee", school=people.school)
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    proposal = run.proposals.get()
    matching.set_locked(run, proposal.pk, True, by=people.district_admin)
    matching.add_exclusion(district_program, people.district_admin, person=mentor.user,
                           other=mentee.user, reason="evaluates")

    with pytest.raises(ValidationError) as error:
        matching.approve(run, people.district_admin)
    assert "kept apart (an exclusion" in str(error.value)
    assert not Pairing.objects.active().exists()
    # Running again drops even the locked proposal.
    matching.start_run(district_program, people.district_admin, kind="pairs")
    assert not run.proposals.exists()
    assert run.__class__.objects.get(pk=run.pk).unmatched == {str(mentee.pk): "excluded"}


def test_a_mentee_who_withdrew_is_not_approved(people, district_program):
    join(district_program, "mentor", school=people.school, years=10)
    mentee = join(district_program, "mentee", school=people.school)
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    Participant.objects.filter(pk=mentee.pk).update(status=Participant.Status.WITHDRAWN)

    with pytest.raises(ValidationError) as error:
        matching.approve(run, people.district_admin)
    assert "no longer in the program" in str(error.value)


def test_a_mentee_cannot_be_made_a_mentor(people, district_program):
    join(district_program, "mentor", school=people.school, years=10)
    join(district_program, "mentor", school=people.school, years=10)
    first = join(district_program, "mentee", school=people.school)
    second = join(district_program, "mentee", school=people.school)
    run = matching.start_run(district_program, people.district_admin, kind="pairs")

    with pytest.raises(ValidationError) as error:
        matching.change_mentor(run, run.proposals.get(mentee=first).pk, second.pk,
                               by=people.district_admin)
    assert "one of this matching's mentors" in str(error.value)


def test_a_lifted_exclusion_is_kept_on_record(people, district_program):
    mentor = join(district_program, "mentor", school=people.school)
    mentee = join(district_program, "mentee", school=people.school)
    exclusion = matching.add_exclusion(district_program, people.district_admin,
                                       person=mentor.user, other=mentee.user, reason="other")

    matching.lift_exclusion(exclusion, people.district_admin)

    exclusion.refresh_from_db()
    assert exclusion.removed_by == people.district_admin
    run = matching.start_run(district_program, people.district_admin, kind="pairs")
    assert run.proposals.get().mentee == mentee
    # The pair can be kept apart again.
    matching.add_exclusion(district_program, people.district_admin, person=mentee.user,
                           other=mentor.user, reason="evaluates")
