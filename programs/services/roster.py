"""Roster imports: upload, check in the background, apply when the admin says so.

An import moves through states: checking -> ready (or invalid) -> applying -> applied (or
invalid, when the district changed since the check). Checking and applying run as Celery
tasks queued on commit. Each run claims the import first (a claim lives in
`summary["run"]`), so two workers never run the same import; a sweeper queues again an
import whose task never started or whose worker died, and fails it after MAX_ATTEMPTS.
"""

import logging
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import District, User
from mentorship.background import enqueue_on_commit
from programs.models import RosterImport
from programs.roster.formats import guess_format, reader_for, source_for_file, source_for_path
from programs.roster.problems import Problems
from programs.roster.source import SourceError
from programs.roster.sync import Outcome, sync_roster

logger = logging.getLogger(__name__)

# A run holds its claim at most as long as a task may run (Celery's hard time limit).
CLAIM_TIMEOUT = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + timedelta(minutes=5)
# A queued task that no worker has claimed after this long was lost on the way.
UNCLAIMED_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 3


def start_import(*, district: District, uploaded_by: User, format: str, full_sync: bool,
                 files: list) -> RosterImport:
    """Store the upload (several OneRoster CSV files are packed into one zip) and queue its
    check once the transaction commits. Nothing about people changes here."""
    from programs.tasks import check_roster_import

    with tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024) as packed:
        if len(files) == 1:
            content, name = files[0], Path(files[0].name).name
        else:
            with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                for upload in files:
                    with archive.open(Path(upload.name).name, "w") as member:
                        for chunk in upload.chunks():
                            member.write(chunk)
            packed.seek(0)
            content, name = File(packed), "oneroster.zip"
        with transaction.atomic():
            roster_import = RosterImport(
                district=district, uploaded_by=uploaded_by, format=format,
                full_sync=full_sync, state=RosterImport.State.CHECKING,
                summary={"run": {"queued_at": timezone.now().isoformat()}},
            )
            roster_import.file.save(name, content, save=False)
            roster_import.save()
            enqueue_on_commit(check_roster_import, roster_import.pk)
    return roster_import


def check_import(*, import_id: int) -> bool:
    """Read the stored file and record its problems and what applying would change.
    Returns False when another worker holds the import or it is no longer being checked."""
    roster_import = _claim(import_id, RosterImport.State.CHECKING)
    if roster_import is None:
        return False
    started = time.monotonic()
    try:
        outcome = _run(roster_import, apply=False)
    except Exception:
        logger.exception("checking roster import %s failed", import_id)
        _fail(import_id, RosterImport.State.CHECKING)
        return True
    state = (RosterImport.State.INVALID if outcome.problems else RosterImport.State.READY)
    RosterImport.objects.filter(pk=import_id, state=RosterImport.State.CHECKING).update(
        state=state, **_result(outcome, checked_in=time.monotonic() - started))
    return True


def queue_apply(*, roster_import: RosterImport) -> bool:
    """Queue applying a checked import; False when it is not ready (applied already, say)."""
    from programs.tasks import apply_roster_import

    summary = {**roster_import.summary, "run": {"queued_at": timezone.now().isoformat()}}
    with transaction.atomic():
        queued = RosterImport.objects.filter(
            pk=roster_import.pk, state=RosterImport.State.READY
        ).update(state=RosterImport.State.APPLYING, summary=summary)
        if queued:
            enqueue_on_commit(apply_roster_import, roster_import.pk)
    return bool(queued)


def apply_import(*, import_id: int) -> bool:
    """Write the import, all or nothing; the import is marked applied in the same
    transaction. When the district changed since the check so that problems appear, nothing
    is written and the import shows them."""
    roster_import = _claim(import_id, RosterImport.State.APPLYING)
    if roster_import is None:
        return False
    started = time.monotonic()

    def mark_applied(outcome):
        RosterImport.objects.filter(pk=import_id).update(
            state=RosterImport.State.APPLIED, applied_at=timezone.now(),
            **_result(outcome, checked_in=roster_import.summary.get("checked_in"),
                      applied_in=time.monotonic() - started))

    try:
        outcome = _run(roster_import, apply=True, on_applied=mark_applied)
    except Exception:
        logger.exception("applying roster import %s failed", import_id)
        _fail(import_id, RosterImport.State.APPLYING)
        return False
    if not outcome.applied:
        RosterImport.objects.filter(pk=import_id, state=RosterImport.State.APPLYING).update(
            state=RosterImport.State.INVALID, **_result(outcome))
    return outcome.applied


def sweep_stuck_imports(*, now: datetime | None = None) -> int:
    """Queue again each import whose task never started or whose worker died while holding
    it; after MAX_ATTEMPTS runs the import fails with a message. Returns how many it
    touched. Safe to run at any time: a live run keeps its claim."""
    from programs.tasks import apply_roster_import, check_roster_import

    now = now or timezone.now()
    tasks = {RosterImport.State.CHECKING: check_roster_import,
             RosterImport.State.APPLYING: apply_roster_import}
    touched = 0
    stuck = RosterImport.objects.filter(state__in=list(tasks)).only(
        "pk", "state", "summary", "created_at")
    for roster_import in stuck:
        run = roster_import.summary.get("run", {})
        claimed = _when(run.get("claimed_at"))
        queued = _when(run.get("queued_at")) or roster_import.created_at
        if claimed is None and queued > now - UNCLAIMED_TIMEOUT:
            continue
        if claimed is not None and claimed > now - CLAIM_TIMEOUT:
            continue
        attempts = run.get("attempts", 0)
        with transaction.atomic():
            if attempts >= MAX_ATTEMPTS:
                changed = RosterImport.objects.filter(
                    pk=roster_import.pk, state=roster_import.state
                ).update(state=RosterImport.State.FAILED, error=_(
                    "The import stopped %(count)s times before it finished; nothing was "
                    "changed. Upload the file again, or ask the operators to look at the "
                    "workers.") % {"count": attempts})
            else:
                summary = {**roster_import.summary,
                           "run": {"queued_at": now.isoformat(), "attempts": attempts}}
                changed = RosterImport.objects.filter(
                    pk=roster_import.pk, state=roster_import.state
                ).update(summary=summary)
                if changed:
                    enqueue_on_commit(tasks[roster_import.state], roster_import.pk)
        touched += changed
    return touched


def import_roster_path(*, path, district: District, format: str | None = None,
                       full_sync: bool = True, apply: bool = True) -> Outcome:
    """Import a roster from the file system (a zip, a directory of OneRoster CSVs, or a
    simple staff CSV), all or nothing, as a scheduled sync does. With apply=False only
    checks and counts."""
    format = format or guess_format(path)
    try:
        source = source_for_path(path, format)
    except SourceError as error:
        outcome = Outcome()
        outcome.problems.add(Path(path).name, None, "", str(error))
        return outcome
    started = time.monotonic()
    with source:
        reader = reader_for(format, source, full_sync=full_sync)
        outcome = sync_roster(reader=reader, district=district, full_sync=full_sync,
                              apply=apply)
    if apply:
        # Recorded like an upload, so the district's admins see scheduled syncs in the
        # import history too.
        applied = not outcome.problems
        RosterImport.objects.create(
            district=district, format=format, full_sync=full_sync, source_path=str(path),
            state=RosterImport.State.APPLIED if applied else RosterImport.State.INVALID,
            applied_at=timezone.now() if applied else None,
            **_result(outcome, applied_in=time.monotonic() - started))
    return outcome


def _claim(import_id, state):
    """Take the import for this run, or None when it is not in `state` or a live run holds
    it."""
    now = timezone.now()
    with transaction.atomic():
        roster_import = (RosterImport.objects.select_for_update(of=("self",))
                         .select_related("district", "uploaded_by")
                         .filter(pk=import_id, state=state).first())
        if roster_import is None:
            return None
        run = dict(roster_import.summary.get("run", {}))
        claimed = _when(run.get("claimed_at"))
        if claimed is not None and claimed > now - CLAIM_TIMEOUT:
            return None
        run.update(claimed_at=now.isoformat(), attempts=run.get("attempts", 0) + 1)
        roster_import.summary = {**roster_import.summary, "run": run}
        roster_import.save(update_fields=["summary"])
    return roster_import


def _run(roster_import, *, apply, on_applied=None):
    """Read the stored file and sync it, in the uploader's language (problems are read by
    them)."""
    uploader = roster_import.uploaded_by
    language = uploader.preferred_language if uploader else settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            source = source_for_file(roster_import.file.open("rb"), roster_import.file.name,
                                     roster_import.format)
        except SourceError as error:
            outcome = Outcome()
            outcome.problems.add(Path(roster_import.file.name).name, None, "", str(error))
            return outcome
        with source:
            reader = reader_for(roster_import.format, source,
                                full_sync=roster_import.full_sync)
            return sync_roster(
                reader=reader, district=roster_import.district,
                full_sync=roster_import.full_sync, apply=apply,
                acting_user_id=roster_import.uploaded_by_id, on_applied=on_applied)


def _fail(import_id, state):
    RosterImport.objects.filter(pk=import_id, state=state).update(
        state=RosterImport.State.FAILED,
        error=_("Something went wrong while reading the roster; nothing was changed. The "
                "operators have been told; try again later."))


def _result(outcome, **timings):
    problems: Problems = outcome.problems
    summary = {"counts": outcome.counts, "changes": outcome.changes, "run": {}}
    summary.update({k: round(v, 2) for k, v in timings.items() if v is not None})
    return {"problems": problems.as_list(), "problem_count": problems.count,
            "summary": summary}


def _when(value):
    return datetime.fromisoformat(value) if value else None


def discard_old_uploads(*, now: datetime | None = None) -> int:
    """Delete the stored roster files of imports older than ROSTER_UPLOAD_RETENTION_DAYS.

    A roster lists every staff member's name and email, so it is kept only as long as it
    may be needed: what an import found (counts, problems) stays on the import. An import
    still waiting to be applied by then is closed as failed, and asks for a fresh upload.
    Imports being checked or applied are left to the sweeper. Returns how many files it
    deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ROSTER_UPLOAD_RETENTION_DAYS)
    old = (RosterImport.objects.filter(created_at__lt=cutoff)
           .exclude(file="").exclude(state__in=[RosterImport.State.CHECKING,
                                                RosterImport.State.APPLYING])
           .only("pk", "file", "state"))
    discarded = 0
    for roster_import in old:
        stored, name = roster_import.file.storage, roster_import.file.name
        changes = {"file": ""}
        if roster_import.state == RosterImport.State.READY:
            changes.update(state=RosterImport.State.FAILED, error=_(
                "This roster was not applied within %(days)s days, so its file was deleted. "
                "Upload the roster again to import it.")
                % {"days": settings.ROSTER_UPLOAD_RETENTION_DAYS})
        with transaction.atomic():
            # Only if nobody started it meanwhile.
            if RosterImport.objects.filter(pk=roster_import.pk,
                                           state=roster_import.state).update(**changes):
                transaction.on_commit(lambda stored=stored, name=name: stored.delete(name))
                discarded += 1
    return discarded
