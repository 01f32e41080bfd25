"""The program header names who runs the program: a few people per role, then how many
more, linking to the participant list for those who may read it; its cost does not grow
with the number of leads."""

import pytest
from django.urls import reverse

from programs.models import Participant
from tests import factories
from tests.programs.factories import ParticipantFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def add_leads(program, school, count, start=0):
    for n in range(start, start + count):
        ParticipantFactory(program=program, role=Participant.Role.LEAD_MENTOR,
                           user=factories.teacher(school, user__display_name=f"Lead {n:02d}"))


def header(client, program):
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    start = page.index("Who runs this program:")
    return page[start:page.index("</p>", start)]


def test_forty_leads_show_three_names_and_how_many_more(client, people, program_people):
    program = program_people.program
    add_leads(program, people.school, 40)
    client.force_login(program_people.coordinator)

    line = header(client, program)

    assert "Lead 00, Lead 01, Lead 02" in line
    assert "Lead 03" not in line and "Lead 39" not in line
    people_url = reverse("programs:participants", args=[program.pk])
    assert f'<a href="{people_url}?role=lead_mentor&amp;status=active">and 37 more</a>' in line
    # The other roles are short enough to be named in full.
    assert program_people.coordinator.display_name in line
    listed = client.get(f"{people_url}?role=lead_mentor&status=active").content.decode()
    assert "Lead 39" in listed


def test_a_mentee_sees_the_count_without_a_link_to_a_list_they_cannot_open(
        client, people, program_people):
    program = program_people.program
    add_leads(program, people.school, 5)
    client.force_login(program_people.mentee)

    line = header(client, program)

    assert "Lead 00, Lead 01, Lead 02 and 2 more" in line
    assert "<a " not in line


def test_three_leads_are_all_named(client, people, program_people):
    add_leads(program_people.program, people.school, 3)
    client.force_login(program_people.coordinator)

    line = header(client, program_people.program)

    assert "Lead 00, Lead 01, Lead 02" in line and "more" not in line


def test_the_header_costs_the_same_for_four_leads_or_forty(client, people, program_people):
    program = program_people.program
    add_leads(program, people.school, 4)
    client.force_login(program_people.coordinator)
    url = reverse("programs:detail", args=[program.pk])
    few = count_queries(client, url)

    add_leads(program, people.school, 36, start=4)

    assert count_queries(client, url) == few
