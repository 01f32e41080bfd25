from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invite_person
from accounts.tasks import send_invitation
from mentorship.tasks import clear_expired_sessions
from tests import factories
from tests.conftest import wait_for


@pytest.mark.worker
def test_a_real_worker_sends_the_invitation_once_after_commit(celery_worker, people):
    invitation = invite_person(invited_by=people.district_admin, email="worker@example.org",
                               role="teacher", school=people.school)

    wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["worker@example.org"]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


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


@pytest.mark.django_db
def test_a_failed_send_releases_the_invitation_for_a_retry(people, settings):
    invitation = factories.InvitationFactory(school=people.school)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there

    with pytest.raises(OSError):
        send_invitation.run(invitation.pk)

    assert Invitation.objects.get(pk=invitation.pk).sent_at is None


@pytest.mark.django_db
def test_clearing_expired_sessions_twice_removes_them_once():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + timedelta(1))

    assert clear_expired_sessions() == 1
    assert clear_expired_sessions() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
