"""Every program page tried by each role, a participant of another program, an admin of
another district and an anonymous visitor: whoever is outside gets 404."""

import pytest
from django.urls import reverse

from programs.models import Participant, Program
from tests.programs.factories import ApplicationFactory, ParticipantFactory

MANAGERS_ONLY = {"coordinator": 200, "mentor": 404, "mentee": 404, "district_admin": 200,
                 "school_admin": 404, "other_participant": 404, "outsider": 404}


@pytest.fixture
def program(program_people):
    return program_people.program


def test_program_page_is_seen_by_its_people_and_the_district_admins(program,
                                                                     assert_program_access):
    assert_program_access(reverse("programs:detail", args=[program.pk]), {
        "coordinator": 200, "mentor": 200, "mentee": 200, "district_admin": 200,
        "school_admin": 200, "other_participant": 404, "outsider": 404})


def test_a_draft_is_seen_only_by_those_who_manage_it(program, assert_program_access):
    program.status = Program.Status.DRAFT
    program.save()
    assert_program_access(reverse("programs:detail", args=[program.pk]), {
        **MANAGERS_ONLY, "mentor": 200, "mentee": 200})


@pytest.mark.parametrize("name", ["programs:edit", "programs:calendar",
                                  "programs:participant-add"])
def test_settings_pages_are_for_those_who_manage_the_program(name, program,
                                                             assert_program_access):
    assert_program_access(reverse(name, args=[program.pk]), MANAGERS_ONLY)


def test_copying_is_for_managers_who_may_create_programs(program, assert_program_access):
    # The coordinator here is a teacher: they run the program, the district creates them.
    assert_program_access(reverse("programs:copy", args=[program.pk]),
                          {**MANAGERS_ONLY, "coordinator": 404})


def test_editing_a_participant_is_for_managers(program, program_people, assert_program_access):
    participant = program.participants.get(user=program_people.mentee)
    assert_program_access(reverse("programs:participant-edit", args=[program.pk, participant.pk]),
                          MANAGERS_ONLY)


def test_changing_the_status_is_for_managers(program, assert_program_access):
    url = reverse("programs:status", args=[program.pk])
    assert_program_access(url, {**MANAGERS_ONLY, "coordinator": 302, "district_admin": 302},
                          method="post", data={"status": "running"})


@pytest.mark.parametrize("name", ["programs:participants", "programs:participants-export"])
def test_participant_lists_for_managers_and_school_admins(name, program, assert_program_access):
    assert_program_access(reverse(name, args=[program.pk]),
                          {**MANAGERS_ONLY, "school_admin": 200})


def test_a_school_admin_lists_only_their_own_schools_people(program, program_people, people,
                                                            client):
    client.force_login(people.school_admin)
    page = client.get(reverse("programs:participants", args=[program.pk])).content.decode()
    assert program_people.mentee.email in page          # at the admin's school
    assert program_people.mentor.email not in page      # at another school
    export = b"".join(client.get(reverse("programs:participants-export",
                                         args=[program.pk])).streaming_content).decode()
    assert program_people.mentee.email in export
    assert program_people.mentor.email not in export


def test_reviewing_applications_is_for_managers(program, program_people, assert_program_access):
    application = ApplicationFactory(participant__program=program,
                                     participant__user=program_people.other_participant)
    assert_program_access(reverse("programs:applications", args=[program.pk]), MANAGERS_ONLY)
    assert_program_access(
        reverse("programs:application-detail", args=[program.pk, application.pk]),
        {**MANAGERS_ONLY, "other_participant": 404})


def test_applying_is_for_district_teachers_while_the_program_enrols(program,
                                                                    assert_program_access):
    program.status = Program.Status.ENROLLING
    program.save()
    # The mentee and mentor already take part; a district admin has no school staff profile.
    assert_program_access(reverse("programs:apply", args=[program.pk]), {
        "coordinator": 200, "mentor": 404, "mentee": 404, "district_admin": 404,
        "school_admin": 200, "other_participant": 200, "outsider": 404})


def test_nobody_applies_to_a_program_that_is_not_enrolling(program, assert_program_access):
    assert_program_access(reverse("programs:apply", args=[program.pk]),
                          dict.fromkeys(MANAGERS_ONLY, 404))


def test_creating_programs_is_for_admins(people, assert_access):
    assert_access(reverse("programs:create"), {
        "district_admin": 200, "school_admin": 200, "teacher": 404, "colleague": 404,
        "outsider": 200})


def test_the_program_list_shows_nothing_of_another_district(program, people, client):
    client.force_login(people.outsider)
    page = client.get(reverse("programs:list")).content.decode()
    assert program.name not in page


def test_a_school_rep_reviews_only_their_schools_applicants(people, program_people, client):
    from tests import factories
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(district=people.district, model="school_based",
                             status=Program.Status.ENROLLING)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role=Participant.Role.SCHOOL_REP)
    near = ApplicationFactory(participant__program=program, participant__user=people.teacher)
    far = ApplicationFactory(participant__program=program, participant__user=people.colleague)
    client.force_login(rep)
    page = client.get(reverse("programs:applications", args=[program.pk])).content.decode()
    assert people.teacher.display_name in page
    assert people.colleague.display_name not in page
    assert client.get(reverse("programs:application-detail",
                              args=[program.pk, near.pk])).status_code == 200
    assert client.get(reverse("programs:application-detail",
                              args=[program.pk, far.pk])).status_code == 404


def test_only_the_invited_person_answers_an_invitation(program, people, program_people,
                                                       assert_program_access):
    from tests import factories

    invited = ParticipantFactory(program=program, user=factories.teacher(people.school),
                                 role=Participant.Role.MENTOR, status=Participant.Status.INVITED)
    url = reverse("programs:invitation-respond", args=[program.pk])
    assert_program_access(url, dict.fromkeys(MANAGERS_ONLY, 404),
                          method="post", data={"participant": invited.pk, "accept": "on"})
    invited.refresh_from_db()
    assert invited.status == Participant.Status.INVITED


def test_someone_elses_withdrawal_hides_nothing_and_ones_own_hides_the_program(
        program, people, program_people, client):
    from tests import factories

    ParticipantFactory(program=program, user=factories.teacher(people.school),
                       status=Participant.Status.WITHDRAWN)
    client.force_login(program_people.mentee)
    url = reverse("programs:detail", args=[program.pk])
    assert client.get(url).status_code == 200
    program.participants.filter(user=program_people.mentee).update(
        status=Participant.Status.WITHDRAWN)
    assert client.get(url).status_code == 404


def test_a_school_rep_lists_only_their_schools_participants(people, client):
    from tests import factories
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(district=people.district, model="school_based")
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role=Participant.Role.SCHOOL_REP)
    ParticipantFactory(program=program, user=people.teacher, role=Participant.Role.MENTEE)
    ParticipantFactory(program=program, user=people.colleague, role=Participant.Role.MENTOR)
    client.force_login(rep)
    for name in ("programs:participants", "programs:participants-export"):
        response = client.get(reverse(name, args=[program.pk]))
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content).decode()
        assert people.teacher.email in body, name
        assert people.colleague.email not in body, name
    # A rep of a program that another kind of matcher runs sees no list at all.
    program.matched_by = "coordinator"
    program.save()
    assert client.get(reverse("programs:participants", args=[program.pk])).status_code == 404
