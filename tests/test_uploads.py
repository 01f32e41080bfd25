"""A file over its limit is refused while it arrives: past the limit nothing more of it is
stored, the form says how large it was next to the field, and the other fields arrive as
typed."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from mentorship import uploads
from tests.resources.factories import resource

MB = 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture
def stored(monkeypatch):
    """Bytes the storing handlers (memory, temporary file) were handed."""
    seen = {"bytes": 0}
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            # The memory handler passes a file on, unstored, when the request is large.
            if getattr(self, "activated", True):
                seen["bytes"] += len(raw_data)
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return seen


def test_the_handler_stops_passing_a_file_on_at_its_apps_limit(settings):
    settings.GOALS_EVIDENCE_MAX_UPLOAD_MB = 1
    request = SimpleNamespace(resolver_match=SimpleNamespace(namespace="goals"))
    handler = uploads.SizeLimitUploadHandler(request)
    handler.new_file("evidence", "lesson.pdf", "application/pdf", None)

    passed = [handler.receive_data_chunk(b"x" * CHUNK, i * CHUNK) for i in range(48)]
    upload = handler.file_complete(48 * CHUNK)

    assert sum(len(chunk) for chunk in passed if chunk) == 1 * MB
    assert all(chunk is None for chunk in passed[16:])
    assert (upload.name, upload.size) == ("lesson.pdf", 3 * MB)
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload, types=uploads.DOCUMENTS, max_mb=1)
    assert refused.value.messages == [
        "This file is 3.0\xa0MB; files can be at most 1.0\xa0MB."]


def test_a_file_within_the_limit_is_left_to_the_usual_handlers(settings):
    settings.RESOURCES_MAX_UPLOAD_MB = 1
    request = SimpleNamespace(resolver_match=SimpleNamespace(namespace="resources"))
    handler = uploads.SizeLimitUploadHandler(request)
    handler.new_file("file", "plan.pdf", "application/pdf", None)

    assert handler.receive_data_chunk(b"x" * CHUNK, 0) == b"x" * CHUNK
    assert handler.file_complete(CHUNK) is None


@pytest.mark.django_db
def test_an_oversized_resource_file_is_refused_early_and_the_form_keeps_the_rest(
        client, people, settings, stored):
    settings.RESOURCES_MAX_UPLOAD_MB = 1
    res = resource(people.teacher)
    client.force_login(people.teacher)

    response = client.post(reverse("resources:file-add", args=[res.pk]), {
        "file-file": SimpleUploadedFile("big.pdf", b"%PDF-1.7" + b"0" * (3 * MB)),
        "file-description": "Anchor chart from Tuesday"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "This file is 3.0\xa0MB; files can be at most 1.0\xa0MB." in page
    assert "Anchor chart from Tuesday" in page
    assert stored["bytes"] <= 1 * MB
    assert res.files.count() == 0


@pytest.mark.django_db
def test_an_oversized_roster_is_refused_early_with_the_choices_kept(client, people, settings,
                                                                    stored):
    settings.ROSTER_MAX_UPLOAD_MB = 1
    client.force_login(people.district_admin)

    response = client.post(reverse("programs:roster-import-new"), {
        "format": "simple_csv", "mode": "partial",
        "files": SimpleUploadedFile("staff.csv", b"email,name\n" + b"a" * (2 * MB))})

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["files"] == ["The upload is too large: at most 1 MB."]
    assert form["mode"].value() == "partial" and form["format"].value() == "simple_csv"
    assert stored["bytes"] <= 1 * MB
