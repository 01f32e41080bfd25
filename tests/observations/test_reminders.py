"""What observation cycles have due: a window opening for mentors whose mentees have no
cycle planned in it, and each stage of a cycle to the person it waits for; never the notes,
ratings or debrief in a message; the same keys on every run, and queries that do not grow
with the number of pairs."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from mentorship.reminders import kinds
from observations import reminders
from observations.models import ObservationCycle, ObservationNote
from pairing.models import Pairing
from programs.models import ObservationWindow, Participant, Program
from tests import factories
from tests.observations.factories import CycleFactory, full_cycle, local
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory
from tests.reminders import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

Stage = ObservationCycle.Stage
# Monday 23 November 2026, 9:00 in Chicago (15:00 UTC).
TODAY = date(2026, 11, 23)


def run(source):
    return list(source(timezone.now()))




def window(program, opens_on, days=20, name="Winter observations"):
    return ObservationWindow.objects.create(program=program, name=name, opens_on=opens_on,
                                            closes_on=opens_on + timedelta(days=days))


def more_pairs(program_people, people, count, mentor=None):
    program = program_people.program
    pairs = []
    for _ in range(count):
        pairs.append(PairingFactory(
            mentor=mentor or ParticipantFactory(program=program,
                                                user=factories.teacher(people.school),
                                                role=Participant.Role.MENTOR),
            mentee=ParticipantFactory(program=program, user=factories.teacher(people.school))))
    return pairs


def test_every_kind_is_registered():
    assert {"observation-window-opening", "cycle-stage-due"} <= set(kinds)


def test_window_opening_names_the_mentees_without_a_plan(program_people, pair):
    opening = window(program_people.program, TODAY + timedelta(days=2))
    due = run(reminders.observation_windows_opening)
    assert [(r.user_id, r.key, r.context["mentees"]) for r in due] == [
        (program_people.mentor.pk,
         f"observation-window-opening:window-{opening.pk}:{opening.opens_on}:"
         f"user-{program_people.mentor.pk}",
         [str(program_people.mentee)])]
    assert [r.key for r in due] == [r.key for r in run(reminders.observation_windows_opening)]
    subject, text, html = render(due[0])
    assert subject == "Observation window opens Nov. 25, 2026: Winter observations"
    assert ("Winter observations of New Teacher Induction runs from Nov. 25, 2026 to Dec. 15, 2026."
            in text)
    assert f"This mentee has no observation planned in it yet:\n- {program_people.mentee}" \
        in text
    assert f"<li>{program_people.mentee}</li>" in html


def test_window_moved_to_new_dates_is_announced_again(program_people, pair):
    opening = window(program_people.program, TODAY + timedelta(days=2))
    [before] = run(reminders.observation_windows_opening)
    opening.opens_on = TODAY + timedelta(days=3)
    opening.save()
    [after] = run(reminders.observation_windows_opening)
    assert after.key != before.key
    assert after.context["opens_on"] == "2026-11-26"


def test_window_opening_not_when_a_cycle_is_planned_in_it_or_too_early(program_people, pair):
    opening = window(program_people.program, TODAY + timedelta(days=1))
    window(program_people.program, TODAY + timedelta(days=5), name="Spring observations")
    CycleFactory(pairing=pair, stage=Stage.PLANNING, due_on=TODAY + timedelta(days=1),
                 scheduled_at=local(2026, 11, 30, 10))
    assert run(reminders.observation_windows_opening) == []
    # A cycle planned before the window does not count for it.
    ObservationCycle.objects.update(scheduled_at=local(2026, 11, 23, 10))
    assert [r.key for r in run(reminders.observation_windows_opening)] == [
        f"observation-window-opening:window-{opening.pk}:{opening.opens_on}:"
         f"user-{program_people.mentor.pk}"]
    # A cycle still being planned, without a time yet, counts as planned.
    ObservationCycle.objects.update(scheduled_at=None)
    assert run(reminders.observation_windows_opening) == []


def test_window_opening_not_for_ended_pairings_or_closed_programs(program_people, pair):
    window(program_people.program, TODAY)
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED)
    assert run(reminders.observation_windows_opening) == []
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ACTIVE)
    Program.objects.filter(pk=pair.program_id).update(status=Program.Status.CLOSED)
    assert run(reminders.observation_windows_opening) == []


def test_window_opening_costs_the_same_for_many_mentors(program_people, pair, people,
                                                       django_assert_max_num_queries):
    window(program_people.program, TODAY + timedelta(days=3))
    with django_assert_max_num_queries(4):  # programs, windows, pairings, cycles
        assert len(run(reminders.observation_windows_opening)) == 1
    more_pairs(program_people, people, 10)
    with django_assert_max_num_queries(4):
        assert len(run(reminders.observation_windows_opening)) == 11


def test_each_stage_goes_to_the_person_it_waits_for(program_people, pair):
    mentor, mentee = program_people.mentor.pk, program_people.mentee.pk
    planning = CycleFactory(pairing=pair, stage=Stage.PLANNING, due_on=TODAY)
    debrief = CycleFactory(pairing=pair, stage=Stage.DEBRIEF, due_on=TODAY - timedelta(days=1))
    reflection = CycleFactory(pairing=pair, stage=Stage.REFLECTION, due_on=TODAY)
    CycleFactory(pairing=pair, stage=Stage.DEBRIEF, due_on=TODAY + timedelta(days=1))
    CycleFactory(pairing=pair, stage=Stage.CLOSED, due_on=TODAY - timedelta(days=3))
    due = run(reminders.cycle_stages_due)
    assert sorted((r.key, r.user_id) for r in due) == sorted([
        (f"cycle-stage-due:cycle-{planning.pk}:planning:{TODAY}", mentor),
        (f"cycle-stage-due:cycle-{debrief.pk}:debrief:{TODAY - timedelta(days=1)}", mentor),
        (f"cycle-stage-due:cycle-{reflection.pk}:reflection:{TODAY}", mentee)])
    assert [r.key for r in due] == [r.key for r in run(reminders.cycle_stages_due)]
    subjects = {r.context["stage"]: render(r)[0] for r in due}
    assert subjects == {
        "planning": f"Pre-conference with {program_people.mentee} due Nov. 23, 2026",
        "debrief": f"Debrief for {program_people.mentee} due Nov. 22, 2026",
        "reflection": "Your reflection on the debrief is due Nov. 23, 2026"}


def test_observation_due_once_its_day_passed_without_notes(program_people, pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.OBSERVING, due_on=TODAY,
                         scheduled_at=local(2026, 11, 23, 10))
    assert run(reminders.cycle_stages_due) == []  # it is today: there is still time
    ObservationCycle.objects.filter(pk=cycle.pk).update(due_on=TODAY - timedelta(days=1))
    due = run(reminders.cycle_stages_due)
    assert [(r.user_id, r.context["stage"]) for r in due] == [
        (program_people.mentor.pk, "observing")]
    subject, text, _html = render(due[0])
    assert subject == f"The observation with {program_people.mentee} is waiting to be recorded"
    assert "was planned for Nov. 22, 2026 and has no notes yet" in text
    ObservationNote.objects.create(cycle=cycle, client_id=uuid.uuid4(), text="Calm start",
                                   author=program_people.mentor)
    assert run(reminders.cycle_stages_due) == []


def test_the_observer_is_reminded_when_the_mentee_watches_the_mentor_model(program_people,
                                                                          pair):
    CycleFactory(pairing=pair, stage=Stage.OBSERVING, kind=ObservationCycle.Kind.MODELLING,
                 due_on=TODAY - timedelta(days=2))
    assert [r.user_id for r in run(reminders.cycle_stages_due)] == [program_people.mentee.pk]


def test_messages_never_carry_what_the_pair_wrote(program_people, pair):
    cycle = full_cycle(pair, stage=Stage.REFLECTION, note="Quokka note from the lesson",
                       strengths="Pangolin strength", growth="Axolotl growth area",
                       step="Narwhal next step", focus="Ibis focus")
    ObservationCycle.objects.filter(pk=cycle.pk).update(due_on=TODAY)
    due = run(reminders.cycle_stages_due)
    assert len(due) == 1
    everything = " ".join(render(due[0])) + repr(due[0].context)
    for secret in ("Quokka", "Pangolin", "Axolotl", "Narwhal", "Ibis", "Grade 3 reading"):
        assert secret not in everything


def test_no_stage_reminder_for_a_withdrawn_or_inactive_person_or_a_paused_pairing(
        program_people, pair):
    CycleFactory(pairing=pair, stage=Stage.DEBRIEF, due_on=TODAY)
    program_people.mentor.is_active = False
    program_people.mentor.save(update_fields=["is_active"])
    assert run(reminders.cycle_stages_due) == []
    program_people.mentor.is_active = True
    program_people.mentor.save(update_fields=["is_active"])
    Participant.objects.filter(pk=pair.mentor_id).update(status=Participant.Status.WITHDRAWN)
    assert run(reminders.cycle_stages_due) == []
    Participant.objects.filter(pk=pair.mentor_id).update(status=Participant.Status.ACTIVE)
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.PAUSED)
    assert run(reminders.cycle_stages_due) == []


def test_stages_cost_the_same_for_many_cycles(program_people, pair, people,
                                             django_assert_max_num_queries):
    CycleFactory(pairing=pair, stage=Stage.DEBRIEF, due_on=TODAY)
    with django_assert_max_num_queries(2):  # programs, cycles with their people
        assert len(run(reminders.cycle_stages_due)) == 1
    for other in more_pairs(program_people, people, 10):
        CycleFactory(pairing=other, stage=Stage.OBSERVING, due_on=TODAY - timedelta(days=1))
    with django_assert_max_num_queries(2):
        assert len(run(reminders.cycle_stages_due)) == 11


def test_stage_due_long_ago_is_not_announced_again_every_week(program_people, pair):
    stale = CycleFactory(pairing=pair, stage=Stage.DEBRIEF, due_on=TODAY - timedelta(days=10))
    week_old = CycleFactory(pairing=pair, stage=Stage.DEBRIEF, due_on=TODAY - timedelta(days=7))
    assert [r.key for r in run(reminders.cycle_stages_due)] == [
        f"cycle-stage-due:cycle-{week_old.pk}:debrief:{week_old.due_on}"]
    # Given a new date, it is due again.
    ObservationCycle.objects.filter(pk=stale.pk).update(due_on=TODAY)
    assert f"cycle-stage-due:cycle-{stale.pk}:debrief:{TODAY}" in [
        r.key for r in run(reminders.cycle_stages_due)]

def test_subjects_are_one_line(program_people, pair):
    window(program_people.program, TODAY)
    for stage in (Stage.PLANNING, Stage.DEBRIEF, Stage.REFLECTION):
        CycleFactory(pairing=pair, stage=stage, due_on=TODAY)
    for source in (reminders.observation_windows_opening, reminders.cycle_stages_due):
        for reminder in run(source):
            assert "\n" not in render(reminder)[0]


def test_names_in_a_stage_reminder_are_escaped_once_in_the_html(program_people, pair):
    # The body is a plain-text part that the HTML part includes: it is escaped there as a
    # whole, once.
    program_people.program.name = "Reading & <Writing>"
    program_people.program.save()
    CycleFactory(pairing=pair, stage=Stage.PLANNING, due_on=TODAY)
    reminder = next(r for r in run(reminders.cycle_stages_due) if r.context["stage"] == "planning")
    subject, text, html = render(reminder)
    assert "(Reading & <Writing>)" in text
    assert "(Reading &amp; &lt;Writing&gt;)" in html
    assert "<Writing>" not in html and "&amp;amp;" not in html
