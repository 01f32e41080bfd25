"""Evidence files: the type is read from the content, never from the name alone; a wrong
type, an oversized file or a misleading extension is refused with a clear message, and
nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observations.models import EvidenceFile, ObservationCycle
from tests.observations.conftest import PNG
from tests.observations.factories import CycleFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def observing(pair):
    return CycleFactory(pairing=pair, stage=ObservationCycle.Stage.OBSERVING,
                        scheduled_at=local(2026, 11, 23, 9))


def upload(client, cycle, name, content, description="Exit tickets"):
    client.force_login(cycle.mentor)
    return client.post(reverse("observations:evidence-add", args=[cycle.pk]),
                       {"file": SimpleUploadedFile(name, content),
                        "description": description})


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_photo_is_kept_and_served_after_the_check(client, observing, settings):
    response = upload(client, observing, "work.png", PNG)

    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.content_type, evidence.original_name) == ("image/png", "work.png")
    served = client.get(reverse("observations:evidence", args=[evidence.pk]))
    assert b"".join(served.streaming_content) == PNG
    # Never under a public address.
    assert client.get(f"{settings.MEDIA_URL}{evidence.file.name}").status_code == 404


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.exe", b"MZ\x90\x00", "Files of this type cannot be added"),
    ("photo.png", b"%PDF-1.7 not a picture", "content is not a PNG file"),
    ("lesson.pdf", PNG, "content is not a PDF file"),
    ("empty.jpg", b"", "empty"),
])
def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_stored(
        client, observing, settings, name, content, message):
    response = upload(client, observing, name, content, description="Kept description")

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Kept description" in page
    assert EvidenceFile.objects.count() == 0
    assert stored_files(settings) == []


def test_an_oversized_file_is_refused_and_nothing_is_stored(client, observing, settings):
    settings.OBSERVATIONS_MAX_UPLOAD_MB = 1

    response = upload(client, observing, "big.png", PNG + b"\x00" * (1024 * 1024))

    assert response.status_code == 400
    assert "files can be at most 1.0" in response.content.decode()
    assert EvidenceFile.objects.count() == 0
    assert stored_files(settings) == []
