"""Writing, versioning, sharing and adapting resources through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.models import Endorsement, Resource, ResourceUse
from resources.services import (
    StaleEdit,
    adapt_resource,
    add_coauthor,
    add_feedback,
    attach_file,
    comment_on_resource,
    create_resource,
    diff_versions,
    edit_resource,
    endorse_resource,
    publish_resource,
    record_use,
    withdraw_endorsement,
)
from tests import factories
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db


def unit_plan(author, **kwargs):
    values = {"kind": Resource.Kind.UNIT_PLAN, "title": "Ratios in the kitchen",
              "summary": "Three weeks of ratio reasoning with recipes.",
              "body": "# Week 1\n\nDouble a recipe.", "grades": ["07"],
              "tags": ["Ratios", " recipes ", "ratios"]}
    return create_resource(author=author, **{**values, **kwargs})


def edit(res, editor, base, **changes):
    fields = {name: getattr(res, name) for name in
              ["kind", "title", "summary", "body", "url", "rationale", "evidence", "scope",
               "grades"]}
    tags = list(res.tags.values_list("name", flat=True))
    return edit_resource(resource=res, editor=editor, base_version=base,
                         **{"tags": tags, **fields, **changes})


def test_a_new_resource_is_a_draft_of_its_author_with_a_first_version(people):
    math = people.district.subjects.create(name="Mathematics")

    res = unit_plan(people.teacher, subjects=[math])

    assert res.is_draft
    assert res.district == people.district
    assert list(res.authors.all()) == [people.teacher]
    assert sorted(res.tags.values_list("name", flat=True)) == ["ratios", "recipes"]
    version = res.versions.get()
    assert (version.number, version.edited_by) == (1, people.teacher)
    assert version.snapshot["subjects"] == ["Mathematics"]
    assert "Double a recipe" in res.search_document


def test_a_link_needs_its_address_and_vocabulary_must_be_the_districts(people):
    with pytest.raises(ValidationError) as error:
        unit_plan(people.teacher, kind=Resource.Kind.VIDEO, url="")
    assert "url" in error.value.message_dict

    foreign = factories.SchoolFactory().district.subjects.create(name="Science")
    with pytest.raises(ValidationError) as error:
        unit_plan(people.teacher, subjects=[foreign])
    assert "subjects" in error.value.message_dict
    assert Resource.objects.count() == 0


def test_each_edit_is_a_version_with_who_and_what(people):
    res = unit_plan(people.teacher)
    add_coauthor(resource=res, added_by=people.teacher, email=people.colleague.email.upper())

    version = edit(res, people.colleague, 1, body="# Week 1\n\nTriple a recipe.",
                   note="Harder first task")

    assert (version.number, version.edited_by, version.note) == (2, people.colleague,
                                                                 "Harder first task")
    res.refresh_from_db()
    assert res.body == "# Week 1\n\nTriple a recipe."
    diffs = diff_versions(res.versions.get(number=1).snapshot, version.snapshot)
    assert [d.name for d in diffs] == ["body"]
    assert [(line.change, line.text) for line in diffs[0].lines] == [
        ("same", "# Week 1"), ("same", ""), ("removed", "Double a recipe."),
        ("added", "Triple a recipe.")]


def test_an_edit_that_changes_nothing_saves_no_version(people):
    res = unit_plan(people.teacher)

    assert edit(res, people.teacher, 1) is None
    assert res.versions.count() == 1


def test_an_edit_from_an_old_version_is_refused_instead_of_overwriting(people):
    res = unit_plan(people.teacher, )
    add_coauthor(resource=res, added_by=people.teacher, email=people.colleague.email)
    edit(res, people.colleague, 1, title="Ratios at home")

    with pytest.raises(StaleEdit) as stale:
        edit(res, people.teacher, 1, title="Ratios in the kitchen, revised")

    assert stale.value.current == 2
    res.refresh_from_db()
    assert res.title == "Ratios at home"


def test_only_authors_edit_and_co_authors_come_from_the_district(people):
    res = unit_plan(people.teacher)

    with pytest.raises(PermissionDenied):
        edit(res, people.colleague, 1, title="Mine now")
    with pytest.raises(ValidationError, match="No one in your district"):
        add_coauthor(resource=res, added_by=people.teacher, email=people.outsider_teacher.email)
    with pytest.raises(ValidationError, match="already a co-author"):
        add_coauthor(resource=res, added_by=people.teacher, email=people.teacher.email)


def test_publishing_shares_the_draft(people):
    res = unit_plan(people.teacher)
    assert not Resource.objects.visible_to(people.colleague).filter(pk=res.pk).exists()

    publish_resource(resource=res, published_by=people.teacher)

    res.refresh_from_db()
    assert res.is_published and res.published_at
    assert Resource.objects.visible_to(people.colleague).filter(pk=res.pk).exists()
    with pytest.raises(PermissionDenied):  # already published
        publish_resource(resource=res, published_by=people.teacher)


def test_an_endorsement_counts_once_per_person(people):
    res = resource(people.teacher)

    assert endorse_resource(resource=res, user=people.colleague) is True
    assert endorse_resource(resource=res, user=people.colleague) is False
    endorse_resource(resource=res, user=people.school_admin)

    res.refresh_from_db()
    assert res.endorsement_count == 2 == Endorsement.objects.filter(resource=res).count()
    assert withdraw_endorsement(resource=res, user=people.colleague) is True
    assert withdraw_endorsement(resource=res, user=people.colleague) is False
    res.refresh_from_db()
    assert res.endorsement_count == 1


def test_comments_and_feedback_need_words(people):
    res = resource(people.teacher)
    with pytest.raises(ValidationError):
        comment_on_resource(resource=res, author=people.colleague, body="   ")
    with pytest.raises(ValidationError):
        add_feedback(resource=res, author=people.colleague, body="")

    add_feedback(resource=res, author=people.colleague, body=" It worked. ", used_with="7B")
    assert list(res.feedback.values_list("body", "used_with")) == [("It worked.", "7B")]


def test_copy_and_adapt_makes_a_linked_draft_in_the_adapters_district(people):
    source_subject = people.district.subjects.create(name="Mathematics")
    res = unit_plan(people.teacher, subjects=[source_subject], scope=Resource.Scope.INSTALLATION,
                    rationale="Recipes make ratios concrete.")
    attach_file(resource=res, uploaded_by=people.teacher,
                upload=SimpleUploadedFile("recipe.txt", b"2 cups flour"))
    publish_resource(resource=res, published_by=people.teacher)
    theirs = people.outsider_teacher.district.subjects.create(name="Mathematics")

    copy = adapt_resource(source=res, author=people.outsider_teacher, title="Ratios, our way")

    assert copy.adapted_from == res
    assert copy.is_draft
    assert copy.district == people.outsider_teacher.district
    assert list(copy.authors.all()) == [people.outsider_teacher]
    assert list(copy.subjects.all()) == [theirs]
    assert copy.rationale == "Recipes make ratios concrete."
    assert copy.title == "Ratios, our way"
    copied = copy.files.get()
    assert copied.file.name != res.files.get().file.name
    assert copied.file.read() == b"2 cups flour"
    assert "Adapted from" in copy.versions.get().note
    assert list(res.adaptations.all()) == [copy]


def test_a_draft_cannot_be_adapted(people):
    res = unit_plan(people.teacher)
    with pytest.raises(PermissionDenied):
        adapt_resource(source=res, author=people.teacher)


def test_a_use_is_recorded_once_per_place(people):
    res = resource(people.teacher)
    place = people.school  # stands in for a check-in or a goal's action step

    assert record_use(resource=res, target=place, added_by=people.colleague) is True
    assert record_use(resource=res, target=place, added_by=people.colleague) is False

    res.refresh_from_db()
    assert res.use_count == 1 == ResourceUse.objects.filter(resource=res).count()
    assert ResourceUse.objects.get().target == place


def test_visible_to_answers_who_may_open_what(people):
    published = resource(people.teacher)
    draft = resource(people.teacher, status=Resource.Status.DRAFT)
    everywhere = resource(people.outsider_teacher, scope=Resource.Scope.INSTALLATION)
    theirs = resource(people.outsider_teacher)

    def seen(user):
        return set(Resource.objects.visible_to(user))

    assert seen(people.teacher) == {published, draft, everywhere}
    assert seen(people.colleague) == {published, everywhere}
    assert seen(people.district_admin) == {published, everywhere}
    assert seen(people.outsider) == {everywhere, theirs}
