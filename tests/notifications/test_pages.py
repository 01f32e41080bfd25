"""The pages: who may open which, bad input on the choices form, one-click unsubscribe."""

from datetime import time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from notifications import delivery, planning
from notifications.links import EVERY_KIND, unsubscribe_token, unsubscribe_url
from notifications.models import Message, Preference, QuietHours
from tests import factories
from tests.notifications.conftest import TUESDAY_MORNING, nudge

pytestmark = pytest.mark.django_db

PROGRAM_ROLES = ["coordinator", "mentor", "mentee", "district_admin", "school_admin",
                 "other_participant", "outsider", "anonymous"]


@pytest.fixture
def as_role(client, people, program_people):
    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(program_people, role, None) or getattr(people, role))
        return client

    return sign_in


def statuses(as_role, url, method="get", data=None):
    seen = {}
    for role in PROGRAM_ROLES:
        response = getattr(as_role(role), method)(url, data or {})
        seen[role] = response.status_code
        if role == "anonymous":
            assert response.url.startswith(reverse("account_login"))
    return seen


@pytest.fixture
def planned(due, program_people):
    """The mentee's reminder, planned and sent; the mentor's, failed."""
    due.items = [nudge(program_people.mentee, 1, program=program_people.program),
                 nudge(program_people.mentor, 2, program=program_people.program)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        while delivery.send_batch():
            pass
    Message.objects.filter(recipient=program_people.mentor, channel="email").update(
        state="failed", last_error="550 Mailbox unavailable")
    return Message.objects.filter(channel="email")


ONLY_MANAGERS = {"coordinator": 200, "mentor": 404, "mentee": 404, "district_admin": 200,
                 "school_admin": 404, "other_participant": 404, "outsider": 404,
                 "anonymous": 302}


def test_the_program_outbox_is_for_those_who_manage_the_program(as_role, planned,
                                                                program_people):
    url = reverse("notifications:program-outbox", args=[program_people.program.pk])
    assert statuses(as_role, url) == ONLY_MANAGERS
    assert statuses(as_role, url + "?show=failed") == ONLY_MANAGERS


def test_the_outbox_shows_subjects_and_recipients_never_bodies(as_role, planned,
                                                              program_people):
    url = reverse("notifications:program-outbox", args=[program_people.program.pk])
    page = as_role("coordinator").get(url + "?show=sent").content.decode()
    assert "Goals: Goal 1" in page
    assert program_people.mentee.display_name in page
    assert "is due." not in page
    failed = as_role("coordinator").get(url + "?show=failed").content.decode()
    assert "550 Mailbox unavailable" in failed
    assert "Retry" in failed


def test_the_district_outbox_is_for_district_admins(as_role, planned, program_people):
    url = reverse("notifications:district-outbox")
    # The outsider is the admin of another district: they see their own, empty, outbox.
    assert statuses(as_role, url) == {
        "coordinator": 404, "mentor": 404, "mentee": 404, "district_admin": 200,
        "school_admin": 404, "other_participant": 404, "outsider": 200, "anonymous": 302}
    ours = as_role("district_admin").get(url + "?show=sent").content.decode()
    assert program_people.mentee.display_name in ours
    for show in ("waiting", "sent", "failed", "skipped"):
        theirs = as_role("outsider").get(f"{url}?show={show}").content.decode()
        assert program_people.mentee.display_name not in theirs
        assert program_people.mentor.display_name not in theirs


def test_retry_is_for_those_who_manage_the_program(as_role, planned, program_people):
    failed = planned.get(state="failed")
    url = reverse("notifications:retry", args=[failed.pk])
    seen = {}
    for role in PROGRAM_ROLES:
        Message.objects.filter(pk=failed.pk).update(state="failed")
        seen[role] = as_role(role).post(url).status_code
    assert seen == {**ONLY_MANAGERS, "coordinator": 302, "district_admin": 302}


def test_retry_from_the_screen_sends_it_once(as_role, planned, program_people,
                                            django_capture_on_commit_callbacks):
    failed = planned.get(state="failed")
    client = as_role("coordinator")
    mail.outbox.clear()
    with time_machine.travel(TUESDAY_MORNING, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[failed.pk]), follow=True)
        client.post(reverse("notifications:retry", args=[failed.pk]))  # a double click
    assert "sent again" in response.content.decode()
    # Tasks run at once in the tests: the retry went out on commit, once.
    assert [email.to for email in mail.outbox] == [[program_people.mentor.email]]
    assert Message.objects.get(pk=failed.pk).state == "sent"


def test_the_inbox_and_choices_are_each_persons_own(as_role, planned):
    for name in ("notifications:list", "notifications:preferences", "notifications:bell"):
        seen = statuses(as_role, reverse(name))
        assert seen == {role: 302 if role == "anonymous" else 200 for role in PROGRAM_ROLES}


def test_the_inbox_lists_ones_own_messages_and_the_bell_counts_them(as_role, planned,
                                                                    program_people):
    page = as_role("mentee").get(reverse("notifications:list")).content.decode()
    assert "Goals: Goal 1" in page
    assert "Goals: Goal 2" not in page  # the mentor's
    bell = as_role("mentee").get(reverse("notifications:bell")).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in bell


def test_marking_read_one_and_all(as_role, planned, program_people):
    mine = Message.objects.get(recipient=program_people.mentee, channel="in_app")
    theirs = Message.objects.get(recipient=program_people.mentor, channel="in_app")
    client = as_role("mentee")
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[mine.pk])).status_code == 302
    assert Message.objects.get(pk=mine.pk).read_at is not None
    assert Message.objects.get(pk=theirs.pk).read_at is None
    client = as_role("mentor")
    client.post(reverse("notifications:read-all"))
    assert Message.objects.unread_by(program_people.mentor).count() == 0
    assert "unread" not in client.get(reverse("notifications:bell")).content.decode()
    assert "Mark all as read" not in client.get(reverse("notifications:list")).content.decode()


def test_choices_are_saved(as_role, due, program_people):
    client = as_role("mentee")
    response = client.post(reverse("notifications:preferences"), {
        "goal-nudge-delivery": "digest", "must-read-on": "", "quiet_from": "18:00",
        "quiet_until": "07:30"})
    assert response.status_code == 302
    user = program_people.mentee
    assert Preference.objects.filter(user=user).values_list("kind", "enabled", "digest").get() \
        == ("goal-nudge", False, True)
    assert QuietHours.objects.filter(user=user).values_list("starts_at", "ends_at").get() == (
        time(18), time(7, 30))
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="18:00"' in page
    assert 'value="digest" checked' in page.replace('\n', '')


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"quiet_from": "18:00"}, "quiet_until", "Say when the quiet hours end"),
    ({"quiet_until": "07:00"}, "quiet_from", "Say when the quiet hours begin"),
    ({"quiet_from": "25:99", "quiet_until": "07:00"}, "quiet_from", "Enter a time"),
    ({"quiet_from": "07:00", "quiet_until": "07:00"}, "quiet_until", "another time"),
    ({"goal-nudge-delivery": "weekly"}, "goal-nudge-delivery", "Choose how these arrive"),
])
def test_bad_choices_are_explained_next_to_the_field_and_kept(as_role, due, data, field,
                                                              message):
    client = as_role("mentee")
    response = client.post(reverse("notifications:preferences"),
                           {"goal-nudge-on": "on", "goal-nudge-delivery": "immediate", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page
    assert message in page
    if "quiet_from" in data:
        assert f'value="{data["quiet_from"]}"' in page
    assert not Preference.objects.exists()


def test_unsubscribe_asks_first_then_one_click_turns_it_off(client, due, program_people):
    user = program_people.mentee
    due.items = [nudge(user)]
    with time_machine.travel(TUESDAY_MORNING.replace(hour=5), tick=False):
        planning.plan()  # waits for working hours
    url = unsubscribe_url(user.pk, "goal-nudge")

    page = client.get(url)
    assert page.status_code == 200
    assert "Goal nudges" in page.content.decode()
    assert not Preference.objects.exists()
    # RFC 8058: the mail program posts "List-Unsubscribe=One-Click", with no session.
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=user, kind="goal-nudge").enabled is False
    # What was still waiting does not go out either.
    assert Message.objects.get(channel="email").state == "skipped"


def test_the_digests_link_turns_off_every_kind_that_may_be(client, due, program_people):
    user = program_people.mentee
    client.post(unsubscribe_url(user.pk, EVERY_KIND))
    assert list(Preference.objects.filter(user=user).values_list("kind", "enabled")) == [
        ("goal-nudge", False)]


@pytest.mark.parametrize("token", [
    "nonsense", unsubscribe_token(10**9, "goal-nudge")[:-3] + "abc",
], ids=["nonsense", "damaged-signature"])
def test_a_forged_or_damaged_unsubscribe_link_finds_nothing(client, due, token):
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_a_kind_that_may_not_be_turned_off_has_no_unsubscribe(client, due, program_people):
    url = unsubscribe_url(program_people.mentee.pk, "must-read")
    assert client.post(url).status_code == 404
    assert not Preference.objects.exists()


def test_the_program_has_a_messages_tab_for_its_coordinator(as_role, planned, program_people):
    url = reverse("programs:detail", args=[program_people.program.pk])
    outbox = reverse("notifications:program-outbox", args=[program_people.program.pk])
    assert outbox in as_role("coordinator").get(url).content.decode()
    assert outbox not in as_role("mentee").get(url).content.decode()


def test_the_admin_lists_the_outbox_read_only_without_bodies(client, planned):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    factories.with_totp(admin)
    client.force_login(admin)
    listing = client.get(reverse("admin:notifications_message_changelist") + "?state=sent")
    assert listing.status_code == 200
    sent = planned.get(state="sent")
    assert sent.key in listing.content.decode()
    detail = client.get(reverse("admin:notifications_message_change", args=[sent.pk]))
    assert detail.status_code == 200
    assert "is due." not in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
