"""Sending: claim due rows, render them in the recipient's language, send, mark sent.

Exactly once, even when a worker is killed mid-batch. Over SMTP the row is marked sent
inside the SMTP transaction: the message's data goes to the server, then the row is marked
sent (only while this sender still holds its claim), and only then the final "." that asks
the server to accept it. A server keeps nothing of a transaction without that dot, so:
- killed before the mark: the server drops the message, the row stays "sending" and the
  sweeper returns it to the queue; it is sent once, later;
- killed after the dot: it was accepted and is marked sent;
- on PostgreSQL the mark's COMMIT is written to the database and the dot to the mail
  server one right after the other, before either answer is read; the only gap left is
  between those two writes (microseconds): a kill exactly there loses that one message
  rather than sending it twice. (Committing first and waiting for the database's answer
  before the dot left the whole round trip as the gap: a kill landing in it lost an email.)
  If the COMMIT fails after the dot, the row stays "sending" and is sent once more;
- the server refuses after the dot (4xx/5xx): we are alive to hear it and undo the mark.
A sweeper that returns a slow sender's rows cannot cause a second send: the mark is
conditional on the claim, and a sender that lost its claim never sends the dot. The
Message-ID header is derived from the key, so receivers can de-duplicate too.

Other email backends (the console in development, the test outbox) send, then mark.
"""

import binascii
import contextlib
import hashlib
import logging
import re
import select
import smtplib
import socket
import uuid
from datetime import timedelta
from email.header import Header
from email.utils import formatdate
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import get_template
from django.utils import timezone, translation

from mentorship import reminders

from .links import EVERY_KIND, absolute, preferences_url, unsubscribe_prefix, unsubscribe_token
from .models import DIGEST_KIND, Message
from .schedule import next_allowed, next_digest

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "notifications/email/digest"


class LostClaim(Exception):
    """The row was returned to the queue (or retried) while this sender held it."""


def claim(*, now, size, ids=None):
    """Take up to `size` due rows (only among `ids` when given) for this sender, in one
    short transaction; returns (claim token, their ids)."""
    token = uuid.uuid4()
    with transaction.atomic():
        due = Message.objects.due(now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        pks = list(due.order_by("next_attempt_at", "pk").select_for_update(skip_locked=True)
                   .values_list("pk", flat=True)[:size])
        if pks:
            Message.objects.filter(pk__in=pks).update(
                state=Message.State.SENDING, claim=token, claimed_at=now,
                attempts=F("attempts") + 1)
    return token, pks


def send_batch(ids=None, *, size=None):
    """Claim and send one batch of due messages over one SMTP connection; returns how many
    were claimed (a full batch means more may be waiting)."""
    size = size or settings.NOTIFICATIONS_BATCH_SIZE
    token, pks = claim(now=timezone.now(), size=size, ids=ids)
    if not pks:
        return 0
    messages = (Message.objects.filter(pk__in=pks, claim=token)
                .select_related("recipient__district").order_by("next_attempt_at", "pk"))
    transport = Transport()
    renderer = Renderer()
    shown = []
    with relaxed_durability():
        try:
            for message in messages.iterator(chunk_size=200):
                deliver(message, token, transport, shown, renderer)
        finally:
            transport.close()
            show_in_app(shown, token)
    return len(pks)


def deliver(message, token, transport, shown=None, renderer=None):
    """Render and send one claimed row; record the outcome. In-app rows are added to
    `shown` (marked together at the end of the batch) or marked at once."""
    try:
        rendered = (renderer or Renderer()).render(message)
    except Exception as error:
        logger.exception("rendering message %s failed", message.pk)
        record_failure(message, token, error)
        return
    if message.channel == Message.Channel.IN_APP:
        if shown is None:
            show_in_app([(message, rendered)], token)
        else:
            shown.append((message, rendered))
        return
    marked = []

    def commit():
        release = mark_sent(message, token, rendered)
        marked.append(True)
        return release

    try:
        transport.send(build_email(message, rendered), commit)
    except LostClaim:
        logger.info("message %s was taken back while being sent; not sent here", message.pk)
    except Exception as error:
        logger.warning("sending message %s failed: %s", message.pk, error)
        record_failure(message, token, error, was_marked=bool(marked),
                       subject=rendered["subject"])


def mark_sent(message, token, rendered):
    """One conditional update (with a digest's members), raising LostClaim when the claim
    is gone. Returns `release`: on PostgreSQL the update waits in an open transaction and
    `release()` writes its COMMIT without waiting for the answer, returning `confirm`,
    which reads it (see the module's docstring); elsewhere both are no-ops."""
    split = (connection.vendor == "postgresql" and connection.get_autocommit()
             and not connection.in_atomic_block)
    now = timezone.now()
    if split:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
    try:
        with (transaction.atomic() if message.is_digest and not split
              else contextlib.nullcontext()):
            if message.is_digest or set(rendered) != {"subject", "body_text", "body_html"}:
                updated = Message.objects.filter(
                    pk=message.pk, state=Message.State.SENDING, claim=token).update(
                    state=Message.State.SENT, sent_at=now, last_error="", **rendered)
            else:
                updated = _mark_email(message.pk, token, now, rendered)
            if not updated:
                raise LostClaim
            if message.is_digest:
                message.members.update(state=Message.State.SENT, sent_at=now, last_error="")
    except BaseException:
        if split:
            _rollback()
        raise
    if not split:
        return lambda: lambda: None
    return _release


def _mark_email(pk, token, now, rendered):
    """The mark of one email in plain SQL: the ORM would compile the same UPDATE again
    for every email of the batch."""
    table = connection.ops.quote_name(Message._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, sent_at = %s, last_error = '', subject = %s, "
            "body_text = %s, body_html = %s WHERE id = %s AND state = %s AND claim = %s",
            (Message.State.SENT, connection.ops.adapt_datetimefield_value(now),
             rendered["subject"], rendered["body_text"], rendered["body_html"], pk,
             Message.State.SENDING,
             Message._meta.get_field("claim").get_db_prep_value(token, connection)))
        return cursor.rowcount


def _release():
    """Write the open mark's COMMIT; the answer is read by the returned `confirm`."""
    pgconn = connection.connection.pgconn
    try:
        pgconn.send_query(b"COMMIT")
        while pgconn.flush():  # psycopg keeps its connection non-blocking
            select.select([], [pgconn.socket], [], 5)
    except BaseException:
        _rollback()
        raise
    return _confirm


def _confirm():
    from psycopg import pq

    pgconn = connection.connection.pgconn
    error = None
    while (result := pgconn.get_result()) is not None:
        if result.status != pq.ExecStatus.COMMAND_OK:
            error = (result.error_message or b"").decode(errors="replace") or "COMMIT failed"
    if error or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        _rollback()
        raise MarkNotCommitted(error or "COMMIT did not end the transaction")


def _rollback():
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        cursor.execute("ROLLBACK")


class MarkNotCommitted(Exception):
    """The mark's COMMIT failed after the dot went: the row stays "sending" and the
    sweeper returns it (sent twice, never lost)."""


@contextlib.contextmanager
def relaxed_durability():
    """On PostgreSQL, a batch's marks return without waiting for the disk write (about
    5 ms a message otherwise). A mark still survives the sender's death the moment it
    returns: it is the database server's. Only a crash of the database server itself
    within a fraction of a second (wal_writer_delay) could forget it, and that message
    would be sent a second time, never lost; its Message-ID lets the receiver see the
    copy. NOTIFICATIONS_RELAXED_COMMITS=false waits for the disk instead."""
    relax = connection.vendor == "postgresql" and settings.NOTIFICATIONS_RELAXED_COMMITS
    if relax:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if relax:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def show_in_app(shown, token):
    """Mark a batch's in-app rows delivered together, in one round trip: nothing leaves the
    database for them. A row taken back meanwhile is left to its new sender."""
    if not shown:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    claim = Message._meta.get_field("claim").get_db_prep_value(token, connection)
    table = connection.ops.quote_name(Message._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET state = %s, sent_at = %s, last_error = '', subject = %s "
            "WHERE id = %s AND state = %s AND claim = %s",
            [(Message.State.SENT, now, rendered["subject"], message.pk,
              Message.State.SENDING, claim) for message, rendered in shown])


def record_failure(message, token, error, *, was_marked=False, subject=""):
    """Back to the queue after a pause that grows with each attempt; failed after the
    last. A digest's waiting members share its fate."""
    now = timezone.now()
    state = Message.State.SENT if was_marked else Message.State.SENDING
    attempts = message.attempts  # the claim counted this attempt
    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    text = str(error)[:2000] or error.__class__.__name__
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        changes = {"state": Message.State.FAILED}
    else:
        delay = timedelta(seconds=delays[min(attempts, len(delays)) - 1])
        zone = getattr(message.recipient.district, "time_zone", None) or "UTC"
        changes = {"state": Message.State.PENDING,
                   "next_attempt_at": next_allowed(now + delay, ZoneInfo(zone))}
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, state=state, claim=token).update(
            last_error=text, sent_at=None, subject=subject[:300], **changes)
        if updated and message.is_digest:
            message.members.update(
                state=Message.State.FAILED if changes["state"] == Message.State.FAILED
                else Message.State.PENDING, sent_at=None, last_error=text)


def sweep(now=None):
    """Return rows stuck in "sending" (their sender died) to the queue; returns how many.
    Safe with a live but slow sender: it marks a row sent only while it holds the claim."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT)
    stuck = Message.objects.filter(state=Message.State.SENDING, claimed_at__lt=cutoff)
    failed = stuck.filter(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS).update(
        state=Message.State.FAILED, claim=None,
        last_error="The sender stopped while sending, on every attempt.")
    returned = stuck.update(state=Message.State.PENDING, claim=None, next_attempt_at=now)
    return failed + returned


def bundle_digests(now=None):
    """Gather each person's rows waiting for the digest into one email per person per local
    day; rows that missed the day's digest wait for the next one. Returns digests made."""
    now = now or timezone.now()
    waiting = (Message.objects.filter(state=Message.State.PENDING, in_digest=True,
                                      digest__isnull=True, next_attempt_at__lte=now)
               .values_list("pk", "recipient_id", "next_attempt_at",
                            "recipient__district__time_zone").order_by("pk")[:20000])
    groups = {}
    for pk, user_id, when, zone in waiting:
        day = timezone.localtime(when, ZoneInfo(zone or "UTC")).date()
        groups.setdefault((user_id, day, zone or "UTC"), []).append(pk)
    made = 0
    for (user_id, day, zone), pks in groups.items():
        with transaction.atomic():
            digest, created = Message.objects.get_or_create(
                channel=Message.Channel.EMAIL, key=f"digest:user-{user_id}:{day}",
                defaults={"recipient_id": user_id, "kind": DIGEST_KIND,
                          "template": DIGEST_TEMPLATE, "next_attempt_at": now})
            made += created
            # Locked while its members join, so no sender takes it half-gathered.
            open_digest = Message.objects.select_for_update().filter(
                pk=digest.pk, state=Message.State.PENDING).first()
            if open_digest is not None:
                Message.objects.filter(pk__in=pks).update(digest=open_digest)
            else:
                Message.objects.filter(pk__in=pks).update(
                    next_attempt_at=next_digest(now + timedelta(minutes=1), ZoneInfo(zone)))
    return made


def retry(message):
    """Send a failed email once more, now (a digest member: its whole digest)."""
    target = message.digest if message.digest_id else message
    with transaction.atomic():
        updated = Message.objects.filter(pk=target.pk, state=Message.State.FAILED).update(
            state=Message.State.PENDING, attempts=0, claim=None,
            next_attempt_at=timezone.now())
        if updated and target.is_digest:
            target.members.update(state=Message.State.PENDING)
    return target if updated else None


# Rendering

class Renderer:
    """Renders a batch: its links' fixed parts are built and its templates loaded once,
    so each email only formats its own signed token and fills the templates."""

    def __init__(self):
        self.templates = {}
        self.preferences_url = preferences_url()
        self.unsubscribe_prefix = unsubscribe_prefix()

    def template(self, name):
        if (template := self.templates.get(name)) is None:
            template = self.templates[name] = get_template(name)
        return template

    def unsubscribe_url(self, user_id, kind):
        return f"{self.unsubscribe_prefix}{unsubscribe_token(user_id, kind)}/"

    def render(self, message):
        """Subject and bodies in the recipient's language and their district's time zone."""
        user = message.recipient
        zone = ZoneInfo(getattr(user.district, "time_zone", None) or "UTC")
        email = message.channel == Message.Channel.EMAIL
        context = {**message.context, "name": user.display_name,
                   "url": absolute(message.url), "site_url": settings.SITE_URL,
                   "preferences_url": self.preferences_url}
        if email:
            message.unsubscribe_url = context["unsubscribe_url"] = self.unsubscribe_url(
                user.pk, EVERY_KIND if message.is_digest else message.kind)
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE), \
                timezone.override(zone):
            if message.is_digest:
                context["items"] = [
                    {"subject": self.subject(member), "url": absolute(member.url)}
                    for member in message.members.order_by("created_at", "pk")]
            subject = self.subject(message, context)
            if not email:
                return {"subject": subject}
            return {"subject": subject,
                    "body_text": self.template(f"{message.template}.txt").render(context),
                    "body_html": self.template(f"{message.template}.html").render(context)}

    def subject(self, message, context=None):
        context = context if context is not None else message.context
        # One line, whatever the names in it hold: a line break would stop the send.
        text = " ".join(
            self.template(f"{message.template}_subject.txt").render(context).split())
        return text[:300]


def render(message):
    return Renderer().render(message)


def render_subject(message, context=None):
    return Renderer().subject(message, context)


def message_id(message):
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    digest = hashlib.sha256(f"{message.channel}:{message.key}".encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def build_email(message, rendered):
    return Email(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + rendered["subject"],
        text=rendered["body_text"], html=rendered["body_html"], to=message.recipient.email,
        headers={
            "Message-ID": message_id(message),
            # RFC 8058: mail programs offer one-click unsubscribe with these two.
            "List-Unsubscribe": f"<{message.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        })


_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\Z")


class Email:
    """One email: an HTML body with its plain-text alternative. Over SMTP its bytes are
    assembled directly (the same headers and parts Django would write, at a fraction of
    the cost of its MIME classes); other backends get Django's message."""

    __slots__ = ("subject", "text", "html", "to", "headers")

    def __init__(self, *, subject, text, html, to, headers):
        self.subject, self.text, self.html, self.to = subject, text, html, to
        self.headers = headers

    def as_django(self):
        email = EmailMultiAlternatives(subject=self.subject, body=self.text, to=[self.to],
                                       headers=self.headers)
        email.attach_alternative(self.html, "text/html")
        return email

    def recipient(self):
        if _PLAIN_ADDRESS.match(self.to):
            return self.to
        return sanitize_address(self.to, "utf-8")

    def as_bytes(self, from_header):
        boundary = f"==============={uuid.uuid4().hex}=="
        lines = [
            f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"',
            "MIME-Version: 1.0",
            _header("Subject", self.subject),
            f"From: {from_header}",
            f"To: {self.recipient()}",
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
        ]
        lines += [_header(name, value) for name, value in self.headers.items()]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
        return b"".join((head, _part(boundary, "plain", self.text),
                         _part(boundary, "html", self.html),
                         f"--{boundary}--\r\n".encode("ascii")))


def _header(name, value):
    if "\n" in value or "\r" in value:
        raise ValueError(f"{name} holds a line break")
    if value.isascii() and len(name) + len(value) < 78:
        return f"{name}: {value}"
    if value.isascii() and name != "Subject":
        return f"{name}: {value}"  # a link cannot be folded; up to 998 characters is fine
    # RFC 2047 encoded words, folded to fit the line (as Django's own messages do).
    encoded = Header(value, "utf-8" if not value.isascii() else "us-ascii",
                     header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}"


def _part(boundary, subtype, text):
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode()
    if data.isascii() and max(map(len, data.split(b"\n"))) <= 998:
        encoding = "7bit"
    else:
        encoding = "quoted-printable"
        data = binascii.b2a_qp(data, istext=True)
    # The line break before the next boundary belongs to the boundary, not the body.
    data = data.replace(b"\n", b"\r\n") + b"\r\n"
    return (f"--{boundary}\r\nContent-Type: text/{subtype}; charset=\"utf-8\"\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n").encode("ascii") + data


def kind_label(name):
    kind = reminders.kinds.get(name)
    return kind.label if kind else name


# Transport

_LEADING_DOT = re.compile(rb"(?m)^\.")


class Transport:
    """One connection for a batch. Over SMTP, `send(email, commit)` calls `commit()` after
    the message's data and before the final dot (see the module's docstring)."""

    def __init__(self):
        self.backend = get_connection()
        self.smtp = isinstance(self.backend, SMTPBackend)
        if self.smtp:
            self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")

    def send(self, email, commit):
        if not self.smtp:
            self.backend.send_messages([email.as_django()])
            commit()()()
            return
        if self.backend.connection is None:
            self.backend.open()
            # The dot follows the data in a second small write: without this, Nagle's
            # algorithm holds it back for the server's delayed acknowledgement (~40 ms).
            with contextlib.suppress(OSError, AttributeError):
                self.backend.connection.sock.setsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = self.backend.connection
        self.in_data = False
        try:
            self._send(connection, email, commit)
        except smtplib.SMTPDataError:
            raise  # the server answered: the connection is still good
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
            self._reset(connection)
            raise
        except BaseException:
            # Broken, or aborted in the middle of the data: drop the connection without
            # a word (QUIT would be read as part of the message); the next opens another.
            self.abort()
            raise

    def _send(self, connection, email, commit):
        sender = self.sender
        recipients = [email.recipient()]
        data = email.as_bytes(sender)
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = connection.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        self.in_data = True
        data = _LEADING_DOT.sub(b"..", data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        connection.send(data)
        release = commit()  # raises to abort: without the dot the server keeps nothing
        confirm = release()  # the mark's COMMIT is on its way...
        try:
            connection.send(b".\r\n")  # ...and the dot right behind it
        finally:
            confirm()  # a dot that could not go: the mark is undone by the caller
        self.in_data = False
        code, reply = connection.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    def abort(self):
        connection, self.backend.connection = self.backend.connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:
                logger.exception("dropping the mail connection failed")

    def _reset(self, connection):
        try:
            connection.rset()
        except Exception:
            self.close()

    def close(self):
        try:
            self.backend.close()
        except Exception:
            logger.exception("closing the mail connection failed")
