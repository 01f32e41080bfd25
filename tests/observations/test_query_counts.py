"""Observation pages cost the same number of queries with one cycle and with two hundred:
the board, the feedback timeline, the trends, the cycle page, the coverage view and the
home page's panel."""

import pytest
from django.urls import reverse

from observations.models import ObservationCycle, ObservationNote
from tests import factories
from tests.observations.factories import full_cycle
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
Stage = ObservationCycle.Stage
STAGES = [Stage.CLOSED, Stage.PLANNING, Stage.OBSERVING, Stage.DEBRIEF, Stage.REFLECTION]


def grow(pair, size, start=0):
    """`size` cycles of the pair, at every stage in turn, each with a note, ratings and a
    debrief (shared from the reflection stage on)."""
    for i in range(start, start + size):
        stage = STAGES[i % len(STAGES)]
        full_cycle(pair, stage=stage, note=f"Note {i}",
                   shared=stage in (Stage.REFLECTION, Stage.CLOSED))


def costs(client, user, urls):
    client.force_login(user)
    return {url: count_queries(client, url) for url in urls}


def test_the_pairs_pages_cost_the_same_with_1_and_200_cycles(client, pair):
    grow(pair, 1)
    cycle = ObservationCycle.objects.get()
    mentee = pair.mentee.user
    urls = [reverse("observations:board"), reverse("observations:timeline", args=[mentee.pk]),
            reverse("observations:trends", args=[mentee.pk]), reverse("home"),
            reverse("observations:cycle-detail", args=[cycle.pk])]
    small = {"mentor": costs(client, pair.mentor.user, urls), "mentee": costs(client, mentee,
                                                                             urls)}

    grow(pair, 199, start=1)
    for i in range(50):
        ObservationNote.objects.create(cycle=cycle, client_id=f"00000000-0000-4000-8000-{i:012d}",
                                       text=f"More {i}", author=cycle.mentor)
    large = {"mentor": costs(client, pair.mentor.user, urls), "mentee": costs(client, mentee,
                                                                             urls)}

    assert large == small


def test_the_coverage_view_costs_the_same_with_1_and_200_pairings(client, pair, people,
                                                                  program_people):
    program = pair.program
    program.terms.create(name="Fall", starts_on="2026-08-17", ends_on="2026-12-18")
    program.terms.create(name="Spring", starts_on="2027-01-04", ends_on="2027-06-11")
    full_cycle(pair)
    url = reverse("observations:coverage", args=[program.pk])
    small = costs(client, program_people.coordinator, [url])

    for _ in range(199):
        other = PairingFactory(
            mentor=ParticipantFactory(program=program, role="mentor",
                                      user=factories.teacher(people.school)),
            mentee=ParticipantFactory(program=program, role="mentee",
                                      user=factories.teacher(people.school)))
        full_cycle(other)
    large = costs(client, program_people.coordinator, [url])

    assert large == small
