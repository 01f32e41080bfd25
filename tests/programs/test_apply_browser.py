"""A mentee narrows a long list of mentors by typing, on a phone and a desktop."""

import pytest

from programs.models import Participant, Program
from tests import factories
from tests.browser import check_accessibility, sign_in
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser


def test_a_mentee_finds_a_mentor_in_a_long_list(page):
    school = factories.SchoolFactory(name="Lincoln Elementary")
    far = factories.SchoolFactory(district=school.district, name="Harbor View Middle")
    program = ProgramFactory(district=school.district, model="district_based",
                             status=Program.Status.ENROLLING, name="District Mentoring")
    for i in range(14):
        mentor = factories.teacher(far if i == 7 else school,
                                   user__display_name=f"Mentor {chr(65 + i)}lvarez")
        ParticipantFactory(program=program, user=mentor, role=Participant.Role.MENTOR)
    teacher = factories.teacher(school, years_of_experience=0)

    sign_in(page, teacher.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}/programs/{program.pk}/apply/")
    box = page.get_by_label("Find a mentor by name or school")
    box.fill("harbor")
    box.press("Enter")  # narrows the list; the half-filled application is not sent
    assert page.get_by_text("Mentors shown: 1").is_visible()
    assert page.get_by_label("Mentor Hlvarez, Harbor View Middle").is_visible()
    assert not page.get_by_label("Mentor Alvarez, Lincoln Elementary").is_visible()
    page.get_by_label("Mentor Hlvarez, Harbor View Middle").check()
    box.fill("")
    assert page.get_by_label("Mentor Alvarez, Lincoln Elementary").is_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("Your application is in.").wait_for()
    assert program.participants.filter(user=teacher).count() == 1
    application = program.participants.get(user=teacher).application
    assert [m.user.display_name for m in application.preferred_mentors.all()] == [
        "Mentor Hlvarez"]
