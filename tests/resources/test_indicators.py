"""Tagging a resource with the observation look-fors it helps with: the form offers those of
the current published version of each template the author's district may use, the tag keeps
the indicator's key (so it survives edits of the template), the resource page shows it and
the library's search filters by it."""

import pytest
from django.urls import reverse

from observations.models import Domain, Indicator, TemplateVersion
from resources.models import Resource, ResourceIndicator
from tests.observations.factories import generic_version, template_version
from tests.resources.factories import resource
from tests.resources.test_forms import form_data

pytestmark = pytest.mark.django_db


def look_for(version, text):
    return Indicator.objects.get(domain__version=version, text=text)


def test_the_form_offers_the_districts_look_fors_and_saves_their_keys(client, people):
    ours = template_version(people.district, name="Lincoln rubric",
                            domains=(("Climate", ("Calm start", "Respectful talk")),))
    template_version(people.elsewhere.district, name="Faraway rubric",
                     domains=(("Pace", ("Brisk transitions",)),))
    generic = generic_version()
    client.force_login(people.teacher)

    page = client.get(reverse("resources:create")).content.decode()
    assert "Lincoln rubric" in page and "Calm start" in page
    assert generic.template.name in page
    assert "Faraway rubric" not in page and "Brisk transitions" not in page

    calm = look_for(ours, "Calm start")
    response = client.post(reverse("resources:create"),
                           form_data(look_fors=[str(calm.key)]))

    res = Resource.objects.get()
    assert response.status_code == 302
    assert list(res.indicators.values_list("key", "label")) == [(calm.key, "Calm start")]
    detail = client.get(response.url).content.decode()
    assert "Observation look-fors it helps with" in detail and "Calm start" in detail
    found = client.get(reverse("resources:list"), {"look_for": str(calm.key)}).content.decode()
    assert "Exit tickets that inform tomorrow" in found


def test_a_look_for_of_another_district_is_refused_next_to_the_field(client, people):
    template_version(people.district, name="Lincoln rubric")
    theirs = template_version(people.elsewhere.district, name="Faraway rubric",
                              domains=(("Pace", ("Brisk transitions",)),))
    client.force_login(people.teacher)

    response = client.post(reverse("resources:create"), form_data(
        look_fors=[str(look_for(theirs, "Brisk transitions").key)]))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert 'value="Exit tickets that inform tomorrow"' in page
    assert Resource.objects.count() == 0


def test_only_the_current_published_version_is_offered(client, people):
    first = template_version(people.district, name="Lincoln rubric",
                             domains=(("Climate", ("Calm start",)),))
    calm = look_for(first, "Calm start")
    second = TemplateVersion.objects.create(template=first.template, number=2,
                                            state=TemplateVersion.State.PUBLISHED)
    Indicator.objects.create(domain=Domain.objects.create(version=second, name="Climate"),
                             key=calm.key, text="A calm, quick start")
    client.force_login(people.teacher)

    page = client.get(reverse("resources:create")).content.decode()

    assert "A calm, quick start" in page
    assert page.count(str(calm.key)) == 1


def test_an_edit_keeps_a_look_for_whose_template_is_gone(client, people):
    res = resource(people.teacher, title="Old title")
    ResourceIndicator.objects.create(resource=res, key="6f1c1a52-5d0e-4a8f-9a57-0c1d1f7b8e11",
                                     label="A look-for of a withdrawn rubric")
    template_version(people.district, name="Lincoln rubric")
    client.force_login(people.teacher)
    edit_url = reverse("resources:edit", args=[res.pk])

    page = client.get(edit_url).content.decode()
    assert "A look-for of a withdrawn rubric" in page and "Chosen earlier" in page

    response = client.post(edit_url, form_data(
        title="New title", base_version=1,
        look_fors=["6f1c1a52-5d0e-4a8f-9a57-0c1d1f7b8e11"]))

    assert response.status_code == 302
    assert list(res.indicators.values_list("label", flat=True)) == [
        "A look-for of a withdrawn rubric"]
    latest = res.versions.order_by("-number").first()
    assert latest.snapshot["look_fors"] == ["A look-for of a withdrawn rubric"]


def test_clearing_the_look_fors_removes_the_tags(client, people):
    ours = template_version(people.district, name="Lincoln rubric")
    calm = look_for(ours, "Calm start")
    res = resource(people.teacher, title="Old title")
    ResourceIndicator.objects.create(resource=res, key=calm.key, label="Calm start")
    client.force_login(people.teacher)

    response = client.post(reverse("resources:edit", args=[res.pk]),
                           form_data(title="Old title", base_version=1))

    assert response.status_code == 302
    assert res.indicators.count() == 0


def test_a_look_for_of_another_districts_rubric_is_followed_from_a_shared_resource(client,
                                                                                 people):
    theirs = template_version(people.elsewhere.district, name="Faraway rubric",
                              domains=(("Pace", ("Brisk transitions",)),))
    brisk = look_for(theirs, "Brisk transitions")
    shared = resource(people.outsider_teacher, title="Transition timers",
                      scope=Resource.Scope.INSTALLATION)
    ResourceIndicator.objects.create(resource=shared, key=brisk.key, label="Brisk transitions")
    client.force_login(people.teacher)

    detail = client.get(reverse("resources:detail", args=[shared.pk])).content.decode()
    link = f"?look_for={brisk.key}"
    assert link in detail
    response = client.get(reverse("resources:list") + link)

    assert response.status_code == 200
    assert "Transition timers" in response.content.decode()
    bad = client.get(reverse("resources:list") + "?look_for=not-a-key")
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
