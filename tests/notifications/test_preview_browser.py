"""A coordinator looks at what is coming up on the program's Messages tab; axe at desktop
and phone width."""

import pytest
import time_machine
from django.core.cache import cache

from notifications import planning, preview
from tests import factories
from tests.browser import check_accessibility, sign_in
from tests.notifications.conftest import TUESDAY_MORNING, nudge

pytestmark = pytest.mark.browser


def test_the_coordinator_sees_what_is_coming_up(page, due, program_people):
    program = program_people.program
    due.items = [nudge(program_people.mentor, 2, program=program)]
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
    due.items.append(nudge(program_people.mentee, 3, program=program))
    preview.build_preview()
    try:
        sign_in(page, program_people.coordinator.email, factories.PASSWORD)
        page.goto(f"{page.base_url}/notifications/programs/{program.pk}/outbox/?show=coming")
        row = page.get_by_role("row").filter(has_text=program_people.mentee.display_name)
        assert row.get_by_role("cell", name="Goal nudges").is_visible()
        assert page.get_by_role("link", name="Coming up").get_attribute(
            "aria-current") == "page"
        check_accessibility(page)
    finally:
        cache.delete(preview.COMPUTED)
