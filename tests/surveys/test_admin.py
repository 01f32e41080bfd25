"""The Django admin, for the installation's operators: surveys and questions are edited
there; responses are read-only and show neither answers nor who or where they came from."""

import pytest
from django.urls import reverse

from tests import factories
from tests.surveys.factories import answer_all, open_survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_in_september")]


@pytest.fixture
def operator(people):
    user = factories.UserFactory(district=None, is_staff=True, is_superuser=True)
    factories.with_totp(user)
    return user


def test_operators_do_not_read_answers(client, operator, program_people, team):
    survey = open_survey(program_people.program, None)
    answer_all(survey, text="Quokka afternoons with my class")
    response = survey.responses.get()
    client.force_login(operator)

    pages = [reverse("admin:surveys_response_changelist"),
             reverse("admin:surveys_response_change", args=[response.pk])]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert "Quokka" not in text
        assert "Lincoln Elementary" not in text
        assert team.name not in text
    assert client.post(reverse("admin:surveys_response_delete", args=[response.pk]),
                       {"post": "yes"}).status_code == 403
    assert survey.responses.count() == 1


def test_operators_edit_a_survey_and_its_questions(client, operator, program_people):
    survey = open_survey(program_people.program, None)
    client.force_login(operator)

    page = client.get(reverse("admin:surveys_survey_change", args=[survey.pk]))

    assert page.status_code == 200
    assert "I feel confident in my teaching." in page.content.decode()


def test_a_sent_survey_stays_anonymous_and_keeps_its_questions_in_the_admin(
        client, operator, program_people):
    survey = open_survey(program_people.program, None)
    answer_all(survey)
    question = survey.questions.first()
    client.force_login(operator)
    url = reverse("admin:surveys_survey_change", args=[survey.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update({"anonymous": "", "opens_on": "2026-09-01", "closes_on": "2026-09-30",
                 "audience_roles": '["mentee"]', "questions-TOTAL_FORMS": "0",
                 "questions-INITIAL_FORMS": "0"})
    data = {k: v for k, v in data.items() if v is not None and not isinstance(v, list)}

    client.post(url, data)

    survey.refresh_from_db()
    assert survey.anonymous is True
    page = client.get(url).content.decode()
    assert 'name="questions-0-text"' not in page
    question.refresh_from_db()
    assert question.text == "I feel confident in my teaching."
    assert survey.responses.get().respondent is None
