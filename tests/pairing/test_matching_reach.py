"""What a matcher learns and reaches beyond the run in front of them: earlier pairings
only from this program's own history, a rep's pairings by their mentee's school, and the
evaluators recorded in other programs that keep this program's people apart."""

import pytest
from django.urls import reverse

from pairing.engine import NEW_PARTNER
from pairing.models import Pairing
from pairing.services import matching
from programs.presets import ProgramModel
from tests import factories
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def join(program, user, role):
    return ParticipantFactory(program=program, user=user, role=role)


def test_previous_pairings_count_only_from_this_programs_lineage(people):
    mentor, mentee = factories.teacher(people.school), factories.teacher(people.school)
    last_year = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    unrelated = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    this_year = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE,
                               copied_from=last_year)
    join(this_year, mentor, "mentor")
    join(this_year, mentee, "mentee")
    PairingFactory(mentor=join(unrelated, mentor, "mentor"),
                   mentee=join(unrelated, mentee, "mentee"), status=Pairing.Status.ENDED)

    run = matching.start_run(this_year, people.district_admin, kind="pairs")

    # A pairing in a program the matcher may not see says nothing here.
    assert run.proposals.get().breakdown[NEW_PARTNER] > 0
    PairingFactory(mentor=join(last_year, mentor, "mentor"),
                   mentee=join(last_year, mentee, "mentee"), status=Pairing.Status.ENDED)
    run = matching.start_run(this_year, people.district_admin, kind="pairs")
    assert run.proposals.get().breakdown[NEW_PARTNER] == 0


def test_a_rep_reaches_the_pairings_of_their_schools_mentees_only(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    join(program, rep, "school_rep")
    other_rep = factories.teacher(people.other_school)
    join(program, other_rep, "school_rep")
    # A mentor of the rep's school with a mentee of the other school.
    pairing = PairingFactory(
        mentor=join(program, factories.teacher(people.school), "mentor"),
        mentee=join(program, factories.teacher(people.other_school), "mentee"))
    url = reverse("pairing:pairing-detail", args=[pairing.pk])

    assert not rep.has_perm("pairing.manage_pairing", pairing)
    assert not Pairing.objects.visible_to(rep).filter(pk=pairing.pk).exists()
    client.force_login(rep)
    assert client.get(url).status_code == 404
    assert other_rep.has_perm("pairing.manage_pairing", pairing)
    assert Pairing.objects.visible_to(other_rep).filter(pk=pairing.pk).exists()
    client.force_login(other_rep)
    assert client.get(url).status_code == 200


def test_evaluators_recorded_elsewhere_are_shown_read_only_within_scope(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    other = ProgramFactory(district=people.district, name="Instructional Coaching")
    rep = factories.teacher(people.school)
    join(program, rep, "school_rep")
    here = [factories.teacher(people.school) for _ in range(2)]
    there = [factories.teacher(people.other_school) for _ in range(2)]
    outside = factories.teacher(people.school)  # not in this program
    for user, role in [(here[0], "mentor"), (here[1], "mentee"), (there[0], "mentor"),
                       (there[1], "mentee")]:
        join(program, user, role)
    admin = people.district_admin
    theirs = matching.add_exclusion(other, admin, person=here[0], other=here[1],
                                    reason="evaluates", note="Private note")
    matching.add_exclusion(other, admin, person=there[0], other=there[1], reason="evaluates")
    matching.add_exclusion(other, admin, person=here[0], other=outside, reason="evaluates")
    matching.add_exclusion(other, admin, person=here[1], other=there[0], reason="personal")
    url = reverse("pairing:exclusions", args=[program.pk])

    client.force_login(admin)
    html = client.get(url).content.decode()
    assert "Evaluators recorded in other programs" in html
    assert "Instructional Coaching" in html
    assert there[0].display_name in html and outside.display_name not in html
    assert "Private note" not in html
    assert reverse("pairing:exclusion-remove", args=[program.pk, theirs.pk]) not in html
    client.force_login(rep)
    html = client.get(url).content.decode()
    # The rep takes no part in the other program: it is not named to them.
    assert here[0].display_name in html and "another program of the district" in html
    assert "Instructional Coaching" not in html and there[0].display_name not in html
    assert client.post(reverse("pairing:exclusion-remove", args=[program.pk, theirs.pk])
                       ).status_code == 404


def test_the_exclusions_page_costs_the_same_for_few_and_many(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    other = ProgramFactory(district=people.district)
    client.force_login(people.district_admin)
    url = reverse("pairing:exclusions", args=[program.pk])

    def exclude(count):
        for _ in range(count):
            a, b = factories.teacher(people.school), factories.teacher(people.school)
            join(program, a, "mentor")
            join(program, b, "mentee")
            matching.add_exclusion(other, people.district_admin, person=a, other=b,
                                   reason="evaluates")
            matching.add_exclusion(program, people.district_admin, person=a, other=b,
                                   reason="conflict")

    exclude(1)
    few = count_queries(client, url)
    exclude(3)
    assert count_queries(client, url) == few
