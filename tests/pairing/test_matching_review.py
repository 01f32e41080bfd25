"""Reviewing a run: a matcher never decides on a pair they are in, hand edits survive
running the matching again, evaluators are never matched with those they evaluate, and
the screen says who is not in the matching yet."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairing.models import Exclusion, MatchingRun, Pairing
from pairing.services import matching
from programs.models import Program
from programs.presets import ProgramModel
from tests import factories
from tests.programs.factories import ApplicationFactory, ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def join(program, role, school, **kwargs):
    return ParticipantFactory(program=program, user=factories.teacher(school), role=role,
                              **kwargs)


@pytest.fixture
def rep_who_mentors(people):
    """A school-based program whose rep also mentors: one proposal pairs the rep, one
    pairs another mentor."""
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    as_mentor = ParticipantFactory(program=program, user=rep, role="mentor")
    other_mentor = join(program, "mentor", people.school)
    mentees = [join(program, "mentee", people.school) for _ in range(2)]
    run = matching.start_run(program, rep, kind="pairs", school_id=people.school.pk)
    return SimpleNamespace(program=program, rep=rep, as_mentor=as_mentor, run=run,
                           other_mentor=other_mentor, mentees=mentees,
                           own=run.proposals.get(mentor=as_mentor),
                           others=run.proposals.get(mentor=other_mentor))


def test_a_rep_cannot_choose_themselves_as_a_mentor(client, rep_who_mentors):
    case = rep_who_mentors
    client.force_login(case.rep)
    url = reverse("pairing:proposal-change", args=[case.program.pk, case.others.pk])

    assert f'name="other" value="{case.own.pk}"' not in client.get(url).content.decode()
    response = client.post(url, {"mentor": case.as_mentor.pk})

    assert response.status_code == 400
    assert "Someone else reviews a pairing you are in." in response.content.decode()
    case.others.refresh_from_db()
    assert case.others.mentor == case.other_mentor and not case.others.overridden


def test_a_rep_cannot_approve_a_run_with_their_own_pair(client, rep_who_mentors):
    case = rep_who_mentors
    client.force_login(case.rep)

    response = client.post(reverse("pairing:run-approve", args=[case.program.pk,
                                                                case.run.pk]), follow=True)

    html = response.content.decode()
    assert "Someone else approves a pairing you are in" in html
    assert "nothing was approved" in html
    assert not Pairing.objects.filter(status=Pairing.Status.ACTIVE).exists()
    case.run.refresh_from_db()
    assert case.run.state == MatchingRun.State.OPEN
    # The program's coordinator approves it.
    assert len(matching.approve(case.run, factories.district_admin(case.program.district))) == 2


def test_a_rep_has_no_actions_on_their_own_pair(client, rep_who_mentors):
    case = rep_who_mentors
    client.force_login(case.rep)

    html = client.get(reverse("pairing:matching", args=[case.program.pk])).content.decode()

    assert "You are in this pair: someone else reviews it." in html
    own_row = html.split(f'id="proposal-{case.own.pk}"')[1].split("</tr>")[0]
    other_row = html.split(f'id="proposal-{case.others.pk}"')[1].split("</tr>")[0]
    assert "proposal-remove" not in own_row and "/remove/" not in own_row
    assert "/remove/" in other_row
    proposal_page = client.get(reverse("pairing:proposal-change",
                                       args=[case.program.pk, case.own.pk])).content.decode()
    assert "Choose" not in proposal_page


@pytest.mark.parametrize("action", ["lock", "remove", "swap"])
def test_a_rep_cannot_lock_remove_or_swap_their_own_pair(client, rep_who_mentors, action):
    case = rep_who_mentors
    client.force_login(case.rep)
    program = case.program.pk
    urls = {"lock": (reverse("pairing:proposal-lock", args=[program, case.own.pk]),
                     {"locked": "on"}),
            "remove": (reverse("pairing:proposal-remove", args=[program, case.own.pk]), {}),
            "swap": (reverse("pairing:proposal-swap", args=[program, case.run.pk]),
                     {"proposal": case.others.pk, "other": case.own.pk})}
    url, data = urls[action]

    response = client.post(url, data, follow=True)

    assert "Someone else reviews a pairing you are in." in response.content.decode()
    assert {(p.pk, p.mentor_id, p.mentee_id, p.locked) for p in case.run.proposals.all()} == {
        (p.pk, p.mentor_id, p.mentee_id, False) for p in (case.own, case.others)}
    if action == "lock":
        # htmx reloads the screen, where the message says why.
        htmx = client.post(url, data, HTTP_HX_REQUEST="true")
        assert htmx.status_code == 204
        assert htmx["HX-Redirect"] == reverse("pairing:matching", args=[program])


def test_a_matcher_cannot_lift_an_exclusion_that_names_them(client, rep_who_mentors):
    case = rep_who_mentors
    admin = factories.district_admin(case.program.district)
    exclusion = matching.add_exclusion(case.program, admin, person=case.rep,
                                       other=case.mentees[0].user, reason="conflict")
    client.force_login(case.rep)

    page = client.get(reverse("pairing:exclusions", args=[case.program.pk])).content.decode()
    response = client.post(reverse("pairing:exclusion-remove",
                                   args=[case.program.pk, exclusion.pk]), follow=True)

    assert "Names you: someone else may lift it." in page
    assert "Someone else lifts an exclusion that names you." in response.content.decode()
    assert Exclusion.objects.get(pk=exclusion.pk).removed_at is None


@pytest.fixture
def program(people):
    return ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)


def test_a_changed_mentor_stays_when_the_matching_runs_again(people, program):
    mentors = [join(program, "mentor", people.school) for _ in range(3)]
    mentee = join(program, "mentee", people.school)
    run = matching.start_run(program, people.district_admin, kind="pairs")
    proposal = run.proposals.get()
    chosen = next(m for m in mentors if m.pk != proposal.mentor_id)

    changed = matching.change_mentor(run, proposal.pk, chosen.pk, by=people.district_admin)
    again = matching.start_run(program, people.district_admin, kind="pairs")

    assert changed.locked and changed.overridden
    assert [(p.mentee_id, p.mentor_id, p.locked) for p in again.proposals.all()] == [
        (mentee.pk, chosen.pk, True)]
    # Unlocked, it is the engine's again.
    matching.set_locked(run, changed.pk, False, by=people.district_admin)
    assert not run.proposals.get().locked


def test_swapped_pairs_stay_when_the_matching_runs_again(people, program):
    for _ in range(2):
        join(program, "mentor", people.school)
    for _ in range(2):
        join(program, "mentee", people.school)
    run = matching.start_run(program, people.district_admin, kind="pairs")
    first, second = run.proposals.order_by("pk")

    matching.swap(run, first.pk, second.pk, by=people.district_admin)
    matching.start_run(program, people.district_admin, kind="pairs")

    assert {(p.mentee_id, p.mentor_id, p.locked) for p in run.proposals.all()} == {
        (first.mentee_id, second.mentor_id, True), (second.mentee_id, first.mentor_id, True)}


def test_someone_removed_by_hand_stays_out_until_returned(client, people, program):
    mentor = join(program, "mentor", people.school)
    mentee = join(program, "mentee", people.school)
    run = matching.start_run(program, people.district_admin, kind="pairs")
    client.force_login(people.district_admin)
    page = reverse("pairing:matching", args=[program.pk])

    client.post(reverse("pairing:proposal-remove", args=[program.pk, run.proposals.get().pk]))
    client.post(reverse("pairing:run-start", args=[program.pk]), {"kind": "pairs"})

    run.refresh_from_db()
    assert not run.proposals.exists()
    assert run.unmatched == {str(mentee.pk): "removed", str(mentor.pk): "no_mentee"}
    html = client.get(page).content.decode()
    assert "Return to the matching" in html

    response = client.post(reverse("pairing:run-return", args=[program.pk, run.pk]),
                           {"participant": mentee.pk}, follow=True)

    assert "run it again to find" in response.content.decode()
    assert "Return to the matching" not in response.content.decode()
    client.post(reverse("pairing:run-start", args=[program.pk]), {"kind": "pairs"})
    run.refresh_from_db()
    assert run.proposals.get().mentee == mentee
    assert run.unmatched == {}
    # Someone who was not taken out has nothing to return from.
    again = client.post(reverse("pairing:run-return", args=[program.pk, run.pk]),
                        {"participant": mentee.pk}, follow=True)
    assert "not out of the matching" in again.content.decode()


def test_an_evaluator_recorded_in_one_program_is_kept_apart_in_every_program(people):
    first = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    second = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    evaluator, teacher, colleague = (factories.teacher(people.school) for _ in range(3))
    matching.add_exclusion(first, people.district_admin, person=evaluator, other=teacher,
                           reason="evaluates")
    matching.add_exclusion(first, people.district_admin, person=colleague, other=teacher,
                           reason="personal")
    evaluator_in_second = ParticipantFactory(program=second, user=evaluator, role="mentor")
    mentee = ParticipantFactory(program=second, user=teacher, role="mentee")

    run = matching.start_run(second, people.district_admin, kind="pairs")

    assert not run.proposals.exists()
    assert run.unmatched == {str(mentee.pk): "excluded",
                             str(evaluator_in_second.pk): "mentor_excluded"}
    # A personal reason stays with the program it was recorded in.
    ParticipantFactory(program=second, user=colleague, role="mentor")
    run = matching.start_run(second, people.district_admin, kind="pairs")
    assert run.proposals.get().mentor.user == colleague


def test_an_evaluator_recorded_since_the_run_stops_the_approval(people):
    first = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    second = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    mentor = join(second, "mentor", people.school)
    mentee = join(second, "mentee", people.school)
    run = matching.start_run(second, people.district_admin, kind="pairs")
    matching.add_exclusion(first, people.district_admin, person=mentor.user,
                           other=mentee.user, reason="evaluates")

    with pytest.raises(ValidationError) as error:
        matching.approve(run, people.district_admin)

    assert "kept apart (an exclusion" in str(error.value)


def test_a_school_admin_never_mentors_a_teacher_of_their_school(people, program):
    admin = factories.school_admin(people.other_school)
    as_mentor = ParticipantFactory(program=program, user=admin, role="mentor")
    theirs = join(program, "mentee", people.other_school)
    elsewhere = join(program, "mentee", people.school)

    run = matching.start_run(program, people.district_admin, kind="pairs")

    assert [(p.mentor_id, p.mentee_id) for p in run.proposals.all()] == [
        (as_mentor.pk, elsewhere.pk)]
    assert run.unmatched == {str(theirs.pk): "excluded"}
    # Nor can a matcher choose them by hand.
    spare = join(program, "mentor", people.school)
    matching.change_mentor(run, run.proposals.get().pk, spare.pk, by=people.district_admin)
    matching.remove_proposal(run, run.proposals.get().pk, by=people.district_admin)
    matching.return_to_matching(run, elsewhere.pk, by=people.district_admin)
    matching.start_run(program, people.district_admin, kind="pairs")
    proposal = run.proposals.get(mentee=theirs)
    assert proposal.mentor == spare
    with pytest.raises(ValidationError) as error:
        matching.change_mentor(run, proposal.pk, as_mentor.pk, by=people.district_admin)
    assert "kept apart (an exclusion" in str(error.value)


def test_the_pool_costs_the_same_queries_for_few_and_many_people(people, program):
    def pool_queries():
        # A fresh program each time: it remembers that it has no saved settings.
        run = MatchingRun.objects.create(program=Program.objects.get(pk=program.pk),
                                         kind="pairs")
        with CaptureQueriesContext(connection) as queries:
            matching.build_pool(run)
        run.delete()
        return len(queries)

    factories.school_admin(people.school)
    join(program, "mentor", people.school)
    join(program, "mentee", people.school)
    few = pool_queries()
    for school in (people.school, people.other_school):
        ParticipantFactory(program=program, user=factories.school_admin(school),
                           role="mentor")
        for _ in range(4):
            join(program, "mentee", school)
            join(program, "mentor", school)

    assert pool_queries() == few


def test_placing_into_groups_needs_the_programs_teams(people):
    cohort = ProgramFactory(district=people.district, model=ProgramModel.COHORT)
    join(cohort, "mentee", people.school)

    with pytest.raises(ValidationError) as error:
        matching.start_run(cohort, people.district_admin, kind="groups")

    assert "Make the program's teams first" in str(error.value)
    assert not MatchingRun.objects.exists()


def test_the_screen_says_how_many_applications_wait_to_be_accepted(client, people, program):
    ParticipantFactory(program=program, user=factories.teacher(people.school), role="mentor")
    for school in (people.school, people.school, people.other_school):
        ApplicationFactory(participant__program=program,
                           participant__user=factories.teacher(school),
                           participant__school=school)
    client.force_login(people.district_admin)
    url = reverse("pairing:matching", args=[program.pk])

    html = client.get(url).content.decode()

    assert "3 applications are waiting to be accepted and are not in this matching." in html
    assert reverse("programs:applications", args=[program.pk]) in html
    # Accepted, they are in the matching and no longer counted.
    program.participants.filter(status="applied").update(status="active")
    assert "waiting to be accepted" not in client.get(url).content.decode()


def test_a_rep_counts_the_applications_of_their_school_only(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    for school in (people.school, people.other_school, people.other_school):
        ApplicationFactory(participant__program=program,
                           participant__user=factories.teacher(school),
                           participant__school=school)
    client.force_login(rep)

    html = client.get(reverse("pairing:matching", args=[program.pk])).content.decode()

    assert "1 application is waiting to be accepted and is not in this matching." in html


def test_the_matching_page_costs_the_same_for_few_and_many_applications(client, people,
                                                                        program):
    join(program, "mentor", people.school)
    join(program, "mentee", people.school)
    matching.start_run(program, people.district_admin, kind="pairs")
    client.force_login(people.district_admin)
    url = reverse("pairing:matching", args=[program.pk])

    def apply(count):
        for _ in range(count):
            ApplicationFactory(participant__program=program,
                               participant__user=factories.teacher(people.school))

    apply(1)
    few = count_queries(client, url)
    apply(2)
    assert "3 applications are waiting" in client.get(url).content.decode()
    assert count_queries(client, url) == few
