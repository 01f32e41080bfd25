import re
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from pairing.models import CheckIn, NextStep, Pairing
from programs.models import TimeLog
from tests.pairing.days import CHICAGO, MONDAY_MORNING
from tests.pairing.factories import CheckInFactory, NextStepFactory
from tests.programs.factories import BlackoutPeriodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

NOW = MONDAY_MORNING
NOBODY_ELSE = {"coordinator": 404, "school_rep": 404, "district_admin": 404,
               "school_admin": 404, "other_participant": 404, "outsider": 404}


def the_pair(status):
    return {**NOBODY_ELSE, "mentor": status, "mentee": status}


def local(*args):
    return datetime(*args, tzinfo=CHICAGO)


def url(name, pk):
    return reverse(f"pairing:{name}", args=[pk])


def field_error(response, field):
    """The error text crispy renders under one field (its id ties it to the input)."""
    html = response.content.decode()
    match = re.search(rf'id="error_1_id_{field}"[^>]*>\s*(?:<strong>)?(.*?)(?:</strong>)?\s*<',
                      html, re.S)
    return match.group(1).strip() if match else None


def schedule_data(**overrides):
    return {"scheduled_at": "2026-12-02T15:30", "duration_minutes": "30", "mode": "in_person",
            "location": "Room 12", "video_url": "", **overrides}


def record_data(rows=(), **overrides):
    data = {"outcome": "held", "minutes_spent": "45", "whats_working": "Routines stick.",
            "topics": "Transitions", "challenges": "Afternoon energy",
            "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "10", **overrides}
    for i in range(3):
        row = rows[i] if i < len(rows) else {}
        for field in ("description", "owner", "due_on"):
            data[f"steps-{i}-{field}"] = row.get(field, "")
    return data


def past_checkin(pair, **kwargs):
    return CheckInFactory(pairing=pair, scheduled_at=local(2026, 11, 20, 15), **kwargs)


def set_status(pair, status):
    pair.status = status
    pair.save(update_fields=["status"])


# Who may do what: the pair, and nobody else

def test_schedule_page_is_for_the_pair_only(assert_pairing_access, pair):
    assert_pairing_access(url("checkin-create", pair.pk), the_pair(200))
    # The mentor schedules it; the mentee's same time is refused as taken.
    assert_pairing_access(url("checkin-create", pair.pk), {**the_pair(302), "mentee": 400},
                          method="post", data=schedule_data())

    assert CheckIn.objects.filter(pairing=pair).count() == 1


def test_checkin_detail_is_for_the_pair_only(assert_pairing_access, pair):
    checkin = past_checkin(pair, status=CheckIn.Status.HELD, whats_working="Routines")

    assert_pairing_access(url("checkin-detail", checkin.pk), the_pair(200))


def test_edit_is_for_the_pair_only(assert_pairing_access, pair):
    checkin = CheckInFactory(pairing=pair)

    assert_pairing_access(url("checkin-edit", checkin.pk), the_pair(200))
    assert_pairing_access(url("checkin-edit", checkin.pk), the_pair(302), method="post",
                          data=schedule_data())

    assert CheckIn.objects.get().sequence == 1  # the second change was the same time again


def test_record_is_for_the_pair_only(assert_pairing_access, pair):
    checkin = past_checkin(pair)

    assert_pairing_access(url("checkin-record", checkin.pk), the_pair(200))
    # The mentor records it; the mentee's copy finds it recorded and is told so, next to
    # what they typed.
    assert_pairing_access(url("checkin-record", checkin.pk),
                          {**the_pair(302), "mentee": 400}, method="post", data=record_data())

    assert TimeLog.objects.count() == 2


def test_cancel_is_for_the_pair_only(assert_pairing_access, pair):
    checkin = CheckInFactory(pairing=pair)

    assert_pairing_access(url("checkin-cancel", checkin.pk), the_pair(302), method="post")

    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.CANCELLED and checkin.sequence == 1


def test_next_step_done_is_for_the_pair_only(assert_pairing_access, pair):
    step = NextStepFactory(checkin=past_checkin(pair, status=CheckIn.Status.HELD))

    assert_pairing_access(url("next-step-done", step.pk), the_pair(302), method="post",
                          data={"done": "1"})

    assert NextStep.objects.get().done_at is not None


def test_cancel_and_next_step_done_take_only_post(client, pair):
    checkin = CheckInFactory(pairing=pair)
    step = NextStepFactory(checkin=checkin)
    client.force_login(pair.mentor.user)

    assert client.get(url("checkin-cancel", checkin.pk)).status_code == 405
    assert client.get(url("next-step-done", step.pk)).status_code == 405


@pytest.mark.parametrize("status", [Pairing.Status.PAUSED, Pairing.Status.ENDED])
def test_a_paused_or_ended_pairing_takes_no_changes_and_keeps_what_was_typed(client, pair,
                                                                             status):
    scheduled = CheckInFactory(pairing=pair)
    past = past_checkin(pair)
    # The coordinator pauses or ends the pairing while the mentor has the forms open.
    set_status(pair, status)
    client.force_login(pair.mentor.user)

    posted = [
        client.post(url("checkin-create", pair.pk), schedule_data(location="Room 77")),
        client.post(url("checkin-edit", scheduled.pk), schedule_data(location="Room 77")),
        client.post(url("checkin-record", past.pk),
                    record_data(whats_working="Her warm-up questions land")),
    ]

    for answer in posted:
        assert answer.status_code == 400
        html = answer.content.decode()
        assert "only while the pairing is active" in html
        assert "Room 77" in html or "Her warm-up questions land" in html
    assert client.post(url("checkin-cancel", scheduled.pk)).status_code == 404
    opening = client.get(url("checkin-create", pair.pk))
    assert opening.status_code == 302 and opening.url == url("pairing-detail", pair.pk)
    assert CheckIn.objects.filter(status="scheduled").count() == 2
    assert not TimeLog.objects.exists()
    # The pair still reads what they wrote.
    assert client.get(url("checkin-detail", past.pk)).status_code == 200


def test_the_second_to_record_a_checkin_keeps_their_notes_and_is_told(client, pair):
    past = past_checkin(pair)
    client.force_login(pair.mentee.user)
    client.post(url("checkin-record", past.pk), record_data())
    client.force_login(pair.mentor.user)

    answer = client.post(url("checkin-record", past.pk),
                         record_data(whats_working="Her warm-up questions land"))

    assert answer.status_code == 400
    html = answer.content.decode()
    assert "already recorded" in html and "Her warm-up questions land" in html
    past.refresh_from_db()
    assert past.whats_working == "Routines stick."


def test_a_proposed_pairing_has_no_checkin_pages(client, pair):
    set_status(pair, Pairing.Status.PROPOSED)
    client.force_login(pair.mentor.user)

    assert client.get(url("checkin-create", pair.pk)).status_code == 404


def test_next_steps_of_a_paused_pairing_can_still_be_ticked_off(client, pair):
    step = NextStepFactory(checkin=past_checkin(pair, status=CheckIn.Status.HELD))
    set_status(pair, Pairing.Status.PAUSED)
    client.force_login(pair.mentee.user)

    assert client.post(url("next-step-done", step.pk), {"done": "1"}).status_code == 302
    set_status(pair, Pairing.Status.ENDED)
    assert client.post(url("next-step-done", step.pk), {"done": "0"}).status_code == 404
    assert NextStep.objects.get().done_at is not None


# Scheduling

def test_the_pair_schedules_in_the_district_time_zone(client, pair):
    client.force_login(pair.mentee.user)

    response = client.post(url("checkin-create", pair.pk), schedule_data())

    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    assert response.url == url("pairing-detail", pair.pk)
    assert checkin.scheduled_at == datetime(2026, 12, 2, 21, 30, tzinfo=UTC)
    assert checkin.scheduled_by == pair.mentee.user


def test_a_blackout_day_is_refused_next_to_the_date(client, pair):
    BlackoutPeriodFactory(program=pair.program, name="Thanksgiving break",
                          starts_on=date(2026, 11, 25), ends_on=date(2026, 11, 27))
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-create", pair.pk),
                           schedule_data(scheduled_at="2026-11-26T10:00", location="Library"))

    assert response.status_code == 400
    assert field_error(response, "scheduled_at") == (
        "Nov. 26, 2026 is a blackout day (Thanksgiving break): nothing is scheduled on it. "
        "Choose another day.")
    html = response.content.decode()
    assert 'value="2026-11-26T10:00"' in html and 'value="Library"' in html
    assert not CheckIn.objects.exists()


def test_a_weekend_is_refused_next_to_the_date(client, pair):
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-create", pair.pk),
                           schedule_data(scheduled_at="2026-11-29T10:00"))

    assert response.status_code == 400
    assert field_error(response, "scheduled_at") == (
        "Nov. 29, 2026 is a Sunday, not a school day. Choose a weekday.")


def test_a_video_checkin_without_a_link_keeps_what_was_typed(client, pair):
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-create", pair.pk), schedule_data(
        mode="video", duration_minutes="2", scheduled_at="2026-12-02T16:45"))

    assert response.status_code == 400
    assert field_error(response, "video_url") == (
        "A video check-in needs a link: paste the address of the call.")
    assert field_error(response, "duration_minutes") == "A check-in lasts at least 5 minutes."
    html = response.content.decode()
    assert 'value="2026-12-02T16:45"' in html
    assert re.search(r'value="video"[^>]*checked', html)


def test_rescheduling_shows_the_saved_local_time_and_bumps_the_sequence(client, pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(2026, 12, 2, 15, 30))
    client.force_login(pair.mentee.user)

    page = client.get(url("checkin-edit", checkin.pk)).content.decode()
    response = client.post(url("checkin-edit", checkin.pk),
                           schedule_data(scheduled_at="2026-12-03T08:00"))

    assert 'value="2026-12-02T15:30"' in page
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.scheduled_at == local(2026, 12, 3, 8) and checkin.sequence == 1


def test_a_recorded_checkin_is_not_rescheduled(client, pair):
    checkin = past_checkin(pair, status=CheckIn.Status.HELD)
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-edit", checkin.pk), schedule_data())

    assert response.status_code == 400
    assert "Only a scheduled check-in can be changed" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.sequence == 0 and checkin.scheduled_at == local(2026, 11, 20, 15)


def test_cancelling_goes_back_to_the_pairing(client, pair):
    checkin = CheckInFactory(pairing=pair)
    client.force_login(pair.mentee.user)

    response = client.post(url("checkin-cancel", checkin.pk), follow=True)

    assert response.redirect_chain[0][0] == url("pairing-detail", pair.pk)
    assert CheckIn.objects.get().status == CheckIn.Status.CANCELLED


# Recording

def test_the_pair_records_a_held_checkin_with_next_steps(client, pair):
    checkin = past_checkin(pair)
    client.force_login(pair.mentee.user)

    response = client.post(url("checkin-record", checkin.pk), record_data(rows=[
        {"description": "Try a seating chart", "owner": pair.mentee.user_id,
         "due_on": "2026-12-04"},
        {},
        {"description": "Share the checklist", "owner": pair.mentor.user_id,
         "due_on": "2026-11-30"},
    ]))

    assert response.status_code == 302
    assert response.url == url("pairing-detail", pair.pk)
    checkin.refresh_from_db()
    pair.refresh_from_db()
    assert checkin.status == CheckIn.Status.HELD and checkin.minutes_spent == 45
    assert sorted(checkin.next_steps.values_list("description", "owner", "due_on")) == [
        ("Share the checklist", pair.mentor.user_id, date(2026, 11, 30)),
        ("Try a seating chart", pair.mentee.user_id, date(2026, 12, 4)),
    ]
    assert sorted(TimeLog.objects.values_list("user", "minutes")) == sorted(
        [(pair.mentor.user_id, 45), (pair.mentee.user_id, 45)])
    assert pair.next_checkin_due_on == date(2026, 11, 27)


def test_what_is_working_opens_the_notes(client, pair):
    checkin = past_checkin(pair)
    client.force_login(pair.mentor.user)

    html = client.get(url("checkin-record", checkin.pk)).content.decode()

    assert html.index('id="id_whats_working"') < html.index('id="id_topics"') < html.index(
        'id="id_challenges"')


def test_a_bad_next_step_row_is_shown_next_to_its_field(client, pair):
    checkin = past_checkin(pair)
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-record", checkin.pk), record_data(rows=[
        {"description": "Plan the fractions unit", "owner": "", "due_on": "2026-12-04"},
        {"description": "Visit a classroom", "owner": pair.mentor.user_id,
         "due_on": "2027-08-01"},
    ]))

    assert response.status_code == 400
    assert field_error(response, "steps-0-owner") == "This field is required."
    assert field_error(response, "steps-1-due_on").startswith(
        "Choose a due date inside the program")
    html = response.content.decode()
    assert 'value="Plan the fractions unit"' in html and 'value="Visit a classroom"' in html
    assert 'value="2027-08-01"' in html and "Routines stick." in html
    assert CheckIn.objects.get().status == CheckIn.Status.SCHEDULED
    assert not TimeLog.objects.exists() and not NextStep.objects.exists()


def test_an_owner_outside_the_pair_is_not_a_choice(client, pair, people):
    checkin = past_checkin(pair)
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-record", checkin.pk), record_data(rows=[
        {"description": "Observe", "owner": people.school_admin.pk, "due_on": "2026-12-04"}]))

    assert response.status_code == 400
    assert field_error(response, "steps-0-owner").startswith("Select a valid choice.")


def test_a_held_checkin_needs_time_and_what_is_working(client, pair):
    checkin = past_checkin(pair)
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-record", checkin.pk),
                           record_data(minutes_spent="", whats_working="", topics="Kept"))

    assert response.status_code == 400
    assert field_error(response, "minutes_spent") == (
        "Enter how many minutes you spent together.")
    assert field_error(response, "whats_working") == (
        "Start with what is working: name at least one strength.")
    assert "Kept" in response.content.decode()


def test_a_checkin_still_to_come_cannot_be_recorded_as_held(client, pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(2026, 11, 24, 15))
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-record", checkin.pk), record_data())

    assert response.status_code == 400
    assert field_error(response, "outcome") == (
        "This check-in is still to come. Record it once it has taken place, or reschedule "
        "it.")
    assert "Routines stick." in response.content.decode()
    assert not TimeLog.objects.exists()


def test_a_missed_checkin_is_recorded_without_time(client, pair):
    due = pair.next_checkin_due_on
    checkin = past_checkin(pair)
    client.force_login(pair.mentor.user)

    response = client.post(url("checkin-record", checkin.pk), record_data(
        outcome="missed", minutes_spent="", whats_working=""))

    assert response.status_code == 302
    pair.refresh_from_db()
    assert CheckIn.objects.get().status == CheckIn.Status.MISSED
    assert not TimeLog.objects.exists() and pair.next_checkin_due_on == due


def test_a_second_submit_logs_no_more_time(client, pair):
    checkin = past_checkin(pair)
    client.force_login(pair.mentor.user)

    first = client.post(url("checkin-record", checkin.pk), record_data())
    second = client.post(url("checkin-record", checkin.pk), record_data())

    assert first.status_code == second.status_code == 302
    assert second.url == url("checkin-detail", checkin.pk)
    assert TimeLog.objects.count() == 2


# Reading

def test_the_detail_shows_notes_next_steps_and_the_calendar_link(client, pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=local(2026, 12, 2, 15, 30))
    held = past_checkin(pair, status=CheckIn.Status.HELD, minutes_spent=40,
                        whats_working="Exit tickets are working")
    NextStepFactory(checkin=held, description="Try a seating chart")
    client.force_login(pair.mentor.user)

    scheduled_page = client.get(url("checkin-detail", checkin.pk)).content.decode()
    held_page = client.get(url("checkin-detail", held.pk)).content.decode()

    assert url("checkin-ics", checkin.pk) in scheduled_page
    assert "3:30 p.m." in scheduled_page  # local time, not UTC
    assert url("checkin-edit", checkin.pk) in scheduled_page
    assert "Exit tickets are working" in held_page and "Try a seating chart" in held_page
    assert url("checkin-ics", held.pk) not in held_page
    assert url("checkin-edit", held.pk) not in held_page


def test_ticking_a_next_step_with_htmx_answers_with_the_step(client, pair):
    step = NextStepFactory(checkin=past_checkin(pair, status=CheckIn.Status.HELD),
                           description="Try a seating chart")
    client.force_login(pair.mentee.user)

    response = client.post(url("next-step-done", step.pk), {"done": "1"},
                           HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="next-step-{step.pk}"')
    assert "Mark as not done" in html and "<html" not in html
    assert NextStep.objects.get().done_at is not None


def test_ticking_a_next_step_without_htmx_goes_back(client, pair):
    step = NextStepFactory(checkin=past_checkin(pair, status=CheckIn.Status.HELD))
    client.force_login(pair.mentee.user)
    back = url("pairing-detail", pair.pk)

    response = client.post(url("next-step-done", step.pk), {"done": "1", "next": back})
    elsewhere = client.post(url("next-step-done", step.pk),
                            {"done": "0", "next": "https://evil.example.org/"})

    assert response.url == back
    assert elsewhere.url == url("checkin-detail", step.checkin_id)
    assert NextStep.objects.get().done_at is None


def list_html(rf, pair, can_read_notes, can_schedule=False):
    """The list as the pairing page includes it (in UTC, so the district zone must win)."""
    request = rf.get(url("pairing-detail", pair.pk))
    request.user = pair.mentor.user
    checkins = list(pair.checkins.prefetch_related("next_steps"))
    return render_to_string("pairing/checkins/includes/list.html", {
        "pairing": pair, "checkins": checkins, "can_read_notes": can_read_notes,
        "can_schedule": can_schedule}, request=request)


def test_the_list_shows_notes_only_to_the_pair(rf, pair):
    held = past_checkin(pair, status=CheckIn.Status.HELD, minutes_spent=40,
                        whats_working="Exit tickets are working")
    NextStepFactory(checkin=held, description="Try a seating chart")
    CheckInFactory(pairing=pair, scheduled_at=local(2026, 12, 2, 15, 30))

    theirs = list_html(rf, pair, can_read_notes=True, can_schedule=True)
    others = list_html(rf, pair, can_read_notes=False)

    for html in (theirs, others):
        assert "Dec. 2, 2026, 3:30 p.m." in html and "Held" in html
        assert "time spent: 40 min" in html and "planned for 30 min" in html
    assert "Exit tickets are working" in theirs and "Try a seating chart" in theirs
    assert url("checkin-create", pair.pk) in theirs
    assert "Exit tickets are working" not in others and "Try a seating chart" not in others
    assert url("checkin-detail", held.pk) not in others
    assert url("checkin-create", pair.pk) not in others
    assert theirs.index("Dec. 2, 2026") < theirs.index("Nov. 20, 2026")  # newest first


def test_the_pairing_page_lists_checkins_without_notes_for_coordinators(client, pair,
                                                                         program_people):
    held = past_checkin(pair, status=CheckIn.Status.HELD, minutes_spent=40,
                        whats_working="Exit tickets are working")
    NextStepFactory(checkin=held, description="Try a seating chart")
    page = url("pairing-detail", pair.pk)

    client.force_login(pair.mentee.user)
    theirs = client.get(page).content.decode()
    client.force_login(program_people.coordinator)
    coordinator = client.get(page).content.decode()

    assert "Exit tickets are working" in theirs and "Try a seating chart" in theirs
    assert "time spent: 40 min" in coordinator and "Nov. 20, 2026, 3 p.m." in coordinator
    assert "Exit tickets are working" not in coordinator
    assert "Try a seating chart" not in coordinator
