from datetime import date

import pytest
from django.urls import reverse

from programs.calendar import ProgramCalendar
from programs.models import BlackoutPeriod, ObservationWindow, Participant, Program, Term
from programs.presets import PRESETS, ProgramModel
from tests.programs.factories import ParticipantFactory, ProgramFactory


def program_data(**overrides):
    preset = PRESETS[overrides.get("model", ProgramModel.DISTRICT_BASED)]
    data = {
        "model": ProgramModel.DISTRICT_BASED, "name": "Across the District",
        "aims": "Every new teacher has a mentor who teaches the same grade and subject.",
        "school_goals": "Retention", "school_year": "2026-27",
        "starts_on": "2026-08-17", "ends_on": "2027-06-11", "meeting_days": ["1", "3"],
        "anonymity_threshold": 5,
        **{k: ("on" if v is True else v) for k, v in preset.items() if v is not False},
    }
    data.update(overrides)
    return data


def test_choosing_a_model_fills_in_its_settings(people, client):
    client.force_login(people.district_admin)
    page = client.get(reverse("programs:create"), {"model": "school_based"})
    form = page.context["form"]
    assert form["matched_by"].value() == "school_rep"
    assert form["matching_scope"].value() == "school"
    assert form["logs_release_time"].value() is True


def test_a_district_admin_creates_a_program_and_becomes_its_coordinator(people, client):
    client.force_login(people.district_admin)
    response = client.post(reverse("programs:create"), program_data())
    program = Program.objects.get(name="Across the District")
    assert response.url == reverse("programs:calendar", args=[program.pk])
    assert program.status == Program.Status.DRAFT
    assert program.district == people.district
    assert program.meeting_days == [1, 3]
    assert program.matched_by == "steering_committee"
    assert program.participants.get().role == Participant.Role.COORDINATOR
    assert program.adjusted_settings() == []


def test_a_setting_changed_from_the_preset_is_shown(people, client):
    client.force_login(people.district_admin)
    client.post(reverse("programs:create"), program_data(checkin_cadence_days=21,
                                                         matched_by="coordinator"))
    program = Program.objects.get()
    assert [(field.name, str(preset), str(value))
            for field, preset, value in program.adjusted_settings()] == [
        ("matched_by", "The steering committee", "The coordinator"),
        ("checkin_cadence_days", "14", "21")]
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Changed from the District-based model" in page
    assert "Check-in every (days): 21 (the model says 14)" in page
    assert "Who matches: The coordinator (the model says The steering committee)" in page


def test_bad_dates_are_named_next_to_the_field_and_nothing_typed_is_lost(people, client):
    client.force_login(people.district_admin)
    response = client.post(reverse("programs:create"),
                           program_data(ends_on="2026-08-01", checkin_cadence_days=0))
    assert response.status_code == 400
    form = response.context["form"]
    assert "The program must end after it starts." in form.errors["ends_on"]
    assert "checkin_cadence_days" in form.errors
    assert "Every new teacher has a mentor" in response.content.decode()
    assert not Program.objects.exists()


def test_a_school_admin_must_tie_their_program_to_their_school(people, client):
    client.force_login(people.school_admin)
    response = client.post(reverse("programs:create"), program_data(model="school_based"))
    assert response.status_code == 400
    assert "school" in response.context["form"].errors
    response = client.post(reverse("programs:create"),
                           program_data(model="school_based", school=people.other_school.pk))
    assert response.status_code == 400  # not a school they administer
    client.post(reverse("programs:create"), program_data(model="school_based",
                                                         school=people.school.pk))
    assert Program.objects.get().school == people.school


def test_the_program_moves_through_its_statuses(program_people, client):
    program = program_people.program
    program.status = Program.Status.DRAFT
    program.save()
    client.force_login(program_people.coordinator)
    url = reverse("programs:status", args=[program.pk])
    client.post(url, {"status": "enrolling"})
    program.refresh_from_db()
    assert program.status == "enrolling"
    response = client.post(url, {"status": "closed"}, follow=True)
    program.refresh_from_db()
    assert program.status == "enrolling"
    assert "cannot move" in response.content.decode()


def test_the_calendar_keeps_dates_inside_the_program_and_terms_apart(program_people, client):
    program = program_people.program
    client.force_login(program_people.coordinator)
    url = reverse("programs:calendar", args=[program.pk])
    data = {}
    for prefix in ("terms", "windows", "blackouts"):
        data.update({f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update({
        "terms-0-name": "Fall", "terms-0-starts_on": "2026-08-17", "terms-0-ends_on": "2026-12-18",
        "terms-1-name": "Spring", "terms-1-starts_on": "2026-12-01",
        "terms-1-ends_on": "2027-06-11",
        "windows-0-name": "First round", "windows-0-opens_on": "2026-09-14",
        "windows-0-closes_on": "2026-10-09",
        "blackouts-0-name": "Winter break", "blackouts-0-starts_on": "2026-12-21",
        "blackouts-0-ends_on": "2027-07-01",
    })
    response = client.post(url, data)
    assert response.status_code == 400
    formsets = response.context["formsets"]
    assert "Terms must not overlap" in str(formsets["terms"].forms[1].errors["starts_on"])
    assert "inside the program" in str(formsets["blackouts"].forms[0].errors["ends_on"])
    assert 'value="Winter break"' in response.content.decode()
    assert not Term.objects.exists()

    data.update({"terms-1-starts_on": "2027-01-04", "blackouts-0-ends_on": "2027-01-01"})
    assert client.post(url, data).status_code == 302
    assert list(program.terms.values_list("name", flat=True)) == ["Fall", "Spring"]
    assert program.observation_windows.get().name == "First round"


def test_due_dates_skip_weekends_and_blackout_days(db):
    program = ProgramFactory(starts_on=date(2026, 8, 17), ends_on=date(2027, 6, 11),
                             meeting_days=[2])
    BlackoutPeriod.objects.create(program=program, name="Thanksgiving",
                                  starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 27))
    calendar = ProgramCalendar(program)
    # Seven days after 18 November is the 25th, a blackout day; the next school day is Monday.
    assert calendar.due_on(date(2026, 11, 18), 7) == date(2026, 11, 30)
    assert calendar.next_meeting_day(date(2026, 11, 18)) == date(2026, 12, 2)
    assert calendar.due_on(date(2027, 6, 10), 7) is None


def test_the_calendar_names_the_term_and_observation_window_of_a_day(db):
    program = ProgramFactory()
    Term.objects.create(program=program, name="Fall", starts_on=date(2026, 8, 17),
                        ends_on=date(2026, 12, 18))
    ObservationWindow.objects.create(program=program, name="Round 1",
                                     opens_on=date(2026, 9, 14), closes_on=date(2026, 10, 9))
    calendar = ProgramCalendar(program)
    assert calendar.term_on(date(2026, 10, 1)).name == "Fall"
    assert calendar.term_on(date(2027, 1, 4)) is None
    assert calendar.window_on(date(2026, 10, 9)).name == "Round 1"
    assert calendar.window_on(date(2026, 10, 12)) is None


def test_copy_for_next_year_keeps_settings_shifts_the_calendar_and_enrols_nobody(
        program_people, people, client):
    program = program_people.program
    program.checkin_cadence_days = 10
    program.save()
    Term.objects.create(program=program, name="Fall", starts_on=date(2026, 8, 17),
                        ends_on=date(2026, 12, 18))
    ObservationWindow.objects.create(program=program, name="Round 1",
                                     opens_on=date(2026, 9, 14), closes_on=date(2026, 10, 9))
    BlackoutPeriod.objects.create(program=program, name="Thanksgiving",
                                  starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 27))
    client.force_login(people.district_admin)
    url = reverse("programs:copy", args=[program.pk])
    assert client.get(url).context["form"].initial["starts_on"] == date(2027, 8, 16)
    response = client.post(url, {"name": "Induction 2027-28", "school_year": "2027-28",
                                 "starts_on": "2027-08-16"})
    copy = Program.objects.get(name="Induction 2027-28")
    assert response.url == reverse("programs:detail", args=[copy.pk])
    assert (copy.status, copy.copied_from, copy.checkin_cadence_days) == ("draft", program, 10)
    assert copy.ends_on == date(2028, 6, 9)
    assert copy.terms.get().starts_on == date(2027, 8, 16)
    assert copy.observation_windows.get().opens_on == date(2027, 9, 13)
    assert copy.blackouts.get().starts_on == date(2027, 11, 24)
    assert list(copy.participants.values_list("user", "role")) == [
        (people.district_admin.pk, "coordinator")]


@pytest.mark.parametrize("model", list(ProgramModel))
def test_every_model_has_a_complete_preset(model, db):
    program = Program(model=model)
    program.apply_preset()
    assert program.adjusted_settings() == []


def test_the_program_list_filters_by_name_status_and_model(program_people, people, client):
    client.force_login(people.district_admin)
    url = reverse("programs:list")
    page = client.get(url, {"q": "induction"}).content.decode()
    assert "New Teacher Induction" in page and "Science Learning Team" not in page
    page = client.get(url, {"model": "learning_team"}).content.decode()
    assert "New Teacher Induction" not in page and "Science Learning Team" in page
    page = client.get(url, {"status": "closed"}).content.decode()
    assert "No program matches these filters." in page


@pytest.mark.parametrize("role", ["coordinator", "school_admin"])
def test_a_coordinator_saves_the_settings_and_the_school_stays(role, program_people, people,
                                                               client):
    program = program_people.program
    program.participants.create(user=people.school_admin, role=Participant.Role.COORDINATOR)
    client.force_login(getattr(program_people, role, None) or getattr(people, role))
    data = program_data(model=program.model, name="Induction, renamed")
    response = client.post(reverse("programs:edit", args=[program.pk]), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.name, program.school) == ("Induction, renamed", None)


def calendar_data(**rows):
    data = {}
    for prefix in ("terms", "windows", "blackouts"):
        data.update({f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(rows)
    return data


def test_two_terms_with_the_same_dates_are_named_as_overlapping(program_people, client):
    client.force_login(program_people.coordinator)
    url = reverse("programs:calendar", args=[program_people.program.pk])
    same = {"starts_on": "2026-09-01", "ends_on": "2026-12-01"}
    response = client.post(url, calendar_data(
        **{f"terms-{i}-{k}": v for i in (0, 1) for k, v in same.items()},
        **{"terms-0-name": "Fall", "terms-1-name": "Autumn"}))

    assert response.status_code == 400
    errors = [str(form.errors) for form in response.context["formsets"]["terms"].forms]
    assert any("Terms must not overlap" in e for e in errors)
    assert 'value="Autumn"' in response.content.decode()


@pytest.mark.parametrize(("starts_on", "ends_on", "message"), [
    ("0202-08-17", "2027-06-11", "Choose a date between 2000 and 2100."),
    ("2026-08-17", "9999-12-31", "Choose a date between 2000 and 2100."),
    ("2026-08-17", "2031-06-11", "A program runs for three years at most"),
])
def test_a_program_with_impossible_dates_is_refused_at_the_field(people, client, starts_on,
                                                                 ends_on, message):
    client.force_login(people.district_admin)
    response = client.post(reverse("programs:create"),
                           program_data(starts_on=starts_on, ends_on=ends_on))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Across the District"' in response.content.decode()
    assert not Program.objects.filter(name="Across the District").exists()


@pytest.mark.parametrize("starts_on", ["9999-06-01", "2026-01-05", "2031-09-01"])
def test_a_copy_must_start_after_the_program_and_within_three_years(program_people, people,
                                                                    client, starts_on):
    program = program_people.program
    client.force_login(people.district_admin)
    response = client.post(reverse("programs:copy", args=[program.pk]), {
        "name": "Induction later", "school_year": "2099-00", "starts_on": starts_on})

    assert response.status_code == 400
    assert "within three years of it" in str(response.context["form"].errors["starts_on"])
    assert not Program.objects.filter(name="Induction later").exists()


def test_only_those_who_may_create_programs_copy_one(program_people, people, client):
    program = program_people.program
    # A teacher who coordinates the program runs it but does not create programs.
    ParticipantFactory(program=program, user=people.colleague,
                       role=Participant.Role.COORDINATOR)
    client.force_login(people.colleague)
    url = reverse("programs:copy", args=[program.pk])

    assert client.get(reverse("programs:participants", args=[program.pk])).status_code == 200
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine now", "school_year": "2027-28",
                             "starts_on": "2027-08-16"}).status_code == 404
    assert not Program.objects.filter(name="Mine now").exists()
