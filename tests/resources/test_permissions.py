"""Every resource page tried by each role and by outsiders of another district."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.models import Resource
from resources.services import attach_file
from tests.resources.factories import PNG, resource, url

pytestmark = pytest.mark.django_db

EVERYONE = dict.fromkeys(["district_admin", "school_admin", "teacher", "colleague", "outsider"],
                         200)
DISTRICT = {**EVERYONE, "outsider": 404}
AUTHOR_ONLY = {"district_admin": 404, "school_admin": 404, "teacher": 200, "colleague": 404,
               "outsider": 404}


def test_list_and_new_pages_are_for_everyone_with_a_district(assert_access):
    assert_access(reverse("resources:list"), EVERYONE)
    assert_access(reverse("resources:create"), EVERYONE)


def test_a_person_without_a_district_gets_404(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(district=None))
    assert client.get(reverse("resources:list")).status_code == 404
    assert client.get(reverse("resources:create")).status_code == 404


def test_a_published_resource_is_read_by_its_district_and_nobody_else(assert_access, as_role,
                                                                      people):
    shared = resource(people.teacher, title="Fractions on a number line")
    for name, args in [("detail", []), ("versions", []), ("version-detail", [1]),
                       ("adapt", [])]:
        assert_access(url(name, shared, *args), DISTRICT)
    assert shared.title not in as_role("outsider").get(reverse("resources:list")).content.decode()
    assert shared.title in as_role("colleague").get(reverse("resources:list")).content.decode()


def test_a_draft_stays_with_its_authors(assert_access, as_role, people):
    draft = resource(people.teacher, status=Resource.Status.DRAFT, title="Unfinished unit")
    for name, args in [("detail", []), ("versions", []), ("version-detail", [1]),
                       ("edit", [])]:
        assert_access(url(name, draft, *args), AUTHOR_ONLY)
    assert_access(url("adapt", draft), {**AUTHOR_ONLY, "teacher": 404})  # publish first
    for role in ["colleague", "district_admin", "school_admin", "outsider"]:
        page = as_role(role).get(reverse("resources:list")).content.decode()
        assert "Unfinished unit" not in page, role


def test_a_co_author_who_is_a_teacher_elsewhere_sees_the_draft(as_role, people):
    draft = resource(people.teacher, status=Resource.Status.DRAFT, authors=[people.colleague])

    assert as_role("colleague").get(url("detail", draft)).status_code == 200
    assert as_role("colleague").get(url("edit", draft)).status_code == 200


def test_authors_only_scope_keeps_a_published_resource_with_its_authors(assert_access, people):
    private = resource(people.teacher, scope=Resource.Scope.AUTHORS)
    assert_access(url("detail", private), AUTHOR_ONLY)


def test_every_district_scope_reaches_other_districts(assert_access, as_role, people):
    shared = resource(people.teacher, scope=Resource.Scope.INSTALLATION, title="Open rubric")
    assert_access(url("detail", shared), EVERYONE)
    assert "Open rubric" in as_role("outsider").get(reverse("resources:list")).content.decode()
    # Reading is not editing.
    assert_access(url("edit", shared), AUTHOR_ONLY)


def test_program_scope_without_its_program_stays_with_the_authors(assert_access, people):
    # What a removed program leaves behind (the reference is set to null).
    orphan = resource(people.teacher, scope=Resource.Scope.PROGRAM)
    assert_access(url("detail", orphan), AUTHOR_ONLY)


def test_only_authors_edit_publish_add_co_authors_and_attach_files(assert_access, people):
    draft = resource(people.teacher, status=Resource.Status.DRAFT)
    published = resource(people.teacher)
    assert_access(url("edit", published), AUTHOR_ONLY)
    assert_access(url("author-add", published), {**AUTHOR_ONLY, "teacher": 400},
                  method="post", data={"author-email": "nobody@example.org"})
    assert_access(url("file-add", published), {**AUTHOR_ONLY, "teacher": 400}, method="post")
    assert_access(url("publish", draft), {**AUTHOR_ONLY, "teacher": 302}, method="post")
    draft.refresh_from_db()
    assert draft.is_published


def test_readers_comment_endorse_and_add_feedback_outsiders_cannot(assert_access, people):
    shared = resource(people.teacher)
    posted = {**DISTRICT, **dict.fromkeys(DISTRICT, 302), "outsider": 404}
    assert_access(url("comment-add", shared), posted, method="post",
                  data={"comment-body": "Used it today."})
    assert_access(url("feedback-add", shared), posted, method="post",
                  data={"feedback-body": "Students liked the warm-up."})
    assert_access(url("endorse", shared), posted, method="post")
    assert_access(url("adapt", shared), posted, method="post", data={"title": "My copy"})

    assert shared.comments.count() == 4
    assert shared.feedback.count() == 4
    shared.refresh_from_db()
    assert shared.endorsement_count == 4
    assert Resource.objects.filter(adapted_from=shared).count() == 4


def test_a_draft_takes_comments_only_from_its_authors(assert_access, people):
    draft = resource(people.teacher, status=Resource.Status.DRAFT)
    assert_access(url("comment-add", draft), {**AUTHOR_ONLY, "teacher": 302}, method="post",
                  data={"comment-body": "Note to self."})
    assert_access(url("endorse", draft), {**AUTHOR_ONLY, "teacher": 404}, method="post")


def test_files_are_served_to_readers_only(assert_access, people):
    shared = resource(people.teacher)
    draft = resource(people.teacher, status=Resource.Status.DRAFT)
    files = [attach_file(resource=r, uploaded_by=people.teacher,
                         upload=SimpleUploadedFile("chart.png", PNG)) for r in (shared, draft)]

    assert_access(url("file", shared, files[0].pk), DISTRICT)
    assert_access(url("file", draft, files[1].pk), AUTHOR_ONLY)
    # A file asked for through another resource's address is not found.
    assert_access(url("file", shared, files[1].pk), dict.fromkeys(EVERYONE, 404))


def test_an_outsider_gets_404_for_every_page_and_action_of_another_district(as_role, people):
    shared = resource(people.teacher)
    client = as_role("outsider")
    for name in ["detail", "edit", "versions", "adapt"]:
        assert client.get(url(name, shared)).status_code == 404, name
    for name in ["publish", "author-add", "comment-add", "feedback-add", "endorse",
                 "file-add", "adapt"]:
        assert client.post(url(name, shared), {"comment-body": "x"}).status_code == 404, name
    assert shared.comments.count() == 0
