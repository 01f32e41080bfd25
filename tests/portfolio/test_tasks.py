"""The background check on a real Celery worker: a badge saved with people who have already
earned it is awarded to them once the save commits; the beat's tick and a duplicate
delivery of the task award nothing more."""

import pytest

from portfolio import services, tasks
from portfolio.models import Award, Badge, Criterion
from programs.models import Participant
from tests.conftest import wait_for
from tests.programs.factories import AttendanceFactory, GroupSessionFactory


@pytest.mark.worker
def test_a_real_worker_awards_the_badge_once(celery_worker, program_people):
    program = program_people.program
    mentee = program.participants.get(user=program_people.mentee,
                                      role=Participant.Role.MENTEE)
    AttendanceFactory(session=GroupSessionFactory(group__program=program), participant=mentee)
    badge = services.save_badge(badge=Badge(
        district=program.district, program=program, name="First session",
        description="Came along.", criteria="Attend a group session.",
        criterion=Criterion.SESSIONS_ATTENDED, threshold=1), by=program_people.coordinator)

    wait_for(lambda: Badge.objects.filter(pk=badge.pk, checked_at__isnull=False).exists())
    assert list(Award.objects.values_list("recipient_id", flat=True)) == [mentee.user_id]

    assert tasks.check_badges() == 1  # the tick queues the badge's check again
    tasks.check_badge.delay(badge.pk)  # and a duplicate delivery
    with pytest.raises(AssertionError):
        wait_for(lambda: Award.objects.count() > 1, timeout=2)


@pytest.mark.django_db
def test_the_check_is_queued_only_when_the_badge_is_saved(program_people,
                                                          django_capture_on_commit_callbacks):
    program = program_people.program
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.save_badge(badge=Badge(
            district=program.district, program=program, name="Regular", description="x",
            criteria="x", criterion=Criterion.SESSIONS_ATTENDED, threshold=2),
            by=program_people.coordinator)
        services.save_badge(badge=Badge(
            district=program.district, program=program, name="By hand", description="x",
            criteria="x"), by=program_people.coordinator)

    assert len(callbacks) == 1  # a badge awarded by hand has nothing to check


def test_the_beat_ticks_the_badge_check_every_few_minutes(settings):
    ticks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert ticks["portfolio.check_badges"] <= 5 * 60
