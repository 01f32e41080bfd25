"""Resources for a debrief's next step and a goal's action step, in a real browser at phone
width, every page checked by axe: the mentor tags a resource with a look-for, finds it
suggested for a next step of a draft debrief and attaches it from a search; the mentee
sees it only once the debrief is shared, then attaches a suggested resource to an action
step of their goal."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from goals.models import Goal
from observations.models import ObservationCycle
from programs.models import Participant
from resources.models import Resource
from resources.places import action_step_uses, next_step_uses
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.goals.factories import ActionStepFactory, GoalFactory
from tests.observations.factories import full_cycle, template_version
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.resources.factories import resource

pytestmark = pytest.mark.browser


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def test_resources_for_a_debrief_next_step_and_a_goal_on_a_phone(phone_page):
    page = phone_page
    school = factories.SchoolFactory(name="Lincoln Elementary")
    today = timezone.localdate(timezone=ZoneInfo(school.district.time_zone))
    program = ProgramFactory(district=school.district, model="one_on_one", name="Induction",
                             starts_on=today - timedelta(days=60),
                             ends_on=today + timedelta(days=200))
    mentor = factories.teacher(school, user__display_name="Maria Lopez")
    mentee = factories.teacher(school, user__display_name="Nina Park")
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=program, user=mentor, role=Participant.Role.MENTOR),
        mentee=ParticipantFactory(program=program, user=mentee, role=Participant.Role.MENTEE),
        started_on=today - timedelta(days=30))
    version = template_version(school.district, name="Lincoln rubric",
                               domains=(("Climate", ("Calm, quick starts",
                                                     "Respectful talk")),))
    cycle = full_cycle(pairing, template_version=version, stage=ObservationCycle.Stage.DEBRIEF,
                       shared=False, step="Put the warm-up on the board before the bell",
                       look_fors=list(version.domains.get().indicators.all()))
    routines = school.district.focus_areas.create(name="Classroom routines")
    goal = GoalFactory(participant=pairing.mentee, specific="Calm starts after lunch",
                       focus_area=routines, due_on=today + timedelta(days=120),
                       state=Goal.State.ACTIVE)
    ActionStepFactory(goal=goal, description="Post the after-lunch routine on the door",
                      due_on=today + timedelta(days=5))
    warm_up = resource(mentor, title="Warm-up routines that start on time")
    charts = resource(mentor, title="Routine charts for the door",
                      scope=Resource.Scope.DISTRICT)
    charts.focus_areas.add(routines)

    # The mentor tags a resource with the look-for it helps with.
    sign_in_as(page, mentor)
    page.goto(f"{page.base_url}/resources/{warm_up.pk}/edit/")
    page.get_by_label("Calm, quick starts").check()
    check_accessibility(page)
    follow(page, page.get_by_role("button", name="Save changes"))
    page.get_by_role("link", name="Calm, quick starts").wait_for()
    check_accessibility(page)

    # The mentor finds a resource for the draft debrief's next step.
    page.goto(f"{page.base_url}/observations/{cycle.pk}/")
    page.get_by_role("heading", name="Resources for the next steps").wait_for()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name=re.compile(r"^Attach a resource\W+Next step 1$")))
    check_accessibility(page)
    # Tagged with one of the cycle's look-fors, it is suggested for the step.
    page.get_by_role("heading", name="Suggested for this step").wait_for()
    page.get_by_label("Find a resource").fill("warm-up")
    page.get_by_role("button", name="Search the library").click()
    attach = page.locator("#step-resource-results").get_by_role(
        "button", name=re.compile(r"^Attach\W+Warm-up routines that start on time$"))
    attach.wait_for()
    check_accessibility(page)
    follow(page, attach)
    page.get_by_text("is attached to the next step.").wait_for()
    check_accessibility(page)
    assert next_step_uses().count() == 1

    # The mentee does not see it while the debrief is a draft; once it is shared, they do.
    sign_in_as(page, mentee)
    page.goto(f"{page.base_url}/observations/{cycle.pk}/")
    assert page.get_by_text("Warm-up routines that start on time").count() == 0
    cycle.debrief.shared_at = timezone.now()
    cycle.debrief.save(update_fields=["shared_at"])
    page.reload()
    page.get_by_role("link", name="Warm-up routines that start on time").wait_for()
    check_accessibility(page)

    # The mentee attaches a suggested resource to their goal's action step.
    page.goto(f"{page.base_url}/goals/{goal.pk}/")
    page.get_by_role("heading", name="Resources for the action steps").wait_for()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name=re.compile(
        r"^Attach a resource\W+Post the after-lunch routine on the door$")))
    check_accessibility(page)
    follow(page, page.get_by_role(
        "button", name=re.compile(r"^Attach\W+Routine charts for the door$")))
    page.get_by_text("is attached to the action step.").wait_for()
    page.get_by_role("link", name="Routine charts for the door").first.wait_for()
    check_accessibility(page)
    assert action_step_uses().count() == 1
