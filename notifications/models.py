"""The outbox: every email and in-app message, with its state, and each person's choices.

A reminder becomes two rows, one per channel (email, in-app), under the same key: each
channel has its own life (an email waits for working hours and may fail and be retried; an
in-app message is read or not), and the unique (channel, key) pair keeps planning twice
harmless for both. An in-app message has nothing to send: it is planned delivered, and
shows from its time on, its subject rendered when it is read.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def due(self, now):
        """Pending rows whose time has come, digests' members excepted (they go with it)."""
        return self.filter(state=Message.State.PENDING, in_digest=False,
                           next_attempt_at__lte=now)

    def inbox_of(self, user):
        """A person's in-app messages whose time has come, newest first."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, channel=Message.Channel.IN_APP,
                           state=Message.State.SENT, sent_at__lte=timezone.now(),
                           ).order_by("-sent_at", "-pk")

    def unread_by(self, user):
        return self.inbox_of(user).filter(read_at__isnull=True)

    def of_program(self, program):
        return self.filter(program=program, channel=Message.Channel.EMAIL)

    def of_district(self, district_id):
        return self.filter(recipient__district_id=district_id, channel=Message.Channel.EMAIL)


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        IN_APP = "in_app", _("In the app")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Due, but the person turned this kind off: kept so that the key is taken and the
        # coordinator sees why nothing went out.
        SKIPPED = "skipped", _("Turned off by the person")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="messages", verbose_name=_("recipient"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=255)
    template = models.CharField(max_length=200, blank=True)
    # What the template is rendered with, in the recipient's language when it goes out.
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Indexed by message_program, which leads with it.
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("program"),
                                db_index=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    # Waiting for the person's daily digest, and the digest that took it.
    in_digest = models.BooleanField(_("in the daily digest"), default=False)
    digest = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="members", db_index=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("goes out at"))
    # Who holds a row in "sending": the sender marks it sent only while the claim is its own.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # What went out, rendered in the recipient's language.
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="message_channel_key_unique"),
        ]
        # A row's state changes as it goes out, so each change writes to every index that
        # holds the row: the indexes are partial wherever their readers allow.
        indexes = [
            # What the senders claim: a small partial index, however many rows went out.
            models.Index(fields=["next_attempt_at"], name="message_due",
                         condition=Q(state="pending", in_digest=False)),
            models.Index(fields=["recipient", "next_attempt_at"], name="message_digest_wait",
                         condition=Q(state="pending", in_digest=True)),
            models.Index(fields=["claimed_at"], name="message_sending",
                         condition=Q(state="sending")),
            # The bell: unread in-app messages of one person.
            models.Index(fields=["recipient"], name="message_unread",
                         condition=Q(channel="in_app", state="sent", read_at__isnull=True)),
            models.Index(fields=["recipient", "-sent_at"], name="message_inbox",
                         condition=Q(channel="in_app", state="sent")),
            models.Index(fields=["digest"], name="message_digest_members",
                         condition=Q(digest__isnull=False)),
            models.Index(fields=["program", "channel", "state", "next_attempt_at"],
                         name="message_program"),
        ]

    def __str__(self):
        return self.key

    @property
    def is_digest(self):
        return self.kind == DIGEST_KIND


DIGEST_KIND = "digest"


class Preference(models.Model):
    """One person's choice for one kind of reminder; no row means on and immediate."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=64)
    enabled = models.BooleanField(_("receive"), default=True)
    digest = models.BooleanField(_("in the daily digest"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_user_kind_unique"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.kind}"


class QuietHours(models.Model):
    """Local times between which no email goes out to this person (may span midnight)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="quiet_hours")
    starts_at = models.TimeField(_("quiet from"))
    ends_at = models.TimeField(_("quiet until"))

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")
        constraints = [
            models.CheckConstraint(condition=~Q(starts_at=models.F("ends_at")),
                                   name="quiet_hours_not_empty"),
        ]

    def __str__(self):
        return f"{self.starts_at}-{self.ends_at}"


def new_claim():
    return uuid.uuid4()
