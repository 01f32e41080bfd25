"""Checks on evidence files: photos of student work and documents from a lesson.

An allow-list of types confirmed by the file's first bytes (the name's extension alone is
never trusted) and a size limit (`OBSERVATIONS_MAX_UPLOAD_MB`, 10 by default). The same
approach as the resource library's checks, which sit in an app above this one and cannot be
imported from here.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_MB = 10


def _starts_with(*signatures):
    def check(head):
        return any(head.startswith(sig) for sig in signatures)

    return check


def _webp(head):
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# extension -> (content type stored and served, check of the first bytes)
ALLOWED_TYPES = {
    ".jpg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".png": ("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".gif": ("image/gif", _starts_with(b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", _webp),
    ".pdf": ("application/pdf", _starts_with(b"%PDF-")),
}
ACCEPT = ",".join(sorted(ALLOWED_TYPES))


def max_upload_bytes():
    return getattr(settings, "OBSERVATIONS_MAX_UPLOAD_MB", DEFAULT_MAX_MB) * 1024 * 1024


def check_evidence(upload):
    """The content type to store `upload` with, or ValidationError saying why it is
    refused: too large, empty, a type not on the list, or content that is not what the name
    says."""
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
            _("Files of this type cannot be added. Allowed: photos (JPEG, PNG, GIF, WebP) "
              "and PDF."), code="type")
    content_type, matches = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not matches(head):
        raise ValidationError(
            _("This file’s content is not a %(type)s file, whatever its name says.")
            % {"type": extension.lstrip(".").upper()}, code="content")
    return content_type
