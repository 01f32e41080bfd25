"""Checking and applying in the background: a real worker, and the sweeper for imports
whose worker died or whose task was lost."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from programs.models import RosterImport
from programs.services.roster import (
    CLAIM_TIMEOUT,
    UNCLAIMED_TIMEOUT,
    discard_old_uploads,
    queue_apply,
    start_import,
    sweep_stuck_imports,
)
from tests.conftest import wait_for
from tests.programs.oneroster import OneRosterSet


def upload_zip(people, roster=None):
    roster = roster or OneRosterSet(schools=1, teachers=2)
    return start_import(district=people.district, uploaded_by=people.district_admin,
                        format="oneroster", full_sync=True,
                        files=[SimpleUploadedFile("roster.zip", roster.zip_bytes())])


def state_of(roster_import):
    roster_import.refresh_from_db()
    return roster_import.state


@pytest.mark.worker
def test_check_and_apply_run_on_a_real_worker(celery_worker, people):
    roster_import = upload_zip(people)

    wait_for(lambda: state_of(roster_import) == RosterImport.State.READY)
    assert roster_import.summary["counts"]["people_created"] == 4
    assert not User.objects.filter(email__endswith="district.example.org").exists()

    assert queue_apply(roster_import=roster_import)
    wait_for(lambda: state_of(roster_import) == RosterImport.State.APPLIED)
    assert User.objects.filter(email__endswith="district.example.org").count() == 4
    assert roster_import.applied_at is not None


@pytest.mark.django_db
def test_sweeper_queues_again_a_check_whose_task_was_lost(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down
        roster_import = upload_zip(people)
    later = timezone.now() + UNCLAIMED_TIMEOUT + timedelta(minutes=1)

    assert sweep_stuck_imports(now=timezone.now()) == 0  # too early to tell
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_imports(now=later) == 1

    assert state_of(roster_import) == RosterImport.State.READY
    assert sweep_stuck_imports(now=later) == 0  # a second sweep finds nothing to do


@pytest.mark.django_db
def test_sweeper_queues_again_an_apply_whose_worker_died(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        roster_import = upload_zip(people)
    # The worker claimed the apply, then died: its claim stays and nothing was written.
    RosterImport.objects.filter(pk=roster_import.pk).update(
        state=RosterImport.State.APPLYING,
        summary={**roster_import.summary,
                 "run": {"claimed_at": timezone.now().isoformat(), "attempts": 1}})

    assert sweep_stuck_imports() == 0  # the claim is still fresh: a live worker may hold it
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_imports(now=timezone.now() + CLAIM_TIMEOUT
                                   + timedelta(minutes=1)) == 1

    assert state_of(roster_import) == RosterImport.State.APPLIED
    assert User.objects.filter(email__endswith="district.example.org").count() == 4


@pytest.mark.django_db
def test_sweeper_fails_an_import_that_stopped_too_often(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        roster_import = upload_zip(people)
    claimed = timezone.now() - CLAIM_TIMEOUT - timedelta(minutes=1)
    RosterImport.objects.filter(pk=roster_import.pk).update(
        summary={"run": {"claimed_at": claimed.isoformat(), "attempts": 3}})

    assert sweep_stuck_imports() == 1

    assert state_of(roster_import) == RosterImport.State.FAILED
    assert "stopped 3 times" in roster_import.error


@pytest.mark.django_db
def test_old_roster_files_are_deleted_and_an_unapplied_import_asks_for_a_new_upload(
        people, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        applied, waiting = upload_zip(people), upload_zip(people)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_apply(roster_import=applied)
    with django_capture_on_commit_callbacks(execute=False):  # its check has not run yet
        checking = upload_zip(people)
    assert (state_of(applied), state_of(waiting)) == (RosterImport.State.APPLIED,
                                                      RosterImport.State.READY)
    stored = {r.pk: r.file.name for r in (applied, waiting, checking)}
    storage = applied.file.storage
    assert all(storage.exists(name) for name in stored.values())

    with django_capture_on_commit_callbacks(execute=True):
        assert discard_old_uploads(now=timezone.now() + timedelta(days=6)) == 0
        assert discard_old_uploads(now=timezone.now() + timedelta(days=8)) == 2

    for finished in (applied, waiting):
        finished.refresh_from_db()
        assert not finished.file
        assert not storage.exists(stored[finished.pk])
    # What the import found is still there to read.
    assert applied.state == RosterImport.State.APPLIED
    assert applied.summary["counts"]["people_created"] == 4
    assert waiting.state == RosterImport.State.FAILED
    assert "was not applied within 7 days" in waiting.error
    # The sweeper's business, not this one's.
    checking.refresh_from_db()
    assert checking.file and storage.exists(stored[checking.pk])
