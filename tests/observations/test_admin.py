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


def test_the_cycle_page_of_the_admin_leaves_out_goals_reflections_and_the_place(
        client, operator, pair, other_pair):
    from tests.goals.factories import GoalFactory

    GoalFactory(participant=other_pair.mentee, specific="Pangolin goal of another pair")
    goal = GoalFactory(participant=pair.mentee, specific="Capybara goal of this pair")
    cycle = full_cycle(pair)
    cycle.goal, cycle.location = goal, "Room 12 Tapir"
    cycle.save()
    client.force_login(operator)

    html = client.get(reverse("admin:observations_observationcycle_change",
                              args=[cycle.pk])).content.decode()

    for written in ["Capybara", "Pangolin", "Tapir"]:
        assert written not in html, written
    assert 'name="goal"' not in html and 'name="reflection"' not in html


def test_a_published_versions_look_fors_domains_and_levels_cannot_change_in_the_admin(
        client, operator, pair):
    cycle = full_cycle(pair)
    look_for = cycle.look_fors.first()
    domain = look_for.domain
    level = cycle.template_version.levels.first()
    assert cycle.template_version.is_published
    before = (look_for.text, domain.name, level.label)
    client.force_login(operator)

    look_for_url = reverse("admin:observations_indicator_change", args=[look_for.pk])
    page = client.get(look_for_url).content.decode()
    assert 'name="text"' not in page
    client.post(look_for_url, {"domain": domain.pk, "text": "Rewritten look-for",
                               "guidance": "", "position": 0, "_save": "Save"})
    client.post(reverse("admin:observations_domain_change", args=[domain.pk]),
                {"version": domain.version_id, "name": "Rewritten domain", "position": 0})
    client.post(reverse("admin:observations_scalelevel_change", args=[level.pk]),
                {"version": level.version_id, "value": level.value, "label": "Rewritten"})
    look_for.refresh_from_db()
    domain.refresh_from_db()
    level.refresh_from_db()
    assert (look_for.text, domain.name, level.label) == before

    # Nothing is deleted from it, nor added to it.
    for name, pk in [("indicator", look_for.pk), ("domain", domain.pk),
                     ("scalelevel", level.pk)]:
        url = reverse(f"admin:observations_{name}_delete", args=[pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
    response = client.post(reverse("admin:observations_indicator_add"), {
        "domain": domain.pk, "text": "Slipped in afterwards", "guidance": "", "position": 9})
    assert response.status_code == 200
    assert "This template version is published" in response.content.decode()
    response = client.post(reverse("admin:observations_scalelevel_add"), {
        "version": level.version_id, "value": 9, "label": "Slipped in"})
    assert "This template version is published" in response.content.decode()
    assert not domain.indicators.filter(text="Slipped in afterwards").exists()


def test_a_draft_versions_look_fors_still_change_in_the_admin(client, operator, people):
    from tests.observations.factories import template_version

    version = template_version(people.district, published=False)
    look_for = version.domains.get().indicators.first()
    client.force_login(operator)
    response = client.post(reverse("admin:observations_indicator_change", args=[look_for.pk]),
                           {"domain": look_for.domain_id, "text": "Better wording",
                            "guidance": "", "position": 0})
    assert response.status_code == 302
    look_for.refresh_from_db()
    assert look_for.text == "Better wording"
