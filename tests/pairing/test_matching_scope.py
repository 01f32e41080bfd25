"""A learning team is matched by its leads: each lead matches, sees and changes the pairings
of their own team's members, never another team's."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from pairing.models import Exclusion, MatchingRun, Pairing
from pairing.services import matching
from programs.models import Participant
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.factories import PairingFactory
from tests.programs.factories import (
    GroupFactory,
    GroupMembershipFactory,
    ParticipantFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


def member(program, team, role, school, *, lead=False):
    participant = ParticipantFactory(program=program, user=factories.teacher(school),
                                     role=role)
    GroupMembershipFactory(group=team, participant=participant, is_lead=lead)
    return participant


@pytest.fixture
def teams(people):
    """A learning-team program with teams X and Y, two leads each and two members each."""
    program = ProgramFactory(district=people.district, model=ProgramModel.LEARNING_TEAM,
                             name="Literacy Learning Teams")
    x = GroupFactory(program=program, name="Team X")
    y = GroupFactory(program=program, name="Team Y")
    lead = Participant.Role.LEAD_MENTOR
    found = SimpleNamespace(program=program, x=x, y=y)
    for name, team in (("x", x), ("y", y)):
        leads = [member(program, team, lead, people.school, lead=True) for _ in range(2)]
        members = [member(program, team, "mentee", people.school) for _ in range(2)]
        setattr(found, f"{name}_leads", leads)
        setattr(found, f"{name}_members", members)
    found.lead_x, found.lead_y = found.x_leads[0].user, found.y_leads[0].user
    found.coordinator = ParticipantFactory(program=program, user=factories.teacher(
        people.school), role="coordinator").user
    return found


def test_a_leads_run_matches_the_members_of_their_team_only(client, teams):
    client.force_login(teams.lead_x)

    response = client.post(reverse("pairing:run-start", args=[teams.program.pk]),
                           {"kind": "pairs"})

    assert response.status_code == 302
    run = MatchingRun.objects.get(program=teams.program)
    assert run.group == teams.x and run.school is None
    assert {p.mentee_id for p in run.proposals.all()} == {m.pk for m in teams.x_members}
    assert {p.mentor_id for p in run.proposals.all()} <= {p.pk for p in teams.x_leads}
    page = client.get(reverse("pairing:matching", args=[teams.program.pk])).content.decode()
    for person in teams.x_members:
        assert person.user.display_name in page
    for person in teams.y_members:
        assert person.user.display_name not in page


def test_a_lead_of_another_team_neither_sees_nor_acts_on_the_run(client, teams):
    run = matching.start_run(teams.program, teams.lead_x, kind="pairs", group_id=teams.x.pk)
    proposal = run.proposals.first()
    client.force_login(teams.lead_y)
    program = teams.program.pk

    page = client.get(reverse("pairing:matching", args=[program])).content.decode()

    for person in teams.x_members:
        assert person.user.display_name not in page
    assert client.get(reverse("pairing:proposal-change",
                              args=[program, proposal.pk])).status_code == 404
    for name, args in [("pairing:run-approve", [program, run.pk]),
                       ("pairing:run-discard", [program, run.pk]),
                       ("pairing:proposal-swap", [program, run.pk]),
                       ("pairing:proposal-lock", [program, proposal.pk]),
                       ("pairing:proposal-remove", [program, proposal.pk]),
                       ("pairing:run-return", [program, run.pk])]:
        assert client.post(reverse(name, args=args), {"locked": "on"}).status_code == 404, name
    run.refresh_from_db()
    assert run.state == MatchingRun.State.OPEN
    assert not run.proposals.filter(locked=True).exists()


def test_a_co_lead_approves_their_teams_run(client, teams):
    run = matching.start_run(teams.program, teams.lead_x, kind="pairs", group_id=teams.x.pk)
    # Proposals of the lead themselves are for the co-lead to approve.
    client.force_login(teams.x_leads[1].user)
    if run.proposals.filter(mentor__user=teams.x_leads[1].user).exists():
        client.force_login(teams.coordinator)

    response = client.post(reverse("pairing:run-approve", args=[teams.program.pk, run.pk]),
                           follow=True)

    assert "Pairings approved" in response.content.decode()
    assert Pairing.objects.filter(run=run, status=Pairing.Status.ACTIVE).count() == 2


def test_a_lead_places_nobody_into_teams(client, teams):
    client.force_login(teams.lead_x)

    response = client.post(reverse("pairing:run-start", args=[teams.program.pk]),
                           {"kind": "groups"}, follow=True)

    assert "Choose what to match." in response.content.decode()
    assert not MatchingRun.objects.exists()
    page = client.get(reverse("pairing:matching", args=[teams.program.pk])).content.decode()
    assert "Placement into groups" not in page


def test_a_lead_of_two_teams_chooses_the_team_to_match(client, teams):
    GroupMembershipFactory(group=teams.y, participant=teams.x_leads[0], is_lead=True)
    client.force_login(teams.lead_x)
    url = reverse("pairing:matching", args=[teams.program.pk])

    page = client.get(url).content.decode()
    assert "Team you are matching" in page
    client.post(reverse("pairing:run-start", args=[teams.program.pk]),
                {"kind": "pairs", "team": str(teams.y.pk)})

    run = MatchingRun.objects.get(program=teams.program)
    assert run.group == teams.y
    assert teams.y_members[0].user.display_name in client.get(
        f"{url}?team={teams.y.pk}").content.decode()
    assert teams.y_members[0].user.display_name not in client.get(
        f"{url}?team={teams.x.pk}").content.decode()


def test_pairings_of_another_team_are_not_a_leads_to_see_or_change(client, teams):
    pairing = PairingFactory(mentor=teams.x_leads[1], mentee=teams.x_members[0])
    detail = reverse("pairing:pairing-detail", args=[pairing.pk])
    status = reverse("pairing:pairing-status", args=[pairing.pk])
    listing = reverse("pairing:pairings", args=[teams.program.pk])
    name = teams.x_members[0].user.display_name

    client.force_login(teams.lead_y)
    assert name not in client.get(listing).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(status, {"action": "pause"}).status_code == 404
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE

    client.force_login(teams.lead_x)
    assert name in client.get(listing).content.decode()
    assert client.get(detail).status_code == 200
    assert client.post(status, {"action": "pause", "note": ""}).status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PAUSED
    assert set(Pairing.objects.visible_to(teams.lead_y)) == set()


def test_a_lead_sees_and_lifts_only_their_teams_exclusions(client, teams):
    ours = matching.add_exclusion(teams.program, teams.coordinator,
                                  person=teams.x_leads[1].user,
                                  other=teams.x_members[0].user, reason="other", note="X note")
    theirs = matching.add_exclusion(teams.program, teams.coordinator,
                                    person=teams.y_leads[1].user,
                                    other=teams.y_members[0].user, reason="other",
                                    note="Y note")
    client.force_login(teams.lead_x)
    url = reverse("pairing:exclusions", args=[teams.program.pk])

    html = client.get(url).content.decode()

    assert "X note" in html and "Y note" not in html
    assert teams.y_members[0].user.display_name not in html  # not offered in the form
    lift = "pairing:exclusion-remove"
    assert client.post(reverse(lift, args=[teams.program.pk, theirs.pk])).status_code == 404
    assert client.post(reverse(lift, args=[teams.program.pk, ours.pk])).status_code == 302
    assert Exclusion.objects.get(pk=ours.pk).removed_at is not None
    assert Exclusion.objects.get(pk=theirs.pk).removed_at is None


def test_a_lead_of_no_team_has_nothing_to_match(client, teams, people):
    idle = ParticipantFactory(program=teams.program, user=factories.teacher(people.school),
                              role="lead_mentor").user
    client.force_login(idle)

    assert client.get(reverse("pairing:matching", args=[teams.program.pk])).status_code == 404


def test_the_coordinators_run_covers_every_team(teams):
    run = matching.start_run(teams.program, teams.coordinator, kind="pairs")

    assert run.group is None
    assert {p.mentee_id for p in run.proposals.all()} == {
        m.pk for m in [*teams.x_members, *teams.y_members]}


def test_the_matching_page_of_a_lead_costs_the_same_for_few_and_many(client, teams, people):
    from tests.queries import count_queries

    client.force_login(teams.lead_x)
    url = reverse("pairing:matching", args=[teams.program.pk])
    matching.start_run(teams.program, teams.lead_x, kind="pairs", group_id=teams.x.pk)
    few = count_queries(client, url)
    for _ in range(16):
        member(teams.program, teams.x, "mentee", people.school)
    matching.start_run(teams.program, teams.lead_x, kind="pairs", group_id=teams.x.pk)
    assert MatchingRun.objects.get().proposals.count() > 4
    # Both times someone is left unmatched: an idle lead first, then mentees.
    assert MatchingRun.objects.get().unmatched
    assert count_queries(client, url) == few
