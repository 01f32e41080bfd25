"""Notes kept on the device while they cannot be sent: nothing is lost on a stale security
token, a refusal for now (404, 409, 429) or a shared tablet; a note refused as invalid
leaves the queue with its reason and its words still on the page."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone

from observations.models import ObservationCycle, ObservationNote
from programs.models import Participant
from tests import factories
from tests.browser import check_accessibility, sign_in
from tests.observations.factories import template_version
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser

NOTE_ADD = re.compile(r".*/observations/\d+/notes/?$")


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def observing_cycle():
    school = factories.SchoolFactory()
    today = timezone.localdate(timezone=ZoneInfo(school.district.time_zone))
    program = ProgramFactory(district=school.district, starts_on=today - timedelta(days=60),
                             ends_on=today + timedelta(days=200))
    mentor = factories.teacher(school, user__display_name="Maria Lopez")
    mentee = factories.teacher(school, user__display_name="Nina Park")
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=program, user=mentor, role=Participant.Role.MENTOR),
        mentee=ParticipantFactory(program=program, user=mentee, role=Participant.Role.MENTEE))
    return ObservationCycle.objects.create(
        program=program, pairing=pairing, mentor=mentor, mentee=mentee,
        template_version=template_version(school.district),
        stage=ObservationCycle.Stage.OBSERVING, scheduled_at=timezone.now())


def open_notes(page, cycle, user):
    sign_in_as(page, user)
    page.goto(f"{page.base_url}/observations/{cycle.pk}/observe/")
    page.get_by_role("heading", name="Observation notes").wait_for()


def write_offline(page, text):
    page.context.set_offline(True)
    page.get_by_label("What you see or hear").fill(text)
    page.get_by_role("button", name="Add the note").click()
    page.get_by_role("list", name="Notes waiting to be sent").get_by_text(text).wait_for()
    page.evaluate("document.getElementById('note-status').textContent = ''")


def back_online(page):
    """The connection is back (the page hears of it and sends what it kept)."""
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def expected_refusals(page, *statuses):
    """The answers a test provokes on purpose are not the page's errors."""
    page.javascript_errors[:] = [
        e for e in page.javascript_errors
        if not (e.split(" ")[0] in {str(s) for s in statuses} and "/notes" in e)]


def test_a_note_is_sent_after_signing_in_again_replaced_the_security_token(phone_page):
    page = phone_page
    cycle = observing_cycle()
    open_notes(page, cycle, cycle.mentor)
    write_offline(page, "Ten students at the carpet by 9:02")
    # Signing in again in another tab gives this browser a new CSRF cookie: the token the
    # page was served with is stale now.
    page.context.add_cookies([{"name": "csrftoken", "value": _get_new_csrf_string(),
                               "url": page.base_url}])

    back_online(page)

    page.locator("#note-list li", has_text="Ten students at the carpet").wait_for()
    assert ObservationNote.objects.get().text == "Ten students at the carpet by 9:02"
    assert ObservationNote.objects.get().author == cycle.mentor
    assert page.get_by_role("list", name="Notes waiting to be sent").is_hidden()
    expected_refusals(page, 403)


def test_a_note_the_server_cannot_take_now_stays_on_the_device(phone_page):
    page = phone_page
    cycle = observing_cycle()
    open_notes(page, cycle, cycle.mentor)
    write_offline(page, "Hands up for every question")
    pending = page.get_by_role("list", name="Notes waiting to be sent")
    answers = []

    for status, body in ((404, "<h1>Not found</h1>"), (429, "Too many requests"),
                         (409, "This cycle no longer takes notes.")):
        def answer(route, status=status, body=body):
            answers.append(status)
            route.fulfill(status=status, body=body,
                          content_type="text/html" if status == 404 else "text/plain")

        page.route(NOTE_ADD, lambda route, request, answer=answer: answer(route))
        with page.expect_response(NOTE_ADD):
            back_online(page)
        page.locator("#note-status").filter(has_text="Could not send yet").wait_for()
        assert answers[-1] == status
        if status != 404:  # The server's plain-text reason is said too.
            assert body in page.locator("#note-status").inner_text()
        pending.get_by_text("Hands up for every question").wait_for()
        page.unroute(NOTE_ADD)
        page.evaluate("document.getElementById('note-status').textContent = ''")

    assert ObservationNote.objects.count() == 0
    check_accessibility(page)
    # Once the server can take it, it is sent, once.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#note-list li", has_text="Hands up for every question").wait_for()
    assert ObservationNote.objects.count() == 1
    expected_refusals(page, 404, 409, 429)


def test_a_note_refused_as_invalid_shows_why_and_keeps_its_words(phone_page):
    page = phone_page
    cycle = observing_cycle()
    open_notes(page, cycle, cycle.mentor)
    write_offline(page, "Exit ticket collected at the door")
    page.route(NOTE_ADD, lambda route: route.fulfill(
        status=400, body="Choose one of the cycle’s look-fors.",
        content_type="text/plain; charset=utf-8"))

    back_online(page)

    refused = page.get_by_role("list", name="Notes not saved")
    refused.get_by_text("Choose one of the cycle’s look-fors.").wait_for()
    assert "Exit ticket collected at the door" in refused.inner_text()
    assert page.get_by_role("list", name="Notes waiting to be sent").is_hidden()
    check_accessibility(page)
    expected_refusals(page, 400)


def test_on_a_shared_tablet_notes_wait_for_the_person_who_wrote_them(phone_page):
    page = phone_page
    cycle = observing_cycle()
    open_notes(page, cycle, cycle.mentor)
    write_offline(page, "Written by the mentor")
    # The mentor's page stays open in a tab while the mentee signs in on the same tablet.
    mentor_tab = page
    # The connection is back, but the mentor's tab cannot reach the server yet.
    page.route(NOTE_ADD, lambda route: route.abort())
    page.context.set_offline(False)
    other = page.context.new_page()
    other.base_url = page.base_url
    other.context.clear_cookies()
    sign_in(other, cycle.mentee.email, factories.PASSWORD)
    other.wait_for_url(f"{page.base_url}/")
    other.goto(f"{page.base_url}/observations/{cycle.pk}/observe/")
    other.get_by_role("heading", name="Observation notes").wait_for()
    assert other.get_by_role("list", name="Notes waiting to be sent").is_hidden()

    mentor_tab.unroute(NOTE_ADD)
    back_online(mentor_tab)
    mentor_tab.locator("#note-status").filter(has_text="Someone else is signed in").wait_for()
    assert ObservationNote.objects.count() == 0
    other.close()

    # The mentor signs in again: the note goes under their name.
    open_notes(page, cycle, cycle.mentor)
    page.locator("#note-list li", has_text="Written by the mentor").wait_for()
    assert ObservationNote.objects.get().author == cycle.mentor
    expected_refusals(page, 409, 403)
