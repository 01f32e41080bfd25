"""Checks on uploaded files, shared by every app that takes them: an allow-list of types,
each confirmed by the file's content (the name's extension alone is never trusted), and a
size limit. Each app picks its types and its limit (`check_upload(upload, types=..., ...)`).

The size is also watched while the file arrives (`SizeLimitUploadHandler`): past the limit
of the app receiving it, the rest of the file is not stored, and the form gets a stand-in
that carries the file's name and full size, so the same message shows next to the field
and every other field of the form arrives as typed.
"""

import zipfile
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def _starts_with(*signatures):
    def check(upload):
        head = upload.read(16)
        upload.seek(0)
        return any(head.startswith(sig) for sig in signatures)

    return check


def _webp(upload):
    head = upload.read(12)
    upload.seek(0)
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip_with(*names):
    """Office documents are zip archives; a known member tells which kind."""

    def check(upload):
        try:
            with zipfile.ZipFile(upload) as archive:
                members = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError,
                RuntimeError):
            # Damaged, encrypted or of an unknown zip version: not a document we accept.
            return False
        finally:
            upload.seek(0)
        return any(name in members for name in names)

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
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


OOXML = _zip_with("[Content_Types].xml")
ODF = _zip_with("mimetype")

# extension -> (content type stored and served, check of the content)
IMAGES = {
    ".png": ("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".gif": ("image/gif", _starts_with(b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", _webp),
}
PDF = {".pdf": ("application/pdf", _starts_with(b"%PDF-"))}
OFFICE = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", OOXML),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OOXML),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
              OOXML),
    ".odt": ("application/vnd.oasis.opendocument.text", ODF),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ODF),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ODF),
}
TEXT = {
    ".txt": ("text/plain; charset=utf-8", _text),
    ".md": ("text/markdown; charset=utf-8", _text),
    ".csv": ("text/csv; charset=utf-8", _text),
}
DOCUMENTS = {**PDF, **IMAGES, **OFFICE, **TEXT}


def extensions(types):
    """The extensions of `types`, sorted, as an `accept` attribute or a list reads them."""
    return sorted(types)


def check_upload(upload, *, types, max_mb):
    """The content type to store and serve `upload` with, or ValidationError saying why the
    file is refused: too large, empty, a type not in `types`, or content that is not what
    its name says."""
    limit = max_mb * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; files can be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in types:
        raise ValidationError(
            _("Files of this type cannot be added. Allowed: %(types)s.")
            % {"types": ", ".join(ext.lstrip(".") for ext in extensions(types))},
            code="type",
        )
    content_type, matches = types[extension]
    upload.seek(0)
    if not matches(upload):
        raise ValidationError(
            _("This file’s content is not a %(type)s file, whatever its name says.")
            % {"type": extension.lstrip(".").upper()},
            code="content",
        )
    return content_type


# The limit of each app that takes files, by its URL namespace; elsewhere the largest.
UPLOAD_LIMIT_SETTINGS = {
    "resources": "RESOURCES_MAX_UPLOAD_MB",
    "observations": "OBSERVATIONS_MAX_UPLOAD_MB",
    "goals": "GOALS_EVIDENCE_MAX_UPLOAD_MB",
    "programs": "ROSTER_MAX_UPLOAD_MB",
}


def upload_limit_for(request):
    """The most bytes one file sent with `request` may have."""
    match = getattr(request, "resolver_match", None)
    name = UPLOAD_LIMIT_SETTINGS.get(match.namespace if match else None)
    names = [name] if name else UPLOAD_LIMIT_SETTINGS.values()
    return max(getattr(settings, n) for n in names) * 1024 * 1024


class TooLargeUpload(UploadedFile):
    """What stands for a file refused while it arrived: its name and full size, no content.
    `check_upload` (and any size check) refuses it with the usual message."""

    def __init__(self, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(BytesIO(), name, content_type, size, charset, content_type_extra)


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes a file on to the next ones (memory, temporary
    file) until it passes the limit, then drops the rest of it as it arrives."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit_for(request)

        self.received = 0
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            return None  # the handlers after this one never see it
        return raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None  # the next handler hands over the file it stored
        return TooLargeUpload(self.file_name, self.content_type, file_size, self.charset,
                              self.content_type_extra)
