"""Finding resources: words in the body, tags and filters, only what the reader may see,
sorted by relevance or by use."""

import pytest
from django.urls import reverse

from resources.models import Resource
from resources.services import create_resource, endorse_resource, publish_resource

pytestmark = pytest.mark.django_db


def published(author, title, **kwargs):
    values = {"kind": Resource.Kind.LESSON_PLAN, "summary": f"About {title.lower()}."}
    res = create_resource(author=author, title=title, **{**values, **kwargs})
    if kwargs.get("scope") != Resource.Scope.AUTHORS:
        publish_resource(resource=res, published_by=author)
    return res


def titles(client, **params):
    response = client.get(reverse("resources:list"), params)
    assert response.status_code == 200
    return [r.title for r in response.context["page"].object_list]


def test_search_finds_words_in_the_body_with_their_other_forms(client, people):
    published(people.teacher, "Number talks", body="Students **estimate** quotients aloud.")
    published(people.teacher, "Lab safety", body="Goggles on before every experiment.")
    client.force_login(people.colleague)

    assert titles(client, q="estimating quotient") == ["Number talks"]
    assert titles(client, q="experiments") == ["Lab safety"]
    assert titles(client, q="poetry") == []


def test_search_returns_only_what_the_reader_may_see(client, people):
    published(people.teacher, "Shared fractions", body="fractions")
    create_resource(author=people.teacher, kind="activity", title="Draft fractions",
                    summary="s", body="fractions")
    published(people.teacher, "Private fractions", body="fractions",
              scope=Resource.Scope.AUTHORS)
    published(people.outsider_teacher, "Faraway fractions", body="fractions")
    published(people.outsider_teacher, "Open fractions", body="fractions",
              scope=Resource.Scope.INSTALLATION)

    client.force_login(people.colleague)
    assert sorted(titles(client, q="fractions")) == ["Open fractions", "Shared fractions"]
    client.force_login(people.teacher)
    assert sorted(titles(client, q="fractions")) == [
        "Draft fractions", "Open fractions", "Private fractions", "Shared fractions"]
    client.force_login(people.outsider)
    assert sorted(titles(client, q="fractions")) == ["Faraway fractions", "Open fractions"]


def test_filters_by_tag_subject_grade_focus_area_kind_and_scope(client, people):
    math = people.district.subjects.create(name="Mathematics")
    science = people.district.subjects.create(name="Science")
    sel = people.district.focus_areas.create(name="Social-emotional learning")
    published(people.teacher, "Ratio recipes", subjects=[math], grades=["07"],
              tags=["Recipes"], kind=Resource.Kind.UNIT_PLAN)
    published(people.teacher, "Circle check-ins", focus_areas=[sel], grades=["03"],
              kind=Resource.Kind.ACTIVITY, scope=Resource.Scope.INSTALLATION)
    published(people.teacher, "Plant growth lab", subjects=[science], grades=["07", "08"],
              kind=Resource.Kind.ACTIVITY)
    client.force_login(people.colleague)

    assert titles(client, tag="recipes") == ["Ratio recipes"]
    assert titles(client, subject=math.pk) == ["Ratio recipes"]
    assert sorted(titles(client, grade="07")) == ["Plant growth lab", "Ratio recipes"]
    assert titles(client, focus_area=sel.pk) == ["Circle check-ins"]
    assert sorted(titles(client, kind="activity")) == ["Circle check-ins", "Plant growth lab"]
    assert titles(client, scope="installation") == ["Circle check-ins"]
    assert titles(client, kind="activity", grade="08") == ["Plant growth lab"]


def test_a_tag_word_is_found_by_the_search_box_too(client, people):
    published(people.teacher, "Warm-ups", tags=["number sense"])
    client.force_login(people.colleague)

    assert titles(client, q="number sense") == ["Warm-ups"]


def test_sort_by_relevance_or_by_use(client, people):
    title_match = published(people.teacher, "Exit tickets", body="Short checks.")
    body_match = published(people.teacher, "Closing routines", body="End with exit tickets.")
    endorse_resource(resource=body_match, user=people.colleague)
    endorse_resource(resource=body_match, user=people.school_admin)
    client.force_login(people.colleague)

    assert titles(client, q="exit tickets") == [title_match.title, body_match.title]
    assert titles(client, q="exit tickets", sort="used") == [body_match.title, title_match.title]


def test_my_resources_include_my_drafts(client, people):
    published(people.colleague, "Someone else's")
    create_resource(author=people.teacher, kind="activity", title="My draft", summary="s")
    client.force_login(people.teacher)

    assert titles(client, scope="mine") == ["My draft"]
