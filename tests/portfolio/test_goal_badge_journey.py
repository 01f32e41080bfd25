"""The mentee's goal journey continued to its badge, at phone width, each page checked by
axe: the coordinator's "First goal achieved" badge shows the mentee how far they are; the
mentee writes, sharpens, revises and achieves a goal (the goals journey's own steps); the
background check, on a real Celery worker, awards the badge once; the mentee finds it on
their home page and among their badges."""

import pytest

from portfolio import tasks
from portfolio.models import Award, Criterion
from tests.browser import check_accessibility, follow
from tests.conftest import wait_for
from tests.goals.test_browser import (
    achieve,
    induction,
    log_progress,
    revise,
    sharpen_and_activate,
    sign_in_as,
    write_a_vague_goal,
)
from tests.portfolio.factories import BadgeFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_achieving_a_goal_earns_the_first_goal_badge(phone_page, celery_worker):
    page = phone_page
    program, _coordinator, _mentor, mentee, _pairing = induction()
    BadgeFactory(district=program.district, program=program, name="First goal achieved",
                 description="Set a SMART goal with a mentor and reached it.",
                 criteria="Achieve one goal in the induction program.",
                 criterion=Criterion.GOALS_ACHIEVED, threshold=1)
    sign_in_as(page, mentee)
    page.goto(f"{page.base_url}/badges/")
    badge_row = page.locator("li", has_text="First goal achieved")
    assert "You: 0 of 1" in badge_row.inner_text()
    check_accessibility(page)

    write_a_vague_goal(page, program)
    goal = sharpen_and_activate(page, program)
    log_progress(page, goal)
    achieve(page, revise(page, goal))

    # The beat's tick queues the check; the worker awards the badge, once.
    tasks.check_badges.delay()
    wait_for(lambda: Award.objects.filter(recipient=mentee).exists())
    tasks.check_badges.delay()
    with pytest.raises(AssertionError):
        wait_for(lambda: Award.objects.count() > 1, timeout=2)

    page.goto(f"{page.base_url}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Your badges"))
    follow(page, panel.get_by_role("link", name="First goal achieved"))
    assert "Earned: 1 goal achieved" in page.locator("main").inner_text()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="My badges"))
    assert "First goal achieved" in page.locator("main").inner_text()
    check_accessibility(page)
