"""The survey journey in a real browser, at desktop and phone width, axe on every page: a
coordinator builds a survey from a shipped template and sends it; a mentee answers through
their link without signing in (a second visit says thank you, and no second answer is
taken); the coordinator reads the results, with a small school's count hidden."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from programs.models import Participant
from surveys import services
from surveys.models import Survey, SurveyTemplate
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser


def local_today():
    """Today in the district's time zone, where surveys open and close."""
    return timezone.localdate(timezone=ZoneInfo("America/Chicago"))


def district_program():
    """A running program around today: 6 mentees at Lincoln, 5 at Washington and 2 at
    Roosevelt, and its coordinator."""
    lincoln = factories.SchoolFactory(name="Lincoln Elementary")
    district = lincoln.district
    washington = factories.SchoolFactory(district=district, name="Washington Middle")
    roosevelt = factories.SchoolFactory(district=district, name="Roosevelt High")
    today = local_today()
    program = ProgramFactory(district=district, name="Induction",
                             starts_on=today - timedelta(days=60),
                             ends_on=today + timedelta(days=200))
    coordinator = factories.teacher(lincoln, user__display_name="Cora Jones")
    ParticipantFactory(program=program, user=coordinator, role=Participant.Role.COORDINATOR)
    mentees = [ParticipantFactory(program=program, user=factories.teacher(school),
                                  role=Participant.Role.MENTEE).user
               for school, n in ((lincoln, 6), (washington, 5), (roosevelt, 2))
               for _ in range(n)]
    return program, coordinator, mentees


def sign_in_as(page, user):
    # A busy machine can take a while over a fresh server's first pages.
    page.set_default_navigation_timeout(30_000)
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def build_and_send(page, program):
    page.goto(f"{page.base_url}/programs/{program.pk}/")
    follow(page, page.locator("main").get_by_role("link", name="Surveys", exact=True))
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="New survey"))
    check_accessibility(page)
    page.get_by_label("Start from").select_option(
        label="Mentee confidence and satisfaction: start of year")
    page.get_by_label("When").select_option(label="On dates I choose")
    # Sent without its dates first: said next to the fields, the choices kept.
    follow(page, page.get_by_role("button", name="Make the survey"))
    assert page.get_by_text("this survey runs on dates you choose").first.is_visible()
    check_accessibility(page)
    today = local_today()
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Closes on").fill((today + timedelta(days=14)).isoformat())
    follow(page, page.get_by_role("button", name="Make the survey"))
    assert page.get_by_role("heading", name="Mentee confidence and satisfaction: start of year"
                            ).is_visible()
    check_accessibility(page)
    # One more question of the coordinator's own, moved up one place.
    page.get_by_label("Kind of answer").select_option(label="Short text")
    page.get_by_role("textbox", name="Question").fill("One word for your first months?")
    follow(page, page.get_by_role("button", name="Add the question"))
    follow(page, page.get_by_role("button", name=re.compile(
        r"^Earlier\W+One word for your first months")))
    questions = page.locator("#questions ol > li")
    assert questions.count() == 6
    assert "One word for your first months?" in questions.nth(4).inner_text()
    check_accessibility(page)
    follow(page, page.get_by_role("button", name="Send the survey"))
    assert page.get_by_text("The survey is open").is_visible()
    check_accessibility(page)


def answer_through_the_link(page, url):
    page.context.clear_cookies()
    page.goto(url)
    assert page.get_by_text("Your answers are anonymous").is_visible()
    check_accessibility(page)
    # Required questions left empty: asked for next to each, the written answer kept.
    page.get_by_label("What has helped you most so far?").fill("Planning with my mentor")
    follow(page, page.get_by_role("button", name="Send my answers"))
    assert page.get_by_text("Please answer this question.").count() == 4
    assert page.get_by_label("What has helped you most so far?").input_value() == \
        "Planning with my mentor"
    check_accessibility(page)
    for group in ("I feel confident in my teaching.",
                  "I have routines that help my classroom run smoothly.",
                  "I know where to turn when I need help with my teaching."):
        page.get_by_role("group", name=group).get_by_label("4: Agree").check()
    page.get_by_role("group", name="How satisfied are you with the mentoring you receive?"
                     ).get_by_label("8", exact=True).check()
    follow(page, page.get_by_role("button", name="Send my answers"))
    assert page.get_by_role("heading", name="Thank you").is_visible()
    check_accessibility(page)
    page.goto(url)
    assert page.get_by_text("This link has been used, so it takes no second answer").is_visible()


def read_the_results(page, survey):
    page.goto(f"{page.base_url}/surveys/{survey.pk}/results/")
    assert page.get_by_text("13 of 13 people answered (100%)").is_visible()
    table = page.locator("table", has=page.get_by_role("columnheader", name="People who answered"))
    assert table.get_by_role("row", name="Lincoln Elementary 6").is_visible()
    # Roosevelt's 2 is hidden, and Washington's 5 with it, or 13 - 6 - 5 would give it away.
    for school in ("Roosevelt High", "Washington Middle"):
        assert "hidden" in table.get_by_role("row", name=school).inner_text()
    assert page.get_by_text("Planning with my mentor").is_visible()
    check_accessibility(page)
    page.get_by_label("School", exact=True).select_option(label="Roosevelt High")
    follow(page, page.get_by_role("button", name="Show these results"))
    assert page.get_by_text("Too few answers to show for this selection").is_visible()
    assert page.get_by_text("Planning with my mentor").count() == 0
    check_accessibility(page)


def test_coordinator_sends_a_survey_a_mentee_answers_the_coordinator_reads(page):
    program, coordinator, mentees = district_program()
    sign_in_as(page, coordinator)
    build_and_send(page, program)

    survey = Survey.objects.get(program=program)
    assert survey.invitations.count() == 13
    # Everyone else answers by their own links; the first Lincoln mentee in the browser.
    for invitation in survey.invitations.exclude(user=mentees[0]):
        services.submit_response(invitation=invitation, answers={
            q.pk: 3 for q in survey.questions.filter(kind__in=["likert", "scale"])})
    token = services.invitation_token(survey.invitations.get(user=mentees[0]))
    link = f"{page.base_url}/surveys/answer/{token}/"
    answer_through_the_link(page, link)

    sign_in_as(page, coordinator)
    read_the_results(page, survey)


def test_the_mentee_finds_the_survey_on_their_home_page(phone_page):
    program, coordinator, mentees = district_program()
    survey = services.create_survey(program=program, created_by=coordinator,
                                    template=SurveyTemplate.objects.get(key="program-feedback"),
                                    opens_on=local_today(),
                                    closes_on=local_today() + timedelta(days=7))
    services.schedule_survey(survey=survey, scheduled_by=coordinator)
    sign_in_as(phone_page, mentees[0])

    assert phone_page.get_by_role("heading", name="Surveys to answer").is_visible()
    check_accessibility(phone_page)
    follow(phone_page, phone_page.get_by_role("link", name="Program feedback"))
    assert phone_page.get_by_role("heading", name="Program feedback").is_visible()
    check_accessibility(phone_page)



def test_closed_and_someone_elses_links_explain_themselves(phone_page):
    phone_page.set_default_navigation_timeout(30_000)
    program, coordinator, mentees = district_program()
    feedback = SurveyTemplate.objects.get(key="program-feedback")
    closed, named = (services.create_survey(
        program=program, created_by=coordinator, template=feedback, anonymous=anonymous,
        opens_on=local_today(), closes_on=local_today() + timedelta(days=7))
        for anonymous in (True, False))
    for survey in (closed, named):
        services.schedule_survey(survey=survey, scheduled_by=coordinator)
    services.close_survey(survey=closed)
    page = phone_page

    token = services.invitation_token(closed.invitations.get(user=mentees[0]))
    page.goto(f"{page.base_url}/surveys/answer/{token}/")
    assert page.get_by_role("heading", name="This survey is not open").is_visible()
    check_accessibility(page)

    sign_in_as(page, mentees[1])
    token = services.invitation_token(named.invitations.get(user=mentees[0]))
    page.goto(f"{page.base_url}/surveys/answer/{token}/")
    assert page.get_by_role("heading", name="This link is someone else's").is_visible()
    check_accessibility(page)
