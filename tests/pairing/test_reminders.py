"""What pairings have due: a check-in tomorrow in the district's own day, a check-in overdue
once a week, a new pairing, an answered rematch request; never for an ended pairing, an
inactive account or a closed program; the same keys on every run, and queries that do not
grow with the number of pairs."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentorship.reminders import kinds
from pairing import reminders
from pairing.models import CheckIn, Pairing, PairingEvent, RematchRequest
from programs.models import Participant, Program
from tests import factories
from tests.pairing.days import CHICAGO
from tests.pairing.factories import CheckInFactory, PairingFactory
from tests.programs.factories import ParticipantFactory
from tests.reminders import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

# Monday 23 November 2026, 9:00 in Chicago; tomorrow there is Tuesday the 24th.
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 15, 30, tzinfo=CHICAGO)
TODAY = date(2026, 11, 23)


def run(source):
    return list(source(timezone.now()))




def more_pairs(program_people, people, count):
    program = program_people.program
    for _ in range(count):
        PairingFactory(
            mentor=ParticipantFactory(program=program, user=factories.teacher(people.school),
                                      role=Participant.Role.MENTOR),
            mentee=ParticipantFactory(program=program, user=factories.teacher(people.school)),
            next_checkin_due_on=TODAY - timedelta(days=3))


def test_every_kind_is_registered():
    assert {"checkin-tomorrow", "checkin-overdue", "pairing-approved",
            "rematch-answered"} <= set(kinds)


def test_checkin_tomorrow_reminds_both_of_the_pair(program_people, pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=TUESDAY_AFTERNOON,
                             mode=CheckIn.Mode.VIDEO, duration_minutes=45)
    due = run(reminders.checkins_tomorrow)
    assert sorted((r.user_id, r.context["partner"]) for r in due) == sorted([
        (program_people.mentor.pk, str(program_people.mentee)),
        (program_people.mentee.pk, str(program_people.mentor))])
    assert {r.key for r in due} == {
        f"checkin-tomorrow:checkin-{checkin.pk}:user-{u.pk}:2026-11-24"
        for u in (program_people.mentor, program_people.mentee)}
    assert [r.key for r in due] == [r.key for r in run(reminders.checkins_tomorrow)]
    mentee = next(r for r in due if r.user_id == program_people.mentee.pk)
    assert mentee.url == reverse("pairing:checkin-detail", args=[checkin.pk])
    subject, text, html = render(mentee)
    assert subject == f"Check-in with {program_people.mentor} tomorrow at 3:30 p.m."
    assert (f"You meet {program_people.mentor} tomorrow, Nov. 24, 2026, at 3:30 p.m. for 45 "
            "minutes "
            "(by video call, New Teacher Induction).") in text
    assert "by video call" in html
    # Nothing the pair wrote is in the email.
    assert checkin.location not in text + html


def test_checkin_tomorrow_shows_the_date_and_time_in_the_recipients_language(pair):
    CheckInFactory(pairing=pair, scheduled_at=TUESDAY_AFTERNOON)
    reminder = run(reminders.checkins_tomorrow)[0]
    # The outbox renders each message inside the recipient's language.
    with translation.override("es"):
        subject, text, html = render(reminder)
    assert "15:30" in subject
    assert "24 de noviembre de 2026" in text
    assert "24 de noviembre de 2026" in html
    assert "2026-11-24" not in subject + text + html
    assert "p.m." not in subject + text + html

def test_checkin_tomorrow_follows_the_districts_day(program_people, pair):
    # 19:00 on Monday in Chicago is Tuesday in UTC, but it is today for the district.
    CheckInFactory(pairing=pair, scheduled_at=datetime(2026, 11, 23, 19, tzinfo=CHICAGO))
    # 23:00 on Tuesday in Chicago is Wednesday in UTC, and tomorrow for the district.
    late = CheckInFactory(pairing=pair, scheduled_at=datetime(2026, 11, 24, 23,
                                                              tzinfo=CHICAGO))
    assert {r.key.split(":")[1] for r in run(reminders.checkins_tomorrow)} == {
        f"checkin-{late.pk}"}


def test_no_checkin_reminder_when_cancelled_ended_inactive_or_closed(program_people, pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=TUESDAY_AFTERNOON)
    CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.CANCELLED)
    assert run(reminders.checkins_tomorrow) == []
    CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.SCHEDULED)
    program_people.mentee.is_active = False
    program_people.mentee.save(update_fields=["is_active"])
    assert [r.user_id for r in run(reminders.checkins_tomorrow)] == [program_people.mentor.pk]
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED)
    assert run(reminders.checkins_tomorrow) == []
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ACTIVE)
    Program.objects.filter(pk=pair.program_id).update(status=Program.Status.CLOSED)
    assert run(reminders.checkins_tomorrow) == []


def test_checkins_tomorrow_cost_the_same_for_many_pairs(
        program_people, pair, people, django_assert_max_num_queries):
    CheckInFactory(pairing=pair, scheduled_at=TUESDAY_AFTERNOON)
    with django_assert_max_num_queries(2):  # programs, check-ins with their people
        assert len(run(reminders.checkins_tomorrow)) == 2
    more_pairs(program_people, people, 10)
    for other in Pairing.objects.exclude(pk=pair.pk):
        CheckInFactory(pairing=other, scheduled_at=TUESDAY_AFTERNOON)
    with django_assert_max_num_queries(2):
        assert len(run(reminders.checkins_tomorrow)) == 22


def test_overdue_reminds_the_mentor_once_a_week(program_people, pair, monday_morning):
    Pairing.objects.filter(pk=pair.pk).update(next_checkin_due_on=TODAY - timedelta(days=4))
    due = run(reminders.checkins_overdue)
    assert [(r.user_id, r.key) for r in due] == [
        (program_people.mentor.pk,
         f"checkin-overdue:pairing-{pair.pk}:user-{program_people.mentor.pk}:2026-W48")]
    subject, text, html = render(due[0])
    assert subject == f"Time to meet {program_people.mentee}: a check-in is overdue"
    assert (f"Your next check-in with {program_people.mentee} was due on Nov. 19, 2026, "
            "4 days ago.") in text
    assert "asks pairs to meet every" in html
    monday_morning.shift(timedelta(days=3))
    assert [r.key for r in run(reminders.checkins_overdue)] == [due[0].key]
    monday_morning.shift(timedelta(days=4))  # the next Monday: a new week overdue
    assert [r.key for r in run(reminders.checkins_overdue)] == [
        f"checkin-overdue:pairing-{pair.pk}:user-{program_people.mentor.pk}:2026-W49"]


def test_overdue_reminds_both_peers(people):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(district=people.district, model="peer")
    first = ParticipantFactory(program=program, user=people.teacher, role="peer")
    second = ParticipantFactory(program=program, user=people.colleague, role="peer")
    PairingFactory(mentor=first, mentee=second, next_checkin_due_on=TODAY - timedelta(days=1))
    assert sorted(r.user_id for r in run(reminders.checkins_overdue)) == sorted(
        [people.teacher.pk, people.colleague.pk])


def test_not_overdue_on_the_due_day_nor_when_paused_or_the_mentor_withdrew(program_people,
                                                                            pair):
    Pairing.objects.filter(pk=pair.pk).update(next_checkin_due_on=TODAY)
    assert run(reminders.checkins_overdue) == []
    Pairing.objects.filter(pk=pair.pk).update(next_checkin_due_on=TODAY - timedelta(days=2),
                                              status=Pairing.Status.PAUSED)
    assert run(reminders.checkins_overdue) == []
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ACTIVE)
    Participant.objects.filter(pk=pair.mentor_id).update(status=Participant.Status.WITHDRAWN)
    assert run(reminders.checkins_overdue) == []


def test_overdue_costs_the_same_for_many_pairs(program_people, pair, people,
                                               django_assert_max_num_queries):
    Pairing.objects.filter(pk=pair.pk).update(next_checkin_due_on=TODAY - timedelta(days=4))
    with django_assert_max_num_queries(2):  # programs, pairings with their people
        assert len(run(reminders.checkins_overdue)) == 1
    more_pairs(program_people, people, 12)
    with django_assert_max_num_queries(2):
        assert len(run(reminders.checkins_overdue)) == 13


def test_new_pairing_announced_to_both_once(program_people, pair, people,
                                            django_assert_max_num_queries):
    PairingEvent.objects.create(pairing=pair, kind=PairingEvent.Kind.APPROVED,
                                at=timezone.now() - timedelta(hours=1))
    due = run(reminders.pairings_approved)
    assert sorted(r.key for r in due) == sorted(
        f"pairing-approved:pairing-{pair.pk}:user-{u.pk}"
        for u in (program_people.mentor, program_people.mentee))
    by_user = {r.user_id: render(r) for r in due}
    assert by_user[program_people.mentee.pk][0] == f"You have a mentor: {program_people.mentor}"
    assert by_user[program_people.mentor.pk][0] == f"You have a mentee: {program_people.mentee}"
    assert "schedule your first check-in together" in by_user[program_people.mentee.pk][1]
    assert [r.key for r in due] == [r.key for r in run(reminders.pairings_approved)]
    more_pairs(program_people, people, 8)
    for other in Pairing.objects.exclude(pk=pair.pk):
        PairingEvent.objects.create(pairing=other, kind=PairingEvent.Kind.APPROVED)
    with django_assert_max_num_queries(1):
        assert len(run(reminders.pairings_approved)) == 18


def test_checkin_tomorrow_across_the_end_of_daylight_saving(program_people, pair):
    # Sunday 1 November 2026 is 25 hours long in Chicago: clocks go back at 2:00.
    late_sunday = CheckInFactory(pairing=pair,
                                 scheduled_at=datetime(2026, 11, 1, 23, 30, tzinfo=CHICAGO))
    CheckInFactory(pairing=pair, scheduled_at=datetime(2026, 11, 2, 0, 30, tzinfo=CHICAGO))
    saturday_morning = datetime(2026, 10, 31, 8, 0, tzinfo=CHICAGO)
    due = list(reminders.checkins_tomorrow(saturday_morning))
    assert {r.key for r in due} == {
        f"checkin-tomorrow:checkin-{late_sunday.pk}:user-{u.pk}:2026-11-01"
        for u in (program_people.mentor, program_people.mentee)}
    assert {r.context["time"] for r in due} == {"23:30"}
    # Late on Sunday evening in Chicago it is already Monday in UTC: still Sunday's check-in
    # is today, and Monday 0:30 is tomorrow.
    sunday_evening = datetime(2026, 11, 1, 20, 0, tzinfo=CHICAGO)
    assert {r.context["date"] for r in reminders.checkins_tomorrow(sunday_evening)} == {
        "2026-11-02"}

def test_names_read_as_written_in_the_subject_and_stay_escaped_in_the_html(program_people,
                                                                          pair):
    mentor = program_people.mentor
    mentor.display_name = "Siobhán O'Brien <Kelly>"
    mentor.save()
    program_people.program.name = "Reading & Writing"
    program_people.program.save()
    PairingEvent.objects.create(pairing=pair, kind=PairingEvent.Kind.APPROVED,
                                at=timezone.now() - timedelta(hours=1))
    CheckInFactory(pairing=pair, scheduled_at=TUESDAY_AFTERNOON)
    for source in (reminders.pairings_approved, reminders.checkins_tomorrow):
        reminder = next(r for r in run(source) if r.user_id == program_people.mentee.pk)
        subject, text, html = render(reminder)
        # A subject is plain text: an apostrophe is not "&#39;".
        assert "Siobhán O'Brien <Kelly>" in subject
        assert "Siobhán O'Brien <Kelly>" in text
        assert "<Kelly>" not in html
        assert "O&#39;Brien &lt;Kelly&gt;" in html

def test_old_paused_or_ended_pairings_are_not_announced(pair):
    event = PairingEvent.objects.create(pairing=pair, kind=PairingEvent.Kind.APPROVED,
                                        at=timezone.now() - timedelta(days=10))
    assert run(reminders.pairings_approved) == []
    PairingEvent.objects.filter(pk=event.pk).update(at=timezone.now())
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.PAUSED)
    assert run(reminders.pairings_approved) == []
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED)
    assert run(reminders.pairings_approved) == []


def test_answered_rematch_request_tells_the_person_who_asked(program_people, pair):
    request = RematchRequest.objects.create(
        pairing=pair, requested_by=program_people.mentee, reason="Schedules never match",
        state=RematchRequest.State.KEPT, answer="Let us try a new meeting day first.",
        answered_by=program_people.coordinator, answered_at=timezone.now())
    RematchRequest.objects.create(pairing=pair, requested_by=program_people.mentor,
                                  reason="Still open")
    due = run(reminders.rematch_requests_answered)
    assert [(r.user_id, r.key) for r in due] == [
        (program_people.mentee.pk, f"rematch-answered:request-{request.pk}")]
    subject, text, html = render(due[0])
    assert subject == "Your request for a different partner was answered"
    assert "has kept your pairing for now" in text
    # The reason and the answer stay on the page.
    assert "Schedules never match" not in text + html
    assert "new meeting day" not in text + html


def test_an_answer_does_not_reach_someone_who_has_left_the_program(program_people, pair):
    RematchRequest.objects.create(
        pairing=pair, requested_by=program_people.mentee, reason="Schedules never match",
        state=RematchRequest.State.KEPT, answered_by=program_people.coordinator,
        answered_at=timezone.now())
    pair.mentee.status = Participant.Status.WITHDRAWN
    pair.mentee.save(update_fields=["status"])
    assert run(reminders.rematch_requests_answered) == []


def test_subjects_are_one_line(program_people, pair):
    CheckInFactory(pairing=pair, scheduled_at=TUESDAY_AFTERNOON)
    Pairing.objects.filter(pk=pair.pk).update(next_checkin_due_on=TODAY - timedelta(days=1))
    PairingEvent.objects.create(pairing=pair, kind=PairingEvent.Kind.APPROVED)
    for source in (reminders.checkins_tomorrow, reminders.checkins_overdue,
                   reminders.pairings_approved):
        for reminder in run(source):
            assert "\n" not in render(reminder)[0]
