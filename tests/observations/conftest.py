import pytest

from programs.models import Participant
from tests.observations.factories import CycleFactory, full_cycle
from tests.pairing.conftest import monday_morning, pair  # noqa: F401  shared fixtures
from tests.pairing.factories import PairingFactory
from tests.programs.conftest import program_people, team  # noqa: F401  shared fixtures

# Everyone an observation page is tried by: the cycle's two people, those who run the
# program, the district's admins, another mentor of the program, a participant of another
# program, an admin of another district, a teacher of another district, anonymous.
CYCLE_ROLES = ["mentor", "mentee", "coordinator", "school_rep", "district_admin",
               "school_admin", "other_mentor", "other_participant", "outsider",
               "outsider_teacher", "anonymous"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
       b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def other_pair(people, program_people):  # noqa: F811
    """Another pairing in the same program: its mentor is "another mentor"."""
    from tests import factories

    program = program_people.program
    mentor = factories.teacher(people.school, user__display_name="Olga Other")
    mentee = factories.teacher(people.school, user__display_name="Omar Other")
    pairing = PairingFactory(
        mentor=Participant.objects.create(program=program, user=mentor,
                                          role=Participant.Role.MENTOR),
        mentee=Participant.objects.create(program=program, user=mentee,
                                          role=Participant.Role.MENTEE))
    program_people.other_mentor = mentor
    return pairing


@pytest.fixture
def cycle(pair):  # noqa: F811
    """A closed cycle of the pair with a note, ratings and a shared debrief."""
    return full_cycle(pair)


@pytest.fixture
def planning_cycle(pair):  # noqa: F811
    return CycleFactory(pairing=pair, look_fors=[])


@pytest.fixture
def sign_in_as(client, people, program_people):  # noqa: F811
    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(program_people, role, None) or getattr(people, role))
        return client

    return sign_in


@pytest.fixture
def assert_cycle_access(sign_in_as, other_pair):
    """Try one URL as each role in CYCLE_ROLES and compare the statuses; returns the
    responses by role."""
    from django.urls import reverse

    def check(url, expected, method="get", data=None):
        seen, responses = {}, {}
        for role in CYCLE_ROLES:
            client = sign_in_as(role)
            response = getattr(client, method)(url, data or {})
            seen[role] = response.status_code
            responses[role] = response
            if role == "anonymous":
                assert response.url.startswith(reverse("account_login")), response.url
        assert seen == {**expected, "anonymous": 302}, url
        return responses

    return check
