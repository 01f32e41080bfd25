"""Files attached to a resource: type and size checked, stored through Django's storage,
served only after a permission check."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.resources.factories import PNG, resource

pytestmark = pytest.mark.django_db

def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(client, res, name, content, description=""):
    return client.post(reverse("resources:file-add", args=[res.pk]),
                       {"file-file": SimpleUploadedFile(name, content),
                        "file-description": description})


@pytest.mark.parametrize(("name", "content"), [
    ("rubric.pdf", b"%PDF-1.7\n..."),
    ("plan.docx", docx_bytes()),
    ("notes.md", "# Notas\n\nañadir".encode()),
    ("work.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
])
def test_an_author_attaches_allowed_files(client, people, name, content):
    res = resource(people.teacher)
    client.force_login(people.teacher)

    response = upload(client, res, name, content)

    assert response.status_code == 302
    attached = res.files.get()
    assert attached.original_name == name
    assert attached.size == len(content)
    assert default_storage.exists(attached.file.name)
    assert name not in attached.file.name  # stored under a random name


@pytest.mark.parametrize(("name", "content", "message"), [
    ("script.exe", b"MZ\x90\x00", "Files of this type cannot be added."),
    ("page.html", b"<script>alert(1)</script>", "Files of this type cannot be added."),
    ("drawing.svg", b"<svg onload=alert(1)>", "Files of this type cannot be added."),
    ("no-extension", b"%PDF-1.7", "Files of this type cannot be added."),
    ("fake.pdf", b"MZ\x90\x00 an executable", "content is not a PDF file"),
    ("fake.png", b"<html><script>alert(1)</script>", "content is not a PNG file"),
    ("fake.docx", b"PK\x03\x04 not really a zip", "content is not a DOCX file"),
    ("binary.txt", b"abc\x00\x01\x02", "content is not a TXT file"),
    ("empty.pdf", b"", "The submitted file is empty."),
])
def test_bad_files_are_refused_with_a_clear_message(client, people, name, content, message):
    res = resource(people.teacher)
    client.force_login(people.teacher)

    response = upload(client, res, name, content, description="kept description")

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "kept description" in page
    assert res.files.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, people, settings):
    settings.RESOURCES_MAX_UPLOAD_MB = 1
    res = resource(people.teacher)
    client.force_login(people.teacher)

    response = upload(client, res, "big.pdf", b"%PDF-1.7" + b"0" * (1024 * 1024))

    assert response.status_code == 400
    assert "files can be at most 1.0\xa0MB" in response.content.decode()
    assert res.files.count() == 0


def test_an_image_is_previewed_and_served_inline_other_files_download(client, people):
    res = resource(people.teacher)
    client.force_login(people.teacher)
    upload(client, res, "anchor-chart.png", PNG, description="Anchor chart for ratios")
    upload(client, res, "rubric.pdf", b"%PDF-1.7\n")
    image, pdf = res.files.order_by("pk")

    client.force_login(people.colleague)
    page = client.get(reverse("resources:detail", args=[res.pk])).content.decode()
    image_url = reverse("resources:file", args=[res.pk, image.pk])
    assert f'src="{image_url}" alt="Anchor chart for ratios"' in page

    shown = client.get(image_url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content) == PNG
    downloaded = client.get(reverse("resources:file", args=[res.pk, pdf.pk]))
    assert downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Disposition"] == 'attachment; filename="rubric.pdf"'
    assert downloaded["X-Content-Type-Options"] == "nosniff"


def test_files_are_not_reachable_at_a_public_address(client, people, settings):
    res = resource(people.teacher)
    client.force_login(people.teacher)
    upload(client, res, "rubric.pdf", b"%PDF-1.7\n")
    stored = res.files.get().file.name

    assert client.get(f"{settings.MEDIA_URL}{stored}").status_code == 404


def test_a_damaged_office_file_is_refused_not_a_server_error(client, people):
    content = bytearray(docx_bytes())
    # The central directory asks for a zip version no reader supports.
    directory = content.rfind(b"PK\x01\x02")
    while directory != -1:
        content[directory + 6] = 99
        directory = content.rfind(b"PK\x01\x02", 0, directory)
    res = resource(people.teacher)
    client.force_login(people.teacher)

    response = upload(client, res, "plan.docx", bytes(content))

    assert response.status_code == 400
    assert "content is not a DOCX file" in response.content.decode()
    assert res.files.count() == 0
