"""What programs have due: a group session tomorrow in the district's own day, a decision on
an application, an invitation waiting; the same keys on every run, queries that do not grow
with the number of people, and emails that say what is due."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from mentorship.reminders import kinds
from programs import reminders
from programs.models import Participant, Program
from tests import factories
from tests.pairing.days import CHICAGO, MONDAY_MORNING
from tests.programs.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    GroupSessionFactory,
    ParticipantFactory,
)
from tests.reminders import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

# Monday 23 November 2026 in Chicago; tomorrow there is Tuesday the 24th.
TUESDAY_EVENING = datetime(2026, 11, 24, 18, 0, tzinfo=CHICAGO)  # already the 25th in UTC


@pytest.fixture
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def run(source):
    return list(source(timezone.now()))




def test_every_kind_is_registered():
    assert {"group-session-tomorrow", "application-decided", "program-invitation"} <= set(kinds)
    assert kinds["group-session-tomorrow"].source is reminders.group_sessions_tomorrow


def test_session_tomorrow_in_the_districts_day_reaches_each_member(program_people, team):
    session = GroupSessionFactory(group=team, title="Reading conferences",
                                  starts_at=TUESDAY_EVENING, location="Library")
    # 20:00 on Monday in Chicago is Tuesday in UTC, but it is today for the district.
    GroupSessionFactory(group=team, starts_at=datetime(2026, 11, 23, 20, tzinfo=CHICAGO))
    due = run(reminders.group_sessions_tomorrow)
    assert sorted(r.user_id for r in due) == sorted(
        [program_people.mentor.pk, program_people.mentee.pk])
    assert {r.key for r in due} == {
        f"group-session-tomorrow:session-{session.pk}:user-{u.pk}:2026-11-24"
        for u in (program_people.mentor, program_people.mentee)}
    assert {r.program_id for r in due} == {program_people.program.pk}
    assert [r.key for r in due] == [r.key for r in run(reminders.group_sessions_tomorrow)]
    lead = next(r for r in due if r.user_id == program_people.mentor.pk)
    subject, text, html = render(lead)
    assert subject == "Reading conferences is tomorrow at 6 p.m."
    assert "Grade 3 Team meets tomorrow, Nov. 24, 2026, at 6 p.m.: Reading conferences" in text
    assert "Place: Library" in text
    assert "You lead this group" in html
    assert "Hello Ana," in text


def test_session_not_announced_to_the_withdrawn_the_inactive_or_in_a_closed_program(
        program_people, team):
    GroupSessionFactory(group=team, starts_at=TUESDAY_EVENING)
    Participant.objects.filter(program=program_people.program,
                               user=program_people.mentee).update(
        status=Participant.Status.WITHDRAWN)
    program_people.mentor.is_active = False
    program_people.mentor.save(update_fields=["is_active"])
    assert run(reminders.group_sessions_tomorrow) == []
    program_people.mentor.is_active = True
    program_people.mentor.save(update_fields=["is_active"])
    assert [r.user_id for r in run(reminders.group_sessions_tomorrow)] == [
        program_people.mentor.pk]
    Program.objects.filter(pk=program_people.program.pk).update(status=Program.Status.CLOSED)
    assert run(reminders.group_sessions_tomorrow) == []


def test_session_after_tomorrow_is_not_due_yet(team):
    GroupSessionFactory(group=team, starts_at=TUESDAY_EVENING + timedelta(days=1))
    GroupSessionFactory(group=team, starts_at=timezone.now() - timedelta(hours=1))
    assert run(reminders.group_sessions_tomorrow) == []


def test_sessions_cost_the_same_queries_for_many_members(
        program_people, team, people, django_assert_max_num_queries):
    GroupSessionFactory(group=team, starts_at=TUESDAY_EVENING)
    with django_assert_max_num_queries(3):  # programs, sessions, members
        assert len(run(reminders.group_sessions_tomorrow)) == 2
    for _ in range(20):
        participant = ParticipantFactory(program=program_people.program,
                                         user=factories.teacher(people.school))
        GroupMembershipFactory(group=team, participant=participant)
    GroupSessionFactory(group=team, starts_at=TUESDAY_EVENING + timedelta(hours=1))
    with django_assert_max_num_queries(3):
        assert len(run(reminders.group_sessions_tomorrow)) == 2 * 22


def test_decision_reaches_the_applicant_once_with_the_reviewers_message(program_people,
                                                                         people):
    applicant = factories.teacher(people.school)
    application = ApplicationFactory(
        participant__program=program_people.program, participant__user=applicant,
        participant__status=Participant.Status.DECLINED,
        decided_at=timezone.now() - timedelta(hours=2),
        decision_message="We are full this year;\nplease apply <again> in spring.")
    ApplicationFactory(participant__program=program_people.program,
                       participant__user=factories.teacher(people.school))  # undecided
    due = run(reminders.applications_decided)
    assert [(r.user_id, r.context["outcome"]) for r in due] == [(applicant.pk, "declined")]
    assert [r.key for r in due] == [r.key for r in run(reminders.applications_decided)]
    assert due[0].key.startswith(f"application-decided:application-{application.pk}:")
    subject, text, html = render(due[0])
    assert subject == "Your application to New Teacher Induction"
    assert "was not accepted this time" in text
    assert "We are full this year;\nplease apply <again> in spring." in text
    # In the HTML part its line break shows and its words stay words.
    assert "We are full this year;<br>please apply &lt;again&gt; in spring." in html


def test_a_new_decision_is_a_new_message_and_old_ones_are_not_sent(program_people, people):
    application = ApplicationFactory(
        participant__program=program_people.program,
        participant__user=factories.teacher(people.school),
        participant__status=Participant.Status.WAITLISTED,
        decided_at=timezone.now() - timedelta(days=1))
    first = run(reminders.applications_decided)
    assert first[0].context["outcome"] == "waitlisted"
    assert render(first[0])[0] == "You are on the waitlist for New Teacher Induction"
    Participant.objects.filter(pk=application.participant_id).update(
        status=Participant.Status.ACTIVE)
    application.decided_at = timezone.now()
    application.save(update_fields=["decided_at"])
    second = run(reminders.applications_decided)
    assert second[0].key != first[0].key
    assert render(second[0])[0] == "You are in: New Teacher Induction"
    application.decided_at = timezone.now() - timedelta(days=30)
    application.save(update_fields=["decided_at"])
    assert run(reminders.applications_decided) == []


def test_invitation_waiting_until_answered(program_people, people):
    invited = factories.teacher(people.school)
    participant = ParticipantFactory(program=program_people.program, user=invited,
                                     role=Participant.Role.MENTOR,
                                     status=Participant.Status.INVITED)
    due = run(reminders.invitations_waiting)
    assert [(r.key, r.user_id) for r in due] == [
        (f"program-invitation:participant-{participant.pk}", invited.pk)]
    subject, text, html = render(due[0])
    assert subject == "You are invited to New Teacher Induction"
    assert "You are invited to take part in New Teacher Induction, which starts on Aug. 17, 2026." \
        in text
    assert "Your role: a mentor" in text
    participant.status = Participant.Status.ACTIVE
    participant.save(update_fields=["status"])
    assert run(reminders.invitations_waiting) == []


def test_invitation_not_sent_to_an_inactive_account_or_for_a_draft(program_people, people):
    invited = factories.teacher(people.school, user__is_active=False)
    ParticipantFactory(program=program_people.program, user=invited,
                       status=Participant.Status.INVITED)
    assert run(reminders.invitations_waiting) == []
    Program.objects.filter(pk=program_people.program.pk).update(status=Program.Status.DRAFT)
    invited.is_active = True
    invited.save(update_fields=["is_active"])
    assert run(reminders.invitations_waiting) == []


def test_news_costs_one_query_however_many(program_people, people,
                                           django_assert_max_num_queries):
    for size in (1, 15):
        for _ in range(size):
            ParticipantFactory(program=program_people.program,
                               user=factories.teacher(people.school),
                               status=Participant.Status.INVITED)
            ApplicationFactory(participant__program=program_people.program,
                               participant__user=factories.teacher(people.school),
                               participant__status=Participant.Status.ACTIVE,
                               decided_at=timezone.now())
        with django_assert_max_num_queries(1):
            run(reminders.invitations_waiting)
        with django_assert_max_num_queries(1):
            run(reminders.applications_decided)


def test_subjects_are_one_line(program_people, team):
    GroupSessionFactory(group=team, starts_at=TUESDAY_EVENING)
    for reminder in run(reminders.group_sessions_tomorrow):
        assert "\n" not in render(reminder)[0]
