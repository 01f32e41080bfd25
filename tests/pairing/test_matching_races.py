"""Two people reviewing the same matching, or one person clicking twice: whoever comes
second is told what happened, on the matching screen, never a 404 or a server error."""

import pytest
from django.urls import reverse

from pairing.models import Exclusion, MatchingRun, Pairing
from pairing.services import matching
from pairing.views import matching as views
from programs.presets import ProgramModel
from tests import factories
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

GONE = "That proposal is no longer under review."
CLOSED = "This matching has already been approved or discarded."


@pytest.fixture
def program(people):
    return ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)


@pytest.fixture
def run(people, program):
    for role in ("mentor", "mentor", "mentee", "mentee"):
        ParticipantFactory(program=program, user=factories.teacher(people.school), role=role)
    return matching.start_run(program, people.district_admin, kind="pairs")


@pytest.fixture
def coordinator(client, people):
    client.force_login(people.district_admin)
    return people.district_admin


def meanwhile(monkeypatch, competing):
    """Another coordinator's write lands just after this request found its proposal."""
    found = views._proposal_for

    def lookup(request, program_pk, pk):
        result = found(request, program_pk, pk)
        competing(result[2])
        return result

    monkeypatch.setattr(views, "_proposal_for", lookup)


def removed(proposal):
    matching.remove_proposal(proposal.run, proposal.pk, by=None)


def approved(proposal):
    matching.approve(proposal.run, factories.district_admin(proposal.program.district))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("action", ["lock", "remove", "change"])
@pytest.mark.parametrize(("competing", "says"), [(removed, GONE), (approved, CLOSED)])
def test_a_review_action_raced_by_another_coordinator_says_what_happened(
        client, coordinator, monkeypatch, program, run, action, competing, says):
    proposal = run.proposals.order_by("pk").first()
    spare = ParticipantFactory(program=program, role="mentor",
                               user=factories.teacher(proposal.mentee.school))
    url, data = {"lock": ("pairing:proposal-lock", {"locked": "on"}),
                 "remove": ("pairing:proposal-remove", {}),
                 "change": ("pairing:proposal-change", {"mentor": spare.pk})}[action]
    meanwhile(monkeypatch, competing)

    response = client.post(reverse(url, args=[program.pk, proposal.pk]), data, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("pairing:matching", args=[program.pk])
    assert says in messages_of(response)
    assert not Pairing.objects.filter(pk=proposal.pk, locked=True).exists()
    assert not Pairing.objects.filter(mentor=spare).exists()


def test_htmx_lock_raced_by_a_removal_reloads_the_screen_with_the_reason(
        client, coordinator, monkeypatch, program, run):
    proposal = run.proposals.first()
    meanwhile(monkeypatch, removed)
    url = reverse("pairing:proposal-lock", args=[program.pk, proposal.pk])

    response = client.post(url, {"locked": "on"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("pairing:matching", args=[program.pk])
    page = client.get(response["HX-Redirect"])
    assert GONE in messages_of(page)


@pytest.mark.parametrize(("name", "says"), [
    ("pairing:run-approve", CLOSED), ("pairing:run-discard", CLOSED)])
def test_a_second_approve_or_discard_is_told_the_matching_is_closed(
        client, coordinator, program, run, name, says):
    url = reverse(name, args=[program.pk, run.pk])
    client.post(url)

    again = client.post(url, follow=True)

    assert again.status_code == 200
    assert says in messages_of(again)


@pytest.mark.parametrize("name", ["pairing:proposal-remove", "pairing:proposal-lock"])
def test_a_second_click_on_a_removed_proposal_is_told_it_is_gone(client, coordinator,
                                                                 program, run, name):
    proposal = run.proposals.first()
    client.post(reverse("pairing:proposal-remove", args=[program.pk, proposal.pk]))

    again = client.post(reverse(name, args=[program.pk, proposal.pk]), {"locked": "on"},
                        follow=True)

    assert again.status_code == 200
    assert GONE in messages_of(again)
    assert run.proposals.count() == 1


def test_opening_an_approved_proposal_leads_back_to_the_screen(client, coordinator, program,
                                                               run):
    proposal = run.proposals.first()
    matching.approve(run, coordinator)

    response = client.get(reverse("pairing:proposal-change", args=[program.pk, proposal.pk]),
                          follow=True)

    assert GONE in messages_of(response)


def test_lifting_an_exclusion_twice_is_told_it_was_lifted(client, coordinator, people,
                                                         program, run):
    a, b = (p.user for p in program.participants.order_by("pk")[:2])
    exclusion = matching.add_exclusion(program, coordinator, person=a, other=b,
                                       reason="conflict")
    url = reverse("pairing:exclusion-remove", args=[program.pk, exclusion.pk])
    client.post(url)

    again = client.post(url, follow=True)

    assert again.status_code == 200
    assert "This exclusion was already lifted." in messages_of(again)
    assert Exclusion.objects.get(pk=exclusion.pk).removed_at is not None


def test_another_scopes_proposal_is_still_not_found(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    for role in ("mentor", "mentee"):
        ParticipantFactory(program=program, user=factories.teacher(people.other_school),
                           role=role)
    run = matching.start_run(program, people.district_admin, kind="pairs",
                             school_id=people.other_school.pk)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    client.force_login(rep)
    proposal = run.proposals.get()

    for name in ("pairing:proposal-lock", "pairing:proposal-remove"):
        assert client.post(reverse(name, args=[program.pk, proposal.pk])).status_code == 404
    assert client.post(reverse("pairing:run-approve", args=[program.pk, run.pk])
                       ).status_code == 404
    assert MatchingRun.objects.get(pk=run.pk).state == MatchingRun.State.OPEN
