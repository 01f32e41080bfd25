"""Writing and editing in the browser's forms: bad input is explained next to the field, the
answer is 400, and nothing the person typed is lost."""

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {"kind": "lesson_plan", "title": "Exit tickets that inform tomorrow",
            "summary": "Three questions, two minutes.", "body": "## Steps\n\n1. Ask",
            "url": "", "tags": "exit tickets, assessment", "rationale": "", "evidence": "",
            "scope": "district", "grades": ["06", "07"]}
    return {**data, **changes}


def test_a_teacher_writes_a_draft(client, people):
    math = people.district.subjects.create(name="Mathematics")
    client.force_login(people.teacher)

    response = client.post(reverse("resources:create"), form_data(subjects=[math.pk]))

    res = Resource.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("resources:detail", args=[res.pk])
    assert res.is_draft and res.grades == ["06", "07"]
    assert list(res.subjects.all()) == [math]
    assert sorted(res.tags.values_list("name", flat=True)) == ["assessment", "exit tickets"]
    page = client.get(response.url).content.decode()
    assert "Exit tickets that inform tomorrow" in page
    assert "<h4>Steps</h4>" in page


def test_bad_input_is_explained_and_what_was_typed_is_kept(client, people):
    client.force_login(people.teacher)

    response = client.post(reverse("resources:create"), form_data(
        title="", kind="video", url="not a link", body="Kept body text",
        grades=["07", "13"], scope="program"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter a valid URL." in page
    assert "Select a valid choice. 13 is not one of the available choices." in page
    assert "Select a valid choice. program is not one of the available choices." in page
    assert "Kept body text" in page
    assert 'value="exit tickets, assessment"' in page
    assert Resource.objects.count() == 0


def test_a_video_link_without_its_address_is_refused_next_to_the_field(client, people):
    client.force_login(people.teacher)

    response = client.post(reverse("resources:create"), form_data(kind="video", url=""))

    assert response.status_code == 400
    assert "An article or video link needs its address." in response.content.decode()


def test_subjects_of_another_district_cannot_be_chosen(client, people):
    foreign = people.outsider_teacher.district.subjects.create(name="Science")
    client.force_login(people.teacher)

    response = client.post(reverse("resources:create"), form_data(subjects=[foreign.pk]))

    assert response.status_code == 400
    assert Resource.objects.count() == 0


def test_editing_saves_a_version_and_a_stale_edit_keeps_the_text(client, people):
    res = resource(people.teacher, authors=[people.colleague], title="Old title")
    edit_url = reverse("resources:edit", args=[res.pk])
    client.force_login(people.colleague)
    assert client.post(edit_url, form_data(title="Colleague's title", base_version=1,
                                           note="Clearer")).status_code == 302

    client.force_login(people.teacher)
    response = client.post(edit_url, form_data(title="Teacher's title", base_version=1))

    assert response.status_code == 400
    page = response.content.decode()
    assert "A co-author saved version 2 while you were editing" in page
    assert 'value="Teacher&#x27;s title"' in page
    assert 'name="base_version" value="2"' in page
    res.refresh_from_db()
    assert res.title == "Colleague's title"
    # Saving again, having been warned, replaces it.
    assert client.post(edit_url, form_data(title="Teacher's title",
                                           base_version=2)).status_code == 302
    res.refresh_from_db()
    assert res.title == "Teacher's title"
    assert list(res.versions.values_list("number", flat=True)) == [3, 2, 1]


def test_bad_comment_feedback_and_co_author_input_keep_the_rest_of_the_page(client, people):
    res = resource(people.teacher)
    client.force_login(people.teacher)

    comment = client.post(reverse("resources:comment-add", args=[res.pk]), {"comment-body": ""})
    feedback = client.post(reverse("resources:feedback-add", args=[res.pk]),
                           {"feedback-used_with": "Grade 7 kept", "feedback-body": ""})
    author = client.post(reverse("resources:author-add", args=[res.pk]),
                         {"author-email": people.outsider_teacher.email})

    assert comment.status_code == feedback.status_code == author.status_code == 400
    assert "This field is required." in comment.content.decode()
    assert "Grade 7 kept" in feedback.content.decode()
    assert "No one in your district has this email address." in author.content.decode()
    assert people.outsider_teacher.email in author.content.decode()
    assert res.comments.count() == res.feedback.count() == 0
    assert res.authors.count() == 1


def test_search_with_a_bad_filter_says_so(client, people):
    client.force_login(people.teacher)

    response = client.get(reverse("resources:list"), {"kind": "poem", "q": "kept words"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. poem is not one of the available choices." in page
    assert 'value="kept words"' in page


def test_a_new_resource_is_offered_to_the_district_by_default(client, people):
    client.force_login(people.teacher)

    page = client.get(reverse("resources:create")).content.decode()

    assert '<option value="district" selected>' in page


def test_a_null_character_in_the_tags_is_explained_not_a_server_error(client, people):
    client.force_login(people.teacher)

    response = client.post(reverse("resources:create"), form_data(tags="fractions, a\x00b"))

    assert response.status_code == 400
    assert "Null characters are not allowed." in str(response.context["form"].errors["tags"])
    assert 'value="Exit tickets that inform tomorrow"' in response.content.decode()
    assert not Resource.objects.exists()
