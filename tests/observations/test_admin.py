"""The Django admin, for the installation's operators, leaves out what a cycle holds: its
focus and lesson, notes, ratings, evidence and the debrief."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from observations.models import EvidenceFile
from tests import factories
from tests.observations.conftest import PNG
from tests.observations.factories import full_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def operator(people):
    user = factories.UserFactory(district=None, is_staff=True, is_superuser=True)
    factories.with_totp(user)
    return user


def test_operators_do_not_read_what_a_cycle_holds(client, operator, pair):
    cycle = full_cycle(pair, note="Zanzibar note", strengths="Quokka strengths",
                       growth="Marmot growth", step="Narwhal step")
    cycle.focus, cycle.lesson_context = "Ocelot focus", "Axolotl lesson"
    cycle.save()
    evidence = EvidenceFile.objects.create(cycle=cycle, file=ContentFile(PNG, name="a.png"),
                                           original_name="Wombat-work.png",
                                           content_type="image/png", size=len(PNG),
                                           description="Platypus photo")
    client.force_login(operator)
    debrief = cycle.debrief
    pages = [reverse("admin:observations_observationcycle_change", args=[cycle.pk]),
             reverse("admin:observations_observationnote_change",
                     args=[cycle.notes.get().pk]),
             reverse("admin:observations_observationnote_changelist"),
             reverse("admin:observations_rating_change", args=[cycle.ratings.first().pk]),
             reverse("admin:observations_debrief_change", args=[debrief.pk]),
             reverse("admin:observations_debriefnextstep_change",
                     args=[debrief.next_steps.get().pk]),
             reverse("admin:observations_debriefnextstep_changelist"),
             reverse("admin:observations_evidencefile_change", args=[evidence.pk])]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for written in ["Zanzibar", "Quokka", "Marmot", "Narwhal", "Ocelot", "Axolotl",
                        "Wombat", "Platypus"]:
            assert written not in html, (url, written)
