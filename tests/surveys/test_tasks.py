"""The beat's tick on a real Celery worker: a survey whose day came opens with its audience
invited, and a second tick (or a duplicate delivery) invites nobody twice."""

import pytest
from django.utils import timezone

from surveys import services, tasks
from surveys.models import Survey
from tests.conftest import wait_for
from tests.surveys.factories import mentees, template


@pytest.mark.worker
def test_a_real_worker_opens_the_survey_once(celery_worker, program_people, people,
                                             clock_in_september):
    program = program_people.program
    mentees(program, people.school, 4)
    today = services.district_today(program)
    survey = services.create_survey(program=program, created_by=None, template=template(),
                                    opens_on=today, closes_on=today)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.SCHEDULED)

    tasks.tick.delay()
    wait_for(lambda: Survey.objects.filter(pk=survey.pk, status="open").exists())
    assert survey.invitations.count() == 5

    tasks.tick.delay()
    tasks.tick.delay()
    with pytest.raises(AssertionError):
        wait_for(lambda: survey.invitations.count() > 5, timeout=2)
    assert Survey.objects.get(pk=survey.pk).opened_at <= timezone.now()
