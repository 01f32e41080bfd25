"""A coordinator finds the rematch requests waiting for an answer: on the home page and as a
filter of the pairings list, never a request on their own pairing."""

import pytest
from django.urls import reverse

from pairing.services import pairings as service
from tests import factories
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def second_pair(program_people, people):
    program = program_people.program
    return PairingFactory(
        mentor=ParticipantFactory(program=program, role="mentor",
                                  user=factories.teacher(people.school)),
        mentee=ParticipantFactory(program=program, role="mentee",
                                  user=factories.teacher(people.school)))


def test_the_coordinators_home_page_counts_the_requests_to_answer(client, pair, people,
                                                                 program_people):
    service.request_rematch(pair, program_people.mentee, reason="We never meet")
    client.force_login(program_people.coordinator)

    html = client.get(reverse("home")).content.decode()

    assert "1 rematch request to answer" in html
    assert reverse("pairing:pairings", args=[pair.program_id]) + "?show=rematch" in html
    # The mentor, the partner's admins and the rep are not told.
    for reader in [program_people.mentor, people.district_admin, program_people.school_rep]:
        client.force_login(reader)
        assert "rematch request" not in client.get(reverse("home")).content.decode()


def test_the_rematch_filter_lists_only_pairings_with_an_open_request(client, pair, people,
                                                                   program_people):
    other = second_pair(program_people, people)
    service.request_rematch(pair, program_people.mentee, reason="We never meet")
    client.force_login(program_people.coordinator)
    url = reverse("pairing:pairings", args=[pair.program_id])

    html = client.get(url + "?show=rematch").content.decode()

    assert pair.mentee.user.display_name in html
    assert other.mentee.user.display_name not in html
    assert other.mentee.user.display_name in client.get(url).content.decode()


def test_a_coordinator_in_a_pairing_is_not_asked_to_answer_its_request(client, people,
                                                                     program_people):
    program = program_people.program
    coordinating_mentor = ParticipantFactory(program=program, role="mentor",
                                             user=program_people.coordinator)
    pairing = PairingFactory(
        mentor=coordinating_mentor,
        mentee=ParticipantFactory(program=program, role="mentee",
                                  user=factories.teacher(people.school)))
    service.request_rematch(pairing, pairing.mentee.user, reason="Not a fit")
    client.force_login(program_people.coordinator)

    assert "rematch request" not in client.get(reverse("home")).content.decode()


def test_counting_requests_costs_the_home_page_one_query_for_any_number(
        client, people, program_people):
    def home_queries():
        client.force_login(program_people.coordinator)
        return count_queries(client, reverse("home"))

    first = second_pair(program_people, people)
    service.request_rematch(first, first.mentee.user, reason="Not a fit")
    few = home_queries()
    for _ in range(5):
        more = second_pair(program_people, people)
        service.request_rematch(more, more.mentee.user, reason="Not a fit")
    assert home_queries() == few
