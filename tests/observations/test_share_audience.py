"""A share lasts only while its reader still holds the role it was given for: a coordinator
withdrawn from the program, an admin whose role is removed, a school admin moved to another
school stop reading the cycle, though the share is not taken back."""

import pytest
from django.urls import reverse

from accounts.models import DistrictRole
from observations.models import ObservationCycle
from observations.services import cycles as services
from programs.models import Participant
from tests import factories
from tests.observations.factories import full_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

STRENGTHS = "Warm greeting at the door for every student"


def _reads(client, user, cycle):
    client.force_login(user)
    response = client.get(reverse("observations:cycle-detail", args=[cycle.pk]))
    return response.status_code == 200 and STRENGTHS in response.content.decode()


def test_a_coordinator_withdrawn_from_the_program_no_longer_reads_a_shared_cycle(
        client, pair, program_people):
    cycle = full_cycle(pair, strengths=STRENGTHS)
    coordinator = program_people.coordinator
    services.share_cycle(cycle=cycle, shared_by=cycle.mentee, recipient=coordinator)
    assert _reads(client, coordinator, cycle)

    Participant.objects.filter(program=cycle.program, user=coordinator).update(
        status=Participant.Status.WITHDRAWN)

    assert not _reads(client, coordinator, cycle)
    assert client.get(reverse("observations:cycle-detail", args=[cycle.pk])).status_code == 404
    assert not ObservationCycle.objects.visible_to(coordinator).exists()
    assert not ObservationCycle.objects.shared_with(coordinator).exists()
    assert not coordinator.has_perm("observations.read_cycle", cycle)


def test_an_admin_whose_role_is_removed_no_longer_reads_a_shared_cycle(
        client, pair, people):
    cycle = full_cycle(pair, strengths=STRENGTHS)
    admin = people.district_admin
    services.share_cycle(cycle=cycle, shared_by=cycle.mentee, recipient=admin)
    assert _reads(client, admin, cycle)

    DistrictRole.objects.filter(user=admin).delete()

    assert not _reads(client, admin, cycle)


def test_a_school_admin_moved_to_another_school_no_longer_reads_a_shared_cycle(
        client, pair, people):
    cycle = full_cycle(pair, strengths=STRENGTHS)
    admin = people.school_admin
    services.share_cycle(cycle=cycle, shared_by=cycle.mentee, recipient=admin)
    assert _reads(client, admin, cycle)

    elsewhere = factories.SchoolFactory(district=people.district)
    DistrictRole.objects.filter(user=admin).update(school=elsewhere)
    assert not _reads(client, admin, cycle)

    # Back at the mentee's school, the share (never taken back) counts again.
    DistrictRole.objects.filter(user=admin).update(school=people.school)
    assert _reads(client, admin, cycle)
