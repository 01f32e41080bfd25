"""Goals and the journal in a real browser, each page checked by axe.

The mentee's journey at phone width: a goal the SMART check flags as they type, sharpened,
made active, progress logged, revised (the old version stays readable) and achieved. Each
step is a function of its own, so a later step (a badge for the achieved goal, say) is one
more call at the end of `test_mentee_writes_sharpens_revises_and_achieves_a_goal`.

Then, at desktop and phone width: the mentee answers the prompt due and shares the entry
with their mentor, who reads and replies; the check-in's next step becomes an action step;
the coordinator's goals tab and prompt library."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from goals.models import Goal, Reflection
from pairing.models import CheckIn
from programs.models import Participant
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.goals.factories import ExampleGoalFactory, GoalFactory, ReflectionPromptFactory
from tests.pairing.factories import CheckInFactory, NextStepFactory, PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD,
            totp_secret=factories.TOTP_SECRETS.get(user.pk))
    page.wait_for_url(f"{page.base_url}/")


def induction():
    """A running one-on-one program around today with a coordinator and a mentor paired
    with a mentee."""
    school = factories.SchoolFactory(name="Lincoln Elementary")
    today = timezone.localdate()
    program = ProgramFactory(district=school.district, name="Induction",
                             starts_on=today - timedelta(days=60),
                             ends_on=today + timedelta(days=200), reflection_cadence_days=7)
    coordinator = factories.teacher(school, user__display_name="Cora Jones")
    ParticipantFactory(program=program, user=coordinator, role=Participant.Role.COORDINATOR)
    mentor = factories.teacher(school, user__display_name="Maria Lopez")
    mentee = factories.teacher(school, user__display_name="Nina Park")
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=program, user=mentor, role=Participant.Role.MENTOR),
        mentee=ParticipantFactory(program=program, user=mentee, role=Participant.Role.MENTEE),
        started_on=program.starts_on)
    return program, coordinator, mentor, mentee, pairing


# The mentee's journey, step by step

def write_a_vague_goal(page, program):
    page.goto(f"{page.base_url}/goals/")
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="New goal"))
    check_accessibility(page)
    page.get_by_label("What exactly").fill("Get better at classroom stuff")
    check = page.locator("#smart-check")
    check.get_by_text("Vague wording").wait_for()
    assert "There is no measure." in check.inner_text()
    assert "There is no date." in check.inner_text()
    check_accessibility(page)


def sharpen_and_activate(page, program):
    due = (program.starts_on + timedelta(days=150)).isoformat()
    page.get_by_label("What exactly").fill(
        "Use a countdown signal and a posted routine so my class settles after lunch")
    page.get_by_label("How you will measure it").fill(
        "Minutes from the end of lunch until every student is working")
    page.get_by_label("Where you start").fill("8")
    page.get_by_label("Target").fill("3")
    page.get_by_label("Unit").fill("minutes")
    page.get_by_label("Why it matters").fill(
        "Calm afternoons give my students back ten minutes of learning a day.")
    page.get_by_label("By when").fill(due)
    page.locator("#smart-check").get_by_text("Sharp:").wait_for()
    check_accessibility(page)
    follow(page, page.get_by_role("button", name="Save and make it active"))
    page.get_by_text("Your goal is saved and active.").wait_for()
    check_accessibility(page)
    return Goal.objects.get(specific__startswith="Use a countdown signal")


def log_progress(page, goal):
    # Today as the district sees it: pages run in the district's time zone.
    zone = ZoneInfo(goal.participant.program.district.time_zone)
    today = timezone.localdate(timezone=zone).isoformat()
    page.get_by_label("Value measured").fill("6")
    page.get_by_label("Date").fill(today)
    page.get_by_label("Note").fill("Timed with the class stopwatch")
    follow(page, page.get_by_role("button", name="Record progress"))
    page.get_by_text("Progress recorded.").wait_for()
    assert page.locator("canvas[data-chart-source]").count() == 1
    page.locator("canvas[data-drawn]").wait_for()  # Chart.js loaded under the CSP and drew it
    assert "Timed with the class stopwatch" in page.locator("#progress").inner_text()
    check_accessibility(page)


def revise(page, goal):
    follow(page, page.get_by_role("link", name="Revise"))
    check_accessibility(page)
    page.get_by_label("Target").fill("2")
    follow(page, page.get_by_role("button", name="Save the new version"))
    page.get_by_text("The goal is revised").wait_for()
    check_accessibility(page)
    # The earlier version stays readable, and says what replaced it.
    follow(page, page.get_by_role("link", name=goal.title))
    page.get_by_text("This is an earlier version of the goal.").wait_for()
    assert "Timed with the class stopwatch" in page.locator("main").inner_text()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Read the version that replaced it"))
    return Goal.objects.get(revises=goal)


def achieve(page, goal):
    page.get_by_label("Celebrate it with my group").check()
    follow(page, page.get_by_role("button", name="Mark it achieved"))
    page.get_by_text("Congratulations: your goal is achieved!").wait_for()
    check_accessibility(page)
    goal.refresh_from_db()
    assert goal.state == Goal.State.ACHIEVED and goal.celebrate_in_group
    page.goto(f"{page.base_url}/")
    assert "You achieved your goal" in page.locator("main").inner_text()
    check_accessibility(page)
    return goal


def test_mentee_writes_sharpens_revises_and_achieves_a_goal(phone_page):
    page = phone_page
    program, _coordinator, _mentor, mentee, _pairing = induction()
    sign_in_as(page, mentee)
    write_a_vague_goal(page, program)
    goal = sharpen_and_activate(page, program)
    log_progress(page, goal)
    newer = revise(page, goal)
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.REVISED
    achieve(page, newer)


def test_journal_shared_with_the_mentor_and_the_program_pages(page):
    program, coordinator, mentor, mentee, pairing = induction()
    goal = GoalFactory(participant=pairing.mentee)
    held = CheckInFactory(pairing=pairing, status=CheckIn.Status.HELD, minutes_spent=30,
                          scheduled_at=timezone.now() - timedelta(days=3))
    NextStepFactory(checkin=held, description="Post the routine on the door",
                    due_on=timezone.localdate() + timedelta(days=4))
    ExampleGoalFactory(program=program)
    # Browser tests empty the tables between tests, shipped prompts included: one of ours.
    ReflectionPromptFactory(text="What worked in your classroom this week?")

    # The mentee answers the prompt due this week and shares it with their mentor.
    sign_in_as(page, mentee)
    follow(page, page.get_by_role("link", name="Write your reflection"))
    check_accessibility(page)
    page.get_by_label("Your reflection").fill("The countdown worked three days out of five.")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Shared with my mentor").check()
    follow(page, page.get_by_role("button", name="Save"))
    page.get_by_text("Your reflection is saved.").wait_for()
    check_accessibility(page)
    entry = Reflection.objects.get()
    assert (entry.visibility, entry.confidence) == ("mentor", 4)
    follow(page, page.get_by_role("link", name="Journal"))
    check_accessibility(page)

    # On the check-in's page, the agreed next step joins the goal.
    page.goto(f"{page.base_url}/checkins/{held.pk}/")
    follow(page, page.get_by_role("button", name="Make it an action step"))
    assert goal.action_steps.filter(origin="checkin").count() == 1
    check_accessibility(page)

    # The mentor reads it and replies.
    sign_in_as(page, mentor)
    follow(page, page.get_by_role("link", name="A reflection by Nina Park"))
    check_accessibility(page)
    page.get_by_label("Reply").fill("Keeping the card on the door is a great fix.")
    follow(page, page.get_by_role("button", name="Reply"))
    page.get_by_text("Your reply is posted.").wait_for()
    page.goto(f"{page.base_url}/goals/?whose=mentees")
    check_accessibility(page)
    follow(page, page.get_by_role("link", name=goal.title))
    check_accessibility(page)

    # The coordinator's goals tab and prompt library.
    sign_in_as(page, coordinator)
    page.goto(f"{page.base_url}/programs/{program.pk}/")
    tabs = page.get_by_role("navigation", name="Program sections")
    follow(page, tabs.get_by_role("link", name="Goals"))
    check_accessibility(page)
    follow(page, tabs.get_by_role("link", name="Reflection prompts"))
    check_accessibility(page)
    page.locator("#id_prompt-text").fill("Who spoke least in your class today?")
    page.get_by_label("Kind").select_option("equity")
    follow(page, page.get_by_role("button", name="Add the prompt"))
    page.get_by_text("The prompt is added.").wait_for()
    check_accessibility(page)


def test_a_goal_typed_after_the_session_changed_keeps_its_words_under_a_notice(page):
    program, _coordinator, _mentor, mentee, _pairing = induction()
    sign_in_as(page, mentee)
    page.goto(f"{page.base_url}/goals/new/?program={program.pk}")
    # Signing in elsewhere or a cleared browser: the form's token no longer matches.
    page.context.clear_cookies(name="csrftoken")

    page.get_by_label("What exactly").fill("Calm starts after lunch")

    notice = page.locator("#main [role=alert]", has_text="Your session expired")
    notice.wait_for()
    page.wait_for_load_state("networkidle")
    assert notice.count() == 1  # however many checks the typing asked for
    assert notice.get_by_role("link", name="Reload the page").get_attribute("href").endswith(
        f"/goals/new/?program={program.pk}")
    assert page.get_by_label("What exactly").input_value() == "Calm starts after lunch"
    check_accessibility(page)
    # The refused checks are what this test provokes, not the page's errors.
    page.javascript_errors[:] = [e for e in page.javascript_errors
                                 if not e.startswith("403 ") or "/goals/smart-check/" not in e]
