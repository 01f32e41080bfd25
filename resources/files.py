"""Checks on a resource's files: documents, images and text (`mentorship.uploads`), at most
RESOURCES_MAX_UPLOAD_MB."""

from django.conf import settings

from mentorship import uploads

ALLOWED_TYPES = uploads.DOCUMENTS


def allowed_extensions():
    return uploads.extensions(ALLOWED_TYPES)


def max_upload_bytes():
    return settings.RESOURCES_MAX_UPLOAD_MB * 1024 * 1024


def check_upload(upload):
    return uploads.check_upload(upload, types=ALLOWED_TYPES,
                                max_mb=settings.RESOURCES_MAX_UPLOAD_MB)
