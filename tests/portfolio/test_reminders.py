"""A badge awarded is announced to its recipient once, never when it was revoked, to an
inactive account or for a closed program; the keys are stable and the queries do not grow
with the number of awards."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from mentorship.reminders import kinds
from portfolio import reminders
from portfolio.models import Award
from programs.models import Program
from tests import factories
from tests.pairing.days import MONDAY_MORNING
from tests.portfolio.factories import AwardFactory, BadgeFactory
from tests.programs.factories import ProgramFactory
from tests.reminders import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def run():
    return list(reminders.badges_awarded(timezone.now()))




def test_badge_awarded_is_registered():
    assert kinds["badge-awarded"].source is reminders.badges_awarded


def test_award_announced_to_the_recipient_once(people):
    program = ProgramFactory(district=people.district, name="New Teacher Induction")
    badge = BadgeFactory(district=people.district, program=program, name="Reflective Practitioner",
                         description="Wrote a reflection every period of the term.")
    award = AwardFactory(badge=badge, recipient=people.teacher,
                         evidence="Pangolin evidence only the coordinators read")
    due = run()
    assert [(r.user_id, r.key, r.program_id) for r in due] == [
        (people.teacher.pk, f"badge-awarded:award-{award.pk}", program.pk)]
    assert [r.key for r in due] == [r.key for r in run()]
    subject, text, html = render(due[0])
    assert subject == "You earned a badge: Reflective Practitioner"
    assert ("Congratulations: New Teacher Induction has awarded you the badge "
            "“Reflective Practitioner”.") in text
    assert "Wrote a reflection every period of the term." in html
    assert "Pangolin" not in text + html
    assert "\n" not in subject


def test_district_badge_names_the_district(people):
    badge = BadgeFactory(district=people.district, name="Mentor of the year")
    AwardFactory(badge=badge, recipient=people.teacher)
    due = run()
    assert due[0].program_id is None
    assert f"{people.district.name} has awarded you" in render(due[0])[1]


def test_no_announcement_when_revoked_old_inactive_or_closed(people):
    program = ProgramFactory(district=people.district)
    award = AwardFactory(badge=BadgeFactory(district=people.district, program=program),
                         recipient=people.teacher)
    Award.objects.filter(pk=award.pk).update(revoked_at=timezone.now())
    assert run() == []
    Award.objects.filter(pk=award.pk).update(revoked_at=None,
                                             issued_at=timezone.now() - timedelta(days=30))
    assert run() == []
    Award.objects.filter(pk=award.pk).update(issued_at=timezone.now())
    people.teacher.is_active = False
    people.teacher.save(update_fields=["is_active"])
    assert run() == []
    people.teacher.is_active = True
    people.teacher.save(update_fields=["is_active"])
    Program.objects.filter(pk=program.pk).update(status=Program.Status.CLOSED)
    assert run() == []


def test_awards_cost_one_query_however_many(people, django_assert_max_num_queries):
    badge = BadgeFactory(district=people.district)
    AwardFactory(badge=badge, recipient=people.teacher)
    with django_assert_max_num_queries(1):
        assert len(run()) == 1
    for _ in range(15):
        AwardFactory(badge=badge, recipient=factories.teacher(people.school))
    with django_assert_max_num_queries(1):
        assert len(run()) == 16
