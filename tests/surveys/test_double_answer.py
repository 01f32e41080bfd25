"""Two answers sent at once through one link (a double click, two tabs): one is kept, the
other is thanked kindly, never an error page."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from surveys import services
from surveys.models import Response
from tests.surveys.factories import open_survey

pytestmark = pytest.mark.usefixtures("clock_in_september")


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_through_one_link_keep_one(program_people):
    survey = open_survey(program_people.program, None)
    invitation = survey.invitations.get()
    url = reverse("surveys:answer", args=[services.invitation_token(invitation)])
    data = {f"q{q.pk}": "4" if q.is_number else "Calm mornings"
            for q in survey.questions.all() if not q.is_choice}
    for q in survey.questions.filter(kind__in=["single", "multiple"]):
        data[f"q{q.pk}"] = q.choices[0]
    start = threading.Barrier(2, timeout=10)
    pages, errors = [], []

    def send():
        try:
            start.wait()
            pages.append(Client().post(url, data, follow=True))
        except Exception as error:  # any error is the failure shown below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [page.status_code for page in pages] == [200, 200]
    assert all("takes no second answer" in page.content.decode() for page in pages)
    assert Response.objects.filter(survey=survey).count() == 1
