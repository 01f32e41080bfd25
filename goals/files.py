"""Checks on progress evidence: documents, images and text (`mentorship.uploads`), at most
GOALS_EVIDENCE_MAX_UPLOAD_MB."""

from django.conf import settings

from mentorship import uploads

ALLOWED_TYPES = uploads.DOCUMENTS


def check_evidence(upload):
    return uploads.check_upload(upload, types=ALLOWED_TYPES,
                                max_mb=settings.GOALS_EVIDENCE_MAX_UPLOAD_MB)
