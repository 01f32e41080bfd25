"""The person who added an evidence file removes it, after confirming, while the cycle is
open: the stored file goes too, the page says so; nobody else may, and a finished cycle
keeps its evidence."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from observations.models import EvidenceFile, ObservationCycle
from observations.services import cycles as services
from tests.observations.conftest import CYCLE_ROLES, PNG
from tests.observations.factories import CycleFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def observing(pair):
    return CycleFactory(pairing=pair, stage=ObservationCycle.Stage.OBSERVING,
                        scheduled_at=local(2026, 11, 23, 9))


def attach(cycle, by, name):
    return EvidenceFile.objects.create(cycle=cycle, file=ContentFile(PNG, name=name),
                                       original_name=name, content_type="image/png",
                                       size=len(PNG), uploaded_by=by)


def stored(evidence):
    return evidence.file.storage.exists(evidence.file.name)


@pytest.mark.parametrize("uploader", ["mentor", "mentee"])
def test_only_the_person_who_added_a_file_may_remove_it(
        observing, uploader, assert_cycle_access, sign_in_as):
    evidence = attach(observing, getattr(observing, uploader), "exit-tickets.png")
    url = reverse("observations:evidence-remove", args=[evidence.pk])
    nobody = dict.fromkeys(CYCLE_ROLES[:-1], 404)

    assert_cycle_access(url, {**nobody, uploader: 200})
    # Everyone else's removal is not found, and the file stays.
    for role in CYCLE_ROLES:
        if role != uploader:
            response = sign_in_as(role).post(url)
            assert response.status_code == (302 if role == "anonymous" else 404), role
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists() and stored(evidence)
    assert sign_in_as(uploader).post(url).status_code == 302
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_removing_asks_first_then_deletes_the_stored_file(
        client, observing, django_capture_on_commit_callbacks):
    mine = attach(observing, observing.mentor, "exit-tickets.png")
    kept = attach(observing, observing.mentee, "seating-plan.png")
    client.force_login(observing.mentor)
    observe = reverse("observations:cycle-observe", args=[observing.pk])
    remove = reverse("observations:evidence-remove", args=[mine.pk])

    page = client.get(observe).content.decode()
    assert remove in page
    assert reverse("observations:evidence-remove", args=[kept.pk]) not in page
    confirm = client.get(remove).content.decode()
    assert "Remove “exit-tickets.png” from this cycle?" in confirm
    assert EvidenceFile.objects.filter(pk=mine.pk).exists() and stored(mine)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, follow=True)

    assert response.redirect_chain[-1][0] == observe
    page = response.content.decode()
    assert "“exit-tickets.png” is removed from the cycle." in page
    assert reverse("observations:evidence", args=[mine.pk]) not in page
    assert not EvidenceFile.objects.filter(pk=mine.pk).exists()
    assert not stored(mine)
    assert stored(kept)
    assert client.get(reverse("observations:evidence", args=[mine.pk])).status_code == 404


def test_a_finished_cycle_keeps_its_evidence(client, observing):
    mine = attach(observing, observing.mentor, "exit-tickets.png")
    ObservationCycle.objects.filter(pk=observing.pk).update(
        stage=ObservationCycle.Stage.CLOSED)
    client.force_login(observing.mentor)
    url = reverse("observations:evidence-remove", args=[mine.pk])

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "The cycle is over: its evidence stays as it is." in response.content.decode()
    assert url not in response.content.decode()
    assert EvidenceFile.objects.filter(pk=mine.pk).exists() and stored(mine)
    with pytest.raises(services.ValidationError, match="can no longer be changed"):
        services.remove_evidence(evidence=mine, removed_by=observing.mentor)
