"""The matching screen in the browser's terms: who may open it, what it shows, and what
bad input does."""

import pytest
from django.urls import reverse

from pairing.models import Exclusion, MatchingRun, Pairing
from pairing.services import matching
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.conftest import PAIRING_ROLES
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

MATCHERS = {"coordinator": 200, "district_admin": 200}
NOBODY_ELSE = {role: 404 for role in PAIRING_ROLES if role not in {"anonymous", *MATCHERS}}


def pool(program, school, mentees=2, mentors=2):
    for _ in range(mentors):
        ParticipantFactory(program=program, user=factories.teacher(school), role="mentor")
    for _ in range(mentees):
        ParticipantFactory(program=program, user=factories.teacher(school), role="mentee")


@pytest.fixture
def run(people, program_people):
    pool(program_people.program, people.school)
    return matching.start_run(program_people.program, program_people.coordinator,
                              kind="pairs")


def test_matching_pages_are_for_those_who_match(assert_pairing_access, program_people):
    program = program_people.program
    for name in ["pairing:matching", "pairing:exclusions"]:
        assert_pairing_access(reverse(name, args=[program.pk]), {**NOBODY_ELSE, **MATCHERS})
    assert_pairing_access(reverse("pairing:matching-settings", args=[program.pk]),
                          {**NOBODY_ELSE, **MATCHERS})


def test_review_actions_are_for_those_who_match(client, assert_pairing_access, people,
                                                program_people, run):
    program = program_people.program
    proposal = run.proposals.first()
    assert_pairing_access(reverse("pairing:proposal-change", args=[program.pk, proposal.pk]),
                          {**NOBODY_ELSE, **MATCHERS})
    # Posts from everyone else change nothing: 404 before anything is read. (Those who
    # match are tried in the tests of each action.)
    for name, args in [("pairing:run-approve", [program.pk, run.pk]),
                       ("pairing:run-discard", [program.pk, run.pk]),
                       ("pairing:proposal-lock", [program.pk, proposal.pk]),
                       ("pairing:proposal-remove", [program.pk, proposal.pk]),
                       ("pairing:proposal-swap", [program.pk, run.pk]),
                       ("pairing:placement-approve", [program.pk, run.pk]),
                       ("pairing:run-start", [program.pk]),
                       ("pairing:exclusion-remove", [program.pk, 1])]:
        url = reverse(name, args=args)
        for role in NOBODY_ELSE:
            client.force_login(getattr(program_people, role, None) or getattr(people, role))
            assert client.post(url, {"kind": "pairs", "locked": "on"}).status_code == 404, \
                (name, role)
        client.logout()
        assert client.post(url).status_code == 302
    run.refresh_from_db()
    assert run.state == MatchingRun.State.OPEN
    assert run.proposals.count() == 3 and not run.proposals.filter(locked=True).exists()


def test_a_school_rep_matches_their_school_in_a_school_based_program(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    pool(program, people.school, mentees=1, mentors=1)
    pool(program, people.other_school, mentees=1, mentors=1)
    client.force_login(rep)

    response = client.post(reverse("pairing:run-start", args=[program.pk]), {"kind": "pairs"})

    assert response.status_code == 302
    run = MatchingRun.objects.get(program=program)
    assert run.school == people.school
    page = client.get(reverse("pairing:matching", args=[program.pk]))
    assert page.status_code == 200
    proposal = run.proposals.get()
    assert proposal.mentee.school == people.school
    assert proposal.mentee.user.display_name in page.content.decode()
    # The whole-program view is not theirs: another school's rep sees no run of it.
    other_rep = factories.teacher(people.other_school)
    ParticipantFactory(program=program, user=other_rep, role="school_rep")
    client.force_login(other_rep)
    assert proposal.mentee.user.display_name not in client.get(
        reverse("pairing:matching", args=[program.pk])).content.decode()
    assert client.get(reverse("pairing:proposal-change",
                              args=[program.pk, proposal.pk])).status_code == 404


def test_the_screen_shows_each_score_broken_down_and_who_was_left_out(client, program_people,
                                                                      people, run):
    extra = ParticipantFactory(program=program_people.program,
                               user=factories.teacher(people.school), role="mentee")
    run = matching.start_run(program_people.program, program_people.coordinator,
                             kind="pairs")
    client.force_login(program_people.coordinator)

    html = client.get(reverse("pairing:matching", args=[program_people.program.pk])
                      ).content.decode()

    assert "Not paired before" in html
    assert "Left unmatched" in html
    left = [p for p in [extra] if str(p.pk) in run.unmatched]
    for person in left:
        assert person.user.display_name in html


def test_changing_a_mentor_answers_with_the_new_score(client, program_people, run):
    client.force_login(program_people.coordinator)
    proposal = run.proposals.first()
    spare = ParticipantFactory(program=program_people.program,
                               user=factories.teacher(program_people.mentee.staff_profile.school),
                               role="mentor")
    url = reverse("pairing:proposal-change", args=[program_people.program.pk, proposal.pk])
    page = client.get(url).content.decode()
    assert spare.user.display_name in page

    response = client.post(url, {"mentor": spare.pk}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.mentor == spare and proposal.overridden
    assert "changed by hand" in response.content.decode()


def test_choosing_a_mentor_outside_the_rules_is_refused_with_a_message(client, program_people,
                                                                       run):
    client.force_login(program_people.coordinator)
    proposal = run.proposals.first()
    other = run.proposals.exclude(pk=proposal.pk).first()
    url = reverse("pairing:proposal-change", args=[program_people.program.pk, proposal.pk])

    response = client.post(url, {"mentor": other.mentor_id})

    assert response.status_code == 400
    assert "no open place" in response.content.decode()
    proposal.refresh_from_db()
    assert not proposal.overridden


def test_lock_answers_the_row_for_htmx(client, program_people, run):
    client.force_login(program_people.coordinator)
    proposal = run.proposals.first()
    url = reverse("pairing:proposal-lock", args=[program_people.program.pk, proposal.pk])

    response = client.post(url, {"locked": "on"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.locked


def test_approving_creates_pairings(client, program_people, run):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:run-approve", args=[program_people.program.pk, run.pk])

    response = client.post(url, follow=True)

    assert "Pairings approved" in response.content.decode()
    assert Pairing.objects.filter(run=run, status=Pairing.Status.ACTIVE).count() == 3
    # A second click is told why nothing more happens.
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "This matching has already been approved or discarded." in again.content.decode()


def test_bad_weights_keep_what_was_typed_and_say_why(client, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:matching-settings", args=[program_people.program.pk])
    data = {"grade_band": "4", "subject": "11", "school": "2", "language": "x",
            "expertise": "4", "experience": "3", "availability": "2", "preference": "8",
            "new_partner": "1", "prefer_same_school": "same"}

    response = client.post(url, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Use a weight from 0 to 10." in html
    assert 'value="11"' in html


def test_saved_weights_count_in_the_next_run(client, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:matching-settings", args=[program_people.program.pk])
    data = dict.fromkeys(["grade_band", "subject", "school", "language", "expertise",
                          "experience", "availability", "preference"], "0")
    data.update(new_partner="7", prefer_same_school="different", reverse="on")

    assert client.post(url, data).status_code == 302

    saved = matching.settings_for(program_people.program)
    assert saved.weight_of("new_partner") == 7 and saved.weight_of("subject") == 0
    assert saved.reverse and not saved.prefer_same_school


def test_an_exclusion_is_recorded_and_a_duplicate_is_refused(client, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:exclusions", args=[program_people.program.pk])
    data = {"person": program_people.mentor.pk, "other": program_people.mentee.pk,
            "reason": "evaluates", "note": "Assistant principal"}

    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "person": program_people.mentee.pk,
                              "other": program_people.mentor.pk})

    assert again.status_code == 400
    assert "already kept apart" in again.content.decode()
    assert Exclusion.objects.count() == 1
    same = client.post(url, {**data, "other": program_people.mentor.pk})
    assert "two different people" in same.content.decode()


def test_people_from_outside_the_program_cannot_be_excluded(client, program_people, people):
    client.force_login(program_people.coordinator)
    url = reverse("pairing:exclusions", args=[program_people.program.pk])

    response = client.post(url, {"person": people.outsider_teacher.pk,
                                 "other": program_people.mentee.pk, "reason": "other"})

    assert response.status_code == 400
    assert not Exclusion.objects.exists()


def test_the_matching_page_costs_the_same_for_few_and_many_proposals(client, people,
                                                                     program_people):
    program = program_people.program
    client.force_login(program_people.coordinator)
    url = reverse("pairing:matching", args=[program.pk])
    pool(program, people.school, mentees=3, mentors=3)
    matching.start_run(program, program_people.coordinator, kind="pairs")
    few = count_queries(client, url)
    pool(program, people.school, mentees=30, mentors=30)
    matching.start_run(program, program_people.coordinator, kind="pairs")
    assert MatchingRun.objects.get(program=program).proposals.count() > 30
    assert count_queries(client, url) == few


def test_a_school_rep_sees_and_lifts_only_their_schools_exclusions(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    here = [ParticipantFactory(program=program, user=factories.teacher(people.school),
                               role=role).user for role in ("mentor", "mentee")]
    there = [ParticipantFactory(program=program, user=factories.teacher(people.other_school),
                                role=role).user for role in ("mentor", "mentee")]
    coordinator = factories.district_admin(people.district)
    mine = matching.add_exclusion(program, coordinator, person=here[0], other=here[1],
                                  reason="evaluates", note="Lincoln note")
    theirs = matching.add_exclusion(program, coordinator, person=there[0], other=there[1],
                                    reason="evaluates", note="Roosevelt note")
    client.force_login(rep)
    url = reverse("pairing:exclusions", args=[program.pk])

    html = client.get(url).content.decode()

    assert "Lincoln note" in html and "Roosevelt note" not in html
    assert there[0].display_name not in html  # not even offered in the form
    lift = "pairing:exclusion-remove"
    assert client.post(reverse(lift, args=[program.pk, theirs.pk])).status_code == 404
    assert client.post(reverse(lift, args=[program.pk, mine.pk])).status_code == 302
    assert Exclusion.objects.get(pk=mine.pk).removed_at is not None
    assert Exclusion.objects.get(pk=theirs.pk).removed_at is None
    assert client.post(url, {"person": there[0].pk, "other": there[1].pk,
                             "reason": "other"}).status_code == 400


def test_odd_input_to_the_review_actions_is_refused_not_a_500(client, program_people, run):
    client.force_login(program_people.coordinator)
    program = program_people.program
    proposal = run.proposals.first()
    swap = reverse("pairing:proposal-swap", args=[program.pk, run.pk])
    for data in [{"proposal": "²", "other": "1"}, {"proposal": "", "other": ""},
                 {"proposal": str(proposal.pk), "other": "999999999999"}]:
        assert client.post(swap, data).status_code == 302
    change = reverse("pairing:proposal-change", args=[program.pk, proposal.pk])
    for mentor in ["²", "-1", "99999999999", str(proposal.mentee_id)]:
        assert client.post(change, {"mentor": mentor}).status_code == 400
    proposal.mentee.status = "withdrawn"
    proposal.mentee.save()
    page = client.get(change)
    assert page.status_code == 200
    assert "No other mentor" in page.content.decode()


def test_group_placements_are_reviewed_and_approved_on_the_screen(client, people):
    from programs.models import GroupMembership
    from tests.programs.factories import GroupFactory

    program = ProgramFactory(district=people.district, model=ProgramModel.COHORT)
    team = GroupFactory(program=program, name="Sub-team A", kind="sub_team")
    newcomers = [ParticipantFactory(program=program, user=factories.teacher(people.school),
                                    role="mentee") for _ in range(2)]
    client.force_login(people.district_admin)
    url = reverse("pairing:matching", args=[program.pk])

    client.post(reverse("pairing:run-start", args=[program.pk]), {"kind": "groups"})
    html = client.get(url).content.decode()

    assert "2 placements" in html and "Sub-team A" in html
    run = MatchingRun.objects.get(program=program)
    client.post(reverse("pairing:placement-approve", args=[program.pk, run.pk]))
    assert set(GroupMembership.objects.filter(group=team).values_list(
        "participant", flat=True)) == {p.pk for p in newcomers}


def test_the_steering_committee_matches_where_the_model_says_so(client, people):
    district_based = ProgramFactory(district=people.district, model=ProgramModel.DISTRICT_BASED)
    one_on_one = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    member = factories.teacher(people.school)
    for program in (district_based, one_on_one):
        ParticipantFactory(program=program, user=member, role="steering")
    client.force_login(member)

    assert client.get(reverse("pairing:matching", args=[district_based.pk])).status_code == 200
    assert client.get(reverse("pairing:matching", args=[one_on_one.pk])).status_code == 404
    # Weights are the coordinator's: the committee matches with them.
    assert client.get(reverse("pairing:matching-settings",
                              args=[district_based.pk])).status_code == 404
