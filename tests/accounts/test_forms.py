import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_teacher_saves_their_profile(client, people):
    subject = people.district.subjects.create(name="Mathematics")
    client.force_login(people.teacher)

    response = client.post(reverse("accounts:profile"), {
        "account-display_name": "Ms. Rivera", "account-preferred_language": "en",
        "profile-job_title": "Grade 7 math teacher",
        "profile-years_of_experience": 2, "profile-grades_taught": ["07"],
        "profile-languages": ["en", "es"], "profile-subjects": [subject.pk],
    })

    assert response.status_code == 302
    people.teacher.refresh_from_db()
    profile = people.teacher.staff_profile
    assert people.teacher.display_name == "Ms. Rivera"
    assert profile.grades_taught == ["07"]
    assert profile.languages == ["en", "es"]
    assert list(profile.subjects.all()) == [subject]
    assert profile.career_stage == "early"


def test_profile_with_bad_input_shows_the_problem_and_keeps_what_was_typed(client, people):
    client.force_login(people.teacher)

    response = client.post(reverse("accounts:profile"), {
        "account-display_name": "Ms. Rivera", "account-preferred_language": "en",
        "profile-job_title": "Kept job title", "profile-years_of_experience": 99,
        "profile-grades_taught": ["07", "not-a-grade"],
    })

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is less than or equal to 60." in page
    assert "Select a valid choice. not-a-grade is not one of the available choices." in page
    assert 'value="Kept job title"' in page
    assert 'value="99"' in page
    people.teacher.refresh_from_db()
    assert people.teacher.staff_profile.job_title == ""


def test_a_teacher_cannot_move_themselves_to_another_school(client, people):
    client.force_login(people.teacher)

    client.post(reverse("accounts:profile"), {
        "account-display_name": "Ms. Rivera", "account-preferred_language": "en",
        "profile-years_of_experience": 2, "profile-school": people.other_school.pk,
    })

    people.teacher.staff_profile.refresh_from_db()
    assert people.teacher.staff_profile.school == people.school


def test_district_settings_refuse_a_threshold_below_three(client, people):
    client.force_login(people.district_admin)

    response = client.post(reverse("accounts:district-settings"), {
        "name": "Renamed District", "time_zone": "America/Chicago", "anonymity_threshold": 1,
        "language": "en",
    })

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 3." in page
    assert 'value="Renamed District"' in page
    people.district.refresh_from_db()
    assert people.district.anonymity_threshold == 5


def test_district_admin_changes_the_time_zone(client, people):
    client.force_login(people.district_admin)

    response = client.post(reverse("accounts:district-settings"), {
        "name": people.district.name, "time_zone": "America/Denver", "anonymity_threshold": 7,
        "language": "es",
    })

    assert response.status_code == 302
    people.district.refresh_from_db()
    assert (people.district.time_zone, people.district.anonymity_threshold,
            people.district.language) == ("America/Denver", 7, "es")


def test_the_district_name_is_one_line(client, people):
    client.force_login(people.district_admin)

    response = client.post(reverse("accounts:district-settings"), {
        "name": "Springfield\nPublic", "time_zone": "America/Chicago", "anonymity_threshold": 5,
        "language": "en",
    })

    assert response.status_code == 400
    assert "Write the name on one line, without tabs." in \
        str(response.context["form"].errors["name"])
    people.district.refresh_from_db()
    assert "\n" not in people.district.name
