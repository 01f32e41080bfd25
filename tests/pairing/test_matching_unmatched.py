"""Who the matching left over: every one of them with the reason, page by page, and a
partner proposed by hand for a mentee or peer left without one."""

import pytest
from django.urls import reverse

from pairing.models import Exclusion, Pairing
from pairing.services import matching
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def join(program, role, school, **kwargs):
    return ParticipantFactory(program=program, user=factories.teacher(school), role=role,
                              **kwargs)


@pytest.fixture
def program(people):
    return ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)


def page_of(client, program, query=""):
    return client.get(reverse("pairing:matching", args=[program.pk]) + query
                      ).content.decode()


def test_a_mentor_left_with_an_open_place_is_listed_with_the_reason(client, people, program):
    kept_apart = join(program, "mentor", people.school)
    idle = join(program, "mentor", people.other_school)
    mentee = join(program, "mentee", people.school)
    matching.add_exclusion(program, people.district_admin, person=kept_apart.user,
                           other=mentee.user, reason="evaluates")
    client.force_login(people.district_admin)

    matching.start_run(program, people.district_admin, kind="pairs")
    html = page_of(client, program)

    run = program.matching_runs.get()
    assert run.proposals.get().mentor == idle
    assert run.unmatched == {str(kept_apart.pk): "mentor_excluded"}
    assert f"{kept_apart.user.display_name}</strong> (mentor)" in html
    assert "Kept apart from every mentee within scope (an exclusion" in html


def test_a_mentor_outscored_or_out_of_reach_is_told_so(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    here = [join(program, "mentor", people.school) for _ in range(2)]
    there = join(program, "mentor", people.other_school)
    join(program, "mentee", people.school)

    run = matching.start_run(program, people.district_admin, kind="pairs")

    chosen = run.proposals.get().mentor
    other = next(m for m in here if m != chosen)
    assert run.unmatched == {str(other.pk): "outscored", str(there.pk): "no_mentee"}


def test_peers_left_unpaired_are_told_the_real_reason(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.PEER,
                             matching_scope="school")
    pair = [join(program, "peer", people.school) for _ in range(2)]
    alone = join(program, "peer", people.other_school)
    excluded = join(program, "peer", people.school)
    for peer in pair:
        matching.add_exclusion(program, people.district_admin, person=excluded.user,
                               other=peer.user, reason="conflict")
    client.force_login(people.district_admin)

    run = matching.start_run(program, people.district_admin, kind="peers")
    html = page_of(client, program)

    assert run.unmatched == {str(alone.pk): "peer_out_of_scope",
                             str(excluded.pk): "peer_excluded"}
    assert "No other peer is within the program&#x27;s scope" in html
    assert "Every peer within scope is kept apart from this" in html
    assert "No compatible partner was left in the pool." not in html


def test_the_unmatched_list_is_paged_at_a_fixed_cost(client, people, program):
    join(program, "mentor", people.school)
    for _ in range(3):
        join(program, "mentee", people.school)
    matching.start_run(program, people.district_admin, kind="pairs")
    client.force_login(people.district_admin)
    few = count_queries(client, reverse("pairing:matching", args=[program.pk]))
    for _ in range(105):
        join(program, "mentee", people.school)
    matching.start_run(program, people.district_admin, kind="pairs")
    url = reverse("pairing:matching", args=[program.pk])

    first, second = page_of(client, program), page_of(client, program, "?unmatched_page=2")

    run = program.matching_runs.get()
    left = sorted(int(pk) for pk in run.unmatched)
    assert len(left) == 107
    names = dict(program.participants.values_list("pk", "user__display_name"))
    assert f"<strong>{names[left[99]]}</strong>" in first
    assert f"<strong>{names[left[100]]}</strong>" not in first
    assert f"<strong>{names[left[100]]}</strong>" in second
    assert "unmatched_page=2" in first and "Page 2 of 2" in second
    assert count_queries(client, url) == few
    assert count_queries(client, url + "?unmatched_page=2") == few


@pytest.fixture
def rep_case(people):
    """A school-based program whose rep also mentors: two mentors with places, one mentee
    left over once the rep's other mentee is proposed."""
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    rep_as_mentor = ParticipantFactory(program=program, user=rep, role="mentor")
    mentor = join(program, "mentor", people.school)
    full = join(program, "mentor", people.school)
    PairingFactory(mentor=full, mentee=join(program, "mentee", people.school))
    excluded = join(program, "mentor", people.school)
    mentee = join(program, "mentee", people.school)
    matching.add_exclusion(program, people.district_admin, person=excluded.user,
                           other=mentee.user, reason="evaluates")
    run = matching.start_run(program, rep, kind="pairs", school_id=people.school.pk)
    # Left over by hand, so that it is waiting for a partner.
    matching.remove_proposal(run, run.proposals.get().pk, by=people.district_admin)
    matching.return_to_matching(run, mentee.pk, by=people.district_admin)
    return program, rep, rep_as_mentor, mentor, excluded, mentee, run


def test_a_partner_is_proposed_by_hand_for_someone_left_unmatched(client, rep_case):
    program, rep, rep_as_mentor, mentor, excluded, mentee, run = rep_case
    client.force_login(rep)
    url = reverse("pairing:propose-partner", args=[program.pk, run.pk, mentee.pk])
    assert url in page_of(client, program)

    page = client.get(url).content.decode()

    # Only the mentor the rules allow with a place; never the rep, nor the full or excluded.
    assert mentor.user.display_name in page and "Not paired before" in page
    for other in (rep_as_mentor, excluded):
        assert f'name="mentor" value="{other.pk}"' not in page
    assert client.post(url, {"mentor": rep_as_mentor.pk}).status_code == 400
    refused = client.post(url, {"mentor": excluded.pk})
    assert refused.status_code == 400
    assert "kept apart (an exclusion" in refused.content.decode()

    response = client.post(url, {"mentor": mentor.pk}, follow=True)

    proposal = run.proposals.get()
    assert (proposal.mentor, proposal.mentee) == (mentor, mentee)
    assert proposal.locked and proposal.overridden and proposal.score is not None
    html = response.content.decode()
    assert "is now proposed with" in html
    assert "Propose a partner" not in html
    # A re-run keeps it.
    matching.start_run(program, rep, kind="pairs", school_id=run.school_id)
    assert run.proposals.get().pk == proposal.pk
    # And proposing again is told the mentee has a partner now.
    again = client.post(url, {"mentor": mentor.pk}, follow=True)
    assert "no longer waiting for a partner" in again.content.decode()
    assert "no longer waiting for a partner" in client.get(url, follow=True).content.decode()


def test_a_peer_is_proposed_with_another_peer(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.PEER)
    peers = [join(program, "peer", people.school) for _ in range(2)]
    matching.add_exclusion(program, people.district_admin, person=peers[0].user,
                           other=peers[1].user, reason="conflict")
    run = matching.start_run(program, people.district_admin, kind="peers")
    Exclusion.objects.update(removed_at="2026-01-01T00:00Z")
    client.force_login(people.district_admin)
    url = reverse("pairing:propose-partner", args=[program.pk, run.pk, peers[0].pk])

    assert peers[1].user.display_name in client.get(url).content.decode()
    client.post(url, {"mentor": peers[1].pk})

    assert {(p.mentor, p.mentee, p.locked) for p in run.proposals.all()} == {
        (peers[1], peers[0], True)}
    assert run.__class__.objects.get(pk=run.pk).unmatched == {}


def test_proposing_by_hand_is_for_those_who_match(client, people, program):
    join(program, "mentor", people.school)
    mentee = join(program, "mentee", people.school)
    join(program, "mentee", people.school)
    run = matching.start_run(program, people.district_admin, kind="pairs")
    url = reverse("pairing:propose-partner", args=[program.pk, run.pk, mentee.pk])
    for outsider in (people.teacher, people.school_admin, people.outsider):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"mentor": 1}).status_code == 404
    assert not Pairing.objects.filter(locked=True).exists()
