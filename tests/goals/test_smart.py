"""The SMART check on vague and sharp goals: pure, no database."""

from datetime import date
from decimal import Decimal

from goals.smart import check_goal

START, END, TODAY = date(2026, 8, 17), date(2027, 6, 11), date(2026, 11, 23)

SHARP = {
    "specific": "Use a visual timetable each morning so my Grade 3 class starts work quickly",
    "measure": "Minutes from the bell until every student is working",
    "baseline": Decimal("12"), "target": Decimal("5"),
    "relevance": "Calm starts give my students more time to learn.",
    "due_on": date(2027, 3, 19), "program_starts_on": START, "program_ends_on": END, "today": TODAY}


def problems(**changes):
    result = check_goal(**{**SHARP, **changes})
    return {(f.letter, f.field) for f in result.findings}, result


def test_sharp_goal_has_no_findings():
    found, result = problems()
    assert found == set()
    assert result.is_sharp and result.can_activate
    assert [ok for _, _, ok in result.letters()] == [True] * 5


def test_vague_goal_is_flagged_on_every_letter_it_misses():
    found, result = problems(specific="Get better at classroom stuff", measure="",
                             baseline=None, target=None, relevance="", due_on=None)
    assert found == {("S", "specific"), ("M", "measure"), ("M", "target"),
                     ("A", "specific"), ("R", "relevance"), ("T", "due_on")}
    assert not result.can_activate
    vague = [f for f in result.findings if f.letter == "S" and "Vague" in str(f.problem)]
    assert "better" in str(vague[0].problem) and "stuff" in str(vague[0].problem)


def test_vague_words_with_a_number_are_sharp_enough():
    found, _ = problems(specific="Improve on-time homework from 40% to 70% of my students "
                                 "by using a homework board")
    assert ("S", "specific") not in found


def test_no_number_to_measure_is_blocking():
    found, result = problems(measure="Students seem calmer", target=None, baseline=None)
    assert ("M", "target") in found
    assert [f.field for f in result.blocking] == ["target"]


def test_a_number_in_the_measure_counts_as_measurable():
    found, _ = problems(measure="At least 20 of 25 students working within 5 minutes",
                        target=None, baseline=None)
    assert ("M", "target") not in found


def test_target_equal_to_baseline_is_advice():
    found, result = problems(target=Decimal("12"))
    assert ("M", "target") in found and result.can_activate


def test_date_outside_the_program_is_blocking():
    for day in (date(2027, 6, 12), date(2026, 8, 16)):
        found, result = problems(due_on=day)
        assert ("T", "due_on") in found
        assert not result.can_activate
        assert "outside the program" in str(result.findings[0].problem)


def test_no_date_is_blocking():
    _, result = problems(due_on=None)
    assert [f.field for f in result.blocking] == ["due_on"]


def test_past_date_is_advice():
    found, result = problems(due_on=date(2026, 9, 1))
    assert ("T", "due_on") in found and result.can_activate


def test_short_goal_without_action_gets_suggestions():
    found, result = problems(specific="Classroom routines")
    assert {("S", "specific"), ("A", "specific")} <= found
    assert all(f.suggestion for f in result.findings)


def test_action_steps_make_a_goal_action_based():
    wording = "Calmer mornings in room 12 for the whole class this spring"
    found_without, _ = problems(specific=wording)
    found_with, _ = problems(specific=wording, action_steps=2)
    assert ("A", "specific") in found_without
    assert ("A", "specific") not in found_with


def test_missing_relevance_is_flagged():
    found, _ = problems(relevance="Because")
    assert ("R", "relevance") in found
