"""Badge pages cost the same number of queries with 1 and with 200 items: the badges list
(for a coordinator and for a mentee, progress included), a badge's awards and their CSV,
a person's own badges and the home page's badge section."""

import pytest
from django.urls import reverse

from portfolio.models import Criterion
from tests import factories
from tests.portfolio.factories import AwardFactory, BadgeFactory
from tests.programs.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    ParticipantFactory,
)
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

KINDS = [Criterion.MANUAL, Criterion.SESSIONS_ATTENDED, Criterion.MENTOR_TRAINING,
         Criterion.GOALS_ACHIEVED, Criterion.REFLECTIONS_WRITTEN]


def make_badges(program, start, size):
    """Badges of every kind, for the program and for the district; the mentee holds some."""
    badges = []
    for i in range(start, start + size):
        badges.append(BadgeFactory(district=program.district,
                                   program=None if i % 2 else program, name=f"Badge {i}",
                                   criterion=KINDS[i % len(KINDS)], threshold=1 + i % 3))
    return badges


def make_awards(badge, school, program, size):
    for _ in range(size):
        person = factories.teacher(school)
        ParticipantFactory(program=program, user=person)
        AwardFactory(badge=badge, recipient=person)


@pytest.mark.parametrize("reader", ["coordinator", "mentee"])
def test_the_badges_list_costs_the_same_for_1_and_200_badges(client, program_people, reader,
                                                             django_assert_max_num_queries):
    program = program_people.program
    client.force_login(getattr(program_people, reader))
    urls = [reverse("portfolio:badges"),
            reverse("portfolio:badges") + f"?program={program.pk}&q=Badge"]
    first = make_badges(program, 0, 1)
    AwardFactory(badge=first[0], recipient=program_people.mentee)
    mentee = program.participants.get(user=program_people.mentee)
    AttendanceFactory(session=GroupSessionFactory(group__program=program), participant=mentee)
    small = [count_queries(client, url) for url in urls]

    for badge in make_badges(program, 1, 199)[::20]:
        AwardFactory(badge=badge, recipient=program_people.mentee)

    for url, before in zip(urls, small, strict=True):
        with django_assert_max_num_queries(before):
            assert count_queries(client, url) == before
    assert count_queries(client, urls[0] + "?page=2") == small[0]


def test_a_badges_awards_cost_the_same_for_1_and_200_holders(client, people, program_people,
                                                             django_assert_max_num_queries):
    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program)
    client.force_login(program_people.coordinator)
    url = reverse("portfolio:badge-detail", args=[badge.pk])
    export = reverse("portfolio:awards-export", args=[badge.pk])
    make_awards(badge, people.school, program, 1)
    small = count_queries(client, url)
    small_export = count_queries(client, export)

    make_awards(badge, people.other_school, program, 199)

    with django_assert_max_num_queries(small):
        assert count_queries(client, url) == small
    assert count_queries(client, url + "?page=4") == small
    assert count_queries(client, export) == small_export


def test_my_badges_and_the_home_page_cost_the_same_for_1_and_200_badges(
        client, program_people, django_assert_max_num_queries):
    program = program_people.program
    client.force_login(program_people.mentee)
    urls = [reverse("portfolio:my-badges"), reverse("home")]
    for badge in make_badges(program, 0, 1):
        AwardFactory(badge=badge, recipient=program_people.mentee)
    small = [count_queries(client, url) for url in urls]

    for badge in make_badges(program, 1, 199):
        AwardFactory(badge=badge, recipient=program_people.mentee)

    with django_assert_max_num_queries(small[0]):
        assert count_queries(client, urls[0]) == small[0]
    assert count_queries(client, urls[1]) == small[1]
