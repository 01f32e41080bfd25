"""Open Badges 2.0 documents for hosted verification: each Assertion, BadgeClass and issuer
Profile is JSON-LD whose `id` is its own public address on this site (`SITE_URL`).

The assertion names nobody: the recipient is their email address hashed with a salt
(`sha256$...`), so whoever is given the address can check it, and nobody can read it. A
revoked assertion answers `revoked: true` and nothing else about the badge or the person.
"""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse

CONTEXT = "https://w3id.org/openbadges/v2"
CONTENT_TYPE = "application/ld+json"


def absolute(path):
    return settings.SITE_URL + path


def assertion_url(award):
    return absolute(reverse("portfolio:assertion", args=[award.public_id]))


def badge_url(badge):
    return absolute(reverse("portfolio:badge-class", args=[badge.public_id]))


def image_url(badge):
    return absolute(reverse("portfolio:badge-image", args=[badge.public_id]))


def issuer_url(issuer):
    return absolute(reverse("portfolio:issuer", args=[issuer.public_id]))


def verify_url(award):
    """The page a person shares: the badge, the issuer, and a check of an email address."""
    return absolute(reverse("portfolio:verify", args=[award.public_id]))


def assertion(award):
    """The Assertion of an award, or for a revoked award only that it was revoked."""
    if award.is_revoked:
        return {"@context": CONTEXT, "type": "Assertion", "id": assertion_url(award),
                "revoked": True}
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(award),
        "recipient": {"type": "email", "hashed": True, "salt": award.salt,
                      "identity": award.identity},
        "badge": badge_url(award.badge),
        "verification": {"type": "hosted"},
        "issuedOn": award.issued_at.isoformat(),
        "image": image_url(award.badge),
        "revoked": False,
    }


def badge_class(badge, issuer):
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_url(badge),
        "name": badge.name,
        "description": badge.description,
        "image": image_url(badge),
        "criteria": {"narrative": badge.criteria},
        "issuer": issuer_url(issuer),
    }


def issuer_profile(issuer):
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(issuer),
        "name": issuer.shown_name,
        "url": issuer.url or settings.SITE_URL + "/",
        "email": issuer.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        **({"description": issuer.description} if issuer.description else {}),
    }
