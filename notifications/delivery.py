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
  If the COMMIT fails after the dot, the row goes back to the queue and is sent once more;
- the server refuses after the dot (4xx/5xx): we are alive to hear it and undo the mark.
A sweeper that returns a slow sender's rows cannot cause a second send: the mark is
conditional on the claim, and a sender that lost its claim never sends the dot. The
Message-ID header is derived from the key, so receivers can de-duplicate too.

Nothing of that order depends on when the answers are read, so a sender does not wait
for them where it need not: the mark's UPDATE goes out with its BEGIN before the SMTP
commands and is answered while they are; the answers to the COMMIT and to the dot are read
after the next message is rendered (the row's outcome is recorded then). An open mark
holds nothing but its own row, and a sender killed with one open leaves it uncommitted.

Other email backends (the console in development, the test outbox) send, then mark.
"""

import atexit
import binascii
import contextlib
import functools
import hashlib
import logging
import os
import re
import select
import smtplib
import socket
import threading
import time
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
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.template import engines
from django.utils import timezone, translation

from mentorship import reminders

from .links import (
    EVERY_KIND,
    absolute,
    preferences_url,
    unsubscribe_prefix,
    unsubscribe_signer,
    unsubscribe_token,
)
from .models import DIGEST_KIND, Message
from .schedule import next_allowed, next_digest

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "notifications/email/digest"


class LostClaim(Exception):
    """The row was returned to the queue (or retried) while this sender held it."""


def held(pk, token):
    """The row, while the claim `token` holds it. A claim is set only when a row is taken
    and is cleared whenever the row goes back to the queue, so the id and the claim are
    the whole condition: one on the state as well would lead PostgreSQL to the partial
    index of rows being sent, and through every row that both batches hold."""
    return Message.objects.filter(pk=pk, claim=token)


def claim(*, now, size, ids=None):
    """Take up to `size` due rows (only among `ids` when given) for this sender, at once;
    returns (claim token, their ids)."""
    token = uuid.uuid4()
    due = Message.objects.due(now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    # Oldest first, as the due index keeps them: a tie-break on the id as well would sort
    # every due row (tens of thousands after a big planning) for each batch.
    due = due.order_by("next_attempt_at")
    if connection.vendor == "postgresql":
        # One statement, so one round trip: the rows are locked, skipping those another
        # sender holds, and taken in the same breath.
        subquery, params = due.values("pk")[:size].query.sql_with_params()
        table = connection.ops.quote_name(Message._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET state = %s, claim = %s, claimed_at = %s, "
                f"attempts = attempts + 1 WHERE id = ANY(ARRAY({subquery} "
                "FOR UPDATE SKIP LOCKED)) RETURNING id",
                (Message.State.SENDING, token, now, *params))
            pks = [pk for pk, in cursor.fetchall()]
        return token, pks
    with transaction.atomic():
        pks = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
        if pks:
            Message.objects.filter(pk__in=pks).update(
                state=Message.State.SENDING, claim=token, claimed_at=now,
                attempts=F("attempts") + 1)
    return token, pks


# What sending reads of a row, its person and their district; anything else stays in the
# database (the ORM would read and convert every column of the three).
SENDING_FIELDS = ("channel", "kind", "key", "template", "context", "url", "attempts",
                  "recipient__email", "recipient__display_name",
                  "recipient__preferred_language", "recipient__district__time_zone")


def send_batch(ids=None, *, size=None):
    """Claim and send one batch of due messages over one SMTP connection; returns how many
    were claimed (a full batch means more may be waiting)."""
    size = size or settings.NOTIFICATIONS_BATCH_SIZE
    token, pks = claim(now=timezone.now(), size=size, ids=ids)
    if not pks:
        return 0
    # Read at once (a batch is small): while an email's mark is on its way nothing else may
    # use the database connection, not even to read the next rows.
    messages = list(Message.objects.filter(pk__in=pks, claim=token)
                    .select_related("recipient__district").only(*SENDING_FIELDS)
                    .order_by("next_attempt_at", "pk"))
    transport = Transport()
    with relaxed_durability():
        try:
            with Renderer() as renderer, connection.execute_wrapper(transport.before_query):
                for message, following in zip(messages, [*messages[1:], None], strict=True):
                    deliver(message, token, transport, renderer, following)
        finally:
            transport.close()
    return len(pks)


def deliver(message, token, transport, renderer=None, following=None):
    """Render and send one claimed email; record the outcome (over SMTP, it may be
    recorded when the transport's next step reads the server's answer). `following`, the
    batch's next email, may be announced to the server behind this one."""
    try:
        rendered = (renderer or Renderer()).render(message)
        email = build_email(message, rendered)
    except Exception as error:
        logger.exception("rendering message %s failed", message.pk)
        transport.settle()  # the last email's mark may hold the database connection
        record_failure(message, token, error)
        return
    transport.send(email, Mark(message, token, rendered, transport.pgconn, transport.prepared),
                   following=following.recipient.email if following is not None else None)


class Mark:
    """One email's mark, in the steps its transport takes around the final dot: `begin`
    (before the SMTP transaction), `hold` (after the data: raises LostClaim), `release`
    (writes the COMMIT, right before the dot), `settle` (reads the COMMIT's answer: the
    error, if any), `cancel` (the dot did not go) and `failed` (records the outcome).

    On PostgreSQL a plain email's mark is one UPDATE sent with its BEGIN while the SMTP
    commands are exchanged (its answer, which says whether the claim still holds, is
    there by the time the data is), and its COMMIT is read while the next email is
    rendered: the database's round trips overlap the mail server's. A digest (which also
    marks its members), or another database, takes the steps one after the other."""

    def __init__(self, message, token, rendered, pgconn=None, prepared=False):
        """`pgconn`: the libpq connection a plain email's mark may write on directly;
        `prepared`: whether the mark's statement is prepared on it."""
        self.message, self.token, self.rendered = message, token, rendered
        self.error = None
        self.step = None
        self.fast = (pgconn is not None and not message.is_digest
                     and set(rendered) == {"subject", "body_text", "body_html"})
        self.pgconn = pgconn if self.fast else None
        self.prepared = prepared and _prepared_marks["usable"]

    def begin(self):
        if not self.fast:
            return
        pgconn, rendered = self.pgconn, self.rendered
        if not self.prepared:
            self.step = "begun"
            _send_query(pgconn, _plain_mark(pgconn, self.message.pk, self.token, rendered))
            return
        # Pipeline mode sends BEGIN and the prepared mark in one write, one round trip.
        pgconn.enter_pipeline_mode()
        self.step = "begun"
        pgconn.send_query_params(b"BEGIN", None)
        pgconn.send_query_prepared(MARK_STATEMENT, (
            Message.State.SENT.encode(), timezone.now().isoformat().encode(),
            rendered["subject"].encode(), rendered["body_text"].encode(),
            rendered["body_html"].encode(), b"%d" % self.message.pk,
            str(self.token).encode()))
        pgconn.pipeline_sync()
        _flush(pgconn)

    def hold(self):
        if not self.fast:
            self.release_generic = mark_sent(self.message, self.token, self.rendered)
            return
        self.step = None
        error, updated = _read_results(self.pgconn, pipeline=self.prepared)
        if error or updated != 1:
            _raw_rollback(self.pgconn)
            raise DatabaseError(error) if error else LostClaim
        self.step = "held"

    def release(self):
        if not self.fast:
            self.settle_generic = self.release_generic()
            return
        try:
            _send_query(self.pgconn, b"COMMIT")
        except BaseException:
            self.step = None
            _raw_rollback(self.pgconn)
            raise
        self.step = "committing"

    def settle_database(self):
        """Read the COMMIT's answer; keep its error for `settle`."""
        if not self.fast:
            settle, self.settle_generic = getattr(self, "settle_generic", None), None
            if settle is not None:
                try:
                    settle()
                except MarkNotCommitted as error:
                    self.error = error
            return
        if self.step != "committing":
            return
        self.step = None
        from psycopg import pq

        error, _ = _read_results(self.pgconn)
        if error or self.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            _raw_rollback(self.pgconn)
            self.error = MarkNotCommitted(error or "COMMIT did not end the transaction")

    def settle(self):
        self.settle_database()
        return self.error

    def cancel(self):
        """The dot did not go: nothing the mark left open stays open."""
        if not self.fast:
            if getattr(self, "settle_generic", None) is not None:
                self.settle_database()
            elif getattr(self, "release_generic", None) is not None and _split_mark():
                _rollback()
            return
        if self.step == "begun":
            self.step = None
            with contextlib.suppress(Exception):
                _read_results(self.pgconn, pipeline=self.prepared)
            _raw_rollback(self.pgconn)
        elif self.step == "held":
            self.step = None
            _raw_rollback(self.pgconn)
        elif self.step == "committing":
            self.settle_database()

    def failed(self, error):
        if isinstance(error, LostClaim):
            logger.info("message %s was taken back while being sent; not sent here",
                        self.message.pk)
            return
        logger.warning("sending message %s failed: %s", self.message.pk, error)
        record_failure(self.message, self.token, error,
                       subject=self.rendered["subject"])


def _split_mark():
    return (connection.vendor == "postgresql" and connection.get_autocommit()
            and not connection.in_atomic_block)


# The mark of a plain email, prepared on each database connection that sends: PostgreSQL
# then neither parses nor plans it for each email (a third of its work for one), and the
# rendered bodies go as they are, not quoted into the statement's text.
MARK_STATEMENT = b"outbox_mark"


# Behind a pooler that hands each transaction any server connection (PgBouncer's
# transaction mode), a statement prepared on one is missing on the next: the first mark
# that finds it missing fails (its email is sent again later), and from then on this
# process's marks are plain statements.
_prepared_marks = {"usable": True}


def _direct_pgconn():
    """The libpq connection under Django's, on PostgreSQL in autocommit outside any
    atomic block (a test's transaction is one); None otherwise."""
    # Checking autocommit opened the connection.
    return connection.connection.pgconn if _split_mark() else None


def _prepare_mark():
    """Prepare the mark on the connection unless it is; False where prepared marks were
    found not to work."""
    if not _prepared_marks["usable"]:
        return False
    name = MARK_STATEMENT.decode()
    with connection.cursor() as cursor:
        # Looked for at each batch: a DEALLOCATE may have dropped it meanwhile.
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(
                f"PREPARE {name} AS UPDATE {_table_name().decode()} SET state = $1, "
                "sent_at = $2, last_error = '', subject = $3, body_text = $4, "
                "body_html = $5 WHERE id = $6 AND claim = $7")
    return True


def _plain_mark(pgconn, pk, token, rendered):
    """The mark as one query's text, BEGIN first, its values quoted by libpq itself."""
    from psycopg import pq

    quote = pq.Escaping(pgconn).escape_literal
    return b"".join((
        b"BEGIN; UPDATE ", _table_name(), b" SET state = ",
        quote(Message.State.SENT.encode()), b", sent_at = ",
        quote(timezone.now().isoformat().encode()),
        b", last_error = '', subject = ", quote(rendered["subject"].encode()),
        b", body_text = ", quote(rendered["body_text"].encode()),
        b", body_html = ", quote(rendered["body_html"].encode()),
        b" WHERE id = %d AND claim = " % pk, quote(str(token).encode())))


@functools.cache
def _table_name():
    return connection.ops.quote_name(Message._meta.db_table).encode()


def mark_sent(message, token, rendered):
    """One conditional update (with a digest's members), raising LostClaim when the claim
    is gone. Returns `release`: on PostgreSQL the update waits in an open transaction and
    `release()` writes its COMMIT without waiting for the answer, returning `confirm`,
    which reads it (see the module's docstring); elsewhere both are no-ops."""
    split = _split_mark()
    now = timezone.now()
    if split:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
    try:
        with (transaction.atomic() if message.is_digest and not split
              else contextlib.nullcontext()):
            if message.is_digest or set(rendered) != {"subject", "body_text", "body_html"}:
                updated = held(message.pk, token).update(
                    state=Message.State.SENT, sent_at=now, last_error="", **rendered)
            else:
                with connection.cursor() as cursor:
                    cursor.execute(*_mark_email_query(message.pk, token, now, rendered))
                    updated = cursor.rowcount
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


def _mark_email_query(pk, token, now, rendered):
    """The mark of one email as one plain UPDATE and its parameters (on any database): the
    ORM would compile the same UPDATE again for every email of the batch."""
    table = connection.ops.quote_name(Message._meta.db_table)
    return (
        f"UPDATE {table} SET state = %s, sent_at = %s, last_error = '', subject = %s, "
        "body_text = %s, body_html = %s WHERE id = %s AND claim = %s",
        (Message.State.SENT, connection.ops.adapt_datetimefield_value(now),
         rendered["subject"], rendered["body_text"], rendered["body_html"], pk,
         Message._meta.get_field("claim").get_db_prep_value(token, connection)))


def _send_query(pgconn, query):
    """Write a query without waiting for its answer."""
    pgconn.send_query(query)
    _flush(pgconn)


def _flush(pgconn):
    while pgconn.flush():  # psycopg keeps its connection non-blocking
        select.select([], [pgconn.socket], [], 5)


def _read_results(pgconn, pipeline=False):
    """Wait for every answer to what was sent (in pipeline mode, up to its sync, then
    leave it): (the first error, rows the last statement changed)."""
    from psycopg import pq

    error, rows, between = None, None, False
    try:
        while True:
            if (result := pgconn.get_result()) is None:
                if not pipeline:
                    return error, rows
                if between:  # twice in a row: no answer is coming (the connection is lost)
                    raise DatabaseError(error or "the database connection was lost")
                between = True  # the end of one statement's answers
                continue
            between = False
            if result.status == pq.ExecStatus.PIPELINE_SYNC:
                return error, rows
            if result.status == pq.ExecStatus.COMMAND_OK:
                rows = result.command_tuples
            elif error is None:
                error = (result.error_message or b"").decode(errors="replace") or "failed"
                if result.error_field(pq.DiagnosticField.SQLSTATE) == b"26000":
                    _prepared_marks["usable"] = False
                    logger.warning("the prepared mark went missing from its connection "
                                   "(a transaction pooler?): marking with plain statements")
    finally:
        if pipeline:
            with contextlib.suppress(Exception):
                pgconn.exit_pipeline_mode()


def _raw_rollback(pgconn):
    with contextlib.suppress(Exception):
        _send_query(pgconn, b"ROLLBACK")
        _read_results(pgconn)


def _release():
    """Write the open mark's COMMIT; the answer is read by the returned `confirm`."""
    pgconn = connection.connection.pgconn
    try:
        _send_query(pgconn, b"COMMIT")
    except BaseException:
        _rollback()
        raise
    return _confirm


def _confirm():
    from psycopg import pq

    pgconn = connection.connection.pgconn
    error, _ = _read_results(pgconn)
    if error or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        _rollback()
        raise MarkNotCommitted(error or "COMMIT did not end the transaction")


def _rollback():
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        cursor.execute("ROLLBACK")


class MarkNotCommitted(Exception):
    """The mark's COMMIT failed after the dot went: the row goes back to the queue (sent
    twice, never lost)."""


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


def record_failure(message, token, error, *, subject=""):
    """Back to the queue after a pause that grows with each attempt; failed after the
    last. A digest's waiting members share its fate."""
    now = timezone.now()
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
        updated = held(message.pk, token).update(
            claim=None, last_error=text, sent_at=None, subject=subject[:300], **changes)
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
    so each email only formats its own signed token and fills the templates.

    Used as a context manager (a batch), a language and time zone stay active from one
    message to the next of the same person's language and zone, and are put back at the
    end."""

    def __init__(self):
        self.templates = {}
        self.translations = {}
        self.preferences_url = preferences_url()
        self.unsubscribe_prefix = unsubscribe_prefix()
        self.signer = unsubscribe_signer()
        self.batch = False
        self.locale = None  # (language, zone name, its two overrides) while in a batch

    def __enter__(self):
        self.batch = True
        return self

    def __exit__(self, *exc):
        self._leave()
        self.batch = False

    def _leave(self):
        if self.locale is not None:
            *_, overrides = self.locale
            self.locale = None
            for override in reversed(overrides):
                override.__exit__(None, None, None)

    @contextlib.contextmanager
    def _speaking(self, language, zone):
        if not self.batch:
            with translation.override(language), timezone.override(ZoneInfo(zone)):
                yield
            return
        if self.locale is None or self.locale[:2] != (language, zone):
            self._leave()
            overrides = (translation.override(language), timezone.override(ZoneInfo(zone)))
            for override in overrides:
                override.__enter__()
            self.locale = (language, zone, overrides)
        yield

    def _translations(self, language):
        """The templates' gettext and ngettext while `language` is active, each phrase
        looked up once a batch: every email asks for the same dozen, and each of Django's
        lookups finds the active language again."""
        if (found := self.translations.get(language)) is None:
            texts = {}

            def gettext(message):
                if (text := texts.get(message)) is None:
                    text = texts[message] = translation.gettext(message)
                return text

            def ngettext(singular, plural, number):
                if (text := texts.get(key := (singular, plural, number))) is None:
                    text = texts[key] = translation.ngettext(singular, plural, number)
                return text

            found = self.translations[language] = (gettext, ngettext)
        return found

    def template(self, name):
        if (template := self.templates.get(name)) is None:
            template = self.templates[name] = engines["emails"].env.get_template(name)
        return template

    def unsubscribe_url(self, user_id, kind):
        return f"{self.unsubscribe_prefix}{unsubscribe_token(user_id, kind, self.signer)}/"

    def render(self, message):
        """An email's subject and bodies in the recipient's language and their district's
        time zone."""
        user = message.recipient
        zone = getattr(user.district, "time_zone", None) or "UTC"
        language = user.preferred_language or settings.LANGUAGE_CODE
        context = {**message.context, "name": user.display_name,
                   "url": absolute(message.url), "site_url": settings.SITE_URL,
                   "preferences_url": self.preferences_url, "LANGUAGE_CODE": language}
        with self._speaking(language, zone):
            context["gettext"], context["ngettext"] = self._translations(language)
            if message.is_digest:
                context["items"] = [
                    {"subject": self.subject(member), "url": absolute(member.url)}
                    for member in message.members.order_by("created_at", "pk")]
            subject = self.subject(message, context)
            message.unsubscribe_url = context["unsubscribe_url"] = self.unsubscribe_url(
                user.pk, EVERY_KIND if message.is_digest else message.kind)
            return {"subject": subject,
                    "body_text": self.template(f"{message.template}.txt").render(context),
                    "body_html": self.template(f"{message.template}.html").render(context)}

    def subject(self, message, context=None):
        context = context if context is not None else message.context
        # One line, whatever the names in it hold: a line break would stop the send.
        text = " ".join(
            self.template(f"{message.template}_subject.txt").render(context).split())
        return text[:300]


def fill_in_app_subjects(messages):
    """Render, in the active language and time zone, the subject of each in-app message
    that has none yet (rendered when read: nothing goes out for it). A template that fails
    names the kind rather than failing the page."""
    renderer = Renderer()
    for message in messages:
        if not message.subject:
            try:
                message.subject = renderer.subject(message)
            except Exception:
                logger.exception("rendering the subject of message %s failed", message.pk)
                message.subject = str(kind_label(message.kind))
    return messages


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

    def envelope_recipient(self):
        return envelope_recipient(self.to)

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


def envelope_recipient(address):
    if _PLAIN_ADDRESS.match(address):
        return f"<{address}>"
    return smtplib.quoteaddr(sanitize_address(address, "utf-8"))


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
    if len(data) <= 998 or max(map(len, data.split(b"\n"))) <= 998:
        # As Django writes a part: its UTF-8 as it is, which every mail server takes.
        encoding = "7bit" if data.isascii() else "8bit"
    else:
        encoding = "quoted-printable"  # which breaks the lines too long for SMTP
        data = binascii.b2a_qp(data, istext=True)
    # The line break before the next boundary belongs to the boundary, not the body.
    data = data.replace(b"\n", b"\r\n") + b"\r\n"
    return (f"--{boundary}\r\nContent-Type: text/{subtype}; charset=\"utf-8\"\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n").encode("ascii") + data


def kind_label(name):
    kind = reminders.kinds.get(name)
    return kind.label if kind else name


# Transport


def _dot_stuffed(data):
    """A line that starts with a dot gets a second one (RFC 5321, 4.5.2), so that none
    reads as the end of the data. (A search for such lines with a regular expression
    took a sixth of a sender's time.)"""
    data = data.replace(b"\n.", b"\n..")
    return b"." + data if data.startswith(b".") else data

# A connection a batch leaves open serves the next batch of the same process, unless it
# has been idle this long (mail servers close idle connections after minutes).
KEEP_SECONDS = 30
_kept = {}
_kept_lock = threading.Lock()


class Transport:
    """One connection for a batch. Over SMTP, `send(email, mark)` takes the mark's steps
    around the final dot (see the module's docstring) and leaves the server's answer to
    be read, with the mark's COMMIT, while the next email is rendered: the next `send`,
    `settle` or `close` reads it and records the outcome.

    The SMTP connection outlives the batch: the next batch of the process takes it
    (connecting, greeting and, with a real server, TLS and signing in, cost more than a
    batch's emails). A kept connection the server has dropped meanwhile is replaced
    before anything of the email has gone."""

    def __init__(self):
        self.backend = get_connection()
        self.smtp = isinstance(self.backend, SMTPBackend)
        # What the marks of plain emails write on directly, where they can (see Mark):
        # found once, for each look at Django's connection costs a sender time.
        self.pgconn = _direct_pgconn()
        self.prepared = self.pgconn is not None and _prepare_mark()
        self.pending = None  # the mark of the last email, whose answers are still unread
        # The envelope recipient whose MAIL, RCPT and DATA went behind the last dot, their
        # replies unread.
        self.announced = None
        if self.smtp:
            self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")
            self.envelope_sender = smtplib.quoteaddr(self.sender)
            self.key = (self.backend.host, self.backend.port, self.backend.username,
                        self.backend.password, self.backend.use_tls, self.backend.use_ssl)
            self.kept = False
            with _kept_lock:
                kept = _kept.pop(self.key, None)
            if kept is not None:
                kept_connection, since = kept
                if time.monotonic() - since < KEEP_SECONDS:
                    self.backend.connection, self.kept = kept_connection, True
                else:
                    _drop(kept_connection)

    def send(self, email, mark, following=None):
        """Send one email; with a server that pipelines, the envelope of `following` (the
        address of the next email) goes behind its dot, so that the server answers it
        while the next email is rendered."""
        self.settle()
        if not self.smtp:
            try:
                self.backend.send_messages([email.as_django()])
                mark.begin()
                mark.hold()
                mark.release()
            except Exception as error:
                mark.cancel()
                mark.failed(error)
                return
            if error := mark.settle():
                mark.failed(error)
            return
        try:
            mark.begin()  # the mark's UPDATE is answered while the email is assembled
            recipient = email.envelope_recipient()
            data = _dot_stuffed(email.as_bytes(self.sender))
        except Exception as error:
            mark.cancel()
            mark.failed(error)
            return
        try:
            self._send(recipient, data, mark, following)
        except BaseException as error:
            mark.cancel()
            if isinstance(error, smtplib.SMTPDataError):
                pass  # the server answered: the connection is still good
            elif isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
                self._reset()
            else:
                # Broken, or aborted in the middle of the data: drop the connection without
                # a word (QUIT would be read as part of the message); the next opens another.
                self.abort()
            if not isinstance(error, Exception):
                raise
            mark.failed(error)
            return
        self.pending = mark

    def _open(self):
        if self.backend.connection is None:
            self.kept = False
            self.backend.open()
            connection = self.backend.connection
            # The dot follows the data in a second small write: without this, Nagle's
            # algorithm holds it back for the server's delayed acknowledgement (~40 ms).
            with contextlib.suppress(OSError, AttributeError):
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.ehlo_or_helo_if_needed()
        return self.backend.connection

    def _send(self, recipient, data, mark, following):
        announced, self.announced = self.announced, None
        if announced is not None and announced != recipient:
            # The email announced did not come (it failed before sending): the server
            # waits for its data, so the connection goes; the server keeps nothing of it.
            self.abort()
            announced = None
        connection = self._open()
        # A connection kept from an earlier batch may have been closed meanwhile, and one
        # may close after a dot: nothing of this email has gone yet, so it starts again
        # on a new connection.
        fresh = not (self.kept or announced)
        try:
            replies = (self._replies(connection, 3) if announced
                       else self._envelope(connection, recipient))
        except (smtplib.SMTPServerDisconnected, OSError):
            if fresh:
                raise
            replies = [(421, b"")]
        if replies[0][0] == 421 and not fresh:
            self.abort()
            connection = self._open()
            replies = self._envelope(connection, recipient)
        self.kept = False
        (code, reply), *rest = replies
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, self.sender)
        code, reply = rest[0] if rest else _command(connection, "rcpt", f"TO:{recipient}")
        if code not in (250, 251):
            if len(rest) > 1 and rest[1][0] == 354:
                # Pipelined, and the server took DATA all the same: end it empty.
                connection.send(b".\r\n")
                connection.getreply()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        code, reply = rest[1] if len(rest) > 1 else _command(connection, "data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        connection.send(data)
        mark.hold()  # raises to abort: without the dot the server keeps nothing
        following, next_envelope = self._announcement(connection, following)
        mark.release()  # the mark's COMMIT is on its way...
        connection.send(b".\r\n" + next_envelope)  # ...and the dot right behind it
        if next_envelope:
            self.announced = following

    def _announcement(self, connection, address):
        """The next email's envelope recipient and commands, to go behind this dot when
        the server pipelines; (None, b"") otherwise. An address that cannot be written
        is left for that email to fail on."""
        if address is None or not connection.has_extn("pipelining"):
            return None, b""
        try:
            recipient = envelope_recipient(address)
            return recipient, self._envelope_commands(recipient)
        except ValueError:
            return None, b""

    def _envelope(self, connection, recipient):
        """MAIL FROM, and with a server that offers PIPELINING (RFC 2920) RCPT TO and
        DATA in the same write: one wait for the three replies instead of three waits.
        Returns the replies read."""
        if not connection.has_extn("pipelining"):
            return [_command(connection, "mail", f"FROM:{self.envelope_sender}")]
        connection.send(self._envelope_commands(recipient))
        return self._replies(connection, 3)

    def _envelope_commands(self, recipient):
        if "\r" in recipient or "\n" in recipient:
            raise ValueError("the recipient holds a line break")
        return f"MAIL FROM:{self.envelope_sender}\r\nRCPT TO:{recipient}\r\nDATA\r\n".encode()

    @staticmethod
    def _replies(connection, count):
        return [connection.getreply() for _ in range(count)]

    def settle(self):
        """Read the last email's answers (its mark's COMMIT, the server's reply to its
        dot) and record its outcome."""
        mark, self.pending = self.pending, None
        if mark is None:
            return
        try:
            code, reply = self.backend.connection.getreply()
        except Exception as broken:
            self.abort()
            refused = broken
        else:
            refused = smtplib.SMTPDataError(code, reply) if code != 250 else None
        # The mail server's answer is the slower: the COMMIT's has come meanwhile.
        error = mark.settle() or refused
        if error is not None:
            mark.failed(error)

    def before_query(self, execute, sql, params, many, context):
        """Any other query first reads the answer to the last mark's COMMIT."""
        if self.pending is not None:
            self.pending.settle_database()
        return execute(sql, params, many, context)

    def abort(self):
        connection, self.backend.connection = self.backend.connection, None
        self.kept = False
        self.announced = None
        if connection is not None:
            try:
                connection.close()
            except Exception:
                logger.exception("dropping the mail connection failed")

    def _reset(self):
        try:
            self.backend.connection.rset()
        except Exception:
            self.abort()

    def close(self):
        """Read the last answers; keep the connection for the process's next batch."""
        try:
            self.settle()
        finally:
            if self.announced is not None:
                self.abort()  # an email announced that did not come (see _send)
            if self.smtp and self.backend.connection is not None:
                connection, self.backend.connection = self.backend.connection, None
                with _kept_lock:
                    previous = _kept.get(self.key)
                    _kept[self.key] = (connection, time.monotonic())
                if previous is not None:
                    _drop(previous[0])
            elif not self.smtp:
                try:
                    self.backend.close()
                except Exception:
                    logger.exception("closing the mail connection failed")


def _command(connection, name, argument=""):
    """One SMTP command and its reply. The addresses are already quoted: smtplib's
    mail() and rcpt() would parse them again for every email."""
    connection.putcmd(name, argument)
    return connection.getreply()


def _drop(connection):
    try:
        connection.quit()
    except Exception:
        with contextlib.suppress(Exception):
            connection.close()


def _forget_kept():
    # A forked worker must not write on its parent's connections; they stay the parent's.
    global _kept_lock
    _kept.clear()
    _kept_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_kept)


@atexit.register
def _close_kept():
    with _kept_lock:
        kept = list(_kept.values())
        _kept.clear()
    for smtp, _since in kept:
        _drop(smtp)
