"""Checks on progress evidence: an allow-list of types, confirmed by the file's first
bytes, and a size limit (GOALS_EVIDENCE_MAX_UPLOAD_MB, 10 unless set). The same checks as
the resource library's files, kept here because goals sit below the library."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def _starts_with(*signatures):
    def check(upload):
        head = upload.read(16)
        upload.seek(0)
        return any(head.startswith(sig) for sig in signatures)

    return check


def _zip_with(name):
    """Office documents are zip archives holding a known member."""

    def check(upload):
        try:
            with zipfile.ZipFile(upload) as archive:
                return name in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError,
                RuntimeError):
            return False
        finally:
            upload.seek(0)

    return check


def _text(upload):
    """Plain text: UTF-8 without NUL bytes (checked on the first 64 KB)."""
    head = upload.read(65536)
    upload.seek(0)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3
    return True


OOXML = _zip_with("[Content_Types].xml")
ODF = _zip_with("mimetype")

# extension -> (content type served, check of the content)
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", _starts_with(b"%PDF-")),
    ".png": ("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".gif": ("image/gif", _starts_with(b"GIF87a", b"GIF89a")),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", OOXML),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OOXML),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
              OOXML),
    ".odt": ("application/vnd.oasis.opendocument.text", ODF),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ODF),
    ".txt": ("text/plain; charset=utf-8", _text),
    ".csv": ("text/csv; charset=utf-8", _text),
}


def max_upload_bytes():
    return getattr(settings, "GOALS_EVIDENCE_MAX_UPLOAD_MB", 10) * 1024 * 1024


def check_evidence(upload):
    """The content type to store and serve `upload` with, or ValidationError saying why
    the file is refused."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; evidence files can be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large")
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of this type cannot be added. Allowed: %(types)s.")
            % {"types": ", ".join(ext.lstrip(".") for ext in sorted(ALLOWED_TYPES))},
            code="type")
    content_type, matches = ALLOWED_TYPES[extension]
    upload.seek(0)
    if not matches(upload):
        raise ValidationError(
            _("This file’s content is not a %(type)s file, whatever its name says.")
            % {"type": extension.lstrip(".").upper()}, code="content")
    return content_type
