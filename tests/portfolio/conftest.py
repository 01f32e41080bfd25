import pytest

from tests.programs.conftest import program_people  # noqa: F401  shared fixtures

# Everyone a badge page is tried by: those who run the program, its mentor and mentee, the
# district's admins, a participant of another program, an admin of another district.
BADGE_ROLES = ["coordinator", "mentor", "mentee", "school_rep", "district_admin",
               "school_admin", "other_participant", "outsider", "anonymous"]


@pytest.fixture
def assert_badge_access(client, people, program_people):  # noqa: F811
    """Try one URL as each role in BADGE_ROLES and compare the statuses."""
    from django.urls import reverse

    def check(url, expected, method="get", data=None):
        seen = {}
        for role in BADGE_ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(getattr(program_people, role, None) or getattr(people, role))
            response = getattr(client, method)(url, data or {})
            seen[role] = response.status_code
            if role == "anonymous":
                assert response.url.startswith(reverse("account_login")), response.url
        assert seen == {**expected, "anonymous": 302}, url
        return seen

    return check
