"""Whoever recorded a progress entry removes its evidence file, after confirming, while the
goal is open: the stored file goes, the value and the note stay, the page says so; nobody
else may, and a goal no longer open keeps its evidence."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from goals import services
from goals.models import Goal, ProgressEntry
from pairing.models import Pairing
from tests.goals.conftest import GOAL_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def record(goal, by, name="tally.pdf"):
    return services.record_progress(
        goal=goal, recorded_by=by, value=Decimal("8"), recorded_on=timezone.localdate(),
        note="Two good days", evidence=SimpleUploadedFile(name, b"%PDF-1.4 tally"))


def stored(entry, name):
    return entry.evidence.storage.exists(name)


@pytest.mark.parametrize("recorder", ["mentee", "mentor"])
def test_only_the_person_who_recorded_it_may_remove_the_file(
        goal, program_people, recorder, assert_goal_access, as_goal_role):
    entry = record(goal, getattr(program_people, recorder))
    name = entry.evidence.name
    url = reverse("goals:evidence-remove", args=[entry.pk])
    nobody = dict.fromkeys(GOAL_ROLES[:-1], 404)

    assert_goal_access(url, {**nobody, recorder: 200})
    for role in GOAL_ROLES:
        if role not in (recorder, "anonymous"):
            assert as_goal_role(role).post(url).status_code == 404, role
    entry.refresh_from_db()
    assert entry.evidence.name == name and stored(entry, name)
    assert as_goal_role(recorder).post(url).status_code == 302
    entry.refresh_from_db()
    assert not entry.evidence


def test_removing_asks_first_then_deletes_the_stored_file_and_keeps_the_entry(
        client, goal, program_people, django_capture_on_commit_callbacks):
    entry = record(goal, program_people.mentee)
    theirs = record(goal, program_people.mentor, name="their-tally.pdf")
    name = entry.evidence.name
    client.force_login(program_people.mentee)
    detail = reverse("goals:goal-detail", args=[goal.pk])
    remove = reverse("goals:evidence-remove", args=[entry.pk])

    page = client.get(detail).content.decode()
    assert remove in page
    assert reverse("goals:evidence-remove", args=[theirs.pk]) not in page
    assert "Remove “tally.pdf” from the progress of" in client.get(remove).content.decode()
    assert stored(entry, name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, follow=True)

    page = response.content.decode()
    assert "“tally.pdf” is removed; the progress entry stays." in page
    assert reverse("goals:evidence", args=[entry.pk]) not in page
    assert "Two good days" in page
    entry = ProgressEntry.objects.get(pk=entry.pk)
    assert (entry.value, entry.evidence_name, entry.evidence_size) == (Decimal("8"), "", None)
    assert not stored(entry, name)
    assert stored(theirs, theirs.evidence.name)
    assert client.get(reverse("goals:evidence", args=[entry.pk])).status_code == 404
    # Nothing left to remove.
    assert client.get(remove).status_code == 404


def test_a_goal_no_longer_open_keeps_its_evidence(client, goal, program_people):
    entry = record(goal, program_people.mentee)
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.ACHIEVED,
                                           achieved_on=timezone.localdate())
    client.force_login(program_people.mentee)
    url = reverse("goals:evidence-remove", args=[entry.pk])

    response = client.post(url, follow=True)

    assert "The goal is no longer open: its evidence stays as it is." in (
        response.content.decode())
    assert url not in response.content.decode()
    entry.refresh_from_db()
    assert entry.evidence and stored(entry, entry.evidence.name)
    with pytest.raises(services.ValidationError, match="can no longer be changed"):
        services.remove_evidence(entry=entry, removed_by=program_people.mentee)


def test_a_past_mentor_removes_nothing(client, goal, program_people, pair):
    entry = record(goal, program_people.mentor)
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED,
                                              ended_on=timezone.localdate())
    client.force_login(program_people.mentor)

    assert client.post(reverse("goals:evidence-remove", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.evidence
