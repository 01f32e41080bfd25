from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from programs.models import Attendance, GroupSession, HubPost, Participant
from programs.services import groups as services
from tests import factories
from tests.programs.factories import (
    AttendanceFactory,
    BlackoutPeriodFactory,
    GroupFactory,
    GroupSessionFactory,
    HubPostFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

# The district is in America/Chicago: 15:30 there is 21:30 UTC in November.
AFTERNOON = datetime(2026, 12, 2, 21, 30, tzinfo=UTC)


def participant(program_people, user):
    return program_people.program.participants.get(user=user)


def test_create_group_makes_leads_and_members(program_people):
    lead = participant(program_people, program_people.mentor)
    member = participant(program_people, program_people.mentee)
    area = program_people.program.district.focus_areas.create(name="Multilingual learners")

    group = services.create_group(program=program_people.program, name=" Grade 3 Team ",
                                  kind="learning_team", focus="Primary", focus_areas=[area],
                                  leads=[lead], members=[member, lead])

    assert group.name == "Grade 3 Team"
    assert list(group.focus_areas.all()) == [area]
    assert sorted((m.participant_id, m.is_lead) for m in group.memberships.all()) == sorted(
        [(lead.pk, True), (member.pk, False)])


def test_create_group_refuses_a_participant_of_another_program(program_people):
    stranger = program_people.other_program.participants.get()

    with pytest.raises(ValidationError) as error:
        services.create_group(program=program_people.program, name="Team", kind="cohort",
                              members=[stranger])

    assert error.value.message_dict == {
        "members": ["Only active participants of this program can join a group."]}
    assert program_people.program.groups.count() == 0


def test_create_group_refuses_a_withdrawn_participant(program_people):
    withdrawn = ParticipantFactory(program=program_people.program,
                                   user=factories.teacher(program_people.program.district
                                                          .schools.first()),
                                   status=Participant.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        services.create_group(program=program_people.program, name="Team", kind="cohort",
                              members=[withdrawn])


def test_create_group_refuses_a_name_the_program_already_uses(team):
    with pytest.raises(ValidationError) as error:
        services.create_group(program=team.program, name="grade 3 team", kind="cohort")

    assert error.value.message_dict == {
        "name": ["This program already has a group with this name."]}


def test_create_group_refuses_the_same_person_in_two_roles(program_people):
    program = program_people.program
    mentor = participant(program_people, program_people.mentor)
    as_lead = ParticipantFactory(program=program, user=program_people.mentor,
                                 role=Participant.Role.LEAD_MENTOR)

    with pytest.raises(ValidationError) as error:
        services.create_group(program=program, name="Team", kind="cohort", leads=[as_lead],
                              members=[mentor])

    assert "chosen in two roles" in error.value.message_dict["members"][0]


def test_update_group_changes_membership_and_keeps_past_attendance(team, program_people):
    mentee = participant(program_people, program_people.mentee)
    coordinator = participant(program_people, program_people.coordinator)
    session = GroupSessionFactory(group=team)
    AttendanceFactory(session=session, participant=mentee)

    services.update_group(group=team, name="Grade 3 Team", kind="learning_team",
                          leads=[coordinator], members=[])

    assert [(m.participant_id, m.is_lead) for m in team.memberships.all()] == [
        (coordinator.pk, True)]
    assert set(services.attendees(session)) == {coordinator, mentee}
    assert session.attendance.get().participant == mentee


def test_schedule_session_on_a_school_day(team, program_people):
    session = services.schedule_session(group=team, created_by=program_people.mentor,
                                        kind="meeting", title="Reading routines",
                                        starts_at=AFTERNOON, duration_minutes=45,
                                        location="Room 12")

    assert GroupSession.objects.get() == session
    assert (session.title, session.duration_minutes, session.created_by) == (
        "Reading routines", 45, program_people.mentor)


def test_schedule_session_refuses_a_blackout_day(team, program_people):
    BlackoutPeriodFactory(program=team.program, name="Thanksgiving break",
                          starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 27))

    with pytest.raises(ValidationError) as error:
        services.schedule_session(group=team, created_by=program_people.mentor,
                                  kind="meeting", title="Planning",
                                  starts_at=datetime(2026, 11, 26, 16, 0, tzinfo=UTC))

    assert error.value.message_dict == {"starts_at": [
        "Nov. 26, 2026 is a blackout day (Thanksgiving break): nothing is scheduled on it. "
        "Choose another day."]}
    assert GroupSession.objects.count() == 0


def test_schedule_session_reads_the_day_in_the_district_time_zone(team, program_people):
    """02:00 UTC on the 28th is still the evening of the 27th in Chicago: a blackout day."""
    BlackoutPeriodFactory(program=team.program, starts_on=date(2026, 11, 27),
                          ends_on=date(2026, 11, 27))

    with pytest.raises(ValidationError):
        services.schedule_session(group=team, created_by=program_people.mentor,
                                  kind="meeting", title="Evening meeting",
                                  starts_at=datetime(2026, 11, 28, 2, 0, tzinfo=UTC))


def test_schedule_session_refuses_a_day_outside_the_program(team, program_people):
    with pytest.raises(ValidationError) as error:
        services.schedule_session(group=team, created_by=program_people.mentor,
                                  kind="meeting", title="Summer meeting",
                                  starts_at=datetime(2027, 7, 1, 15, 0, tzinfo=UTC))

    assert error.value.message_dict["starts_at"] == [
        "July 1, 2027 is outside the program, which runs from Aug. 17, 2026 to June 11, 2027. "
        "Choose a day inside it."]


def test_update_session_keeps_a_day_that_became_a_blackout(team):
    session = GroupSessionFactory(group=team, starts_at=AFTERNOON)
    BlackoutPeriodFactory(program=team.program, starts_on=date(2026, 12, 2),
                          ends_on=date(2026, 12, 2))

    services.update_session(session=session, starts_at=AFTERNOON, agenda="Bring a lesson")

    session.refresh_from_db()
    assert session.agenda == "Bring a lesson"
    with pytest.raises(ValidationError):
        services.update_session(session=session, starts_at=AFTERNOON + timedelta(hours=1))


def test_record_session_saves_notes_and_attendance(team, program_people):
    session = GroupSessionFactory(group=team)
    mentor = participant(program_people, program_people.mentor)
    mentee = participant(program_people, program_people.mentee)

    services.record_session(session=session, opening_whats_working="Exit tickets",
                            notes="Shared lesson plans", closing_whats_working="Try turn-and-talk",
                            attendance={mentor.pk: "present", mentee.pk: "excused"})
    services.record_session(session=session, attendance={mentor.pk: "present", mentee.pk: ""})

    session.refresh_from_db()
    assert session.notes == ""  # the second call saved empty notes, as submitted
    assert dict(session.attendance.values_list("participant_id", "status")) == {
        mentor.pk: "present"}


def test_record_session_refuses_attendance_for_someone_outside_the_group(team, program_people):
    session = GroupSessionFactory(group=team)
    outsider = participant(program_people, program_people.coordinator)

    with pytest.raises(ValidationError):
        services.record_session(session=session, attendance={outsider.pk: "present"})
    assert Attendance.objects.count() == 0


def test_reply_to_a_reply_joins_the_thread(hub_team, program_people):
    thread = HubPostFactory(group=hub_team, author=program_people.mentee)
    first = services.reply_to_post(post=thread, author=program_people.mentor, body="Yes!")

    second = services.reply_to_post(post=first, author=program_people.mentee, body="Thanks")

    assert list(thread.replies.all()) == [first, second]


def test_a_removed_post_takes_no_replies(hub_team, program_people):
    thread = HubPostFactory(group=hub_team, author=program_people.mentee)
    services.remove_post(post=thread, remover=program_people.mentee)

    with pytest.raises(ValidationError):
        services.reply_to_post(post=thread, author=program_people.mentor, body="Hello")


def test_empty_post_is_refused(hub_team, program_people):
    with pytest.raises(ValidationError) as error:
        services.start_thread(group=hub_team, author=program_people.mentee, body="   ")

    assert error.value.message_dict == {"body": ["Write a message first."]}


def test_only_the_author_edits_and_the_edit_is_dated(hub_team, program_people):
    post = HubPostFactory(group=hub_team, author=program_people.mentee, body="Fist draft")

    with pytest.raises(PermissionDenied):
        services.edit_post(post=post, editor=program_people.mentor, body="Hijacked")
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=False):
        services.edit_post(post=post, editor=program_people.mentee, body="First draft")

    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("First draft", datetime(2026, 11, 20, 12, tzinfo=UTC))


def test_removing_keeps_the_text_and_happens_once(hub_team, program_people):
    post = HubPostFactory(group=hub_team, author=program_people.mentee, body="Oops")

    with pytest.raises(PermissionDenied):
        services.remove_post(post=post, remover=program_people.coordinator)
    assert services.remove_post(post=post, remover=program_people.mentee) is True
    assert services.remove_post(post=post, remover=program_people.mentee) is False

    post.refresh_from_db()
    assert post.removed_at is not None
    assert HubPost.objects.get(pk=post.pk).body == "Oops"


def test_groups_of_another_program_are_not_mixed_in(team, program_people):
    other = GroupFactory(program=program_people.other_program)

    assert list(type(team).objects.visible_to(program_people.coordinator,
                                              program_people.program)) == [team]
    assert other not in type(team).objects.visible_to(program_people.coordinator,
                                                      program_people.program)
