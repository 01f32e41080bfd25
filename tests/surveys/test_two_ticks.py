"""Two ticks at once (a slow tick overlapping the next, or two beats) inviting the same
person after the same debrief: one invitation, and neither tick fails."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from observations.models import Debrief
from surveys import services
from surveys.models import Invitation, Stage
from tests.observations.factories import CycleFactory
from tests.pairing.factories import PairingFactory
from tests.surveys.factories import template

pytestmark = pytest.mark.usefixtures("clock_in_september")


def wait_until_blocked():
    """Until another connection waits on a lock (the second insert on the first's row)."""
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_two_ticks_inviting_after_one_debrief_make_one_invitation(program_people):
    program = program_people.program
    pairing = PairingFactory(mentor=program.participants.get(user=program_people.mentor),
                             mentee=program.participants.get(user=program_people.mentee))
    survey = services.create_survey(program=program, created_by=None,
                                    stage=Stage.AFTER_DEBRIEF, template=template())
    services.schedule_survey(survey=survey, scheduled_by=None)
    Debrief.objects.create(cycle=CycleFactory(pairing=pairing), strengths="Calm",
                           shared_at=timezone.now())
    inserted, release = threading.Event(), threading.Event()
    results, errors = [], []

    def first():
        try:
            with transaction.atomic():
                results.append(services.invite_after_debriefs(survey=survey,
                                                              now=timezone.now()))
                inserted.set()
                release.wait(10)
        except Exception as error:  # any error is the failure shown below
            errors.append(error)
        finally:
            inserted.set()
            connection.close()

    def second():
        try:
            results.append(services.invite_after_debriefs(survey=survey, now=timezone.now()))
        except Exception as error:  # any error is the failure shown below
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    inserted.wait(10)
    two = threading.Thread(target=second)
    two.start()
    blocked = wait_until_blocked()
    release.set()
    one.join()
    two.join()

    assert blocked
    assert errors == []
    assert sorted(results) == [0, 1]
    assert Invitation.objects.filter(survey=survey).count() == 1
