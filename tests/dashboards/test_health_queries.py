"""Program health costs the same number of queries for a handful of pairings or many."""

import pytest
from django.urls import reverse

from tests.dashboards.factories import grow
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

# Session, person, roles, authenticator, district; the program and the reader's roles in it;
# then the figures: pairings, held check-ins, participants, check-ins by month and the
# pairings open each month, terms and cycles, goals, reflections, time, at-risk counts, and
# the two lists (count and page each), survey responses. A school admin's scope adds the
# program's roles and drops the survey figure.
MAX_QUERIES = 25


@pytest.mark.parametrize("role", ["coordinator", "district_admin", "school_admin"])
def test_the_health_page_costs_the_same_whatever_the_size(client, scene, people,
                                                          program_people, role,
                                                          django_assert_max_num_queries):
    client.force_login(getattr(program_people, role, None) or getattr(people, role))
    url = reverse("dashboards:program-health", args=[scene.program.pk])
    small = count_queries(client, url)
    grow(scene.program, people.school, 30)

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small


@pytest.mark.parametrize("table", ["overdue", "at-risk", "checkins", "cycles", "goals", "time"])
def test_each_table_costs_the_same_whatever_the_size(client, scene, people, program_people,
                                                     table):
    client.force_login(program_people.coordinator)
    url = reverse("dashboards:program-health-export", args=[scene.program.pk, table])
    small = count_queries(client, url)
    grow(scene.program, people.school, 20)

    assert count_queries(client, url) == small
