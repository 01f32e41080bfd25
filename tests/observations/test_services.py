"""The cycle's rules: who starts it, what each stage needs, notes that are stored once
however often they are sent, a debrief shared only with strengths and a next step."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from observations.models import ObservationCycle, ObservationNote
from observations.services import cycles as services
from observations.services.cycles import DebriefDraft
from programs.models import ObservationWindow
from tests.observations.factories import generic_version, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
Stage = ObservationCycle.Stage


def start(pair):
    return services.start_cycle(pairing=pair, started_by=pair.mentor.user,
                                kind=ObservationCycle.Kind.MENTOR_OBSERVES,
                                template_version=generic_version())


def plan(cycle, by, **changes):
    data = {"focus": "Questioning", "lesson_context": "Grade 3 reading",
            "look_fors": list(cycle.template_version.domains.first().indicators.all()),
            "scheduled_at": local(2026, 11, 25, 10), "duration_minutes": 45,
            "location": "Room 4", **changes}
    return services.save_preconference(cycle=cycle, by=by, **data)


def test_the_mentor_starts_a_cycle_with_the_pre_conference_due_a_week_later(pair):
    cycle = start(pair)

    assert (cycle.stage, cycle.mentor, cycle.mentee) == (
        Stage.PLANNING, pair.mentor.user, pair.mentee.user)
    # Monday 23 November + 7 days = Monday 30 November, a school day.
    assert cycle.due_on.isoformat() == "2026-11-30"


def test_the_mentee_cannot_start_a_cycle_in_a_one_on_one_pairing(pair):
    with pytest.raises(PermissionDenied):
        services.start_cycle(pairing=pair, started_by=pair.mentee.user,
                             kind=ObservationCycle.Kind.MENTOR_OBSERVES,
                             template_version=generic_version())


def test_a_whole_cycle_moves_through_its_stages(pair):
    mentor, mentee = pair.mentor.user, pair.mentee.user
    cycle = start(pair)
    plan(cycle, mentee)
    services.begin_observation(cycle=cycle, by=mentor)
    assert cycle.stage == Stage.OBSERVING
    assert cycle.due_on.isoformat() == "2026-11-25"

    services.add_note(cycle=cycle, author=mentor, client_id=uuid.uuid4(), text="Calm start")
    indicator = cycle.look_fors.first()
    services.save_ratings(cycle=cycle, rated_by=mentor, levels={indicator.pk: None})
    services.finish_observation(cycle=cycle, by=mentor)
    assert cycle.stage == Stage.DEBRIEF

    services.save_debrief(cycle=cycle, written_by=mentor, share=True, draft=DebriefDraft(
        strengths="Routines", growth_areas="", next_steps=["Wait time"]))
    cycle.refresh_from_db()
    assert cycle.stage == Stage.REFLECTION
    assert cycle.debrief.is_shared


def test_the_observation_needs_a_focus_look_fors_and_a_time(pair):
    cycle = start(pair)

    with pytest.raises(ValidationError) as error:
        services.begin_observation(cycle=cycle, by=pair.mentor.user)

    assert "at least one look-for" in error.value.messages[0]
    assert ObservationCycle.objects.get().stage == Stage.PLANNING


def test_an_observation_is_never_on_a_blackout_day_nor_outside_the_windows(pair):
    program = pair.program
    program.blackouts.create(name="Thanksgiving", starts_on=local(2026, 11, 26).date(),
                             ends_on=local(2026, 11, 27).date())
    cycle = start(pair)

    with pytest.raises(ValidationError) as error:
        plan(cycle, pair.mentor.user, scheduled_at=local(2026, 11, 26, 10))
    assert "Thanksgiving" in error.value.message_dict["scheduled_at"][0]

    ObservationWindow.objects.create(program=program, name="Winter window",
                                     opens_on=local(2027, 1, 11).date(),
                                     closes_on=local(2027, 2, 5).date())
    with pytest.raises(ValidationError) as error:
        plan(cycle, pair.mentor.user, scheduled_at=local(2026, 11, 25, 10))
    assert "Winter window" in error.value.message_dict["scheduled_at"][0]
    plan(cycle, pair.mentor.user, scheduled_at=local(2027, 1, 12, 10))


def test_a_note_sent_twice_is_stored_once(pair):
    cycle = start(pair)
    plan(cycle, pair.mentor.user)
    services.begin_observation(cycle=cycle, by=pair.mentor.user)
    client_id = uuid.uuid4()

    first, created = services.add_note(cycle=cycle, author=pair.mentee.user,
                                       client_id=client_id, text="Hands up: 14")
    again, created_again = services.add_note(cycle=cycle, author=pair.mentee.user,
                                             client_id=client_id, text="Hands up: 14")

    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert ObservationNote.objects.count() == 1


def test_a_debrief_is_not_shared_without_strengths_or_a_next_step(pair):
    cycle = start(pair)
    plan(cycle, pair.mentor.user)
    services.begin_observation(cycle=cycle, by=pair.mentor.user)
    services.finish_observation(cycle=cycle, by=pair.mentor.user)

    with pytest.raises(ValidationError) as error:
        services.save_debrief(cycle=cycle, written_by=pair.mentor.user, share=True,
                              draft=DebriefDraft(strengths=" ", growth_areas="Pacing",
                                                 next_steps=[]))

    assert set(error.value.message_dict) == {"strengths", "next_steps"}
    cycle.refresh_from_db()
    assert cycle.stage == Stage.DEBRIEF
    # As a draft it is kept, unshared.
    debrief = services.save_debrief(cycle=cycle, written_by=pair.mentor.user,
                                    draft=DebriefDraft(strengths="", growth_areas="Pacing",
                                                       next_steps=["A", "B"]))
    assert (debrief.is_shared, debrief.next_steps.count()) == (False, 2)


def test_the_mentee_alone_shares_a_cycle_and_takes_it_back(pair, people, program_people):
    cycle = start(pair)

    with pytest.raises(PermissionDenied):
        services.share_cycle(cycle=cycle, shared_by=pair.mentor.user,
                             recipient=people.district_admin)
    with pytest.raises(ValidationError):
        services.share_cycle(cycle=cycle, shared_by=pair.mentee.user, recipient=people.outsider)
    share = services.share_cycle(cycle=cycle, shared_by=pair.mentee.user,
                                 recipient=program_people.coordinator)
    assert list(ObservationCycle.objects.visible_to(program_people.coordinator)) == [cycle]

    services.revoke_share(share=share, by=pair.mentee.user)
    assert list(ObservationCycle.objects.visible_to(program_people.coordinator)) == []


def test_either_peer_starts_and_coaches_a_cycle_in_a_peer_pairing(people):
    from programs.presets import ProgramModel
    from tests import factories
    from tests.pairing.factories import PairingFactory
    from tests.programs.factories import ParticipantFactory, ProgramFactory

    program = ProgramFactory(district=people.district, model=ProgramModel.PEER)
    first, second = (factories.teacher(people.school) for _ in range(2))
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=program, user=first, role="peer"),
        mentee=ParticipantFactory(program=program, user=second, role="peer"))

    cycle = services.start_cycle(pairing=pairing, started_by=second,
                                 kind=ObservationCycle.Kind.PEER,
                                 template_version=generic_version())

    assert (cycle.mentor, cycle.mentee) == (second, first)


def test_the_pre_conference_is_due_within_the_observation_window(pair):
    window = ObservationWindow.objects.create(program=pair.program, name="Late fall",
                                              opens_on=local(2026, 11, 16).date(),
                                              closes_on=local(2026, 11, 25).date())
    first = start(pair)
    assert first.due_on == window.closes_on
    services.cancel_cycle(cycle=first, by=pair.mentor.user)

    window.opens_on, window.closes_on = local(2027, 1, 11).date(), local(2027, 2, 5).date()
    window.save()
    # Before a window: due by the day it opens, so the observation can fall inside it.
    assert start(pair).due_on.isoformat() == "2027-01-11"


def test_a_cycle_started_twice_in_a_moment_is_started_once(pair):
    first = start(pair)

    with pytest.raises(services.JustStarted) as repeated:
        start(pair)

    assert repeated.value.cycle == first
    assert ObservationCycle.objects.count() == 1


def test_the_observation_begins_only_on_a_day_the_calendar_still_allows(pair):
    program = pair.program
    cycle = start(pair)
    plan(cycle, pair.mentor.user, scheduled_at=local(2026, 11, 26, 10))
    # After the plan, the district makes the day a blackout day.
    program.blackouts.create(name="Snow day", starts_on=local(2026, 11, 26).date(),
                             ends_on=local(2026, 11, 26).date())

    with pytest.raises(ValidationError) as error:
        services.begin_observation(cycle=cycle, by=pair.mentor.user)

    assert "Change the observation’s time in the pre-conference first" in error.value.messages[0]
    assert "Snow day" in error.value.messages[0]
    assert ObservationCycle.objects.get().stage == Stage.PLANNING
