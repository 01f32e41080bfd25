"""Every role's home page costs the same number of queries with a few pairings or many."""

import pytest
from django.urls import reverse

from goals.models import Reflection
from pairing.models import Pairing
from programs.models import Participant
from tests import factories
from tests.dashboards.factories import grow, held, reflect
from tests.observations.factories import CycleFactory, full_cycle
from tests.pairing.factories import NextStepFactory, PairingFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

# Session, person, roles, authenticator, district; the person's programs, rematch
# requests, pairings, next steps, enrolling programs; the goals, observations and badges
# sections; then their role's own: a mentor's mentees, cycles by stage, overdue cycles and
# replies waiting; feedback; program cards (pairings, people, at risk); schools and their
# figures; for a district admin, programs, schools, people and invitations.
MAX_QUERIES = 25


def more_for_everyone(scene, people, size):
    """More pairings in the program, more mentees for Bea's mentor, more feedback for Ann,
    more programs for the coordinator and the district."""
    program = scene.program
    grow(program, people.other_school, size)
    mentor = scene.bea.mentor
    for index in range(size):
        mentee = ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                    user=factories.teacher(people.other_school))
        pairing = PairingFactory(mentor=mentor, mentee=mentee)
        held(pairing, index)
        NextStepFactory(checkin=held(pairing, index + 1))
        CycleFactory(pairing=pairing)
        reflect(mentee.user, program, 3, 3, Reflection.Visibility.MENTOR)
    for _ in range(3):
        full_cycle(scene.ann)
        other = ProgramFactory(district=people.district)
        ParticipantFactory(program=other, role=Participant.Role.COORDINATOR,
                           user=program.participants.get(role="coordinator").user)
    assert Pairing.objects.filter(program=program).count() > size


@pytest.mark.parametrize("who", ["mentee", "mentor", "coordinator", "school_rep",
                                 "school_admin", "district_admin"])
def test_each_roles_home_costs_the_same_whatever_the_size(client, scene, people,
                                                          program_people, who,
                                                          django_assert_max_num_queries):
    person = {"mentee": scene.ann.mentee.user, "mentor": scene.bea.mentor.user,
              "coordinator": program_people.coordinator,
              "school_rep": program_people.school_rep, "school_admin": people.school_admin,
              "district_admin": people.district_admin}[who]
    client.force_login(person)
    url = reverse("home")
    small = count_queries(client, url)
    more_for_everyone(scene, people, 15)

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small
