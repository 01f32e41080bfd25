"""A learning team's session in a real browser: the lead finds a resource and puts it on
the agenda, and a member of the team finds it on the session page. axe checks every page,
at desktop and phone width."""

import re

import pytest
from django.urls import reverse

from programs.models import Participant
from programs.presets import ProgramModel
from resources.models import Resource
from tests import factories
from tests.browser import check_accessibility, sign_in
from tests.programs.factories import (
    GroupFactory,
    GroupMembershipFactory,
    GroupSessionFactory,
    ParticipantFactory,
    ProgramFactory,
)
from tests.resources.factories import resource

pytestmark = pytest.mark.browser


def switch_to(page, person):
    page.context.clear_cookies()
    sign_in(page, person.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def test_a_lead_puts_a_resource_on_the_agenda_and_a_member_finds_it(page):
    school = factories.SchoolFactory(name="Riverside High")
    lead = factories.teacher(school, user__display_name="Amara Osei")
    member = factories.teacher(school, user__display_name="Ben Carter")
    author = factories.teacher(school, user__display_name="Dana Ruiz")
    program = ProgramFactory(district=school.district, name="Science Learning Team",
                             model=ProgramModel.LEARNING_TEAM)
    team = GroupFactory(program=program, name="Secondary science")
    for person, is_lead in [(lead, True), (member, False)]:
        participant = ParticipantFactory(
            program=program, user=person,
            role=Participant.Role.LEAD_MENTOR if is_lead else Participant.Role.MENTEE)
        GroupMembershipFactory(group=team, participant=participant, is_lead=is_lead)
    session = GroupSessionFactory(group=team, title="Launching inquiry labs")
    resource(author, title="Inquiry lab launch protocol", kind=Resource.Kind.ACTIVITY,
             summary="Students see a phenomenon and plan their own investigation.")
    session_url = page.base_url + reverse("programs:session-detail",
                                          args=[program.pk, session.pk])

    # The lead searches the library from the session page and attaches the protocol.
    switch_to(page, lead)
    page.goto(session_url)
    panel = page.locator("#session-resources")
    assert "No resources on the agenda yet." in panel.inner_text()
    check_accessibility(page)
    page.get_by_label("Find a resource").fill("inquiry")
    page.get_by_role("button", name="Search the library").click()
    attach = page.get_by_role("button", name=re.compile(r"^Attach\W+Inquiry lab launch protocol$"))
    attach.wait_for()
    assert page.url.startswith(session_url)  # the results came into the page
    page.mouse.move(0, 0)  # no hover colours mid-transition while axe measures contrast
    page.wait_for_timeout(300)
    check_accessibility(page)
    attach.click()
    page.get_by_text("“Inquiry lab launch protocol” is on the session's agenda.").wait_for()
    check_accessibility(page)

    # A member of the team finds it on the session page and opens it.
    switch_to(page, member)
    page.goto(session_url)
    panel = page.locator("#session-resources")
    assert panel.get_by_role("button").count() == 0  # members read; leads attach
    check_accessibility(page)
    panel.get_by_role("link", name="Inquiry lab launch protocol").click()
    page.get_by_role("heading", level=1, name="Inquiry lab launch protocol").wait_for()
    assert "Launching inquiry labs" in page.locator("#use").inner_text()
    check_accessibility(page)
