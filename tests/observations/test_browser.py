"""A whole observation cycle in a real browser at phone width, each page checked by axe:
the mentor starts it and plans the pre-conference with the mentee's goal, takes live
notes (sent in the background by the page's script) and ratings, finishes the
observation, is refused sharing a debrief without strengths, then shares it; the mentee
finds it on their home page and reflects, which closes the cycle."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from goals.models import Reflection
from observations.models import ObservationCycle, ObservationNote, Rating
from programs.models import Participant
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.goals.factories import GoalFactory
from tests.observations.factories import template_version
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.browser


def sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.email, factories.PASSWORD)
    page.wait_for_url(f"{page.base_url}/")


def next_weekday(day):
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_whole_observation_cycle_on_a_phone(phone_page):
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
    # Browser tests start from an empty database: the district builds its own template.
    template_version(school.district, levels=("Beginning", "Developing", "Established",
                                              "Extending"),
                     domains=(("Climate", ("Calm, quick starts", "Respectful talk")),))
    goal = GoalFactory(participant=pairing.mentee, specific="Calm starts after lunch",
                       due_on=today + timedelta(days=120))

    # The mentor starts a cycle from their observation board.
    sign_in_as(page, mentor)
    page.goto(f"{page.base_url}/observations/")
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="New observation cycle Nina Park"))
    check_accessibility(page)
    # The generic template may be offered too: choose the district's own.
    page.get_by_label("Our rubric (version 1)").check()
    follow(page, page.get_by_role("button", name="Start the cycle"))

    # Pre-conference: the focus serves the mentee's goal; two look-fors; a time.
    page.get_by_role("heading", name="Pre-conference").wait_for()
    check_accessibility(page)
    page.get_by_label("Focus", exact=True).fill("Getting started quickly after lunch")
    page.get_by_label("The mentee’s goal it serves").select_option(str(goal.pk))
    page.get_by_label("The lesson", exact=True).fill("Grade 3 reading, whole class")
    page.locator("#id_look_fors_0").check()
    page.locator("#id_look_fors_1").check()
    day = next_weekday(today)
    page.get_by_label("Date and time of the observation").fill(f"{day.isoformat()}T10:00")
    follow(page, page.get_by_role("button", name="Save the pre-conference"))
    page.get_by_text("The pre-conference is saved.").wait_for()
    check_accessibility(page)
    follow(page, page.get_by_role("button", name="Pre-conference done: go to the observation"))

    # Live notes: each is sent in the background and appears with its time.
    page.get_by_role("heading", name="Observation notes").wait_for()
    check_accessibility(page)
    for text in ("12:31 Eight students still at lockers", "12:38 Everyone is writing"):
        page.get_by_label("What you see or hear").fill(text)
        page.get_by_role("button", name="Add the note").click()
        page.locator("#note-list li", has_text=text).wait_for()
    assert ObservationNote.objects.count() == 2
    cycle = ObservationCycle.objects.get()
    first, second = cycle.look_fors.order_by("domain__position", "position")
    page.locator(f"#id_indicator_{first.pk}_2").check()
    page.locator(f"#id_indicator_{second.pk}_4").check()
    follow(page, page.get_by_role("button", name="Save the ratings"))
    page.get_by_text("The ratings are saved.").wait_for()
    assert Rating.objects.filter(level__isnull=True).count() == 1
    check_accessibility(page)
    follow(page, page.get_by_role("button", name="The observation is finished"))

    # The debrief cannot be shared without what is working.
    page.get_by_role("heading", name="Debrief").wait_for()
    check_accessibility(page)
    page.get_by_label("Areas to grow").fill("The first four minutes have no task")
    page.get_by_label("Next step 1").fill("Put the warm-up on the board before the bell")
    follow(page, page.get_by_role("button", name="Share with Nina Park"))
    page.get_by_text("Start with what is working").first.wait_for()
    assert page.get_by_label("Areas to grow").input_value() == "The first four minutes have no task"
    check_accessibility(page)
    page.get_by_label("What is working").fill("The timer got everyone quiet within a minute")
    follow(page, page.get_by_role("button", name="Share with Nina Park"))
    page.get_by_text("The debrief is shared with Nina Park.").wait_for()
    check_accessibility(page)

    # The mentee finds the cycle on their home page and reflects on the debrief.
    sign_in_as(page, mentee)
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Your observation with Maria Lopez"))
    assert "The timer got everyone quiet" in page.locator("main").inner_text()
    check_accessibility(page)
    follow(page, page.get_by_role("link", name="Write your reflection"))
    check_accessibility(page)
    page.get_by_label("Your reflection").fill("Seeing the times made the lost minutes clear.")
    page.locator("#id_confidence_3").check()
    follow(page, page.get_by_role("button", name="Save the reflection"))
    page.get_by_text("the cycle is closed").wait_for()
    check_accessibility(page)
    cycle.refresh_from_db()
    assert cycle.stage == ObservationCycle.Stage.CLOSED
    assert Reflection.objects.get().goal == goal


def test_notes_taken_while_the_connection_drops_are_kept_and_sent_once(phone_page):
    page = phone_page
    school = factories.SchoolFactory()
    today = timezone.localdate(timezone=ZoneInfo(school.district.time_zone))
    program = ProgramFactory(district=school.district, starts_on=today - timedelta(days=60),
                             ends_on=today + timedelta(days=200))
    mentor = factories.teacher(school)
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=program, user=mentor, role=Participant.Role.MENTOR),
        mentee=ParticipantFactory(program=program, user=factories.teacher(school),
                                  role=Participant.Role.MENTEE))
    version = template_version(school.district)
    cycle = ObservationCycle.objects.create(
        program=program, pairing=pairing, mentor=mentor, mentee=pairing.mentee.user,
        template_version=version, stage=ObservationCycle.Stage.OBSERVING,
        scheduled_at=timezone.now())
    sign_in_as(page, mentor)
    page.goto(f"{page.base_url}/observations/{cycle.pk}/observe/")

    page.context.set_offline(True)
    page.get_by_label("What you see or hear").fill("Written in the dead zone")
    page.get_by_role("button", name="Add the note").click()
    pending = page.get_by_role("list", name="Notes waiting to be sent")
    pending.get_by_text("Written in the dead zone").wait_for()
    assert ObservationNote.objects.count() == 0
    check_accessibility(page)

    # Back online: the page sends what it kept, once, and shows it with the others.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#note-list li", has_text="Written in the dead zone").wait_for()
    assert pending.is_hidden()
    page.reload()
    page.locator("#note-list li", has_text="Written in the dead zone").wait_for()
    assert ObservationNote.objects.get().text == "Written in the dead zone"
