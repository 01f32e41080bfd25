"""The district's focus areas, kept by its district admins."""

import pytest
from django.urls import reverse

from accounts.models import FocusArea
from tests.queries import count_queries

pytestmark = pytest.mark.django_db
URL = reverse("accounts:focus-areas")


def test_only_district_admins_keep_the_list(assert_access, people):
    assert_access(URL, {"district_admin": 200, "school_admin": 404, "teacher": 404,
                        "colleague": 404, "outsider": 200})


def test_an_admin_adds_and_renames_and_sees_only_their_districts_areas(as_role, people):
    FocusArea.objects.create(district=people.elsewhere.district, name="Their own area")
    client = as_role("district_admin")

    client.post(URL, {"new-name": "  Classroom   management "})
    area = FocusArea.objects.get(district=people.district)
    client.post(URL, {"area": area.pk, f"area-{area.pk}-name": "Managing the classroom"})
    page = client.get(URL).content.decode()

    area.refresh_from_db()
    assert area.name == "Managing the classroom"
    assert 'value="Managing the classroom"' in page and "Their own area" not in page


def test_a_name_taken_or_empty_is_said_next_to_the_field_and_kept(as_role, people):
    FocusArea.objects.create(district=people.district, name="Planning")
    other = FocusArea.objects.create(district=people.district, name="Assessment")
    client = as_role("district_admin")

    taken = client.post(URL, {"new-name": "planning"})
    renamed = client.post(URL, {"area": other.pk, f"area-{other.pk}-name": "PLANNING"})
    empty = client.post(URL, {"new-name": "   "})

    assert taken.status_code == renamed.status_code == empty.status_code == 400
    assert "already has a focus area of this name" in taken.content.decode()
    assert 'value="planning"' in taken.content.decode()
    assert 'value="PLANNING"' in renamed.content.decode()
    assert "This field is required." in empty.content.decode()
    assert sorted(FocusArea.objects.values_list("name", flat=True)) == ["Assessment",
                                                                         "Planning"]


def test_another_districts_area_cannot_be_renamed(as_role, people):
    theirs = FocusArea.objects.create(district=people.elsewhere.district, name="Theirs")
    client = as_role("district_admin")

    for area in [theirs.pk, "abc", "9" * 30]:
        assert client.post(URL, {"area": area, f"area-{area}-name": "Mine"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_the_page_costs_the_same_for_few_and_many_areas(as_role, people,
                                                        django_assert_max_num_queries):
    client = as_role("district_admin")
    FocusArea.objects.create(district=people.district, name="Area 0")
    few = count_queries(client, URL)
    FocusArea.objects.bulk_create(FocusArea(district=people.district, name=f"Area {i}")
                                  for i in range(1, 60))

    with django_assert_max_num_queries(few):
        client.get(URL)
