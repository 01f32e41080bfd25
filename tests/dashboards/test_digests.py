"""The weekly digests: on Monday in the district's time zone, mentors with something open and
coordinators of running programs; once per person and week; never what anyone wrote."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import reminders
from dashboards.health import check_at_risk
from mentorship.reminders import kinds
from tests.dashboards.factories import SECRETS, grow
from tests.reminders import render

pytestmark = pytest.mark.django_db

# Monday Dec. 7, 2026, 08:00 in Chicago; and the same moment a day later.
MONDAY = datetime(2026, 12, 7, 14, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)


def mentor_digests(now=MONDAY):
    return {r.user_id: r for r in reminders.mentor_weekly_digests(now)}


def rendered(reminder):
    return "".join(render(reminder, name="Mo"))


def test_both_digests_are_declared_under_the_contract():
    assert kinds["mentor-weekly-digest"].source is reminders.mentor_weekly_digests
    assert kinds["coordinator-weekly-health"].source is reminders.coordinator_weekly_health
    # Both may be turned off, and neither waits inside the daily digest.
    assert [(k.optional, k.digestible) for k in (
        kinds["mentor-weekly-digest"], kinds["coordinator-weekly-health"])] == [
        (True, False), (True, False)]


def test_each_mentor_hears_what_their_mentees_have_open(scene):
    digests = mentor_digests()

    ann, bea, cal = scene.ann.mentor.user, scene.bea.mentor.user, scene.cal.mentor.user
    # Dee's mentor has nothing open (Dee met two days ago); Eli's pairing is paused.
    assert set(digests) == {ann.pk, bea.pk, cal.pk}
    assert digests[ann.pk].context["mentees"] == [{
        "name": scene.ann.mentee.user.display_name, "program": scene.program.name,
        "overdue_days": 0, "next_steps": 0, "cycles": 1, "reflections": 0,
        "url": reverse("pairing:pairing-detail", args=[scene.ann.pk])}]
    assert [(m["name"], m["overdue_days"]) for m in digests[bea.pk].context["mentees"]] == [
        ("Bea", 10)]
    assert [(m["name"], m["reflections"]) for m in digests[cal.pk].context["mentees"]] == [
        ("Cal", 1)]
    assert digests[bea.pk].key == f"mentor-weekly-digest:user-{bea.pk}:2026-W50"
    assert digests[bea.pk].not_before == datetime(2026, 12, 7, 13, tzinfo=UTC)  # 07:00


def test_a_mentor_with_several_mentees_sees_the_overdue_first(scene):
    from tests.pairing.factories import PairingFactory

    mentor = scene.cal.mentor
    PairingFactory(mentor=mentor, mentee=scene.program.participants.get(
        user__display_name="Fay"), next_checkin_due_on=MONDAY.date() - timedelta(days=3))

    mentees = mentor_digests()[mentor.user_id].context["mentees"]
    assert [(m["name"], m["overdue_days"]) for m in mentees] == [("Fay", 3), ("Cal", 0)]


def test_the_digests_go_out_on_monday_only_and_once_a_week(scene):
    assert mentor_digests(TUESDAY) == {}
    assert list(reminders.coordinator_weekly_health(TUESDAY)) == []
    # Running again on Monday gives the same keys: the outbox keeps one message each.
    first = sorted(r.key for r in reminders.mentor_weekly_digests(MONDAY))
    later = sorted(r.key for r in reminders.mentor_weekly_digests(MONDAY + timedelta(hours=3)))
    assert first == later
    next_week = sorted(r.key for r in reminders.mentor_weekly_digests(
        MONDAY + timedelta(days=7)))
    assert set(first).isdisjoint(next_week)


def test_the_coordinator_hears_the_programs_figures(scene, program_people):
    (health,) = reminders.coordinator_weekly_health(MONDAY)

    assert health.user_id == program_people.coordinator.pk
    assert health.key == (f"coordinator-weekly-health:program-{scene.program.pk}:"
                          f"user-{program_people.coordinator.pk}:2026-W50")
    assert health.context == {"program": scene.program.name, "active": 4, "overdue": 1,
                              "unmatched": 1, "applicants": 1, "at_risk": 3,
                              "week": "2026-W50"}
    assert health.url == reverse("dashboards:program-health", args=[scene.program.pk])
    assert health.program_id == scene.program.pk


def test_a_closed_program_sends_no_digest(scene):
    scene.program.status = "closed"
    scene.program.save()

    assert mentor_digests() == {}
    assert list(reminders.coordinator_weekly_health(MONDAY)) == []


def test_the_messages_say_the_figures_and_nothing_written(scene, program_people):
    messages = [*mentor_digests().values(), *reminders.coordinator_weekly_health(MONDAY)]
    texts = {m.template: rendered(m) for m in messages}

    digest = rendered(mentor_digests()[scene.bea.mentor.user_id])
    assert "Bea" in digest and "Check-in overdue by 10 days" in digest
    health = texts["dashboards/reminders/coordinator_weekly_health"]
    assert "3 pairings at risk" in health
    for text in texts.values():
        for secret in SECRETS.values():
            assert secret not in text


def test_planning_costs_the_same_for_many_mentors(scene, people):
    def planned():
        with CaptureQueriesContext(connection) as queries:
            count = len(mentor_digests()) + len(list(reminders.coordinator_weekly_health(
                MONDAY)))
        return count, len(queries)

    few, small = planned()
    grow(scene.program, people.school, 20)
    many, large = planned()
    assert many > few
    assert large == small


@pytest.fixture
def scene(scene):
    """The hand-made program, seen at 08:00 on its Monday in Chicago."""
    with time_machine.travel(MONDAY, tick=False):
        yield scene


def test_the_coordinators_figures_follow_the_districts_day(scene, people):
    from pairing.models import CheckIn
    from tests.dashboards.factories import days_ago, extra_pair
    from tests.pairing.factories import CheckInFactory

    # Last met on Sunday Nov. 8 at 8 pm in Chicago (already Nov. 9 in UTC): 29 days ago
    # in the district, more than two cadence periods of 14 days, so flagged.
    hal = extra_pair(scene.program, people.other_school, "Hal")
    CheckInFactory(pairing=hal, status=CheckIn.Status.HELD, scheduled_at=days_ago(29, 20),
                   minutes_spent=30)
    check_at_risk(scene.program.district)

    (health,) = reminders.coordinator_weekly_health(MONDAY)

    assert health.context["at_risk"] == 4
