from types import SimpleNamespace

import pytest

from programs.models import Participant
from programs.presets import ProgramModel
from tests import factories
from tests.programs.factories import ParticipantFactory, ProgramFactory


@pytest.fixture
def program_people(people):
    """A running program in the `people` district with one person in each program role,
    and a teacher who takes part only in another program of the same district.

    The district's teacher (`people.teacher`) is the program's mentee and `people.colleague`
    (another school) its mentor."""
    program = ProgramFactory(district=people.district, model=ProgramModel.ONE_ON_ONE,
                             name="New Teacher Induction")
    role = Participant.Role

    def join(user, participant_role, **kwargs):
        ParticipantFactory(program=program, user=user, role=participant_role, **kwargs)
        return user

    other_program = ProgramFactory(district=people.district, name="Science Learning Team",
                                   model=ProgramModel.LEARNING_TEAM)
    other_participant = factories.teacher(people.school)
    ParticipantFactory(program=other_program, user=other_participant, role=role.MENTEE)
    return SimpleNamespace(
        program=program,
        other_program=other_program,
        coordinator=join(factories.teacher(people.school), role.COORDINATOR),
        mentor=join(people.colleague, role.MENTOR),
        mentee=join(people.teacher, role.MENTEE),
        school_rep=join(factories.teacher(people.school), role.SCHOOL_REP),
        other_participant=other_participant,
    )


PROGRAM_ROLES = ["coordinator", "mentor", "mentee", "district_admin", "school_admin",
                 "other_participant", "outsider", "anonymous"]


@pytest.fixture
def as_program_role(client, people, program_people):
    def sign_in(role):
        client.logout()
        if role != "anonymous":
            person = getattr(program_people, role, None) or getattr(people, role)
            client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def assert_program_access(as_program_role):
    """Try one URL as each program role (plus the district's admins, a participant of
    another program, an admin of another district, and anonymous) and compare statuses."""
    from django.urls import reverse

    def check(url, expected, method="get", data=None):
        seen = {}
        for role in PROGRAM_ROLES:
            response = getattr(as_program_role(role), method)(url, data or {})
            seen[role] = response.status_code
            if role == "anonymous":
                assert response.url.startswith(reverse("account_login")), response.url
        assert seen == {**expected, "anonymous": 302}, url
        return seen

    return check



@pytest.fixture
def team(program_people):
    """A learning team of the program: the mentor leads it and the mentee is a member; the
    coordinator and the school rep are not in it."""
    from tests.programs.factories import GroupFactory, GroupMembershipFactory

    people = program_people
    group = GroupFactory(program=people.program, name="Grade 3 Team", focus="Primary literacy")
    participants = people.program.participants
    GroupMembershipFactory(group=group, participant=participants.get(user=people.mentor),
                           is_lead=True)
    GroupMembershipFactory(group=group, participant=participants.get(user=people.mentee))
    return group


@pytest.fixture
def hub_team(team):
    """The same team in a program with the virtual hub turned on."""
    team.program.has_hub = True
    team.program.save(update_fields=["has_hub"])
    return team
