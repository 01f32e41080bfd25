"""Pairing pages tried by the people the shared role list leaves out: a member of another
pairing in the same program, a steering-committee member of a district-based program, and
the lead of another team in a learning-team program. None of them reads what a pair wrote
(check-in notes, next steps, rematch reasons) in any page they receive."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.urls import reverse

from pairing.models import CheckIn, NextStep, Pairing, RematchRequest
from pairing.services import pairings as service
from programs.models import Participant
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.days import CHICAGO, MONDAY_MORNING
from tests.pairing.factories import CheckInFactory, NextStepFactory, PairingFactory
from tests.programs.factories import (
    GroupFactory,
    GroupMembershipFactory,
    ParticipantFactory,
    ProgramFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

NOW = MONDAY_MORNING

# What the pair wrote: none of it may reach anyone outside the pair.
TOPICS = "Zanzibar parent conference"
WORKING = "Quokka calm openings"
CHALLENGES = "Xylophone afternoon slump"
STEP = "Narwhal seating chart"
REASON = "Marzipan: my mentor also evaluates me"
SECRETS = [TOPICS, WORKING, CHALLENGES, STEP, REASON]

# Every pairing view but the list, in the order they are tried: reads first, then the
# pair's writes, then the status change (which a manager may make, and which cancels the
# check-ins still to come), last.
PAIR_ONLY_VIEWS = ["checkin-create", "checkin-create-post", "checkin-detail", "checkin-edit",
                   "checkin-edit-post", "checkin-record", "checkin-record-post",
                   "checkin-cancel", "checkin-ics", "next-step-done", "rematch-request"]
VIEWS = ["pairing-detail", *PAIR_ONLY_VIEWS, "rematch-answer", "pairing-status"]
NOWHERE = dict.fromkeys(VIEWS, 404)
# Those who manage a pairing without being in it or coordinating the program: its page,
# and pausing or ending it; nothing of the pair's own, no rematch request.
MANAGER = {**NOWHERE, "pairing-detail": 200, "pairing-status": 302}


def local(*args):
    return datetime(*args, tzinfo=CHICAGO)


def person(school, name):
    return factories.teacher(school, user__display_name=name)


@dataclass
class Scene:
    """A pairing with something of each kind the pair keeps to themselves."""

    pairing: Pairing
    held: CheckIn
    upcoming: CheckIn
    past: CheckIn
    step: NextStep
    rematch: RematchRequest


def scene(pairing):
    held = CheckInFactory(pairing=pairing, scheduled_at=local(2026, 11, 16, 9),
                          status=CheckIn.Status.HELD, minutes_spent=30, topics=TOPICS,
                          whats_working=WORKING, challenges=CHALLENGES,
                          recorded_by=pairing.mentee.user, recorded_at=NOW)
    return Scene(
        pairing=pairing, held=held,
        upcoming=CheckInFactory(pairing=pairing, scheduled_at=local(2026, 11, 30, 9)),
        past=CheckInFactory(pairing=pairing, scheduled_at=local(2026, 11, 20, 9)),
        step=NextStepFactory(checkin=held, description=STEP),
        rematch=service.request_rematch(pairing, pairing.mentee.user, reason=REASON))


def schedule_data(day=2):
    return {"scheduled_at": f"2026-12-{day:02d}T15:30", "duration_minutes": "30",
            "mode": "in_person", "location": "Room 12", "video_url": ""}


def record_data():
    return {"outcome": "held", "minutes_spent": "45", "whats_working": "Routines stick.",
            "topics": "Transitions", "challenges": "Afternoon energy",
            "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "10"}


def requests_for(s):
    """(view, method, url, data) for each view of VIEWS, on the scene's objects."""
    def url(name, pk):
        return reverse(f"pairing:{name}", args=[pk])

    pairing = s.pairing.pk
    return [
        ("pairing-detail", "get", url("pairing-detail", pairing), None),
        ("checkin-create", "get", url("checkin-create", pairing), None),
        ("checkin-create-post", "post", url("checkin-create", pairing), schedule_data()),
        ("checkin-detail", "get", url("checkin-detail", s.held.pk), None),
        ("checkin-edit", "get", url("checkin-edit", s.upcoming.pk), None),
        ("checkin-edit-post", "post", url("checkin-edit", s.upcoming.pk),
         schedule_data(day=3)),
        ("checkin-record", "get", url("checkin-record", s.past.pk), None),
        ("checkin-record-post", "post", url("checkin-record", s.past.pk), record_data()),
        ("checkin-cancel", "post", url("checkin-cancel", s.upcoming.pk), {}),
        ("checkin-ics", "get", url("checkin-ics", s.upcoming.pk), None),
        ("next-step-done", "post", url("next-step-done", s.step.pk), {"done": "1"}),
        ("rematch-request", "post", url("rematch-request", pairing),
         {"reason": "Not a good fit"}),
        ("rematch-answer", "post", url("rematch-answer", s.rematch.pk),
         {"decision": "rematch", "answer": "We will find another mentor."}),
        ("pairing-status", "post", url("pairing-status", pairing),
         {"action": "pause", "note": "Back after the winter break"}),
    ]


def snapshot(s):
    """What a refused request must leave as it was."""
    pairing = Pairing.objects.get(pk=s.pairing.pk)
    return {
        "pairing": (pairing.status, pairing.end_reason),
        "checkins": sorted(CheckIn.objects.filter(pairing=s.pairing).values_list(
            "pk", "status", "scheduled_at", "sequence", "whats_working")),
        "step_done": NextStep.objects.get(pk=s.step.pk).done_at,
        "rematch": sorted(RematchRequest.objects.filter(pairing=s.pairing).values_list(
            "pk", "state", "answer")),
    }


def assert_no_secrets(html, where):
    for secret in SECRETS:
        assert secret not in html, (where, secret)


def try_views(client, reader, s):
    """Each pairing view as `reader`: {view: status}. Every answer is checked for what the
    pair wrote, and the refused ones for changes."""
    client.force_login(reader)
    seen = {}
    before = snapshot(s)
    for view, method, url, data in requests_for(s):
        if view == "pairing-status":
            # Nothing so far may have changed anything, whatever it answered.
            assert snapshot(s) == before, reader
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        seen[view] = response.status_code
        assert_no_secrets(response.content.decode(), view)
        if response.status_code == 302 and method == "post":
            # Where a permitted change leads must not show the pair's words either.
            assert_no_secrets(client.get(response.url).content.decode(), f"{view} -> next")
    return seen


def assert_nothing_leaks_elsewhere(client, reader, program):
    """The reader's other pages that summarise pairings: home, the program, the calendar."""
    client.force_login(reader)
    for url in [reverse("home"), reverse("programs:detail", args=[program.pk]),
                reverse("pairing:calendar"),
                reverse("pairing:pairings", args=[program.pk]),
                reverse("pairing:pairings", args=[program.pk]) + "?show=all"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_secrets(response.content.decode(), url)


def pairing_list(client, reader, program):
    """The rows of the program's pairing list as the reader sees it (the program's header
    above it names its leads and coordinators to every participant)."""
    client.force_login(reader)
    response = client.get(reverse("pairing:pairings", args=[program.pk]) + "?show=all")
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_secrets(html, "list")
    return html.partition("<tbody>")[2].partition("</tbody>")[0]


# A member of another pairing in the same program

@pytest.fixture
def one_on_one(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)

    def pair(mentor, mentee):
        return PairingFactory(
            mentor=ParticipantFactory(program=program, role=Participant.Role.MENTOR,
                                      user=person(people.other_school, mentor)),
            mentee=ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                      user=person(people.school, mentee)))

    return program, scene(pair("Beatrix Holloway", "Cedric Alder")), pair("Dorothea Finch",
                                                                          "Emeric Stone")


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_a_member_of_another_pairing_finds_nothing_of_this_one(client, one_on_one, side):
    program, s, theirs = one_on_one
    reader = getattr(theirs, side).user

    assert try_views(client, reader, s) == NOWHERE
    assert snapshot(s)["pairing"] == (Pairing.Status.ACTIVE, "")


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_a_member_of_another_pairing_lists_only_their_own(client, one_on_one, side):
    program, s, theirs = one_on_one
    reader = getattr(theirs, side).user

    html = pairing_list(client, reader, program)

    assert "Dorothea Finch" in html and "Emeric Stone" in html
    assert "Beatrix Holloway" not in html and "Cedric Alder" not in html
    assert reverse("pairing:pairing-detail", args=[s.pairing.pk]) not in html
    assert "Rematch requested" not in html
    assert_nothing_leaks_elsewhere(client, reader, program)


def test_the_pair_themselves_reach_every_view(client, one_on_one):
    """The same requests work for the mentor: the 404s above are not broken requests."""
    program, s, _theirs = one_on_one
    client.force_login(s.pairing.mentor.user)

    seen = {view: (getattr(client, method)(url, data) if data is not None
                   else client.get(url)).status_code
            for view, method, url, data in requests_for(s)}

    assert seen == {**NOWHERE, "pairing-detail": 200, "checkin-create": 200,
                    "checkin-create-post": 302, "checkin-detail": 200, "checkin-edit": 200,
                    "checkin-edit-post": 302, "checkin-record": 200,
                    "checkin-record-post": 302, "checkin-cancel": 302, "checkin-ics": 200,
                    "next-step-done": 302, "rematch-request": 302}
    # And the coordinator's answer to the request is taken as sent.
    coordinator = person(s.pairing.mentee.school, "Ottoline Park")
    ParticipantFactory(program=program, user=coordinator, role=Participant.Role.COORDINATOR)
    client.force_login(coordinator)
    _view, method, url, data = requests_for(s)[-2]
    assert client.post(url, data).status_code == 302
    assert RematchRequest.objects.get(pk=s.rematch.pk).state == RematchRequest.State.REMATCHED


# A steering-committee member of a district-based program

@pytest.fixture
def district_based(people):
    """A district-based program (the steering committee matches) with a pairing across two
    schools, and a committee member from a third teacher of the district."""
    program = ProgramFactory(district=people.district, model=ProgramModel.DISTRICT_BASED)
    member = person(people.school, "Fenella Steer")
    ParticipantFactory(program=program, user=member, role=Participant.Role.STEERING)
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=program, role=Participant.Role.MENTOR,
                                  user=person(people.other_school, "Gideon Marsh")),
        mentee=ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                  user=person(people.school, "Hortense Vale")))
    return program, member, scene(pairing)


def test_the_steering_committee_sees_and_manages_the_pairings_it_matched(client,
                                                                         district_based):
    """The committee matches the whole program, so it sees its pairings (visible_to) and
    may pause or end them (manages_pairing); the pair's own pages, their notes and the
    rematch request (the coordinators') stay out of its reach."""
    program, member, s = district_based

    assert try_views(client, member, s) == MANAGER

    pairing = Pairing.objects.get(pk=s.pairing.pk)
    assert pairing.status == Pairing.Status.PAUSED
    assert RematchRequest.objects.get(pk=s.rematch.pk).state == RematchRequest.State.OPEN
    html = client.get(reverse("pairing:pairing-detail", args=[pairing.pk])).content.decode()
    assert "Back after the winter break" in html  # its own note on the history
    assert "stays between them" in html
    assert "Rematch requests" not in html and "Rematch requested" not in html


def test_the_steering_committee_lists_the_programs_pairings_without_rematch_flags(
        client, district_based):
    program, member, s = district_based

    html = pairing_list(client, member, program)

    assert "Gideon Marsh" in html and "Hortense Vale" in html
    assert "Rematch requested" not in html
    assert_nothing_leaks_elsewhere(client, member, program)


def test_the_steering_committee_reads_no_rematch_request_in_the_history(client,
                                                                        district_based):
    program, member, s = district_based
    service.answer_rematch(s.rematch, factories.district_admin(program.district),
                           rematch=False, answer="Olfactory answer")
    client.force_login(member)

    html = client.get(reverse("pairing:pairing-detail", args=[s.pairing.pk])).content.decode()

    assert "Rematch requested" not in html and "Rematch request answered" not in html
    assert "Olfactory answer" not in html
    assert_no_secrets(html, "detail")


def test_a_committee_member_in_a_program_the_coordinator_matches_sees_no_pairing(client,
                                                                                 people):
    """The steering role matches only where the program's model says the committee
    matches: elsewhere it is an ordinary participant and finds no pairing."""
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    member = person(people.school, "Ignatius Reed")
    ParticipantFactory(program=program, user=member, role=Participant.Role.STEERING)
    s = scene(PairingFactory(
        mentor=ParticipantFactory(program=program, role=Participant.Role.MENTOR,
                                  user=person(people.other_school, "Juniper Oak")),
        mentee=ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                  user=person(people.school, "Kasimir Dale"))))

    assert try_views(client, member, s) == NOWHERE
    html = pairing_list(client, member, program)
    assert "Juniper Oak" not in html and "Kasimir Dale" not in html


def test_a_committee_member_who_mentors_does_not_manage_their_own_pairing(client, people,
                                                                          district_based):
    """In their own pairing they are one of the pair: its notes are theirs, but they
    neither end it nor read their partner's rematch request."""
    program, member, _s = district_based
    mentee = ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                user=person(people.school, "Lorcan Ash"))
    mentor = Participant.objects.get(program=program, user=member)
    own = PairingFactory(mentor=mentor, mentee=mentee)
    rematch = service.request_rematch(own, mentee.user, reason=REASON)
    client.force_login(member)

    html = client.get(reverse("pairing:pairing-detail", args=[own.pk])).content.decode()

    assert REASON not in html and "Pause or end" not in html
    assert client.post(reverse("pairing:pairing-status", args=[own.pk]),
                       {"action": "end", "reason": "other"}).status_code == 404
    assert client.post(reverse("pairing:rematch-answer", args=[rematch.pk]),
                       {"decision": "keep", "answer": "Stay"}).status_code == 404
    own.refresh_from_db()
    assert own.status == Pairing.Status.ACTIVE


# The lead of another team in a learning-team program

@pytest.fixture
def teams(people):
    """A learning-team program with two teams. In the Maple team its lead Mabel pairs with
    member Milo; in the Birch team lead Bertram pairs with member Bianca, and Basil, its
    other lead, pairs with nobody."""
    program = ProgramFactory(district=people.district, model=ProgramModel.LEARNING_TEAM)

    def join(name, role, group, lead=False):
        participant = ParticipantFactory(program=program, role=role,
                                         user=person(people.school, name))
        GroupMembershipFactory(group=group, participant=participant, is_lead=lead)
        return participant

    maple = GroupFactory(program=program, name="Maple")
    birch = GroupFactory(program=program, name="Birch")
    lead, mentee = Participant.Role.LEAD_MENTOR, Participant.Role.MENTEE
    maple_pair = PairingFactory(mentor=join("Mabel Quince", lead, maple, lead=True),
                                mentee=join("Milo Thorn", mentee, maple))
    birch_pair = PairingFactory(mentor=join("Bertram Yew", lead, birch, lead=True),
                                mentee=join("Bianca Rowe", mentee, birch))
    basil = join("Basil Wren", lead, birch, lead=True).user
    return program, scene(maple_pair), scene(birch_pair), basil


def test_a_lead_of_another_team_finds_nothing_of_a_pairing_outside_it(client, teams):
    program, maple, _birch, basil = teams

    assert try_views(client, basil, maple) == NOWHERE
    assert snapshot(maple)["pairing"] == (Pairing.Status.ACTIVE, "")


def test_a_lead_in_a_pairing_of_their_own_team_is_no_manager_of_another_teams(client, teams):
    """Bertram, in a pairing of the Birch team, reaches nothing of the Maple team's."""
    program, maple, birch, _basil = teams

    assert try_views(client, birch.pairing.mentor.user, maple) == NOWHERE


def test_a_lead_sees_and_pauses_a_pairing_of_their_own_team(client, teams):
    """Basil leads the Birch team: he sees Bertram and Bianca's pairing and may pause it,
    but their check-ins, notes and rematch request are theirs and the coordinators'."""
    program, _maple, birch, basil = teams

    assert try_views(client, basil, birch) == MANAGER

    pairing = Pairing.objects.get(pk=birch.pairing.pk)
    assert pairing.status == Pairing.Status.PAUSED
    assert RematchRequest.objects.get(pk=birch.rematch.pk).state == RematchRequest.State.OPEN


def test_a_lead_lists_only_their_own_teams_pairings(client, teams):
    program, _maple, birch, basil = teams

    html = pairing_list(client, basil, program)

    assert "Bertram Yew" in html and "Bianca Rowe" in html
    assert "Mabel Quince" not in html and "Milo Thorn" not in html
    assert "Rematch requested" not in html
    assert_nothing_leaks_elsewhere(client, basil, program)
