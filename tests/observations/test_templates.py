"""Templates are versioned: a published version never changes, editing makes a new draft,
and an observation made before an edit still shows the look-fors and labels it used."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from observations.models import Indicator, ObservationCycle
from observations.outline import parse_outline
from observations.services import templates as services
from tests.observations.factories import full_cycle, generic_version, template_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


def test_the_generic_template_is_shipped_published():
    version = generic_version()

    assert version.is_published
    assert version.domains.count() == 4
    assert [level.label for level in version.levels.all()] == [
        "Beginning", "Developing", "Established", "Extending"]


def test_an_observation_made_before_an_edit_keeps_its_look_fors_and_labels(
        client, pair, people):
    version = template_version(people.district, levels=("Emerging", "Secure"),
                               domains=(("Climate", ("Calm start",)),))
    cycle = full_cycle(pair, template_version=version)
    template = version.template
    client.force_login(people.district_admin)

    response = client.post(reverse("observations:template-edit", args=[template.pk]), {
        "name": template.name, "description": "", "publish": "1",
        "outline": "# Climate\n- A calm, quick start | Watch the door",
        "levels": "Not yet\nPartly\nFully", "allows_not_observed": "on"})

    assert response.status_code == 302
    new = template.versions.get(number=2)
    assert new.is_published
    # The look-for kept its key across the rewording, so trends follow it.
    assert (Indicator.objects.get(domain__version=new).key
            == Indicator.objects.get(domain__version=version).key)
    client.force_login(pair.mentee.user)
    page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content.decode()
    assert "Calm start" in page and "1. Emerging" in page
    assert "A calm, quick start" not in page and "Not yet" not in page
    assert ObservationCycle.objects.get().template_version == version


def test_a_published_version_cannot_be_saved_over(people):
    version = template_version(people.district)

    with pytest.raises(ValidationError):
        services.save_draft(version=version, edited_by=people.district_admin,
                            outline="# A\n- b", levels="x\ny", allows_not_observed=True)


def test_a_bad_outline_is_named_line_by_line_and_what_was_typed_stays(client, people):
    template = services.create_template(created_by=people.district_admin, name="Ours")
    client.force_login(people.district_admin)

    response = client.post(reverse("observations:template-edit", args=[template.pk]), {
        "name": "Ours", "outline": "- Orphan look-for\nPlain line", "levels": "Only one",
        "save": "1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 1: a look-for needs a domain above it" in page
    assert "Line 2: start it with" in page
    assert "Write two to seven levels" in page
    assert "Orphan look-for" in page


def test_the_outline_reads_domains_look_fors_and_guidance():
    domains = parse_outline("# Climate\n- Calm start | Watch the door\n\n# Talk\n- Wait time")

    assert [(d.name, [(i.text, i.guidance) for i in d.indicators]) for d in domains] == [
        ("Climate", [("Calm start", "Watch the door")]), ("Talk", [("Wait time", "")])]


@pytest.mark.parametrize("outline, message", [
    ("# Climate\n" + "".join(f"- Look-for {n}\n" for n in range(60)),
     "Line 52: a domain has at most 50 look-fors"),
    ("".join(f"# Domain {n}\n- A look-for\n" for n in range(31)),
     "Line 61: a template has at most 30 domains"),
    ("# Climate\n" + "".join(f"- l{n}\n" for n in range(33000)),
     "Keep the outline to 20000 characters"),
])
def test_an_outline_too_long_for_a_lesson_is_refused_next_to_the_field(
        client, people, outline, message):
    template = services.create_template(created_by=people.district_admin, name="Ours")
    client.force_login(people.district_admin)

    response = client.post(reverse("observations:template-edit", args=[template.pk]), {
        "name": "Ours", "outline": outline, "levels": "Low\nHigh", "save": "1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Look-for 1" in page or "l1" in page or "Domain 1" in page
    assert not template.versions.filter(domains__isnull=False).exists()


def test_the_cycles_using_a_generic_version_are_counted_in_the_readers_district_only(
        client, pair, people):
    cycle = full_cycle(pair)
    version = cycle.template_version
    assert version.template.district_id is None
    url = reverse("observations:version-detail", args=[version.template_id, version.number])

    client.force_login(people.outsider_teacher)
    elsewhere = client.get(url)
    client.force_login(people.teacher)
    here = client.get(url)

    assert "0 observation cycles use this version." in elsewhere.content.decode()
    assert "1 observation cycle uses this version." in here.content.decode()
