import pytest
from django.urls import reverse

from accounts.models import FocusArea, Subject
from programs.models import Application, Participant, Program
from programs.signals import application_decided
from tests import factories
from tests.programs.factories import ApplicationFactory, ParticipantFactory, ProgramFactory


@pytest.fixture
def enrolling(people):
    program = ProgramFactory(district=people.district, model="district_based",
                             status=Program.Status.ENROLLING, name="District Mentoring")
    mentors = [ParticipantFactory(program=program, user=factories.teacher(people.other_school),
                                  role=Participant.Role.MENTOR) for _ in range(4)]
    return program, mentors


def test_the_application_starts_from_the_teachers_profile(enrolling, people, client):
    program, _mentors = enrolling
    profile = people.teacher.staff_profile
    profile.grades_taught = ["06", "07"]
    profile.languages = ["es"]
    profile.years_of_experience = 1
    profile.save()
    science = Subject.objects.create(district=people.district, name="Science")
    profile.subjects.add(science)
    client.force_login(people.teacher)
    form = client.get(reverse("programs:apply", args=[program.pk])).context["form"]
    assert form["grades"].value() == ["06", "07"]
    assert form["languages"].value() == ["es"]
    assert form["role"].value() == Participant.Role.MENTEE
    assert list(form["subjects"].value()) == [science.pk]


def test_a_mentee_applies_naming_preferred_mentors(enrolling, people, client):
    program, mentors = enrolling
    focus = FocusArea.objects.create(district=people.district, name="Classroom management")
    client.force_login(people.teacher)
    response = client.post(reverse("programs:apply", args=[program.pk]), {
        "role": "mentee", "years_of_experience": 0, "grades": ["03"],
        "focus_areas": [focus.pk], "available_days": ["1", "3"],
        "available_times": ["after"], "preferred_mentors": [mentors[0].pk, mentors[1].pk],
        "statement": "I teach a large class.",
    })
    assert response.status_code == 302
    participant = program.participants.get(user=people.teacher)
    assert participant.status == Participant.Status.APPLIED
    assert participant.school == people.school
    application = participant.application
    assert set(application.preferred_mentors.all()) == {mentors[0], mentors[1]}
    assert application.available_days == [1, 3]
    assert list(application.focus_areas.all()) == [focus]
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Applied" in page
    assert "Apply to join" not in page


def test_more_than_three_preferred_mentors_is_refused_and_the_form_kept(enrolling, people,
                                                                        client):
    program, mentors = enrolling
    client.force_login(people.teacher)
    response = client.post(reverse("programs:apply", args=[program.pk]), {
        "role": "mentee", "years_of_experience": 0, "statement": "Keep this text",
        "preferred_mentors": [m.pk for m in mentors]})
    assert response.status_code == 400
    assert "at most three" in str(response.context["form"].errors["preferred_mentors"])
    assert "Keep this text" in response.content.decode()
    assert not Application.objects.exists()


def test_a_mentor_of_another_program_cannot_be_named(enrolling, people, program_people, client):
    program, _mentors = enrolling
    foreign = program_people.program.participants.get(user=program_people.mentor)
    client.force_login(people.teacher)
    response = client.post(reverse("programs:apply", args=[program.pk]), {
        "role": "mentee", "years_of_experience": 0, "preferred_mentors": [foreign.pk]})
    assert response.status_code == 400
    assert "preferred_mentors" in response.context["form"].errors


def test_accepting_makes_the_applicant_active_and_tells_them(
        enrolling, people, client, django_capture_on_commit_callbacks):
    program, _mentors = enrolling
    application = ApplicationFactory(participant__program=program,
                                     participant__user=people.teacher)
    decisions = []
    application_decided.connect(lambda **kw: decisions.append(kw["decision"]), weak=False,
                                dispatch_uid="test-decisions")
    try:
        client.force_login(people.district_admin)
        url = reverse("programs:application-detail", args=[program.pk, application.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"decision": "accept", "message": "Welcome aboard!"})
    finally:
        application_decided.disconnect(dispatch_uid="test-decisions")
    assert response.status_code == 302
    assert decisions == ["accept"]  # where the email about it will be sent from
    application.refresh_from_db()
    assert application.participant.status == Participant.Status.ACTIVE
    assert application.decided_by == people.district_admin
    client.force_login(people.teacher)
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Welcome aboard!" in page
    assert "Active" in page


def test_declining_needs_a_message(enrolling, people, client):
    program, _mentors = enrolling
    application = ApplicationFactory(participant__program=program,
                                     participant__user=people.teacher)
    client.force_login(people.district_admin)
    url = reverse("programs:application-detail", args=[program.pk, application.pk])
    response = client.post(url, {"decision": "decline", "message": "  "})
    assert response.status_code == 400
    assert "Tell the applicant why" in str(response.context["form"].errors["message"])
    client.post(url, {"decision": "decline", "message": "The program is full this year."})
    application.refresh_from_db()
    assert application.participant.status == Participant.Status.DECLINED
    # A decided application cannot be decided again.
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 400


def test_waitlisted_then_accepted(enrolling, people, client):
    program, _mentors = enrolling
    application = ApplicationFactory(participant__program=program,
                                     participant__user=people.teacher)
    client.force_login(people.district_admin)
    url = reverse("programs:application-detail", args=[program.pk, application.pk])
    client.post(url, {"decision": "waitlist"})
    open_list = client.get(reverse("programs:applications", args=[program.pk]))
    assert people.teacher.display_name in open_list.content.decode()
    client.post(url, {"decision": "accept"})
    application.refresh_from_db()
    assert application.participant.status == Participant.Status.ACTIVE


def test_adding_a_participant_by_email(program_people, people, client):
    program = program_people.program
    client.force_login(program_people.coordinator)
    url = reverse("programs:participant-add", args=[program.pk])
    response = client.post(url, {"email": people.outsider_teacher.email, "role": "mentor"})
    assert response.status_code == 400
    assert "Nobody in the district" in str(response.context["form"].errors["email"])
    newcomer = factories.teacher(people.other_school)
    client.post(url, {"email": newcomer.email.upper(), "role": "mentor", "capacity": 2})
    added = program.participants.get(user=newcomer)
    assert (added.role, added.capacity, added.school) == ("mentor", 2, people.other_school)
    response = client.post(url, {"email": newcomer.email, "role": "mentor"})
    assert response.status_code == 400
    assert "already has this role" in response.content.decode()


def test_withdrawing_keeps_the_record(program_people, client):
    program = program_people.program
    mentee = program.participants.get(user=program_people.mentee)
    client.force_login(program_people.coordinator)
    client.post(reverse("programs:participant-edit", args=[program.pk, mentee.pk]),
                {"status": "withdrawn"})
    mentee.refresh_from_db()
    assert mentee.status == Participant.Status.WITHDRAWN
    listing = client.get(reverse("programs:participants", args=[program.pk]),
                         {"status": "withdrawn"}).content.decode()
    assert program_people.mentee.email in listing


def test_an_invited_teacher_accepts_on_the_program_page(program_people, people, client):
    program = program_people.program
    newcomer = factories.teacher(people.school)
    client.force_login(program_people.coordinator)
    response = client.post(reverse("programs:participant-add", args=[program.pk]),
                           {"email": newcomer.email, "role": "mentor", "status": "invited"},
                           follow=True)
    assert "is invited to be Mentor" in response.content.decode()
    invited = program.participants.get(user=newcomer)
    assert invited.status == Participant.Status.INVITED

    client.force_login(newcomer)
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Invited" in page and "Accept" in page
    url = reverse("programs:invitation-respond", args=[program.pk])
    client.post(url, {"participant": invited.pk, "accept": "on"})
    invited.refresh_from_db()
    assert invited.status == Participant.Status.ACTIVE
    response = client.post(url, {"participant": invited.pk}, follow=True)
    assert "already been answered" in response.content.decode()


def test_declining_an_invitation(program_people, people, client):
    program = program_people.program
    newcomer = factories.teacher(people.school)
    invited = ParticipantFactory(program=program, user=newcomer, role=Participant.Role.MENTOR,
                                 status=Participant.Status.INVITED)
    client.force_login(newcomer)
    client.post(reverse("programs:invitation-respond", args=[program.pk]),
                {"participant": invited.pk})
    invited.refresh_from_db()
    assert invited.status == Participant.Status.DECLINED


def test_the_participants_export_neutralises_spreadsheet_formulas(program_people, people,
                                                                 client):
    program = program_people.program
    crafty = factories.teacher(people.school, user__display_name="=HYPERLINK(\"x\")")
    ParticipantFactory(program=program, user=crafty, role=Participant.Role.MENTEE)
    client.force_login(program_people.coordinator)
    response = client.get(reverse("programs:participants-export", args=[program.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="new-teacher-induction-participants.csv"')
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0] == "Name,Email,School,Role,Status,Capacity,Joined"
    assert "\"'=HYPERLINK(\"\"x\"\")\"" in body


def test_the_export_dates_and_school_names_are_the_districts(program_people, people, client):
    from datetime import UTC, datetime

    program = program_people.program
    people.school.name = "=CMD()"
    people.school.save()
    # 20:00 in Chicago on 1 September is 01:00 UTC on the 2nd.
    program.participants.filter(user=program_people.mentee).update(
        created_at=datetime(2026, 9, 2, 1, 0, tzinfo=UTC))
    client.force_login(program_people.coordinator)
    response = client.get(reverse("programs:participants-export", args=[program.pk]),
                          {"role": "mentee"})
    row = b"".join(response.streaming_content).decode().splitlines()[1]
    assert row.endswith(",'=CMD(),Mentee,Active,,2026-09-01")


def test_applying_again_keeps_the_earlier_application_and_its_decision(enrolling, people,
                                                                       client):
    program, _mentors = enrolling
    client.force_login(people.teacher)
    apply_url = reverse("programs:apply", args=[program.pk])
    client.post(apply_url, {"role": "mentee", "years_of_experience": 0,
                            "statement": "First try: I teach fourth grade."})
    application = program.participants.get(user=people.teacher).application
    client.force_login(people.district_admin)
    decide_url = reverse("programs:application-detail", args=[program.pk, application.pk])
    client.post(decide_url, {"decision": "decline", "message": "Apply again in January."})

    client.force_login(people.teacher)
    client.post(apply_url, {"role": "mentee", "years_of_experience": 0,
                            "statement": "Second try, as suggested."})
    application.refresh_from_db()
    assert application.participant.status == Participant.Status.APPLIED
    assert application.statement == "Second try, as suggested."
    assert application.decided_at is None
    client.force_login(people.district_admin)
    page = client.get(decide_url).content.decode()
    assert "First try: I teach fourth grade." in page
    assert "Apply again in January." in page
    assert "ended as “Declined”" in page


def test_editing_a_participant_offers_only_changes_that_keep_the_record_whole(
        enrolling, people, client):
    program, mentors = enrolling
    application = ApplicationFactory(participant__program=program,
                                     participant__user=people.teacher)
    client.force_login(people.district_admin)
    mentor_url = reverse("programs:participant-edit", args=[program.pk, mentors[0].pk])
    response = client.post(mentor_url, {"status": "applied"})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    applicant_url = reverse("programs:participant-edit",
                            args=[program.pk, application.participant.pk])
    page = client.get(applicant_url).content.decode()
    assert "decided on its own page" in page
    client.post(applicant_url, {"status": "active", "capacity": ""})
    application.participant.refresh_from_db()
    assert application.participant.status == Participant.Status.APPLIED


def test_mentors_who_teach_the_applicants_subject_are_listed_first(enrolling, people, client):
    program, mentors = enrolling
    science = Subject.objects.create(district=people.district, name="Science")
    people.teacher.staff_profile.subjects.add(science)
    mentors[3].user.staff_profile.subjects.add(science)
    client.force_login(people.teacher)
    form = client.get(reverse("programs:apply", args=[program.pk])).context["form"]
    listed = list(form.fields["preferred_mentors"].queryset)
    assert listed[0] == mentors[3]
    assert set(listed) == set(mentors)


def test_nobody_decides_on_their_own_application(enrolling, people, client):
    program, _mentors = enrolling
    application = ApplicationFactory(participant__program=program,
                                     participant__user=people.district_admin,
                                     participant__role=Participant.Role.MENTOR)
    client.force_login(people.district_admin)

    listed = client.get(reverse("programs:applications", args=[program.pk]))
    url = reverse("programs:application-detail", args=[program.pk, application.pk])

    assert url not in listed.content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404
    application.participant.refresh_from_db()
    assert application.participant.status == Participant.Status.APPLIED


def test_an_applicant_is_not_added_past_their_application(enrolling, people, client):
    program, _mentors = enrolling
    ApplicationFactory(participant__program=program, participant__user=people.teacher)
    client.force_login(people.district_admin)

    response = client.post(reverse("programs:participant-add", args=[program.pk]),
                           {"email": people.teacher.email, "role": "mentee"})

    assert response.status_code == 400
    assert "has applied for this role: decide on their application instead" in \
        str(response.context["form"].errors["email"])
    listed = client.get(reverse("programs:applications", args=[program.pk])).content.decode()
    assert people.teacher.display_name in listed
