"""Odd input never makes an error page: numbers too large for the database, NUL
characters, unknown filters, a question posted twice."""

import pytest
from django.urls import reverse

from surveys import services
from tests.surveys.factories import answer_all, open_survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_in_september")]

HUGE = 10 ** 30


def test_numbers_too_large_are_not_found(client, program_people):
    survey = open_survey(program_people.program, None)
    client.force_login(program_people.coordinator)
    question = survey.questions.first()

    for url in [reverse("surveys:program-surveys", args=[HUGE]),
                reverse("surveys:survey-create", args=[HUGE]),
                reverse("surveys:survey-detail", args=[HUGE]),
                reverse("surveys:survey-results", args=[HUGE]),
                reverse("surveys:question-edit", args=[survey.pk, HUGE]),
                reverse("surveys:question-edit", args=[HUGE, question.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("surveys:question-move", args=[survey.pk, HUGE]),
                       {"action": "up"}).status_code == 404


def test_odd_filters_show_the_whole_survey(client, program_people, people):
    survey = open_survey(program_people.program, None)
    answer_all(survey)
    client.force_login(program_people.coordinator)
    url = reverse("surveys:survey-results", args=[survey.pk])

    for params in [{"school": str(HUGE)}, {"school": "abc"}, {"role": "men\x00tee"},
                   {"group": "-1"}, {"by": "\x00"}, {"page": "x", "school": ""}]:
        assert client.get(url, params).status_code == 200, params
        export = client.get(reverse("surveys:survey-export", args=[survey.pk]), params)
        assert export.status_code == 200, params


def test_nul_characters_in_an_answer_are_refused_next_to_the_field(client, program_people):
    survey = open_survey(program_people.program, None)
    invitation = survey.invitations.get()
    url = reverse("surveys:answer", args=[services.invitation_token(invitation)])
    text = survey.questions.filter(kind__in=["short_text", "long_text"]).first()
    data = {f"q{q.pk}": "4" for q in survey.questions.all() if q.is_number}
    data[f"q{text.pk}"] = "Calm\x00mornings"

    response = client.post(url, data)

    assert response.status_code == 400
    assert f"q{text.pk}" in response.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.answered_on is None
