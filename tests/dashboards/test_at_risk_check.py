"""The at-risk check: the background task finds the flagged pairings of each district,
pages read what it found, say when, and ask for a new check when it is too old."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import health
from dashboards.models import AtRiskCheck, AtRiskFlag
from dashboards.tasks import check_at_risk, check_district_at_risk
from pairing.models import CheckIn, Pairing, RematchRequest
from tests.dashboards.factories import days_ago
from tests.pairing.factories import CheckInFactory

pytestmark = pytest.mark.django_db


def flags(district):
    return {flag.pairing.mentee.user.display_name: sorted(
        name for name in ("no_checkin", "confidence", "missed_sessions", "rematch")
        if getattr(flag, name)) for flag in AtRiskFlag.objects.filter(district=district)
        .select_related("pairing__mentee__user")}


def health_page(client, scene):
    return client.get(reverse("dashboards:program-health", args=[scene.program.pk])
                      ).content.decode()


def test_the_check_keeps_each_flagged_pairing_with_its_reasons(scene):
    assert flags(scene.program.district) == {
        "Bea": ["no_checkin"], "Cal": ["confidence"], "Dee": ["missed_sessions", "rematch"]}
    assert AtRiskFlag.objects.get(pairing=scene.bea).last_held_at == days_ago(40)


def test_checking_twice_gives_the_same_flags(scene):
    before = flags(scene.program.district)
    health.check_at_risk(scene.program.district)
    assert flags(scene.program.district) == before
    assert AtRiskCheck.objects.count() == 1


def test_what_changed_shows_after_the_next_check(client, scene, program_people):
    client.force_login(program_people.coordinator)
    CheckInFactory(pairing=scene.bea, status=CheckIn.Status.HELD, scheduled_at=days_ago(1),
                   minutes_spent=30)
    RematchRequest.objects.filter(pairing=scene.dee).update(
        state=RematchRequest.State.KEPT)
    assert 'data-figure="at-risk">3<' in health_page(client, scene)

    health.check_at_risk(scene.program.district)

    assert flags(scene.program.district) == {"Cal": ["confidence"],
                                              "Dee": ["missed_sessions"]}
    assert 'data-figure="at-risk">2<' in health_page(client, scene)


def test_a_pairing_that_ended_leaves_the_list_at_once(client, scene, program_people):
    Pairing.objects.filter(pk=scene.bea.pk).update(status=Pairing.Status.ENDED)
    client.force_login(program_people.coordinator)
    assert 'data-figure="at-risk">2<' in health_page(client, scene)


def test_the_page_says_when_the_flags_were_checked(client, scene, program_people):
    client.force_login(program_people.coordinator)
    page = health_page(client, scene)
    assert "Flags checked" in page
    assert "more than 15 minutes old" not in page


def test_old_flags_are_said_to_be_old_and_checked_again(client, scene, program_people,
                                                          django_capture_on_commit_callbacks):
    AtRiskCheck.objects.update(checked_at=timezone.now() - timedelta(minutes=20))
    client.force_login(program_people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert "more than 15 minutes old" in health_page(client, scene)
    # The check ran (tasks run eagerly here): the flags are fresh again.
    assert "more than 15 minutes old" not in health_page(client, scene)


def test_before_the_first_check_the_page_says_so_and_starts_one(
        client, scene, program_people, django_capture_on_commit_callbacks):
    AtRiskCheck.objects.all().delete()
    AtRiskFlag.objects.all().delete()
    client.force_login(program_people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        page = health_page(client, scene)
    assert "have not been checked yet" in page
    assert 'data-figure="at-risk">0<' in page
    assert 'data-figure="at-risk">3<' in health_page(client, scene)


def test_beat_tick_checks_each_district_with_active_pairings(scene):
    from tests import factories

    factories.DistrictFactory(name="No pairings yet")
    AtRiskCheck.objects.all().delete()
    AtRiskFlag.objects.all().delete()
    assert check_at_risk() == 1  # tasks run eagerly in the test settings
    assert AtRiskCheck.objects.get().district == scene.program.district
    assert AtRiskFlag.objects.count() == 3


def test_a_check_of_a_district_that_is_gone_does_nothing():
    assert check_district_at_risk(999_999) == 0.0


def test_beat_schedule_checks_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["check-at-risk"]
    assert (entry["task"], entry["schedule"]) == ("dashboards.check_at_risk", 60)


def test_home_cards_say_when_the_flags_are_old(client, scene, program_people,
                                               django_capture_on_commit_callbacks):
    client.force_login(program_people.coordinator)
    assert "more than 15 minutes ago" not in client.get(reverse("home")).content.decode()

    AtRiskCheck.objects.update(checked_at=timezone.now() - timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert "more than 15 minutes ago" in client.get(reverse("home")).content.decode()
    assert "more than 15 minutes ago" not in client.get(reverse("home")).content.decode()
