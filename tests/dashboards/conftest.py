from types import SimpleNamespace

import pytest

from dashboards.health import check_at_risk
from tests.dashboards.factories import health_scene
from tests.goals.conftest import shipped_prompts  # noqa: F401  shared fixture
from tests.pairing.conftest import pair  # noqa: F401  shared fixtures
from tests.programs.conftest import program_people, team  # noqa: F401  shared fixtures

# Everyone a health page or a home page is tried by: the program's people, the district's
# admins, a participant of another program, an admin of another district.
HEALTH_ROLES = ["coordinator", "mentor", "mentee", "school_rep", "district_admin",
                "school_admin", "other_participant", "outsider", "anonymous"]


@pytest.fixture
def scene(clock, people, program_people, pair):  # noqa: F811
    """The hand-made program of tests/dashboards/factories.health_scene, at the clock's
    Monday (Dec. 7, 2026), its pairings checked for risk as the background check does."""
    scene = SimpleNamespace(**health_scene(people, program_people, pair))
    check_at_risk(scene.program.district)
    return scene


@pytest.fixture
def as_health_role(client, people, program_people):  # noqa: F811
    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(program_people, role, None) or getattr(people, role))
        return client

    return sign_in
