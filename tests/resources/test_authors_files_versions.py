"""Authors leave or remove a co-author, take a file off, and compare any two versions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.models import Resource, ResourceAuthor, ResourceFile
from resources.services import (
    add_coauthor,
    attach_file,
    diff_versions,
    edit_resource,
    remove_coauthor,
)
from tests.resources.factories import PNG, resource, url

pytestmark = pytest.mark.django_db

AUTHOR_ONLY = {"district_admin": 404, "school_admin": 404, "teacher": 302, "colleague": 404,
               "outsider": 404}


def texts(response):
    return [str(m) for m in response.context["messages"]]


def test_an_author_removes_a_co_author_who_then_cannot_edit(as_role, people):
    shared = resource(people.teacher, authors=[people.colleague])
    authorship = ResourceAuthor.objects.get(resource=shared, user=people.colleague)

    response = as_role("teacher").post(url("author-remove", shared, authorship.pk), follow=True)

    assert f"{people.colleague} is no longer a co-author." in texts(response)
    assert set(shared.authorships.values_list("user", flat=True)) == {people.teacher.pk}
    assert as_role("colleague").get(url("edit", shared)).status_code == 404
    # Still published to the district: they keep reading it.
    assert as_role("colleague").get(url("detail", shared)).status_code == 200


def test_a_co_author_leaves_a_draft_and_no_longer_sees_it(as_role, people):
    draft = resource(people.teacher, status=Resource.Status.DRAFT, authors=[people.colleague])
    own = ResourceAuthor.objects.get(resource=draft, user=people.colleague)

    response = as_role("colleague").post(url("author-remove", draft, own.pk), follow=True)

    assert response.redirect_chain[-1][0] == reverse("resources:list")
    assert f"You are no longer an author of “{draft.title}”." in texts(response)
    assert as_role("colleague").get(url("detail", draft)).status_code == 404


def test_the_last_author_cannot_leave(as_role, people):
    lone = resource(people.teacher)
    own = ResourceAuthor.objects.get(resource=lone, user=people.teacher)

    response = as_role("teacher").post(url("author-remove", lone, own.pk), follow=True)

    assert "A resource needs at least one author: add a co-author before you leave it." in \
        texts(response)
    assert lone.authorships.count() == 1


def test_only_authors_remove_co_authors_and_files(assert_access, people):
    from tests.factories import UserFactory

    co_author = UserFactory(district=people.teacher.district)
    shared = resource(people.teacher, authors=[co_author])
    authorship = ResourceAuthor.objects.get(resource=shared, user=co_author)
    attached = attach_file(resource=shared, uploaded_by=people.teacher,
                           upload=SimpleUploadedFile("chart.png", PNG))

    assert_access(url("file-remove", shared, attached.pk), AUTHOR_ONLY, method="post")
    assert_access(url("author-remove", shared, authorship.pk), AUTHOR_ONLY, method="post")
    assert not ResourceFile.objects.filter(pk=attached.pk).exists()
    assert list(shared.authorships.values_list("user", flat=True)) == [people.teacher.pk]


def test_an_authorship_or_file_of_another_resource_is_not_found(as_role, people):
    mine = resource(people.teacher)
    other = resource(people.teacher, authors=[people.colleague])
    theirs = ResourceAuthor.objects.get(resource=other, user=people.colleague)
    attached = attach_file(resource=other, uploaded_by=people.teacher,
                           upload=SimpleUploadedFile("chart.png", PNG))
    client = as_role("teacher")

    assert client.post(url("author-remove", mine, theirs.pk)).status_code == 404
    assert client.post(url("file-remove", mine, attached.pk)).status_code == 404
    assert other.authorships.count() == 2 and other.files.count() == 1


def test_a_removed_file_is_gone_from_the_page_and_the_storage(as_role, people,
                                                             django_capture_on_commit_callbacks):
    shared = resource(people.teacher)
    attached = attach_file(resource=shared, uploaded_by=people.teacher,
                           upload=SimpleUploadedFile("seating chart.png", PNG))
    storage, name = attached.file.storage, attached.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("teacher").post(url("file-remove", shared, attached.pk), follow=True)

    assert "seating chart.png is removed." in texts(response)
    assert "seating chart.png" not in response.content.decode().split("Files", 1)[1]
    assert not storage.exists(name)
    assert as_role("teacher").get(url("file", shared, attached.pk)).status_code == 404


def _three_versions(people):
    shared = resource(people.teacher, title="Ratio tables", body="Warm-up\nPractice")
    edit_resource(resource=shared, editor=people.teacher, base_version=1,
                  title="Ratio tables", body="Warm-up\nPractice\nExit ticket")
    edit_resource(resource=shared, editor=people.teacher, base_version=2,
                  title="Ratio tables with recipes", body="Warm-up\nPractice\nExit ticket")
    return shared


def test_a_version_is_compared_with_the_one_before_unless_another_is_chosen(as_role, people):
    shared = _three_versions(people)
    client = as_role("colleague")

    page = client.get(url("version-detail", shared, 3)).content.decode()
    assert "Changes since version 2." in page
    assert "Exit ticket</ins>" not in page  # added in version 2, not in 3

    page = client.get(url("version-detail", shared, 3), {"against": 1}).content.decode()
    assert "Changes since version 1." in page
    assert "Exit ticket</ins>" in page
    assert "Ratio tables with recipes</ins>" in page


def test_comparing_with_a_version_that_is_not_earlier_says_so(as_role, people):
    shared = _three_versions(people)

    response = as_role("colleague").get(url("version-detail", shared, 2), {"against": "3"})

    assert response.status_code == 400
    assert "Choose one of the earlier versions in the list." in response.content.decode()


def test_comparing_versions_reads_a_fixed_number_of_queries(as_role, people,
                                                            django_assert_max_num_queries):
    shared = _three_versions(people)
    for number in range(3, 40):
        edit_resource(resource=shared, editor=people.teacher, base_version=number,
                      title="Ratio tables", body=f"Warm-up\nPractice\nStep {number}")
    client = as_role("colleague")
    with django_assert_max_num_queries(12):
        response = client.get(url("version-detail", shared, 40), {"against": 2})
    assert "Changes since version 2." in response.content.decode()


def test_two_authors_removing_each_other_at_once_leave_one(people):
    from django.core.exceptions import PermissionDenied

    shared = resource(people.teacher, authors=[people.colleague])
    # Both pages were loaded before either acted.
    stale = Resource.objects.prefetch_related("authorships").get(pk=shared.pk)
    theirs = {a.user_id: a for a in stale.authorships.all()}

    remove_coauthor(resource=stale, removed_by=people.teacher,
                    authorship=theirs[people.colleague.pk])
    with pytest.raises(PermissionDenied):
        remove_coauthor(resource=stale, removed_by=people.colleague,
                        authorship=theirs[people.teacher.pk])

    assert list(shared.authorships.values_list("user", flat=True)) == [people.teacher.pk]


def test_adding_the_same_co_author_twice_at_once_says_so(people):
    from django.core.exceptions import ValidationError

    shared = resource(people.teacher)
    stale = Resource.objects.prefetch_related("authorships").get(pk=shared.pk)
    add_coauthor(resource=stale, added_by=people.teacher, email=people.colleague.email)

    with pytest.raises(ValidationError) as refused:
        add_coauthor(resource=stale, added_by=people.teacher, email=people.colleague.email)

    assert "is already a co-author" in str(refused.value)
    assert shared.authorships.count() == 2


def test_a_long_rewrite_is_shown_as_removed_and_added_lines(people):
    before = {"body": "\n".join(["Intro", *(["step"] * 1000), "End"])}
    after = {"body": "\n".join(["Intro", *(["stage", ""] * 600), "End"])}

    (body,) = diff_versions(before, after)

    changes = [line.change for line in body.lines]
    assert changes == ["same", *["removed"] * 1000, *["added"] * 1200, "same"]


def test_content_longer_than_the_limit_is_refused_and_kept(as_role, people):
    plan = resource(people.teacher)
    response = as_role("teacher").post(url("edit", plan), {
        "kind": plan.kind, "title": plan.title, "summary": plan.summary,
        "body": "x" * 50_001, "scope": plan.scope, "base_version": 1})

    assert response.status_code == 400
    assert "at most 50000 characters" in str(response.context["form"].errors["body"])
    assert "x" * 50_001 in response.content.decode()


def test_readers_see_the_discussion_from_publication_on(as_role, people):
    from resources.services import comment_on_resource, publish_resource

    plan = resource(people.teacher, status=Resource.Status.DRAFT)
    comment_on_resource(resource=plan, author=people.teacher, body="Note to self: shorten.")
    publish_resource(resource=plan, published_by=people.teacher)
    comment_on_resource(resource=plan, author=people.colleague, body="Used it, thanks!")

    reader = as_role("colleague").get(url("detail", plan)).content.decode()
    author = as_role("teacher").get(url("detail", plan)).content.decode()

    assert "Used it, thanks!" in reader and "Note to self" not in reader
    assert "Used it, thanks!" in author and "Note to self" in author


def test_other_peoples_draft_copies_are_not_counted(as_role, people):
    from resources.services import adapt_resource

    plan = resource(people.teacher, scope=Resource.Scope.INSTALLATION)
    adapt_resource(source=plan, author=people.outsider_teacher)  # a draft elsewhere

    page = as_role("colleague").get(url("detail", plan)).content.decode()

    assert "Adapted 1 time" not in page
    assert "not shared with you" not in page
