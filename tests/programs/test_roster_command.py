"""manage.py import_roster, as a scheduled sync runs it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests import factories
from tests.programs.oneroster import OneRosterSet, simple_csv

pytestmark = pytest.mark.django_db


def import_roster(*args):
    out, err = StringIO(), StringIO()
    call_command("import_roster", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_zip_and_prints_the_summary(tmp_path):
    district = factories.DistrictFactory(name="Test District")
    path = OneRosterSet(schools=2, teachers=2).write_zip(tmp_path / "roster.zip")

    out, _err = import_roster(path, "--district", "Test District")
    again, _err = import_roster(path, "--district", district.pk)

    assert out.splitlines()[:5] == [
        "Test District: Changed 11.",  # 2 schools, 7 people, 2 subjects
        "  Schools created: 2",
        "  Schools updated: 0",
        "  Schools unchanged: 0",
        "  People created: 7",
    ]
    assert again.splitlines()[0] == "Test District: Changed 0."
    assert "  People unchanged: 7" in again.splitlines()
    assert User.objects.filter(district=district).count() == 7


def test_command_reads_a_directory_and_a_partial_set_deactivates_nobody(tmp_path):
    district = factories.DistrictFactory()
    roster = OneRosterSet(schools=1, teachers=2)
    import_roster(roster.write_dir(tmp_path / "first"))
    roster.remove_user("t-1-2")

    out, _err = import_roster(roster.write_dir(tmp_path / "later"), "--partial")

    assert out.splitlines()[0] == f"{district.name}: Changed 0."
    assert User.objects.filter(district=district, is_active=True).count() == 4


def test_command_with_a_bad_file_lists_the_problems_and_fails(tmp_path):
    district = factories.DistrictFactory()
    path = tmp_path / "staff.csv"
    path.write_text(simple_csv([
        {"staff_id": "E1", "email": "ann@example", "first_name": "Ann", "last_name": "Lee",
         "school_code": "X", "school_name": "X School"},
        {"staff_id": "E1", "email": "bo@example.org", "first_name": "Bo", "last_name": "Ng",
         "school_code": "X"},
    ]))
    err = StringIO()

    with pytest.raises(CommandError, match="The roster has 2 problems; nothing was changed."):
        call_command("import_roster", str(path), "--format", "simple_csv", stderr=err,
                     stdout=StringIO())

    assert err.getvalue().splitlines() == [
        "staff.csv, row 2, email: “ann@example” is not a valid email address.",
        "staff.csv, row 3, staff_id: The staff id “E1” is also on row 2.",
    ]
    assert not User.objects.filter(district=district).exists()


def test_command_exits_with_status_one_on_problems(tmp_path, capsys):
    from django.core.management import ManagementUtility

    factories.DistrictFactory()
    path = OneRosterSet(schools=1, teachers=1).write_dir(tmp_path / "set",
                                                          skip_files=("orgs.csv",))

    with pytest.raises(SystemExit) as exit_info:
        # Only this command's exit status is under test, not every app's system checks.
        ManagementUtility(["manage.py", "import_roster", str(path), "--skip-checks"]).execute()

    assert exit_info.value.code == 1
    assert "orgs.csv: This required file is missing from the upload." in capsys.readouterr().err


def test_command_needs_the_district_when_there_are_several(tmp_path):
    factories.DistrictFactory()
    factories.DistrictFactory()

    with pytest.raises(CommandError, match="--district"):
        import_roster(OneRosterSet().write_dir(tmp_path / "set"))


def test_scheduled_syncs_appear_in_the_import_history(tmp_path, client):
    from django.urls import reverse

    from programs.models import RosterImport

    district = factories.DistrictFactory()
    path = OneRosterSet(schools=1, teachers=1).write_zip(tmp_path / "nightly.zip")
    import_roster(path)
    import_roster(path, "--check")  # a check alone is not recorded

    recorded = RosterImport.objects.get()
    assert (recorded.state, recorded.source_path) == (RosterImport.State.APPLIED, str(path))
    assert recorded.summary["counts"]["people_created"] == 3
    client.force_login(factories.district_admin(district))
    history = client.get(reverse("programs:roster-imports")).content.decode()
    assert f"Scheduled sync from {path}" in history
