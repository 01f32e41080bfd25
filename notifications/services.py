"""Writes with a rule: each person's choices, reading messages, unsubscribing, retrying."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorship import reminders
from mentorship.background import enqueue_on_commit

from . import delivery
from .links import EVERY_KIND
from .models import Message, Preference, QuietHours


def choosable_kinds():
    """The kinds a person has a say in, in the order the apps declared them."""
    return [kind for kind in reminders.kinds.values() if kind.optional or kind.digestible]


def preferences_of(user):
    """{kind name: (enabled, digest)} for every choosable kind, defaults filled in."""
    saved = {kind: (enabled, digest) for kind, enabled, digest in
             Preference.objects.filter(user=user).values_list("kind", "enabled", "digest")}
    return {kind.name: saved.get(kind.name, (True, False)) for kind in choosable_kinds()}


@transaction.atomic
def save_preferences(*, user, choices: dict, quiet: tuple | None) -> None:
    """Store each kind's (enabled, digest) and the quiet hours (None for none). A kind that
    may not be turned off stays on; one that may not wait for the digest stays immediate.
    Messages already planned keep the choice they were planned with."""
    kinds = reminders.kinds
    for name, (enabled, digest) in choices.items():
        kind = kinds.get(name)
        if kind is None:
            continue
        Preference.objects.update_or_create(
            user=user, kind=name,
            defaults={"enabled": enabled or not kind.optional,
                      "digest": digest and kind.digestible})
    if quiet is None:
        QuietHours.objects.filter(user=user).delete()
    else:
        QuietHours.objects.update_or_create(
            user=user, defaults={"starts_at": quiet[0], "ends_at": quiet[1]})


@transaction.atomic
def unsubscribe(*, user, kind: str) -> list[str]:
    """Turn off one kind (or, for EVERY_KIND, every kind that may be turned off) for this
    person, and skip what of it still waits to go out or to show; returns the kinds turned
    off."""
    if kind == EVERY_KIND:
        names = [k.name for k in reminders.kinds.values() if k.optional]
    else:
        known = reminders.kinds.get(kind)
        names = [kind] if known is not None and known.optional else []
    for name in names:
        Preference.objects.update_or_create(user=user, kind=name,
                                            defaults={"enabled": False})
    waiting = (Q(state=Message.State.PENDING)
               | Q(channel=Message.Channel.IN_APP, state=Message.State.SENT,
                   sent_at__gt=timezone.now()))
    Message.objects.filter(waiting, recipient=user, kind__in=names,
                           digest__isnull=True).update(state=Message.State.SKIPPED)
    return names


def mark_read(*, user, message_id: int) -> bool:
    return bool(Message.objects.unread_by(user).filter(pk=message_id).update(
        read_at=timezone.now()))


def mark_all_read(*, user) -> int:
    return Message.objects.unread_by(user).update(read_at=timezone.now())


def retry_message(*, message: Message) -> Message | None:
    """Send a failed email once more, at once; returns the row that will go (the digest
    for one of its members), or None when it is not failed any more."""
    from .tasks import send_batch

    with transaction.atomic():
        target = delivery.retry(message)
        if target is not None:
            enqueue_on_commit(send_batch, [target.pk])
    return target
