import pytest

from tests.access import access_checker
from tests.programs.conftest import program_people, team  # noqa: F401  shared fixtures

# Everyone a survey page is tried by: the program's people, the district's admins, a
# participant of another program, an admin of another district, anonymous.
SURVEY_ROLES = ["coordinator", "mentor", "mentee", "school_rep", "district_admin",
                "school_admin", "other_participant", "outsider", "anonymous"]


@pytest.fixture(autouse=True)
def shipped_templates(request):
    """The templates migration 0002 ships, put back if a browser test emptied the tables."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            from surveys.shipped import ensure_shipped_templates

            request.getfixturevalue(name)
            ensure_shipped_templates()
            return


@pytest.fixture
def clock_in_september():
    """Time stands on a Tuesday in September, inside the test program, and moves on."""
    import time_machine

    with time_machine.travel("2026-09-08 15:00:00Z", tick=True) as traveller:
        yield traveller


@pytest.fixture
def assert_survey_access(client, people, program_people):  # noqa: F811
    """Try one URL as each role in SURVEY_ROLES and compare the statuses."""
    return access_checker(client, people, program_people, SURVEY_ROLES)




