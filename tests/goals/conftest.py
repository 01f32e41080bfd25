from types import SimpleNamespace

import pytest

from goals.models import Goal, Reflection
from programs.models import Participant
from tests.goals.factories import GoalFactory, ReflectionFactory
from tests.pairing.conftest import monday_morning, pair  # noqa: F401  shared fixtures
from tests.programs.conftest import program_people, team  # noqa: F401  shared fixtures

# Everyone a goals page is tried by: the mentee who owns the goal, their mentor, the
# program's coordinator, its school rep, the district's admins, a participant of another
# program, an admin of another district, anonymous.
GOAL_ROLES = ["mentee", "mentor", "coordinator", "school_rep", "district_admin",
              "school_admin", "other_participant", "outsider", "anonymous"]


def participant(scene, role):
    """The participant row of one of `program_people`'s people, in the role they hold."""
    return scene.program.participants.get(user=getattr(scene, role), role=role)


@pytest.fixture(autouse=True)
def shipped_prompts(request):
    """The prompts migration 0002 ships, put back if a browser test emptied the tables."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            from goals.shipped import ensure_shipped_prompts

            request.getfixturevalue(name)
            ensure_shipped_prompts()
            return


@pytest.fixture
def goal(program_people, pair):  # noqa: F811
    """An active goal of the program's mentee, who is paired with the program's mentor."""
    return GoalFactory(participant=participant(program_people, Participant.Role.MENTEE),
                       state=Goal.State.ACTIVE)


@pytest.fixture
def reflections(program_people, pair, team):  # noqa: F811
    """One entry of the mentee's of each visibility."""
    def entry(visibility, body):
        return ReflectionFactory(author=program_people.mentee, program=program_people.program,
                                 visibility=visibility, body=body)

    return SimpleNamespace(
        private=entry(Reflection.Visibility.PRIVATE, "Quetzal private worry about Fridays"),
        mentor=entry(Reflection.Visibility.MENTOR, "Pangolin shared with my mentor"),
        group=entry(Reflection.Visibility.GROUP, "Axolotl shared with the team"),
    )


@pytest.fixture
def as_goal_role(client, people, program_people):  # noqa: F811
    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(program_people, role, None) or getattr(people, role))
        return client

    return sign_in


@pytest.fixture
def assert_goal_access(as_goal_role):
    """Try one URL as each role in GOAL_ROLES and compare the statuses."""
    from django.urls import reverse

    def check(url, expected, method="get", data=None, roles=GOAL_ROLES):
        seen = {}
        for role in roles:
            response = getattr(as_goal_role(role), method)(url, data or {})
            seen[role] = response.status_code
            if role == "anonymous":
                assert response.url.startswith(reverse("account_login")), response.url
        assert seen == {**expected, "anonymous": 302}, url
        return seen

    return check
