"""A browser journey through the outbox: the bell, the list, the choices with a mistake,
and the coordinator's outbox with a retry; axe on every page, at desktop and phone width."""

import re

import pytest
import time_machine
from django.core import mail

from notifications import delivery, planning
from notifications.models import Message
from tests import factories
from tests.browser import check_accessibility, follow, open_menu, sign_in
from tests.notifications.conftest import TUESDAY_MORNING, nudge

pytestmark = pytest.mark.browser


def test_bell_list_choices_and_the_coordinators_retry(page, due, program_people):
    program = program_people.program
    due.items = [nudge(program_people.mentee, 1, program=program),
                 nudge(program_people.mentor, 2, program=program)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        while delivery.send_batch():
            pass
    Message.objects.filter(recipient=program_people.mentor, channel="email").update(
        state="failed", last_error="550 5.1.1 Mailbox unavailable")
    mail.outbox.clear()

    # The mentee sees one unread message on the bell and opens the list.
    sign_in(page, program_people.mentee.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")
    if page.is_phone:
        open_menu(page)
    bell = page.get_by_role("link", name="Notifications 1 unread")
    follow(page, bell)
    check_accessibility(page)
    assert page.get_by_role("link", name="Goals: Goal 1").is_visible()
    follow(page, page.get_by_role("button", name=re.compile(r"^Mark as read\W+Goals: Goal 1$")))
    assert page.locator("nav a[href='/notifications/'] .badge").count() == 0  # none unread

    # Choices: quiet hours with no end are explained next to the field, and kept.
    follow(page, page.get_by_role("link", name="Choose what you receive"))
    check_accessibility(page)
    page.get_by_label("In one email a day").first.check()
    page.get_by_label("Quiet from").fill("18:00")
    follow(page, page.get_by_role("button", name="Save choices"))
    assert page.get_by_text("Say when the quiet hours end, or clear both.").is_visible()
    assert page.get_by_label("Quiet from").input_value() == "18:00"
    assert page.get_by_label("In one email a day").first.is_checked()
    check_accessibility(page)
    page.get_by_label("Quiet until").fill("07:00")
    follow(page, page.get_by_role("button", name="Save choices"))
    assert page.get_by_text("Your choices are saved.").is_visible()
    check_accessibility(page)

    # The coordinator finds the failed message on the program's Messages tab and retries.
    page.context.clear_cookies()
    sign_in(page, program_people.coordinator.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}/programs/{program.pk}/")
    follow(page, page.get_by_role("link", name="Messages"))
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Failed"))
    assert page.get_by_text("550 5.1.1 Mailbox unavailable").is_visible()
    check_accessibility(page)
    follow(page, page.get_by_role("button", name=re.compile(
        rf"^Retry\W+{program_people.mentor.display_name}$")))
    assert page.get_by_text("The message will be sent again in a moment.").is_visible()
    assert page.get_by_text("No message failed.").is_visible()
    follow(page, page.get_by_role("link", name="Sent"))
    assert page.get_by_role("cell", name="Goals: Goal 2").is_visible()
    check_accessibility(page)
    assert [email.to for email in mail.outbox] == [[program_people.mentor.email]]
