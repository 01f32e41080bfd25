"""Yearly staff lists: recorded by a command and whenever a roster is applied."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from dashboards.models import StaffYear, next_school_year, school_year_start
from dashboards.staff_years import current_school_year, record_staff_year
from tests import factories

pytestmark = pytest.mark.django_db


def test_school_year_labels():
    assert school_year_start("2026-27") == 2026
    assert school_year_start("2026-2027") == 2026
    assert school_year_start("2026-28") is None
    assert school_year_start("Fall cohort") is None
    assert next_school_year("2026-27") == "2027-28"
    assert next_school_year("1999-00") == "2000-01"
    assert current_school_year(date(2026, 7, 31)) == "2025-26"
    assert current_school_year(date(2026, 8, 1)) == "2026-27"


def test_record_lists_active_teachers_with_their_school_and_stage(people):
    factories.teacher(people.school, years_of_experience=0)
    gone = factories.teacher(people.school)
    gone.is_active = False
    gone.save()
    count = record_staff_year(district=people.district, school_year="2026-27")
    listed = StaffYear.objects.filter(district=people.district, school_year="2026-27")
    assert count == listed.count()
    assert not listed.filter(user=gone).exists()
    assert listed.filter(career_stage="new").count() == 1
    assert not StaffYear.objects.exclude(district=people.district).exists()


def test_recording_a_year_again_replaces_its_list(people):
    record_staff_year(district=people.district, school_year="2026-27")
    people.teacher.is_active = False
    people.teacher.save()
    record_staff_year(district=people.district, school_year="2026-27")
    assert not StaffYear.objects.filter(user=people.teacher).exists()


def test_command_records_a_year(people, capsys):
    call_command("record_staff_year", str(people.district.pk), "--school-year", "2026-27")
    assert "listed for 2026-27" in capsys.readouterr().out
    assert StaffYear.objects.filter(school_year="2026-27").exists()


@pytest.mark.parametrize("args, message", [(["999999"], "No district number 999999."),
                                           (None, "Write the school year as 2026-27.")])
def test_command_explains_bad_input(people, args, message):
    args = args or [str(people.district.pk), "--school-year", "next year"]
    with pytest.raises(CommandError, match=message):
        call_command("record_staff_year", *args)


def test_an_applied_roster_records_this_years_staff_list(db, tmp_path,
                                                         django_capture_on_commit_callbacks):
    from programs.models import RosterImport
    from programs.services.roster import import_roster_path

    school = factories.SchoolFactory(code="101")
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("staff_id,email,first_name,last_name,school_code\n"
                        "t-1,new.teacher@example.org,New,Teacher,101\n")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = import_roster_path(path=str(csv_file), district=school.district,
                                     format=RosterImport.Format.SIMPLE_CSV, full_sync=False)
    assert not outcome.problems
    listed = StaffYear.objects.get(district=school.district)
    assert (listed.user.email, listed.school, listed.school_year) == (
        "new.teacher@example.org", school, current_school_year())


def test_a_roster_only_checked_records_nothing(db, tmp_path):
    from programs.models import RosterImport
    from programs.roster.formats import reader_for, source_for_path
    from programs.roster.sync import sync_roster

    school = factories.SchoolFactory(code="101")
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("staff_id,email,first_name,last_name,school_code\n"
                        "t-1,new.teacher@example.org,New,Teacher,101\n")
    format = RosterImport.Format.SIMPLE_CSV
    with source_for_path(str(csv_file), format) as source:
        sync_roster(reader=reader_for(format, source, full_sync=False),
                    district=school.district, full_sync=False, apply=False)
    assert not StaffYear.objects.exists()
