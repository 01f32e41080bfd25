import pytest

from tests.access import access_checker
from tests.programs.conftest import program_people  # noqa: F401  shared fixtures

# Everyone a badge page is tried by: those who run the program, its mentor and mentee, the
# district's admins, a participant of another program, an admin of another district.
BADGE_ROLES = ["coordinator", "mentor", "mentee", "school_rep", "district_admin",
               "school_admin", "other_participant", "outsider", "anonymous"]


@pytest.fixture
def assert_badge_access(client, people, program_people):  # noqa: F811
    """Try one URL as each role in BADGE_ROLES and compare the statuses."""
    return access_checker(client, people, program_people, BADGE_ROLES)
