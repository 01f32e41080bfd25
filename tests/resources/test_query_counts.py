"""Resource pages cost the same number of queries whatever the size of the library."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.services import (
    add_feedback,
    attach_file,
    comment_on_resource,
    endorse_resource,
)
from tests.queries import count_queries
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db

# Session, person, roles, authenticator check, district (time zone), then the page's own.
MAX_QUERIES = {"list": 16, "detail": 24, "versions": 10, "version-detail": 10}


def grow(people, main, size):
    """`size` more resources with tags, and `size` more comments, feedback, endorsements,
    files, versions and adaptations on `main`."""
    math = people.district.subjects.get_or_create(name="Mathematics")[0]
    area = people.district.focus_areas.get_or_create(name="Assessment literacy")[0]
    for i in range(size):
        other = resource(people.colleague, title=f"Fractions {i}", grades=["07"],
                         adapted_from=main)
        other.subjects.add(math)
        other.focus_areas.add(area)
        other.tags.create(name=f"tag {i}")
        comment_on_resource(resource=main, author=people.colleague, body=f"Comment {i}")
        add_feedback(resource=main, author=people.colleague, body=f"Feedback {i}")
        attach_file(resource=main, uploaded_by=people.teacher,
                    upload=SimpleUploadedFile(f"f{i}.txt", b"text"))
        main.versions.create(number=main.versions.count() + 1, edited_by=people.teacher,
                             snapshot={"title": f"v{i}"})
    endorse_resource(resource=main, user=people.school_admin)


@pytest.mark.parametrize("name", ["list", "detail", "versions", "version-detail"])
@pytest.mark.parametrize("query", ["", "?q=fractions&grade=07&sort=used"])
def test_resource_pages_do_a_fixed_number_of_queries(client, people, name, query,
                                                     django_assert_max_num_queries):
    main = resource(people.teacher, title="Fractions", authors=[people.colleague])
    args = {"list": [], "detail": [main.pk], "versions": [main.pk],
            "version-detail": [main.pk, 1]}[name]
    url = reverse(f"resources:{name}", args=args) + (query if name == "list" else "")
    client.force_login(people.colleague)
    grow(people, main, 1)
    small = count_queries(client, url)
    grow(people, main, 25)

    with django_assert_max_num_queries(MAX_QUERIES[name]):
        large = count_queries(client, url)
    assert large == small
