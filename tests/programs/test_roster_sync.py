"""Importing rosters: what a district admin sees change in their district."""

import pytest

from accounts.models import School, StaffProfile, Subject, User
from programs.services.roster import import_roster_path
from tests import factories
from tests.programs.oneroster import OneRosterSet, simple_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return factories.DistrictFactory(name="Test District")


def run(tmp_path, roster, district, name="set", **options):
    return import_roster_path(path=roster.write_dir(tmp_path / name), district=district,
                              **options)


def test_clean_oneroster_set_creates_schools_and_staff_only(tmp_path, district):
    outcome = run(tmp_path, OneRosterSet(schools=2, teachers=2), district)

    assert outcome.problems.as_list() == []
    assert outcome.applied
    assert outcome.counts["schools_created"] == 2
    # 2 teachers and a principal per school, and one aide; students are skipped.
    assert outcome.counts["people_created"] == 7
    assert sorted(School.objects.filter(district=district).values_list("code", "sourced_id")) \
        == [("SCH001", "school-1"), ("SCH002", "school-2")]
    assert not User.objects.filter(email__startswith="student").exists()
    teacher = StaffProfile.objects.select_related("user", "school").get(sourced_id="t-1-2")
    assert teacher.user.email == "teacher.1.2@district.example.org"
    assert teacher.user.display_name == "Teacher2 School1"
    assert teacher.user.district == district
    assert not teacher.user.has_usable_password()
    assert teacher.school.name == "School Number 1"
    assert teacher.job_title == "Teacher"
    assert teacher.grades_taught == ["02"]
    assert sorted(teacher.subjects.values_list("name", flat=True)) == [
        "English Language Arts", "Mathematics"]
    assert StaffProfile.objects.get(sourced_id="a-1").job_title == "Administrator"
    assert StaffProfile.objects.get(sourced_id="aide-1").job_title == "Aide"
    assert Subject.objects.filter(district=district).count() == 2


def test_same_set_again_changes_nothing(tmp_path, district):
    roster = OneRosterSet(schools=2, teachers=2)
    run(tmp_path, roster, district, "first")

    again = run(tmp_path, roster, district, "second")

    assert again.problems.as_list() == []
    assert again.changes == 0
    assert again.counts["people_unchanged"] == 7
    assert again.counts["schools_unchanged"] == 2


def test_person_missing_from_a_later_full_import_is_marked_inactive(tmp_path, district):
    roster = OneRosterSet(schools=1, teachers=3)
    run(tmp_path, roster, district, "first")
    roster.remove_user("t-1-3")

    later = run(tmp_path, roster, district, "later")

    assert later.counts["people_deactivated"] == 1
    assert later.changes == 1
    person = User.objects.get(email="teacher.1.3@district.example.org")
    assert person.is_active is False  # kept, not deleted


def test_partial_import_leaves_missing_people_alone(tmp_path, district):
    roster = OneRosterSet(schools=1, teachers=3)
    run(tmp_path, roster, district, "first")
    roster.remove_user("t-1-3")

    later = run(tmp_path, roster, district, "later", full_sync=False)

    assert later.changes == 0
    assert User.objects.get(email="teacher.1.3@district.example.org").is_active


def test_row_disabled_or_to_be_deleted_marks_the_person_inactive(tmp_path, district):
    roster = OneRosterSet(schools=1, teachers=2)
    run(tmp_path, roster, district, "first")
    roster.user("t-1-1")["enabledUser"] = "false"
    roster.user("t-1-2")["status"] = "tobedeleted"

    later = run(tmp_path, roster, district, "later")

    assert later.counts["people_deactivated"] == 2
    assert not User.objects.filter(email__in=["teacher.1.1@district.example.org",
                                              "teacher.1.2@district.example.org"],
                                    is_active=True).exists()


def test_people_without_a_roster_id_are_never_touched(tmp_path, district):
    school = factories.SchoolFactory(district=district)
    invited = factories.teacher(school)
    roster = OneRosterSet(schools=1, teachers=1)

    run(tmp_path, roster, district)

    invited.refresh_from_db()
    assert invited.is_active
    assert invited.staff_profile.sourced_id == ""


def test_person_is_matched_by_email_when_they_have_no_roster_id(tmp_path, district):
    school = factories.SchoolFactory(district=district, code="SCH001")
    existing = factories.teacher(school, user__email="Teacher.1.1@District.example.org")
    roster = OneRosterSet(schools=1, teachers=1)

    outcome = run(tmp_path, roster, district)

    assert outcome.problems.as_list() == []
    assert User.objects.filter(email__iexact="teacher.1.1@district.example.org").count() == 1
    existing.staff_profile.refresh_from_db()
    assert existing.staff_profile.sourced_id == "t-1-1"
    school.refresh_from_db()
    assert school.sourced_id == "school-1"  # matched by its code


def test_broken_set_writes_nothing_and_names_each_problem(tmp_path, district):
    roster = OneRosterSet(schools=2, teachers=2)
    roster.user("t-1-1")["orgSourcedIds"] = "school-99"
    roster.add_person("t-2-1", "school-1", "teacher", "Dup", "Person", "dup@example.org")
    roster.user("t-2-2")["email"] = "not-an-email"
    path = roster.write_dir(tmp_path / "broken", drop_columns={"orgs.csv": ["type"]})

    outcome = import_roster_path(path=path, district=district)

    found = {(p["file"], p["row"], p["column"]) for p in outcome.problems.as_list()}
    assert ("orgs.csv", 1, "type") in found
    assert not outcome.applied
    assert User.objects.filter(district=district).count() == 0
    assert School.objects.filter(district=district).count() == 0

    # With the orgs file whole, the rows' own problems are named too.
    path = roster.write_dir(tmp_path / "broken-rows")
    outcome = import_roster_path(path=path, district=district)

    problems = {(p["file"], p["column"]): p["message"] for p in outcome.problems.as_list()}
    assert set(problems) == {("users.csv", "orgSourcedIds"), ("users.csv", "sourcedId"),
                             ("users.csv", "email")}
    assert "school-99" in problems["users.csv", "orgSourcedIds"]
    assert "t-2-1" in problems["users.csv", "sourcedId"]
    assert "not-an-email" in problems["users.csv", "email"]
    assert User.objects.filter(district=district).count() == 0


def test_email_of_a_person_in_another_district_is_a_problem(tmp_path, district):
    factories.UserFactory(email="teacher.1.1@district.example.org")

    outcome = run(tmp_path, OneRosterSet(schools=1, teachers=1), district)

    assert [(p.column, p.message) for p in outcome.problems.kept] == [
        ("email", "teacher.1.1@district.example.org is already used by a person outside "
                  "this district.")]
    assert User.objects.filter(district=district).count() == 0


def test_missing_file_and_bad_manifest_are_problems(tmp_path, district):
    roster = OneRosterSet(schools=1, teachers=1)
    roster.manifest["oneroster.version"] = "1.2"
    path = roster.write_dir(tmp_path / "set", skip_files=("users.csv",))

    outcome = import_roster_path(path=path, district=district)

    assert [str(p) for p in outcome.problems.kept] == [
        "users.csv: This required file is missing from the upload.",
        "manifest.csv, row 3, value: oneroster.version must be “1.1”, not “1.2”.",
        "manifest.csv, row 16, value: The manifest lists users.csv, but the upload does "
        "not contain it.",
    ]


def test_simple_csv_creates_schools_and_people(tmp_path, district):
    factories.SchoolFactory(district=district, code="LIN", name="Lincoln Elementary")
    path = tmp_path / "staff.csv"
    path.write_text(simple_csv([
        {"staff_id": "E1", "email": "Ann@Example.org", "first_name": "Ann",
         "last_name": "Lee", "school_code": "LIN", "grades": "KG, 1",
         "subjects": "Science; Art"},
        {"staff_id": "E2", "email": "bo@example.org", "first_name": "Bo", "last_name": "Ng",
         "school_code": "OAK", "school_name": "Oak High", "job_title": "Counselor"},
    ]))

    outcome = import_roster_path(path=path, district=district)
    again = import_roster_path(path=path, district=district)

    assert outcome.problems.as_list() == []
    assert (outcome.counts["people_created"], outcome.counts["schools_created"]) == (2, 1)
    ann = StaffProfile.objects.get(sourced_id="E1")
    assert (ann.user.email, ann.school.code, ann.grades_taught) == (
        "ann@example.org", "LIN", ["KG", "01"])
    assert sorted(ann.subjects.values_list("name", flat=True)) == ["Art", "Science"]
    assert StaffProfile.objects.get(sourced_id="E2").school.name == "Oak High"
    assert again.changes == 0


def test_simple_csv_problems_are_named(tmp_path, district):
    path = tmp_path / "staff.csv"
    path.write_text(simple_csv([
        {"staff_id": "E1", "email": "ann@", "first_name": "Ann", "last_name": "Lee",
         "school_code": "NOPE", "grades": "13"},
    ]))

    outcome = import_roster_path(path=path, district=district)

    assert [str(p) for p in outcome.problems.kept] == [
        "staff.csv, row 2, email: “ann@” is not a valid email address.",
        "staff.csv, row 2, school_code: No school has the code “NOPE”; add a school_name "
        "to create it.",
        "staff.csv, row 2, grades: “13” is not a grade code (PK, KG, 01 to 12).",
    ]


def test_an_odd_grade_is_ignored_not_an_error():
    from programs.roster.values import grade_code

    assert [grade_code(v) for v in ["1", "01", "12", "KG", "²", "13", "1" * 5000]] == [
        "01", "01", "12", "KG", None, None, None]


def test_values_too_long_to_keep_are_problems_found_by_the_check(tmp_path, district):
    path = tmp_path / "staff.csv"
    path.write_text(simple_csv([
        {"staff_id": "X" * 300, "email": "ann@example.org", "first_name": "Ann",
         "last_name": "Lee", "school_code": "LIN", "school_name": "Lincoln Elementary"},
    ]))

    outcome = import_roster_path(path=path, district=district)

    assert [str(p) for p in outcome.problems.kept] == [
        "staff.csv, row 2, staff_id: This is 300 characters long; at most 255 fit."]
    assert not User.objects.filter(email="ann@example.org").exists()


def test_a_roster_never_moves_an_administrators_account_to_another_address(tmp_path,
                                                                          district):
    school = factories.SchoolFactory(district=district, code="LIN")
    admin = factories.school_admin(school, user__email="principal@example.org",
                                   sourced_id="E9")
    path = tmp_path / "staff.csv"
    path.write_text(simple_csv([
        {"staff_id": "E9", "email": "someone.else@example.org", "first_name": "Pat",
         "last_name": "Principal", "school_code": school.code},
    ]))

    outcome = import_roster_path(path=path, district=district)

    assert len(outcome.problems.kept) == 1
    assert "is an administrator, and a roster does not change an administrator's email " \
        "address" in str(outcome.problems.kept[0])
    admin.refresh_from_db()
    assert admin.email == "principal@example.org"
