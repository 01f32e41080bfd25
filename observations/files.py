"""Checks on evidence files: photos of student work and documents from a lesson, PDF or
image (`mentorship.uploads`), at most OBSERVATIONS_MAX_UPLOAD_MB."""

from django.conf import settings

from mentorship import uploads

ALLOWED_TYPES = {**uploads.IMAGES, **uploads.PDF}
ACCEPT = ",".join(uploads.extensions(ALLOWED_TYPES))


def check_evidence(upload):
    return uploads.check_upload(upload, types=ALLOWED_TYPES,
                                max_mb=settings.OBSERVATIONS_MAX_UPLOAD_MB)
