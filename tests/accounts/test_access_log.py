"""The access log: reads of someone else's sensitive record, reviewed by district admins
and by the person the record belongs to."""

import pytest
from django.urls import reverse

from accounts.access import record_read
from accounts.models import AccessRecord
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def test_a_read_by_someone_else_is_written_down_and_a_read_of_ones_own_is_not(people):
    record = people.school  # any model instance stands for a record

    logged = record_read(people.district_admin, record, owner=people.teacher)
    record_read(people.teacher, record, owner=people.teacher)

    assert AccessRecord.objects.get() == logged
    assert (logged.reader, logged.owner, logged.district) == (
        people.district_admin, people.teacher, people.district)
    assert (logged.record_type.model, logged.record_id) == ("school", record.pk)


def test_the_log_page_shows_each_person_what_they_may_review(assert_access, as_role, people):
    record_read(people.school_admin, people.school, owner=people.teacher)
    record_read(people.district_admin, people.school, owner=people.colleague)
    elsewhere = factories.teacher(people.elsewhere)
    record_read(people.outsider, people.elsewhere, owner=elsewhere)
    url = reverse("accounts:access-log")

    everyone = ["district_admin", "school_admin", "teacher", "colleague", "outsider"]
    assert_access(url, dict.fromkeys(everyone, 200))

    admin_page = as_role("district_admin").get(url).content.decode()
    teacher_page = as_role("teacher").get(url).content.decode()
    colleague_page = as_role("colleague").get(url).content.decode()
    outsider_page = as_role("outsider").get(url).content.decode()
    assert "2 reads" in admin_page
    assert people.teacher.email in admin_page and people.colleague.email in admin_page
    assert elsewhere.email not in admin_page
    # A teacher sees who read their records, and nothing of anyone else's.
    assert "1 read" in teacher_page and people.school_admin.display_name in teacher_page
    assert people.district_admin.display_name not in teacher_page.split("<main")[1]
    assert "1 read" in colleague_page and people.school_admin.display_name not in colleague_page
    assert "1 read" in outsider_page and people.teacher.email not in outsider_page


def test_only_district_admins_export_the_log_and_only_their_district(assert_access, as_role,
                                                                      people):
    record_read(people.school_admin, people.school, owner=people.teacher)
    record_read(people.outsider, people.elsewhere, owner=factories.teacher(people.elsewhere))
    url = reverse("accounts:access-log-export")

    assert_access(url, {"district_admin": 200, "school_admin": 404, "teacher": 404,
                        "colleague": 404, "outsider": 200})
    lines = b"".join(as_role("district_admin").get(url).streaming_content).decode().splitlines()
    assert len(lines) == 2 and people.teacher.email in lines[1]


def test_the_filter_narrows_by_person_and_says_when_dates_are_reversed(as_role, people):
    record_read(people.school_admin, people.school, owner=people.teacher)
    record_read(people.school_admin, people.school, owner=people.colleague)
    client = as_role("district_admin")
    url = reverse("accounts:access-log")

    narrowed = client.get(url, {"q": people.colleague.email}).content.decode()
    reversed_dates = client.get(url, {"q": "someone", "since": "2026-12-05",
                                      "until": "2026-12-01"})

    assert "1 read" in narrowed and people.teacher.email not in narrowed
    assert reversed_dates.status_code == 400
    page = reversed_dates.content.decode()
    assert "The end date is before the start date." in page
    assert 'value="someone"' in page  # what was typed stays


def test_the_log_page_costs_the_same_for_few_and_many_reads(as_role, people,
                                                             django_assert_max_num_queries):
    client = as_role("district_admin")
    url = reverse("accounts:access-log")
    record_read(people.school_admin, people.school, owner=people.teacher)
    few = count_queries(client, url)
    for _ in range(60):
        record_read(factories.teacher(people.school), people.school,
                    owner=factories.teacher(people.school))

    with django_assert_max_num_queries(few):
        client.get(url)
