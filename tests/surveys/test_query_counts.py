"""Survey pages cost the same number of queries with few and many people: a program's
surveys, the builder, the results and their CSV, who answered, one person's answers, the
answer page and the home page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from surveys import services
from surveys.models import Survey
from tests.queries import count_queries
from tests.surveys.factories import answer_all, mentees, open_survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_in_september")]


def pages(program_people, people, count):
    """Surveys answered by `count` more mentees at each of two schools; the URLs to read."""
    program = program_people.program
    mentees(program, people.school, count)
    mentees(program, people.other_school, count)
    anonymous = open_survey(program, None)
    named = open_survey(program, None, key="program-feedback", anonymous=False)
    answer_all(anonymous)
    answer_all(named)
    response = named.responses.first()
    return [
        reverse("surveys:program-surveys", args=[program.pk]),
        reverse("surveys:survey-detail", args=[anonymous.pk]),
        reverse("surveys:survey-results", args=[anonymous.pk]),
        reverse("surveys:survey-results", args=[anonymous.pk]) + "?by=group",
        reverse("surveys:survey-results", args=[anonymous.pk]) + "?role=mentee",
        reverse("surveys:survey-results", args=[anonymous.pk]) + f"?role=mentee"
        f"&school={people.school.pk}",
        reverse("surveys:survey-export", args=[anonymous.pk]),
        reverse("surveys:survey-results", args=[named.pk]),
        reverse("surveys:survey-respondents", args=[named.pk]),
        reverse("surveys:response-detail", args=[named.pk, response.pk]),
    ]


def test_coordinator_pages_cost_a_fixed_number_of_queries(client, program_people, people,
                                                          django_assert_max_num_queries):
    client.force_login(program_people.coordinator)
    # The access log's record type is cached once per process: read it before counting.
    ContentType.objects.get_for_model(Survey)
    small = [count_queries(client, url) for url in pages(program_people, people, 5)]
    large = [count_queries(client, url) for url in pages(program_people, people, 12)]

    assert small == large
    with django_assert_max_num_queries(25):
        client.get(reverse("surveys:survey-results", args=[
            program_people.program.surveys.first().pk]))


def test_answer_page_and_home_cost_a_fixed_number_of_queries(client, program_people, people,
                                                             django_assert_max_num_queries):
    def costs(count):
        mentees(program_people.program, people.school, count)
        survey = open_survey(program_people.program, None)
        invitation = survey.invitations.get(user=program_people.mentee)
        client.force_login(program_people.mentee)
        return (count_queries(client, reverse("surveys:answer", args=[
            services.invitation_token(invitation)])), count_queries(client, reverse("home")))

    assert costs(1) == costs(10)
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))
