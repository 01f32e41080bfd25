from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invite_person
from accounts.tasks import queue_unsent_invitations, send_invitation
from mentorship.tasks import clear_expired_sessions
from tests import factories
from tests.conftest import wait_for


@pytest.mark.worker
def test_a_real_worker_sends_the_invitation_once_after_commit(celery_worker, people):
    invitation = invite_person(invited_by=people.district_admin, email="worker@example.org",
                               role="teacher", school=people.school)

    # The worker marks the invitation sent just after the email leaves: wait for both.
    wait_for(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False)
             .exists())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["worker@example.org"]
    queue_unsent_invitations()  # the sweeper finds nothing left to send
    send_invitation.delay(invitation.pk)  # nor does a duplicate delivery of the task
    with pytest.raises(AssertionError):
        wait_for(lambda: len(mail.outbox) > 1, timeout=2)


@pytest.mark.django_db
def test_the_invitation_is_queued_only_when_the_transaction_commits(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite_person(invited_by=people.district_admin, email="later@example.org",
                      role="teacher", school=people.school)
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["later@example.org"]]


@pytest.mark.django_db
def test_sending_the_same_invitation_twice_sends_one_email(people):
    invitation = factories.InvitationFactory(school=people.school, invited_by=people.school_admin)

    assert send_invitation(invitation.pk) is True
    assert send_invitation(invitation.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_withdrawn_invitation_is_not_sent(people):
    invitation = factories.InvitationFactory(school=people.school, revoked_at=timezone.now())

    assert send_invitation(invitation.pk) is False
    assert mail.outbox == []


@pytest.fixture
def smtp_refusing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2

    def restore():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return restore


@pytest.mark.django_db
def test_a_failed_send_is_retried_by_the_sweeper_after_the_claim_times_out(people, smtp_refusing):
    invitation = factories.InvitationFactory(school=people.school)

    assert send_invitation(invitation.pk) is False
    invitation.refresh_from_db()
    assert (invitation.sent_at, invitation.send_attempts) == (None, 1)
    assert "refused" in invitation.send_error.lower()
    assert queue_unsent_invitations() == 0  # too soon: the failed claim is still fresh

    smtp_refusing()
    with time_machine.travel(timezone.now() + Invitation.CLAIM_TIMEOUT + timedelta(seconds=1)):
        assert queue_unsent_invitations() == 1
    assert [m.to for m in mail.outbox] == [[invitation.email]]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_error == ""


@pytest.mark.django_db
def test_an_invitation_that_keeps_failing_is_shown_as_undelivered(client, people, smtp_refusing):
    invitation = factories.InvitationFactory(school=people.school)
    for attempt in range(Invitation.MAX_SEND_ATTEMPTS + 1):
        later = timezone.now() + attempt * (Invitation.CLAIM_TIMEOUT + timedelta(seconds=1))
        with time_machine.travel(later):
            send_invitation(invitation.pk)

    invitation.refresh_from_db()
    assert invitation.send_attempts == Invitation.MAX_SEND_ATTEMPTS
    client.force_login(people.district_admin)
    assert "Email could not be sent" in client.get(reverse("accounts:invitations")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_invitation_made_while_the_broker_is_down_is_sent_by_the_sweeper(
    client, people, monkeypatch
):
    from mentorship.celery import app

    client.force_login(people.district_admin)
    with monkeypatch.context() as broker_down:
        broker_down.setitem(app.conf, "task_always_eager", False)
        broker_down.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
        response = client.post(reverse("accounts:invitations"), {
            "email": "offline@example.org", "role": "teacher", "school": people.school.pk,
        })
    assert response.status_code == 302  # the person is not shown an error
    assert mail.outbox == []

    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert queue_unsent_invitations() == 1
    assert [m.to for m in mail.outbox] == [["offline@example.org"]]


@pytest.mark.django_db
def test_clearing_expired_sessions_twice_removes_them_once():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + timedelta(1))

    assert clear_expired_sessions() == 1
    assert clear_expired_sessions() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
