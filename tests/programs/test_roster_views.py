"""The roster import pages: who may use them, uploading, previewing and applying."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from programs.models import RosterImport
from tests.programs.oneroster import OneRosterSet

pytestmark = pytest.mark.django_db


def zip_upload(roster=None, name="oneroster.zip"):
    roster = roster or OneRosterSet(schools=1, teachers=2)
    return SimpleUploadedFile(name, roster.zip_bytes(), content_type="application/zip")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what is queued on commit (the check and apply tasks, eager in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload(client, files, format="oneroster", mode="full"):
    return client.post(reverse("programs:roster-import-new"),
                       {"format": format, "mode": mode, "files": files})


def apply(client, roster_import):
    return client.post(reverse("programs:roster-import-apply", args=[roster_import.pk]))


@pytest.fixture
def roster_import(people):
    return RosterImport.objects.create(
        district=people.district, uploaded_by=people.district_admin, format="oneroster",
        file=SimpleUploadedFile("set.zip", OneRosterSet(schools=1, teachers=1).zip_bytes()),
        state=RosterImport.State.READY,
    )


def test_only_the_districts_admins_reach_the_roster_pages(people, roster_import,
                                                           assert_access):
    only_admins = {"district_admin": 200, "school_admin": 404, "teacher": 404,
                   "colleague": 404, "outsider": 200}  # the outsider sees their own district's
    for name in ["programs:roster-imports", "programs:roster-import-new"]:
        assert_access(reverse(name), only_admins)
    for name in ["programs:roster-import", "programs:roster-import-status"]:
        assert_access(reverse(name, args=[roster_import.pk]), {**only_admins, "outsider": 404})


def test_only_the_districts_admins_may_apply(people, roster_import, assert_access):
    url = reverse("programs:roster-import-apply", args=[roster_import.pk])

    assert_access(url, {"district_admin": 302, "school_admin": 404, "teacher": 404,
                        "colleague": 404, "outsider": 404}, method="post")


def test_an_admin_of_another_district_finds_no_import_of_this_one(client, people,
                                                                  roster_import):
    client.force_login(people.outsider)

    response = client.get(reverse("programs:roster-import", args=[roster_import.pk]))

    assert response.status_code == 404
    assert roster_import not in client.get(reverse("programs:roster-imports")).context[
        "page"].object_list


def test_upload_is_checked_and_previewed_before_anything_changes(client, people, on_commit):
    client.force_login(people.district_admin)

    with on_commit():
        response = upload(client, [zip_upload()])

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("programs:roster-import", args=[roster_import.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert roster_import.state == RosterImport.State.READY
    text = page.content.decode()
    assert "Apply the roster" in text
    assert {str(label): value for label, value in page.context["counts"]}[
        "People created"] == 4  # two teachers, a principal and an aide
    assert not User.objects.filter(email__endswith="district.example.org").exists()


def test_applying_writes_the_roster_and_the_page_says_so(client, people, on_commit):
    client.force_login(people.district_admin)
    with on_commit():
        upload(client, [zip_upload()])
    roster_import = RosterImport.objects.get()

    with on_commit():
        response = apply(client, roster_import)

    roster_import.refresh_from_db()
    assert response.status_code == 302
    assert roster_import.state == RosterImport.State.APPLIED
    assert User.objects.filter(email__endswith="district.example.org").count() == 4
    page = client.get(reverse("programs:roster-import", args=[roster_import.pk]))
    assert "Applied" in page.content.decode()
    # A second apply of the same import is refused and changes nothing.
    with on_commit():
        apply(client, roster_import)
    assert User.objects.filter(email__endswith="district.example.org").count() == 4


def test_separate_oneroster_files_are_accepted(client, people, on_commit):
    client.force_login(people.district_admin)
    files = [SimpleUploadedFile(name, text.encode(), content_type="text/csv")
             for name, text in OneRosterSet(schools=1, teachers=1).texts().items()]

    with on_commit():
        response = upload(client, files)

    assert response.status_code == 302
    assert RosterImport.objects.get().state == RosterImport.State.READY


def test_a_broken_roster_shows_its_problems_and_cannot_be_applied(client, people, on_commit):
    roster = OneRosterSet(schools=1, teachers=2)
    roster.user("t-1-1")["email"] = "nobody-at-example.org"
    client.force_login(people.district_admin)

    with on_commit():
        upload(client, [zip_upload(roster)])

    roster_import = RosterImport.objects.get()
    assert roster_import.state == RosterImport.State.INVALID
    page = client.get(reverse("programs:roster-import", args=[roster_import.pk]))
    text = page.content.decode()
    assert "nobody-at-example.org" in text
    assert "Apply the roster" not in text
    with on_commit():
        apply(client, roster_import)
    assert not User.objects.filter(email__endswith="district.example.org").exists()


def test_the_admin_who_imports_is_never_marked_inactive(client, people, on_commit):
    roster = OneRosterSet(schools=1, teachers=1)
    admin = people.district_admin
    client.force_login(admin)
    roster.add_person("admin-1", "school-1", "administrator", "The", "Admin", admin.email)
    with on_commit():
        upload(client, [zip_upload(roster)])
    with on_commit():
        apply(client, RosterImport.objects.get())
    roster.remove_user("admin-1")

    with on_commit():
        upload(client, [zip_upload(roster)])
    later = RosterImport.objects.latest("pk")
    with on_commit():
        apply(client, later)

    later.refresh_from_db()
    assert later.state == RosterImport.State.APPLIED

    admin.refresh_from_db()
    assert admin.staff_profile.sourced_id == "admin-1"
    assert admin.is_active


@pytest.mark.parametrize(("files", "message"), [
    ([SimpleUploadedFile("photo.zip", b"\x89PNG\r\n\x1a\n not a zip")], "is not a zip archive"),
    ([SimpleUploadedFile("roster.zip", b"")], "The submitted file is empty."),
    ([SimpleUploadedFile("users.csv", b"a,b"), SimpleUploadedFile("notes.txt", b"hello")],
     "notes.txt is not a OneRoster file"),
    ([], "This field is required."),
])
def test_bad_uploads_are_refused_with_a_message_by_the_field(client, people, files, message):
    client.force_login(people.district_admin)

    response = upload(client, files)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["files"])
    assert response.context["form"]["format"].value() == "oneroster"  # what was chosen stays
    assert not RosterImport.objects.exists()


def test_simple_csv_must_be_text(client, people):
    client.force_login(people.district_admin)

    response = upload(client, [SimpleUploadedFile("staff.csv", b"\x00\x01\x02binary")],
                      format="simple_csv")

    assert response.status_code == 400
    assert "is not UTF-8 CSV text" in response.context["form"].errors["files"][0]


def test_too_big_an_upload_is_refused(client, people, settings):
    settings.ROSTER_MAX_UPLOAD_MB = 0
    client.force_login(people.district_admin)

    response = upload(client, [zip_upload()])

    assert response.status_code == 400
    assert "too large" in response.context["form"].errors["files"][0]
    assert not RosterImport.objects.exists()


def test_history_page_query_count_does_not_grow(client, people, django_assert_max_num_queries):
    client.force_login(people.district_admin)

    def add_imports(count):
        for _ in range(count):
            RosterImport.objects.create(district=people.district, format="oneroster",
                                        uploaded_by=people.district_admin, file="x.zip",
                                        state=RosterImport.State.APPLIED)

    url = reverse("programs:roster-imports")
    add_imports(1)
    client.get(url)  # warm the session
    # session, user, district, roles, two-factor check; count, imports with their uploader
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
    add_imports(30)
    with django_assert_max_num_queries(7):
        assert len(client.get(url).context["page"].object_list) == 25


def test_detail_page_with_many_problems_has_a_fixed_query_count(
        client, people, django_assert_max_num_queries):
    client.force_login(people.district_admin)

    def import_with(count):
        problems = [{"file": "users.csv", "row": n + 2, "column": "email",
                     "message": "bad"} for n in range(count)]
        return RosterImport.objects.create(
            district=people.district, format="oneroster", uploaded_by=people.district_admin,
            file="x.zip", state=RosterImport.State.INVALID, problems=problems,
            problem_count=count)

    small, large = import_with(1), import_with(1000)
    client.get(reverse("programs:roster-import", args=[small.pk]))
    # session, user, district, roles, two-factor check; the import with its uploader
    with django_assert_max_num_queries(6):
        client.get(reverse("programs:roster-import", args=[small.pk]))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("programs:roster-import", args=[large.pk]),
                              {"page": 3})
    assert len(response.context["page"].object_list) == 50
    assert "Page 3 of 20" in response.content.decode()


def test_the_page_polls_while_working_and_stops_when_done(client, people, roster_import):
    client.force_login(people.district_admin)
    RosterImport.objects.filter(pk=roster_import.pk).update(state=RosterImport.State.CHECKING)
    url = reverse("programs:roster-import", args=[roster_import.pk])

    working = client.get(url).content.decode()
    RosterImport.objects.filter(pk=roster_import.pk).update(state=RosterImport.State.READY)
    done = client.get(reverse("programs:roster-import-status", args=[roster_import.pk]))

    assert 'hx-trigger="every 2s"' in working
    assert 'hx-trigger' not in done.content.decode()
    assert "Apply the roster" in done.content.decode()


def test_district_admins_find_the_roster_import_in_the_menu(client, people):
    client.force_login(people.district_admin)
    assert reverse("programs:roster-imports") in client.get("/").content.decode()
    client.force_login(people.school_admin)
    assert reverse("programs:roster-imports") not in client.get("/").content.decode()
