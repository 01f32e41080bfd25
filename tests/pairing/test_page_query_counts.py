"""Pairing and matching pages cost the same number of queries with little and with much
data: the pair's pages (pairing, list, scheduling), the matcher's pages (a proposal's
alternatives, exclusions, a placement run) and the search for resources to attach to a
check-in."""

from datetime import timedelta

import pytest
from django.urls import reverse

from pairing.models import CheckIn, MatchingRun, PairingEvent, RematchRequest
from pairing.services import matching
from programs.models import Participant
from programs.presets import ProgramModel
from resources.models import Resource
from resources.services import attach_to_checkin
from tests import factories
from tests.pairing.days import MONDAY_MORNING
from tests.pairing.factories import CheckInFactory, NextStepFactory, PairingFactory
from tests.programs.factories import (
    ApplicationFactory,
    BlackoutPeriodFactory,
    GroupFactory,
    GroupMembershipFactory,
    ParticipantFactory,
    ProgramFactory,
)
from tests.queries import count_queries
from tests.resources.factories import resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

NOW = MONDAY_MORNING


def teacher(school):
    return factories.teacher(school)


def new_pair(program, school, mentor=None, mentee=None, **kwargs):
    """A pairing of the program; a new teacher of `school` on each side not given."""
    return PairingFactory(
        mentor=mentor or ParticipantFactory(program=program, role=Participant.Role.MENTOR,
                                            user=teacher(school)),
        mentee=mentee or ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                            user=teacher(school)), **kwargs)


def grow_pairing(pairing, size, start=0):
    """`size` held check-ins in the past, each with two next steps (one per side), and as
    many history events; and one check-in still to come for every ten."""
    for i in range(start, start + size):
        held = CheckInFactory(pairing=pairing, status=CheckIn.Status.HELD, minutes_spent=30,
                              whats_working=f"Routine {i}", topics=f"Topic {i}",
                              scheduled_at=NOW - timedelta(days=2 + i, hours=1),
                              recorded_by=pairing.mentee.user, recorded_at=NOW)
        for owner in (pairing.mentor, pairing.mentee):
            NextStepFactory(checkin=held, owner=owner.user, description=f"Step {i}")
        if i % 10 == 0:
            CheckInFactory(pairing=pairing, scheduled_at=NOW + timedelta(days=30 + i, hours=1))
        PairingEvent.objects.create(pairing=pairing, kind=PairingEvent.Kind.PAUSED,
                                    by=pairing.mentor.user, note=f"Note {i}")
        PairingEvent.objects.create(pairing=pairing, kind=PairingEvent.Kind.RESUMED,
                                    by=pairing.mentor.user)


def answered_requests(pairing, by, size):
    """Rematch requests `by` made and the coordinator answered (kept), as many as `size`."""
    for i in range(size):
        RematchRequest.objects.create(pairing=pairing, requested_by=by, reason=f"Reason {i}",
                                      state=RematchRequest.State.KEPT, answer=f"Answer {i}",
                                      answered_by=pairing.mentor.user, answered_at=NOW)


def other_programs_of(user, district, school, size):
    """`size` pairings of `user` (as a mentee) in other programs of the district."""
    for _ in range(size):
        other = ProgramFactory(district=district, model=ProgramModel.GROUP)
        new_pair(other, school, mentee=ParticipantFactory(program=other, user=user,
                                                          role=Participant.Role.MENTEE))


# The pair's pages

@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_the_pairing_page_costs_the_same_for_a_short_and_a_long_history(client, people,
                                                                        program_people,
                                                                        pair, side):
    reader = getattr(pair, side).user
    client.force_login(reader)
    url = reverse("pairing:pairing-detail", args=[pair.pk])
    grow_pairing(pair, 1)
    answered_requests(pair, reader, 1)
    small = count_queries(client, url)

    grow_pairing(pair, 30, start=1)  # more check-ins than one page shows
    answered_requests(pair, reader, 5)
    other_programs_of(reader, people.district, people.school, 3)
    for _ in range(10):
        new_pair(program_people.program, people.school)

    large = count_queries(client, url)
    assert large == small, (small, large)
    assert count_queries(client, url + "?page=2") == small
    html = client.get(url).content.decode()
    assert "Step 1<" in html and "Answer 4" in html


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_the_pairing_list_costs_a_pair_member_the_same_for_few_and_many_pairings(
        client, people, side):
    """In a group program a mentor lists each of their mentees' pairings; a mentee only
    their own. The program's other pairings are not listed but are there."""
    program = ProgramFactory(district=people.district, model=ProgramModel.GROUP)
    mentor = ParticipantFactory(program=program, role=Participant.Role.MENTOR,
                                user=teacher(people.school))
    first = new_pair(program, people.school, mentor=mentor)
    reader = mentor.user if side == "mentor" else first.mentee.user
    client.force_login(reader)
    urls = [reverse("pairing:pairings", args=[program.pk]) + show
            for show in ["", "?show=all", "?show=overdue", "?q=Person"]]
    grow_pairing(first, 1)
    small = [count_queries(client, url) for url in urls]

    for _ in range(3):
        grow_pairing(new_pair(program, people.school, mentor=mentor), 3)
    grow_pairing(first, 10, start=1)
    answered_requests(first, first.mentee.user, 3)
    RematchRequest.objects.create(pairing=first, requested_by=first.mentee.user,
                                  reason="Schedules clash")
    for _ in range(30):  # more than one page of pairings the reader does not see
        new_pair(program, people.school)
    other_programs_of(reader, people.district, people.school, 3)

    assert [count_queries(client, url) for url in urls] == small


def test_the_scheduling_pages_cost_the_same_for_few_and_many_check_ins(client, people,
                                                                       program_people, pair):
    upcoming = CheckInFactory(pairing=pair, scheduled_at=NOW + timedelta(days=7, hours=1))
    client.force_login(pair.mentor.user)
    urls = [reverse("pairing:checkin-create", args=[pair.pk]),
            reverse("pairing:checkin-edit", args=[upcoming.pk])]
    grow_pairing(pair, 1)
    small = [count_queries(client, url) for url in urls]

    grow_pairing(pair, 30, start=1)
    for day in range(10):
        BlackoutPeriodFactory(program=pair.program, name=f"Break {day}",
                              starts_on=NOW.date() + timedelta(days=40 + day * 3),
                              ends_on=NOW.date() + timedelta(days=41 + day * 3))
    other_programs_of(pair.mentor.user, people.district, people.school, 3)

    assert [count_queries(client, url) for url in urls] == small


# The matcher's pages

def pool(program, school, mentees=0, mentors=0):
    for _ in range(mentors):
        ParticipantFactory(program=program, user=teacher(school), role=Participant.Role.MENTOR)
    for _ in range(mentees):
        ParticipantFactory(program=program, user=teacher(school), role=Participant.Role.MENTEE)


def test_a_proposals_alternatives_cost_the_same_for_few_and_many_mentors(client, people,
                                                                         program_people):
    program = program_people.program
    pool(program, people.school, mentees=2, mentors=2)
    run = matching.start_run(program, program_people.coordinator, kind="pairs")
    proposal = run.proposals.order_by("pk").first()
    mentee = proposal.mentee

    def add_mentors(school, size):
        """Mentors of whom every third applied, every fourth is kept apart from the
        proposal's mentee, and every fifth mentored them before."""
        for i in range(size):
            mentor = ParticipantFactory(program=program, user=teacher(school),
                                        role=Participant.Role.MENTOR)
            if i % 3 == 0:
                ApplicationFactory(participant=mentor)
            if i % 4 == 1:
                matching.add_exclusion(program, program_people.coordinator, person=mentor.user,
                                       other=mentee.user, reason="evaluates")
            if i % 5 == 2:
                PairingFactory(mentor=mentor, mentee=mentee, status="ended",
                               end_reason="other")

    # The small pool has one of each kind: a mentor's application, an exclusion and an
    # earlier pairing cost their queries once, whatever their number.
    add_mentors(people.school, 3)
    client.force_login(program_people.coordinator)
    url = reverse("pairing:proposal-change", args=[program.pk, proposal.pk])
    small = count_queries(client, url)

    for school in (people.school, people.other_school):
        add_mentors(school, 15)
    newest = Participant.objects.filter(program=program, role="mentor").order_by("pk").last()

    large = count_queries(client, url)
    assert large == small, (small, large)
    assert newest.user.display_name in client.get(url).content.decode()


@pytest.mark.parametrize("matcher", ["coordinator", "school_rep"])
def test_the_exclusions_page_costs_the_same_for_few_and_many_exclusions(client, people,
                                                                        program_people,
                                                                        matcher):
    """A coordinator sees the whole program's exclusions; a school's rep (in a school-based
    program) those between their school's people."""
    if matcher == "coordinator":
        program, reader = program_people.program, program_people.coordinator
    else:
        program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
        reader = teacher(people.school)
        ParticipantFactory(program=program, user=reader, role=Participant.Role.SCHOOL_REP)
    admin = people.district_admin

    def exclude(size):
        for school in (people.school, people.other_school):
            for _ in range(size):
                a, b = teacher(school), teacher(school)
                for user, role in ((a, "mentor"), (b, "mentee")):
                    ParticipantFactory(program=program, user=user, role=role)
                matching.add_exclusion(program, admin, person=a, other=b, reason="evaluates",
                                       note="Assistant principal")

    client.force_login(reader)
    url = reverse("pairing:exclusions", args=[program.pk])
    exclude(1)
    small = count_queries(client, url)

    exclude(30)  # more than one page (of 50) for the coordinator
    pool(program, people.school, mentees=10, mentors=10)

    large = count_queries(client, url)
    assert large == small, (small, large)
    assert count_queries(client, url + "?page=2") == small


@pytest.mark.parametrize("model", [ProgramModel.COHORT, ProgramModel.LEARNING_TEAM])
def test_a_placement_run_costs_the_same_for_few_and_many_placements(client, people, model):
    program = ProgramFactory(district=people.district, model=model)
    coordinator = teacher(people.school)
    ParticipantFactory(program=program, user=coordinator, role=Participant.Role.COORDINATOR)
    groups = [GroupFactory(program=program, name=f"Team {i}", kind="sub_team"
                           if model == ProgramModel.COHORT else "learning_team")
              for i in range(2)]
    client.force_login(coordinator)
    url = reverse("pairing:matching", args=[program.pk])
    pool(program, people.school, mentees=2)
    matching.start_run(program, coordinator, kind="groups")
    small = count_queries(client, url)

    for i in range(4):
        groups.append(GroupFactory(program=program, name=f"Team {i + 2}"))
    for group in groups:  # people already placed, with a lead in each team
        lead = ParticipantFactory(program=program, user=teacher(people.other_school),
                                  role=Participant.Role.LEAD_MENTOR)
        GroupMembershipFactory(group=group, participant=lead, is_lead=True)
        member = ParticipantFactory(program=program, user=teacher(people.school))
        GroupMembershipFactory(group=group, participant=member)
    pool(program, people.school, mentees=30)
    pool(program, people.other_school, mentees=30)  # more than a page (of 50) of placements
    matching.start_run(program, coordinator, kind="groups")
    run = MatchingRun.objects.get(program=program, state=MatchingRun.State.OPEN)
    assert len(run.placements) > 50

    large = count_queries(client, url)
    assert large == small, (small, large)
    assert count_queries(client, url + "?page=2") == small


# Finding resources to attach to a check-in

def test_the_attach_search_costs_the_same_for_few_and_many_matches(client, people,
                                                                   program_people, pair):
    checkin = CheckInFactory(pairing=pair, scheduled_at=NOW - timedelta(days=3),
                             status=CheckIn.Status.HELD, minutes_spent=30,
                             recorded_by=pair.mentee.user)
    reader = pair.mentor.user
    client.force_login(reader)
    url = reverse("resources:checkin-attach", args=[checkin.pk]) + "?q=fraction"
    coordinator = program_people.coordinator
    resource(coordinator, title="Fraction strips 0")
    small = count_queries(client, url)

    colleague = teacher(people.school)
    for i in range(1, 31):  # more than the results shown, of each way to be shared
        scope = [Resource.Scope.DISTRICT, Resource.Scope.INSTALLATION,
                 Resource.Scope.PROGRAM][i % 3]
        found = resource(coordinator, title=f"Fraction strips {i}", scope=scope,
                         program=pair.program if scope == Resource.Scope.PROGRAM else None,
                         authors=[colleague, reader] if i % 4 == 0 else [colleague])
        if i % 5 == 0:
            attach_to_checkin(resource=found, checkin=checkin, added_by=reader)
    for i in range(10):  # and some that do not match
        resource(coordinator, title=f"Seating chart {i}")

    large = count_queries(client, url)
    assert large == small, (small, large)
    html = client.get(url).content.decode()
    assert html.count("Fraction strips") >= 10
    # Attached ones are not offered again.
    assert "Fraction strips 5<" not in html
