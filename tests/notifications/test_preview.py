"""Coming up: what the sources will say is due over the next day, on the outbox screens."""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from mentorship import reminders
from notifications import planning, preview
from tests.access import access_checker
from tests.notifications.conftest import TUESDAY_MORNING, nudge
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_preview_yet():
    cache.delete_many([preview.COMPUTED, preview.QUEUED])


@pytest.fixture
def tomorrow(due, people, program_people):
    """Now: the mentee's nudge, already due. From this evening: the mentor's, and one for
    a person of another program of the district."""
    other = ProgramFactory(district=people.district, name="Another program")
    now = [nudge(program_people.mentee, 1, program=program_people.program)]
    later = [nudge(program_people.mentor, 2, program=program_people.program),
             nudge(people.outsider_teacher, 3, program=other)]
    evening = TUESDAY_MORNING + timedelta(hours=6)
    reminders.kinds["goal-nudge"] = replace(  # `due` put its own kinds in place for the test
        reminders.kinds["goal-nudge"], source=lambda at: now + (later if at >= evening else []))
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        yield other


def coming(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(url + "?show=coming").content.decode()


def test_the_program_screen_lists_what_will_be_due_not_what_is_planned(
        client, tomorrow, program_people, django_capture_on_commit_callbacks):
    client.force_login(program_people.coordinator)
    url = reverse("notifications:program-outbox", args=[program_people.program.pk])

    # The first look asks for the preview (the task runs at once in the tests).
    assert "being prepared" in coming(client, url, django_capture_on_commit_callbacks)
    page = coming(client, url, django_capture_on_commit_callbacks)

    assert "One reminder will be due over the next day" in page
    assert program_people.mentor.display_name in page
    assert "Goal nudges" in page
    # Already in the outbox: on the Waiting or Sent list, not here.
    assert program_people.mentee.display_name not in page.split("<tbody>")[1]
    # Another program's reminder is not this program's.
    assert "Another program" not in page


def test_the_district_screen_lists_every_programs(client, tomorrow, people,
                                                    program_people,
                                                    django_capture_on_commit_callbacks):
    client.force_login(people.district_admin)
    url = reverse("notifications:district-outbox")
    coming(client, url, django_capture_on_commit_callbacks)
    page = coming(client, url, django_capture_on_commit_callbacks)

    assert "2 reminders will be due over the next day" in page
    assert "Another program" in page and program_people.program.name in page


def test_who_sees_what_is_coming_up(client, people, program_people, tomorrow):
    check = access_checker(client, people, program_people,
                           ["coordinator", "mentor", "mentee", "district_admin",
                            "school_admin", "other_participant", "outsider", "anonymous"])
    program = reverse("notifications:program-outbox", args=[program_people.program.pk])
    check(program + "?show=coming", {
        "coordinator": 200, "mentor": 404, "mentee": 404, "district_admin": 200,
        "school_admin": 404, "other_participant": 404, "outsider": 404, "anonymous": 302})
    district = reverse("notifications:district-outbox") + "?show=coming"
    # The outsider is the admin of another district: their own outbox, none of ours.
    check(district, {
        "coordinator": 404, "mentor": 404, "mentee": 404, "district_admin": 200,
        "school_admin": 404, "other_participant": 404, "outsider": 200, "anonymous": 302})
    preview.build_preview()
    client.force_login(people.outsider)
    theirs = client.get(district).content.decode()
    assert "0 reminders will be due over the next day" in theirs
    assert program_people.mentor.display_name not in theirs


def test_a_broken_source_does_not_hide_the_others(due, program_people, monkeypatch):
    from mentorship.reminders import Kind

    def broken(now):
        raise RuntimeError("a bug in one app")

    monkeypatch.setitem(reminders.kinds, "broken", Kind("broken", "Broken", "", broken))
    due.items = [nudge(program_people.mentor, 2, program=program_people.program)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        found = preview.upcoming(TUESDAY_MORNING)
    assert [(kind, user) for _due, kind, user in found[program_people.program.pk]] == [
        ("goal-nudge", program_people.mentor.pk)]
