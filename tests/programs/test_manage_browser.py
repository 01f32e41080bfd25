"""The coordinator's other pages, each checked with axe at desktop and phone width: the
settings, the participants list and one participant, copying for next year, and a teacher
answering an invitation to a role."""

import pytest

from programs.models import Participant
from tests import factories
from tests.browser import check_accessibility, sign_in
from tests.programs.factories import ApplicationFactory, ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser


def test_coordinator_pages_and_an_invitation_are_accessible(page, browser):
    school = factories.SchoolFactory(name="Lincoln Elementary")
    coordinator = factories.teacher(school, user__display_name="Casey Coordinator")
    program = ProgramFactory(district=school.district, name="Induction", model="cohort")
    ParticipantFactory(program=program, user=coordinator, role=Participant.Role.COORDINATOR)
    mentee = ParticipantFactory(program=program, user=factories.teacher(school),
                                role=Participant.Role.MENTEE)
    ApplicationFactory(participant__program=program, participant__user=factories.teacher(
        school, user__display_name="Avery Applicant"))
    invited = factories.teacher(school, user__display_name="Indy Invited")
    ParticipantFactory(program=program, user=invited, role=Participant.Role.MENTOR,
                       status=Participant.Status.INVITED)
    base = f"{page.base_url}/programs/{program.pk}"

    sign_in(page, coordinator.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")
    for path in ["/", "/settings/", "/participants/", f"/participants/{mentee.pk}/",
                 "/applications/", "/copy/", "/groups/", "/time/"]:
        page.goto(f"{base}{path}")
        check_accessibility(page)

    # Bad input keeps what was typed and says what is wrong next to the field.
    page.goto(f"{base}/settings/")
    page.locator("#id_checkin_cadence_days").fill("0")
    page.locator("#id_aims").fill("Grow together, every week.")
    page.get_by_role("button", name="Save settings").click()
    assert page.locator("#id_aims").input_value() == "Grow together, every week."
    assert page.locator("#id_checkin_cadence_days").get_attribute("aria-invalid") == "true"
    check_accessibility(page)

    context = browser.new_context(viewport=page.viewport_size, locale="en-US")
    invited_page = context.new_page()
    invited_page.base_url = page.base_url
    sign_in(invited_page, invited.email, factories.PASSWORD)
    invited_page.wait_for_url(f"{page.base_url}/")
    invited_page.goto(base + "/")
    check_accessibility(invited_page)
    invited_page.get_by_role("button", name="Accept").click()
    invited_page.get_by_text("Welcome to the program.").wait_for()
    check_accessibility(invited_page)
    context.close()
    assert program.participants.get(user=invited).status == Participant.Status.ACTIVE
