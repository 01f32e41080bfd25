"""Guards that hold however the matching is reached: a school's admin is kept from their
own school's teachers whatever school their enrolment names, no mentor is approved past
their places when two runs share them, other programs are named only to those who see
them, and ids no form offers are refused plainly."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pairing.models import MatchingRun, Pairing
from pairing.services import matching
from programs.models import Program
from programs.presets import ProgramModel
from tests import factories
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def join(program, role, school, **kwargs):
    return ParticipantFactory(program=program, user=factories.teacher(school), role=role,
                              **kwargs)


def test_a_school_admin_enrolled_without_a_school_is_kept_from_its_teachers(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    admin = factories.school_admin(people.school)
    ParticipantFactory(program=program, user=admin, role="mentor", school=None)
    theirs = join(program, "mentee", people.school)
    # Joined from another school, teaching at the admin's school now.
    moved = join(program, "mentee", people.other_school)
    moved.user.staff_profile.school = people.school
    moved.user.staff_profile.save()

    run = matching.start_run(program, people.district_admin, kind="pairs")

    assert not run.proposals.exists()
    assert run.unmatched[str(theirs.pk)] == run.unmatched[str(moved.pk)] == "excluded"


def test_approval_refuses_a_mentor_taken_past_their_places_by_another_run(people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    mentor = join(program, "mentor", people.school)
    first, second = (join(program, "mentee", people.school) for _ in range(2))
    runs = [MatchingRun.objects.create(program=program, kind="pairs", school=people.school,
                                       started_by=people.district_admin),
            MatchingRun.objects.create(program=program, kind="pairs",
                                       started_by=people.district_admin)]
    # Two matchers proposed the same one-on-one mentor at the same moment.
    for run, mentee in zip(runs, (first, second), strict=True):
        Pairing.objects.create(program=program, run=run, mentor=mentor, mentee=mentee,
                               status=Pairing.Status.PROPOSED)
    matching.approve(runs[0], people.district_admin)

    with pytest.raises(ValidationError) as error:
        matching.approve(runs[1], people.district_admin)

    assert "more mentees than they have places" in str(error.value)
    assert str(mentor.user) in str(error.value)
    assert Pairing.objects.filter(mentor=mentor, status=Pairing.Status.ACTIVE).count() == 1


def test_the_exclusions_page_names_only_programs_the_reader_sees(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.SCHOOL_BASED)
    rep = factories.teacher(people.school)
    ParticipantFactory(program=program, user=rep, role="school_rep")
    mentor, mentee = join(program, "mentor", people.school), join(program, "mentee",
                                                                   people.school)
    hidden = ProgramFactory(district=people.district, name="Intensive support plan",
                            status=Program.Status.DRAFT)
    matching.add_exclusion(hidden, people.district_admin, person=mentor.user,
                           other=mentee.user, reason="evaluates", note="improvement plan")
    url = reverse("pairing:exclusions", args=[program.pk])

    client.force_login(rep)
    html = client.get(url).content.decode()

    assert mentor.user.display_name in html and "another program of the district" in html
    assert "Intensive support plan" not in html and "improvement plan" not in html
    client.force_login(people.district_admin)
    assert "Intensive support plan" in client.get(url).content.decode()


def test_ids_no_form_offers_are_refused_without_an_error(client, people):
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE)
    mentor = join(program, "mentor", people.school)
    join(program, "mentee", people.school)
    run = matching.start_run(program, people.district_admin, kind="pairs")
    client.force_login(people.district_admin)

    screen = client.get(reverse("pairing:matching", args=[program.pk]), {"team": "²"})
    change = client.post(reverse("pairing:proposal-change",
                                 args=[program.pk, run.proposals.get().pk]),
                         {"mentor": str(2**70)})

    assert screen.status_code == 200
    assert change.status_code == 400
    assert run.proposals.get().mentor == mentor
