"""Pairings after approval: who sees them, the lifecycle, private rematch requests, the
home page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Pairing, PairingEvent, RematchRequest
from pairing.services import pairings as service
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.conftest import PAIRING_ROLES
from tests.pairing.days import CHICAGO
from tests.pairing.factories import CheckInFactory, NextStepFactory, PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NOBODY = {role: 404 for role in PAIRING_ROLES if role != "anonymous"}
# The pair, those who run the program, and the mentee's school admin see a pairing.
SEE_PAIRING = {**NOBODY, "mentor": 200, "mentee": 200, "coordinator": 200,
               "district_admin": 200, "school_admin": 200}
MANAGE = {**NOBODY, "coordinator": 200, "district_admin": 200}


def test_who_sees_a_pairing(assert_pairing_access, pair):
    assert_pairing_access(reverse("pairing:pairing-detail", args=[pair.pk]), SEE_PAIRING)


def test_the_pairing_list_is_for_the_program_and_shows_each_reader_their_own(
        assert_pairing_access, client, pair, program_people):
    url = reverse("pairing:pairings", args=[program_people.program.pk])
    assert_pairing_access(url, {**SEE_PAIRING, "school_rep": 200})
    # The school rep takes part but matches nothing here: they see no pairing.
    client.force_login(program_people.school_rep)
    assert pair.mentee.user.display_name not in client.get(url).content.decode()
    client.force_login(program_people.mentee)
    assert pair.mentor.user.display_name in client.get(url).content.decode()


def test_a_proposal_is_not_shown_to_the_people_in_it(client, pair, program_people):
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.PROPOSED)
    client.force_login(program_people.mentee)
    assert client.get(reverse("pairing:pairing-detail", args=[pair.pk])).status_code == 404
    assert pair.mentor.user.display_name not in client.get(reverse("home")).content.decode()


def test_check_in_notes_stay_with_the_pair(client, pair, program_people, people):
    CheckInFactory(pairing=pair, status="held", topics="Parent conference nerves",
                   whats_working="Calm openings", minutes_spent=30,
                   scheduled_at=timezone.now() - timedelta(days=1))
    url = reverse("pairing:pairing-detail", args=[pair.pk])
    for reader in [program_people.coordinator, people.district_admin, people.school_admin]:
        client.force_login(reader)
        html = client.get(url).content.decode()
        assert "Parent conference nerves" not in html and "Calm openings" not in html
        assert "stays between them" in html
    client.force_login(program_people.mentee)
    assert "Calm openings" in client.get(url).content.decode()


def test_status_changes_are_for_those_who_run_the_program(client, assert_pairing_access,
                                                          pair, program_people, people):
    url = reverse("pairing:pairing-status", args=[pair.pk])
    for role in ["mentor", "mentee", "school_rep", "school_admin", "other_participant",
                 "outsider"]:
        client.force_login(getattr(program_people, role, None) or getattr(people, role))
        assert client.post(url, {"action": "end", "reason": "other"}).status_code == 404
    pair.refresh_from_db()
    assert pair.status == Pairing.Status.ACTIVE


def test_pause_resume_and_end_keep_the_history(client, pair, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:pairing-status", args=[pair.pk])

    client.post(url, {"action": "pause", "note": "Maternity leave"})
    pair.refresh_from_db()
    assert pair.status == Pairing.Status.PAUSED and pair.next_checkin_due_on is None
    client.post(url, {"action": "resume"})
    pair.refresh_from_db()
    assert pair.status == Pairing.Status.ACTIVE and pair.next_checkin_due_on is not None
    response = client.post(url, {"action": "end"})
    assert response.status_code == 400
    assert "Choose why the pairing ends." in response.content.decode()
    client.post(url, {"action": "end", "reason": "left_school", "note": "Moved away"})

    pair.refresh_from_db()
    assert pair.status == Pairing.Status.ENDED and pair.end_reason == "left_school"
    assert list(pair.events.values_list("kind", flat=True)) == ["paused", "resumed", "ended"]
    html = client.get(reverse("pairing:pairing-detail", args=[pair.pk])).content.decode()
    assert "Maternity leave" in html and "Moved away" in html
    assert Pairing.objects.filter(pk=pair.pk).exists()


def test_a_rematch_request_is_private_and_answered_by_the_coordinator(client, pair,
                                                                      program_people):
    client.force_login(program_people.mentee)
    request_url = reverse("pairing:rematch-request", args=[pair.pk])
    empty = client.post(request_url, {"reason": ""})
    assert empty.status_code == 400
    client.post(request_url, {"reason": "We never find a time to meet."})
    rematch = RematchRequest.objects.get()

    client.force_login(program_people.mentor)
    detail = client.get(reverse("pairing:pairing-detail", args=[pair.pk])).content.decode()
    assert "never find a time" not in detail
    assert client.post(reverse("pairing:rematch-answer", args=[rematch.pk]),
                       {"decision": "rematch", "answer": "x"}).status_code == 404

    client.force_login(program_people.coordinator)
    assert "never find a time" in client.get(
        reverse("pairing:pairing-detail", args=[pair.pk])).content.decode()
    list_html = client.get(reverse("pairing:pairings", args=[pair.program_id])).content.decode()
    assert "Rematch requested" in list_html
    client.post(reverse("pairing:rematch-answer", args=[rematch.pk]),
                {"decision": "rematch", "answer": "We will find you a new mentor."})

    pair.refresh_from_db()
    assert pair.status == Pairing.Status.ENDED and pair.end_reason == "rematch"
    rematch.refresh_from_db()
    assert rematch.state == RematchRequest.State.REMATCHED
    client.force_login(program_people.mentee)
    assert "We will find you a new mentor." in client.get(
        reverse("pairing:pairing-detail", args=[pair.pk])).content.decode()


def _school_based(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep, mentor, mentee = (ParticipantFactory(program=program, role=role,
                                              user=factories.teacher(people.school))
                           for role in ["school_rep", "mentor", "mentee"])
    return program, rep, PairingFactory(mentor=mentor, mentee=mentee)


def test_only_coordinators_read_or_answer_a_rematch_request(client, people, program_people):
    program, rep, pairing = _school_based(people)
    rematch = service.request_rematch(pairing, pairing.mentee.user,
                                      reason="SECRET: my mentor also evaluates me")
    url = reverse("pairing:pairing-detail", args=[pairing.pk])
    # Those who may end the pairing but are not its coordinators: the school's rep (a
    # colleague) and the admins (who evaluate) see neither the request nor who made it.
    for reader in [rep.user, people.district_admin, people.school_admin]:
        client.force_login(reader)
        html = client.get(url).content.decode()
        assert ("Pause or end" in html) == (reader != people.school_admin)
        assert "SECRET" not in html and "Rematch requested" not in html
        assert "Rematch requested" not in client.get(
            reverse("pairing:pairings", args=[program.pk])).content.decode()
        assert client.post(reverse("pairing:rematch-answer", args=[rematch.pk]),
                           {"decision": "rematch", "answer": "x"}).status_code == 404
    rematch.refresh_from_db()
    assert rematch.state == RematchRequest.State.OPEN
    coordinator = ParticipantFactory(program=program, role="coordinator",
                                     user=factories.teacher(people.school))
    client.force_login(coordinator.user)
    assert "SECRET" in client.get(url).content.decode()


def test_one_open_rematch_request_at_a_time(pair, program_people):
    service.request_rematch(pair, program_people.mentee, reason="Schedules clash")
    with pytest.raises(Exception) as error:
        service.request_rematch(pair, program_people.mentee, reason="Again")
    assert "still open" in str(error.value)


def test_the_home_page_greets_the_new_partner_and_lists_next_steps(client, pair,
                                                                  program_people):
    pair.started_on = timezone.localdate()
    pair.save()
    step = NextStepFactory(checkin=CheckInFactory(pairing=pair, status="held"),
                           description="Call the family of the new student")
    client.force_login(program_people.mentee)

    html = client.get(reverse("home")).content.decode()

    assert f"{program_people.mentor.display_name}</a>" in html
    assert "Mentor · " in html
    assert "New partner" in html
    assert step.description in html
    client.force_login(program_people.mentor)
    assert step.description in client.get(reverse("home")).content.decode()


def test_overdue_pairings_are_flagged(client, pair, program_people):
    today = timezone.localdate(timezone=CHICAGO)  # the district's day, as the page counts
    Pairing.objects.filter(pk=pair.pk).update(next_checkin_due_on=today - timedelta(days=3))
    client.force_login(program_people.coordinator)

    html = client.get(reverse("pairing:pairings", args=[pair.program_id]) + "?show=overdue"
                      ).content.decode()

    assert "3 days overdue" in html
    assert Pairing.objects.overdue(today).get() == pair


def test_pages_cost_the_same_for_few_and_many_pairings(client, people, program_people, pair):
    program = program_people.program
    client.force_login(program_people.coordinator)
    list_url = reverse("pairing:pairings", args=[program.pk])
    detail_url = reverse("pairing:pairing-detail", args=[pair.pk])
    CheckInFactory(pairing=pair, status="held")
    few_list, few_detail = count_queries(client, list_url), count_queries(client, detail_url)
    client.force_login(program_people.mentee)
    few_home = count_queries(client, reverse("home"))
    for _ in range(30):  # more check-ins than one page shows
        PairingFactory(mentor=ParticipantFactory(program=program, role="mentor",
                                                 user=factories.teacher(people.school)),
                       mentee=ParticipantFactory(program=program, role="mentee",
                                                 user=factories.teacher(people.school)))
        checkin = CheckInFactory(pairing=pair, status="held")
        NextStepFactory(checkin=checkin)
        PairingEvent.objects.create(pairing=pair, kind="paused")
    # The mentee is in pairings of other programs too.
    for _ in range(3):
        other = ProgramFactory(district=people.district, model=ProgramModel.GROUP)
        PairingFactory(mentor=ParticipantFactory(program=other, role="mentor",
                                                 user=factories.teacher(people.school)),
                       mentee=ParticipantFactory(program=other, role="mentee",
                                                 user=program_people.mentee))
    assert count_queries(client, reverse("home")) == few_home
    client.force_login(program_people.coordinator)
    assert count_queries(client, list_url) == few_list
    assert count_queries(client, detail_url) == few_detail


def test_only_the_pair_may_ask_for_a_rematch(client, pair, program_people, people):
    url = reverse("pairing:rematch-request", args=[pair.pk])
    for role in ["coordinator", "school_rep", "district_admin", "school_admin",
                 "other_participant", "outsider"]:
        client.force_login(getattr(program_people, role, None) or getattr(people, role))
        assert client.post(url, {"reason": "Not a good fit"}).status_code == 404, role
    client.logout()
    assert client.post(url, {"reason": "Not a good fit"}).status_code == 302
    assert not RematchRequest.objects.exists()
    client.force_login(program_people.mentor)
    assert client.post(url, {"reason": "Not a good fit"}).status_code == 302
    assert RematchRequest.objects.get().requested_by == program_people.mentor


def test_a_school_admin_sees_their_schools_pairings_only(client, people, program_people,
                                                        pair):
    elsewhere = PairingFactory(
        mentor=ParticipantFactory(program=program_people.program, role="mentor",
                                  user=factories.teacher(people.other_school)),
        mentee=ParticipantFactory(program=program_people.program, role="mentee",
                                  user=factories.teacher(people.other_school)))
    client.force_login(people.school_admin)
    html = client.get(reverse("pairing:pairings", args=[program_people.program.pk])
                      ).content.decode()
    assert pair.mentee.user.display_name in html
    assert elsewhere.mentee.user.display_name not in html
    assert client.get(reverse("pairing:pairing-detail", args=[elsewhere.pk])).status_code == 404


def test_a_lead_mentor_who_matches_never_reads_their_own_partners_request(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.LEARNING_TEAM)
    lead = ParticipantFactory(program=program, role="lead_mentor",
                              user=factories.teacher(people.school))
    member = ParticipantFactory(program=program, role="mentee",
                                user=factories.teacher(people.school))
    pairing = PairingFactory(mentor=lead, mentee=member)
    rematch = service.request_rematch(pairing, member.user, reason="SECRET: not a fit")
    client.force_login(lead.user)

    html = client.get(reverse("pairing:pairing-detail", args=[pairing.pk])).content.decode()
    listing = client.get(reverse("pairing:pairings", args=[program.pk])).content.decode()

    assert "SECRET" not in html and "Rematch requested" not in listing
    answer = client.post(reverse("pairing:rematch-answer", args=[rematch.pk]),
                         {"decision": "keep", "answer": "Stay"})
    assert answer.status_code == 404
    assert client.post(reverse("pairing:pairing-status", args=[pairing.pk]),
                       {"action": "end", "reason": "other"}).status_code == 404
    rematch.refresh_from_db()
    assert rematch.state == RematchRequest.State.OPEN
