"""Planning and sending: once per key, in working hours, the person's choices kept."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from mentorship.reminders import Reminder
from notifications import delivery, planning, services
from notifications.models import Message, Preference, QuietHours
from tests import factories
from tests.notifications.conftest import CHICAGO, TUESDAY_MORNING, nudge

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(people):
    return people.teacher


def send_everything():
    while delivery.send_batch():
        pass


def plan_and_send_through(sink):
    """Plan what is due on a Tuesday morning and send it to `sink`, then stop the server."""
    try:
        with time_machine.travel(TUESDAY_MORNING, tick=False):
            planning.plan()
            send_everything()
    finally:
        sink.controller.stop()


def emails_by_person():
    return {message.recipient_id: message for message in
            Message.objects.filter(channel="email")}


def test_planning_twice_adds_nothing(due, teacher):
    due.items = [nudge(teacher, 1), nudge(teacher, 2)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        assert planning.plan() == 2
        assert planning.plan() == 0

    assert Message.objects.filter(channel="email").count() == 2
    assert Message.objects.filter(channel="in_app").count() == 2


def test_sending_twice_sends_each_email_once_in_the_persons_language(due, teacher, client):
    teacher.preferred_language = "es"
    teacher.save()
    due.items = [nudge(teacher, 1)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        send_everything()
        send_everything()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [teacher.email]
    assert email.subject.endswith("Metas: Goal 1")
    assert "Goal 1 is due." in email.body
    assert "http://testserver/goals/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/notifications/unsubscribe/")
    sent = Message.objects.get(channel="email")
    assert (sent.state, sent.subject) == ("sent", "Metas: Goal 1")
    assert "Goal 1 is due." in sent.body_html
    assert '<html lang="es">' in sent.body_html
    client.force_login(teacher)
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        inbox = client.get(reverse("notifications:list"))
    assert "Metas: Goal 1" in inbox.text


def test_one_batch_writes_each_email_in_its_own_persons_language(due, people):
    """A batch looks each phrase up once for each language: English and Spanish readers
    in turns each get theirs."""
    readers = [factories.teacher(people.school) for _ in range(4)]
    for n, reader in enumerate(readers):
        reader.preferred_language = ("en", "es")[n % 2]
        reader.save()
    due.items = [nudge(reader) for reader in readers]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        assert delivery.send_batch() == 4

    for reader in readers:
        [email] = [email for email in mail.outbox if email.to == [reader.email]]
        spanish = reader.preferred_language == "es"
        assert email.subject.endswith("Metas: Goal 1" if spanish else "Goals: Goal 1")
        assert email.body.startswith(f"Hola, {reader.display_name}:" if spanish
                                     else f"Hello {reader.display_name},")


def test_an_in_app_message_shows_when_due_with_no_sender(due, teacher, client):
    """Nothing goes out for an in-app message: it is there from its time on, and senders
    claim only the email."""
    later = TUESDAY_MORNING + timedelta(hours=3)
    due.items = [nudge(teacher, 1), nudge(teacher, 2, not_before=later)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        assert Message.objects.unread_by(teacher).count() == 1
        _token, claimed = delivery.claim(now=TUESDAY_MORNING, size=10)
    assert set(Message.objects.filter(pk__in=claimed).values_list("channel", flat=True)) == {
        "email"}
    client.force_login(teacher)
    with time_machine.travel(later, tick=False):
        inbox = client.get(reverse("notifications:list"))
    assert "Goals: Goal 1" in inbox.text
    assert "Goals: Goal 2" in inbox.text


def test_turning_a_kind_off_skips_its_in_app_messages_not_shown_yet(due, teacher):
    later = TUESDAY_MORNING + timedelta(hours=3)
    due.items = [nudge(teacher, 1), nudge(teacher, 2, not_before=later)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        services.unsubscribe(user=teacher, kind="goal-nudge")
    with time_machine.travel(later, tick=False):
        shown = list(Message.objects.inbox_of(teacher).values_list("key", flat=True))
    assert shown == [f"goal-nudge:user-{teacher.pk}:1"]


def test_an_email_waits_for_working_hours_in_the_districts_time_zone(due, teacher):
    due.items = [nudge(teacher)]
    friday_evening = datetime(2026, 10, 9, 20, 30, tzinfo=CHICAGO)
    with time_machine.travel(friday_evening, tick=False):
        planning.plan()
        send_everything()

    email = Message.objects.get(channel="email")
    assert email.next_attempt_at == datetime(2026, 10, 12, 7, 0, tzinfo=CHICAGO)  # Monday
    assert mail.outbox == []
    # In the app it shows at once: it wakes nobody.
    assert Message.objects.unread_by(teacher).count() == 1
    with time_machine.travel(datetime(2026, 10, 12, 7, 1, tzinfo=CHICAGO), tick=False):
        send_everything()
    assert len(mail.outbox) == 1


def test_quiet_hours_move_an_email_to_their_end(due, teacher):
    QuietHours.objects.create(user=teacher, starts_at=time(9), ends_at=time(12, 30))
    due.items = [nudge(teacher)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()

    assert Message.objects.get(channel="email").next_attempt_at == datetime(
        2026, 10, 6, 12, 30, tzinfo=CHICAGO)


def test_quiet_hours_across_midnight(due, teacher):
    QuietHours.objects.create(user=teacher, starts_at=time(18), ends_at=time(8))
    due.items = [nudge(teacher)]
    with time_machine.travel(datetime(2026, 10, 6, 18, 30, tzinfo=CHICAGO), tick=False):
        planning.plan()

    assert Message.objects.get(channel="email").next_attempt_at == datetime(
        2026, 10, 7, 8, 0, tzinfo=CHICAGO)


def test_a_reminder_not_before_a_time_waits_for_it(due, teacher):
    later = TUESDAY_MORNING + timedelta(hours=3)
    due.items = [nudge(teacher, not_before=later)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        send_everything()
        assert Message.objects.unread_by(teacher).count() == 0

    assert mail.outbox == []
    assert set(Message.objects.values_list("next_attempt_at", flat=True)) == {later}


def test_a_kind_turned_off_is_kept_as_skipped_and_never_sent(due, teacher):
    Preference.objects.create(user=teacher, kind="goal-nudge", enabled=False)
    due.items = [nudge(teacher)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        send_everything()

    assert mail.outbox == []
    assert set(Message.objects.values_list("state", flat=True)) == {"skipped"}
    assert Message.objects.unread_by(teacher).count() == 0


def test_a_kind_that_may_not_be_turned_off_is_sent_anyway(due, teacher):
    Preference.objects.create(user=teacher, kind="must-read", enabled=False, digest=True)
    due.required = [nudge(teacher, key="must-read:1")]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        send_everything()

    assert len(mail.outbox) == 1


def test_the_daily_digest_sends_one_email_with_everything_waiting(due, teacher, people):
    Preference.objects.create(user=teacher, kind="goal-nudge", digest=True)
    other = people.colleague
    due.items = [nudge(teacher, 1), nudge(teacher, 2), nudge(other, 3)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        send_everything()
    # The other person gets theirs at once; the teacher's wait for tomorrow's digest.
    assert [email.to for email in mail.outbox] == [[other.email]]
    waiting = Message.objects.filter(recipient=teacher, channel="email")
    assert set(waiting.values_list("next_attempt_at", flat=True)) == {
        datetime(2026, 10, 7, 7, 0, tzinfo=CHICAGO)}

    with time_machine.travel(datetime(2026, 10, 7, 7, 0, 30, tzinfo=CHICAGO), tick=False):
        assert delivery.bundle_digests() == 1
        assert delivery.bundle_digests() == 0
        send_everything()

    digest = mail.outbox[1]
    assert digest.to == [teacher.email]
    assert "Goals: Goal 1" in digest.body and "Goals: Goal 2" in digest.body
    assert len(mail.outbox) == 2
    assert set(waiting.values_list("state", flat=True)) == {"sent"}


def test_a_refused_email_is_retried_with_back_off_then_failed(due, teacher, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    due.items = [nudge(teacher)]
    with time_machine.travel(TUESDAY_MORNING, tick=False) as clock:
        planning.plan()
        send_everything()
        email = Message.objects.get(channel="email")
        assert (email.state, email.attempts) == ("pending", 1)
        assert email.next_attempt_at == TUESDAY_MORNING + timedelta(minutes=1)
        assert "Try again later" in email.last_error
        send_everything()  # not yet due
        assert Message.objects.get(channel="email").attempts == 1
        clock.shift(timedelta(minutes=1))
        send_everything()
        assert Message.objects.get(channel="email").next_attempt_at == (
            TUESDAY_MORNING + timedelta(minutes=6))
        clock.shift(timedelta(minutes=5))
        send_everything()
        email = Message.objects.get(channel="email")
        assert (email.state, email.attempts) == ("failed", 3)

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert services.retry_message(message=email) is not None
        send_everything()
        send_everything()
    assert len(mail.outbox) == 1
    assert Message.objects.get(channel="email").state == "sent"


def test_the_sweeper_returns_rows_whose_sender_died(due, teacher, settings):
    due.items = [nudge(teacher)]
    with time_machine.travel(TUESDAY_MORNING, tick=False) as clock:
        planning.plan()
        delivery.claim(now=TUESDAY_MORNING, size=10)  # a sender that then died
        assert delivery.sweep() == 0  # not yet: it may still be sending
        clock.shift(timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT + 1))
        assert delivery.sweep() == 1
        send_everything()
    assert len(mail.outbox) == 1


def test_a_sender_whose_claim_was_taken_back_does_not_mark_it(due, teacher):
    due.items = [nudge(teacher)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        token, pks = delivery.claim(now=TUESDAY_MORNING, size=10)
        Message.objects.filter(pk__in=pks).update(claim=None, state="pending")
        message = Message.objects.select_related("recipient__district").get(channel="email")
        delivery.deliver(message, token, delivery.Transport())

    assert Message.objects.get(channel="email").state == "pending"


def test_an_inactive_person_gets_nothing(due, people):
    gone = factories.teacher(people.school)
    gone.is_active = False
    gone.save()
    due.items = [nudge(gone)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        assert planning.plan() == 0


def test_one_broken_source_does_not_stop_the_others(due, teacher, monkeypatch):
    from mentorship import reminders
    from mentorship.reminders import Kind

    def broken(now):
        raise RuntimeError("a bug in one app")

    monkeypatch.setitem(reminders.kinds, "broken", Kind("broken", "Broken", "", broken))
    due.items = [nudge(teacher)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        assert planning.plan() == 1


@pytest.mark.django_db(transaction=True)
def test_the_marks_commit_and_the_final_dot_go_out_together(due, teacher, settings,
                                                             monkeypatch):
    """A sender killed between the mark's commit and its dot loses that email, so the dot
    must not wait for the database's answer to the commit (a whole round trip): when the
    dot is written the commit is on its way, and unanswered."""
    import smtplib

    from django.db import connection
    from psycopg import pq

    from tests.notifications.smtp import send_through, start_sink

    sink = start_sink()
    send_through(settings, sink.port)
    at_dot = []
    send = smtplib.SMTP.send

    def watching(self, data):
        if data == b".\r\n":
            at_dot.append(connection.connection.pgconn.transaction_status)
        return send(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", watching)
    due.items = [nudge(teacher)]
    plan_and_send_through(sink)

    assert at_dot == [pq.TransactionStatus.ACTIVE]
    assert Message.objects.get(channel="email").state == "sent"
    assert len(sink.received) == 1


@pytest.mark.django_db(transaction=True)
def test_the_mark_is_a_statement_prepared_once_and_again_when_it_is_dropped(
        due, people, settings):
    """Each email is marked by a statement prepared on the connection (PostgreSQL plans it
    once); one dropped meanwhile, as a pooler or a DEALLOCATE may, is prepared again."""
    from django.db import connection

    from tests.notifications.smtp import send_through, start_sink

    def executions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans + custom_plans FROM pg_prepared_statements "
                           "WHERE name = 'outbox_mark'")
            found = cursor.fetchone()
        return found[0] if found else None

    sink = start_sink()
    send_through(settings, sink.port)
    settings.NOTIFICATIONS_BATCH_SIZE = 2
    due.items = [nudge(factories.teacher(people.school)) for _ in range(4)]
    try:
        with time_machine.travel(TUESDAY_MORNING, tick=False):
            planning.plan()
            assert delivery.send_batch() == 2
            assert executions() == 2
            with connection.cursor() as cursor:
                cursor.execute("DEALLOCATE ALL")
            assert executions() is None
            send_everything()
    finally:
        sink.controller.stop()

    assert executions() == 2
    assert sink.count() == 4
    assert set(Message.objects.filter(channel="email").values_list("state", flat=True)) == {
        "sent"}


@pytest.mark.django_db(transaction=True)
def test_where_the_prepared_mark_goes_missing_the_marks_become_plain_statements(
        due, people, settings, monkeypatch):
    """Behind a pooler that hands each transaction another server connection, the mark's
    prepared statement is missing when it runs: that email is not sent and waits for its
    next try, and the marks after it are plain statements."""
    from datetime import timedelta

    from django.db import connection

    from tests.notifications.smtp import send_through, start_sink

    sink = start_sink()
    send_through(settings, sink.port)
    monkeypatch.setitem(delivery._prepared_marks, "usable", True)
    prepare = delivery._prepare_mark
    # The look for it found it, on another server connection than the mark's.
    monkeypatch.setattr(delivery, "_prepare_mark", lambda: True)
    readers = [factories.teacher(people.school) for _ in range(3)]
    due.items = [nudge(reader) for reader in readers]
    try:
        with time_machine.travel(TUESDAY_MORNING, tick=False):
            planning.plan()
            with connection.cursor() as cursor:
                cursor.execute("DEALLOCATE ALL")
            assert delivery.send_batch() == 3
            emails = emails_by_person()
            missed = emails[readers[0].pk]
            assert (missed.state, missed.attempts) == ("pending", 1)
            assert "outbox_mark" in missed.last_error
            assert [emails[reader.pk].state for reader in readers[1:]] == ["sent", "sent"]
            assert sink.count() == 2

        monkeypatch.setattr(delivery, "_prepare_mark", prepare)
        with time_machine.travel(TUESDAY_MORNING + timedelta(minutes=5), tick=False):
            send_everything()
    finally:
        sink.controller.stop()

    assert sorted(sink.received) == sorted(
        delivery.message_id(email) for email in emails.values())
    assert set(Message.objects.filter(channel="email").values_list("state", flat=True)) == {
        "sent"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelining", "one-by-one"])
def test_a_refused_recipient_fails_alone_whether_or_not_the_server_pipelines(
        due, people, settings, monkeypatch, pipelining):
    """With PIPELINING an envelope goes in one write (behind the previous email's dot when
    there is one) and its three replies are read together: a recipient refused among them
    fails that email only, and the emails after it still go on the same connection."""
    import smtplib

    from tests.notifications.smtp import send_through, start_sink

    writes = []
    send = smtplib.SMTP.send

    def watching(self, data):
        writes.append(data if isinstance(data, str) else data.decode(errors="replace"))
        return send(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", watching)

    sink = start_sink(pipelining=pipelining)
    send_through(settings, sink.port)
    first, gone, last = (factories.teacher(people.school) for _ in range(3))
    sink.refused_recipients.add(gone.email)
    due.items = [nudge(first), nudge(gone), nudge(last)]
    plan_and_send_through(sink)

    emails = emails_by_person()
    assert sink.count() == 2
    assert (emails[first.pk].state, emails[last.pk].state) == ("sent", "sent")
    refused = emails[gone.pk]
    assert (refused.state, refused.attempts) == ("pending", 1)
    assert "No such mailbox" in refused.last_error
    envelopes_in_one_write = [w for w in writes if "MAIL FROM" in w and "DATA" in w]
    behind_a_dot = [w for w in envelopes_in_one_write if w.startswith(".\r\nMAIL FROM")]
    assert (len(envelopes_in_one_write), len(behind_a_dot)) == ((3, 1) if pipelining else (0, 0))


@pytest.mark.django_db(transaction=True)
def test_an_email_announced_to_the_server_that_fails_to_render_leaves_nothing(
        due, people, settings):
    """The next email's envelope goes behind a dot before that email is rendered: when it
    then fails to render, the server is left waiting for its data, so the connection is
    dropped and nothing of it arrives; the emails after it still go."""
    from tests.notifications.smtp import send_through, start_sink

    sink = start_sink()
    send_through(settings, sink.port)
    first, broken, last = (factories.teacher(people.school) for _ in range(3))
    due.items = [nudge(first), Reminder(key=f"goal-nudge:user-{broken.pk}:1",
                                        user_id=broken.pk, template="testing/missing"),
                 nudge(last)]
    plan_and_send_through(sink)

    emails = emails_by_person()
    assert sorted(sink.received) == sorted(
        delivery.message_id(emails[person.pk]) for person in (first, last))
    assert (emails[first.pk].state, emails[last.pk].state) == ("sent", "sent")
    assert (emails[broken.pk].state, emails[broken.pk].attempts) == ("pending", 1)


@pytest.mark.django_db(transaction=True)
def test_an_email_over_smtp_reads_back_as_django_would_have_written_it(due, teacher,
                                                                        settings):
    """The message is assembled without Django's MIME classes: what the mail server
    receives must read back with the same headers and both bodies, names and subjects
    in any language included."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    from tests.notifications.smtp import free_port, send_through

    class Keeper:
        def __init__(self):
            self.received = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
            return "250 OK"

    keeper = Keeper()
    controller = Controller(keeper, hostname="127.0.0.1", port=free_port())
    controller.start()
    send_through(settings, controller.port)
    settings.DEFAULT_FROM_EMAIL = "Mentoría Distrito <noreply@example.org>"
    teacher.display_name = "Zoë Ñúñez-O'Brien «Maestra»"
    teacher.preferred_language = "es"
    teacher.save()
    long_goal = "Lectura en voz alta con énfasis " * 4 + "=?utf-8?q?no?= " + "x" * 1100
    due.items = [nudge(teacher, 1), Reminder(
        key=f"goal-nudge:user-{teacher.pk}:long", user_id=teacher.pk,
        template="testing/reminder", context={"what": long_goal}, url="/goals/"), Reminder(
        # Lines that start with a dot, one of them a dot alone: the end of the data, were
        # it not doubled on the way.
        key=f"goal-nudge:user-{teacher.pk}:dots", user_id=teacher.pk,
        template="testing/reminder", context={"what": DOTTED}, url="/goals/")]
    try:
        with time_machine.travel(TUESDAY_MORNING, tick=False):
            planning.plan()
            send_everything()
    finally:
        controller.stop()

    assert len(keeper.received) == 3
    for (mail_from, to, content), sent in zip(
            keeper.received, Message.objects.filter(channel="email").order_by("pk"),
            strict=True):
        assert sent.state == "sent"
        assert (mail_from, to) == ("noreply@example.org", [teacher.email])
        received = message_from_bytes(content, policy=policy.default)
        sent.unsubscribe_url = str(received["List-Unsubscribe"]).strip("<>")
        assert sent.unsubscribe_url.startswith("http://testserver/notifications/unsubscribe/")
        expected = message_from_bytes(delivery.build_email(sent, {
            "subject": sent.subject, "body_text": sent.body_text,
            "body_html": sent.body_html}).as_django().message().as_bytes(),
            policy=policy.default)
        for name in ("Subject", "From", "To", "Message-ID", "List-Unsubscribe",
                     "List-Unsubscribe-Post", "MIME-Version"):
            assert str(received[name]).strip() == str(expected[name]).strip(), name
        assert received["Subject"] == f"[Mentorship] {sent.subject}"
        assert received["From"].addresses[0].display_name == "Mentoría Distrito"
        assert received["Date"].datetime is not None
        assert received.get_content_type() == "multipart/alternative"
        text, html = received.iter_parts()
        assert text.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        expected_text, expected_html = expected.iter_parts()
        for part, expected_part in ((text, expected_text), (html, expected_html)):
            assert part["Content-Transfer-Encoding"] == expected_part["Content-Transfer-Encoding"]
        assert text.get_content().replace("\r\n", "\n") == expected_text.get_content()
        assert html.get_content().replace("\r\n", "\n") == expected_html.get_content()
        assert text.get_content().replace("\r\n", "\n") == sent.body_text
        assert "Zoë Ñúñez-O'Brien «Maestra»" in text.get_content()
        assert "Zoë Ñúñez-O&#39;Brien «Maestra»" in html.get_content()
        assert text.get_content().count(sent.unsubscribe_url) == 1
    assert message_from_bytes(keeper.received[0][2], policy=policy.default)[
        "Subject"] == "[Mentorship] Metas: Goal 1"
    assert long_goal[:40] in message_from_bytes(
        keeper.received[1][2], policy=policy.default)["Subject"]
    dotted = message_from_bytes(keeper.received[2][2], policy=policy.default)
    assert f"\n{DOTTED} is due.\n" in dotted.get_body(("plain",)).get_content().replace(
        "\r\n", "\n")


DOTTED = ".\n.hidden line\n..two dots"
