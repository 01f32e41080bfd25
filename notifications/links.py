"""Absolute links in messages, and the signed one-click unsubscribe token."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"
# The token of a daily digest: it stops every kind a person may turn off.
EVERY_KIND = "*"


def absolute(path):
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def unsubscribe_signer():
    return signing.TimestampSigner(salt=SALT)


def unsubscribe_token(user_id, kind, signer=None):
    """`signer`, from `unsubscribe_signer`, serves a whole batch of emails.

    No expiry: the link in a months-old email still has to work, and it only turns a
    reminder off (turning it back on needs signing in). Not compressed: a token this
    short never shrinks, and trying costs a sender more than the signing."""
    return (signer or unsubscribe_signer()).sign_object([user_id, kind])


def read_unsubscribe_token(token):
    """(user_id, kind), or None for a token that was not made here."""
    try:
        user_id, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind


def unsubscribe_url(user_id, kind):
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def unsubscribe_prefix():
    """The unsubscribe link up to its token, so a batch reverses the URL once and then
    only formats each person's signed token onto it."""
    sample = unsubscribe_token(0, EVERY_KIND)
    url = absolute(reverse("notifications:unsubscribe", args=[sample]))
    head, found, tail = url.partition(sample)
    if not found or tail != "/":
        raise ValueError("the unsubscribe link does not end with its token")
    return head


def preferences_url():
    return absolute(reverse("notifications:preferences"))
