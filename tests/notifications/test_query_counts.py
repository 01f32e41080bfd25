"""The outbox's pages cost the same number of queries whatever the number of messages."""

import pytest
import time_machine
from django.urls import reverse

from notifications import delivery, planning
from notifications.models import Message
from tests import factories
from tests.notifications.conftest import TUESDAY_MORNING, nudge
from tests.programs.factories import ParticipantFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

# Session, person, roles, authenticator check, district, then the page's own: for a
# program, the program and the reader's roles in it; the rows and their count.
MAX_QUERIES = 14


def grow(due, program_people, people, size):
    """`size` more mentees with a reminder each, sent, waiting and failed, and the same
    for the reader's own inbox."""
    program = program_people.program
    start = len(due.items)
    for n in range(start, start + size):
        mentee = factories.teacher(people.school)
        ParticipantFactory(program=program, user=mentee, role="mentee")
        due.items.append(nudge(mentee, n, program=program))
        due.items.append(nudge(program_people.coordinator, n, program=program))
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        planning.plan()
        while delivery.send_batch():
            pass
    # Of the new emails, one in three waits again and one in three failed.
    new = list(Message.objects.filter(channel="email").order_by("-pk")
               .values_list("pk", flat=True)[:2 * size])
    Message.objects.filter(pk__in=new[0::3]).update(state="pending")
    Message.objects.filter(pk__in=new[1::3]).update(state="failed", last_error="451 later")


@pytest.mark.parametrize(("role", "name"), [
    ("coordinator", "notifications:program-outbox"),
    ("district_admin", "notifications:district-outbox"),
    ("coordinator", "notifications:list"),
    ("coordinator", "notifications:preferences"),
    ("coordinator", "notifications:bell"),
])
@pytest.mark.parametrize("show", ["waiting", "sent", "failed"])
def test_pages_do_a_fixed_number_of_queries(client, due, people, program_people, role, name,
                                            show, django_assert_max_num_queries):
    client.force_login(getattr(program_people, role, None) or getattr(people, role))
    args = [program_people.program.pk] if name == "notifications:program-outbox" else []
    url = reverse(name, args=args) + f"?show={show}"
    grow(due, program_people, people, 2)
    small = count_queries(client, url)
    grow(due, program_people, people, 30)

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small


def test_the_bell_costs_pages_nothing_and_itself_one_count(client, due, people, program_people):
    client.force_login(program_people.mentee)
    home = count_queries(client, reverse("home"))
    bell = count_queries(client, reverse("notifications:bell"))
    grow(due, program_people, people, 3)
    # More unread messages: the home page the same, the bell one count as before.
    assert count_queries(client, reverse("home")) == home
    assert count_queries(client, reverse("notifications:bell")) == bell <= 6
