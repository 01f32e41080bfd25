import pytest
import time_machine

from programs.models import Participant
from tests.access import access_checker
from tests.pairing.days import MONDAY_MORNING
from tests.pairing.factories import PairingFactory
from tests.programs.conftest import program_people, team  # noqa: F401  shared fixtures

# Everyone a pairing page is tried by: the pair, those who run the program, the district's
# admins, a participant of another program, an admin of another district, anonymous.
PAIRING_ROLES = ["coordinator", "mentor", "mentee", "school_rep", "district_admin",
                 "school_admin", "other_participant", "outsider", "anonymous"]


@pytest.fixture
def pair(program_people):  # noqa: F811  (the shared fixture)
    """An active pairing of the program's mentor (Roosevelt Middle) and mentee (Lincoln
    Elementary)."""
    participants = program_people.program.participants
    return PairingFactory(
        mentor=participants.get(user=program_people.mentor, role=Participant.Role.MENTOR),
        mentee=participants.get(user=program_people.mentee, role=Participant.Role.MENTEE))


@pytest.fixture
def assert_pairing_access(client, people, program_people):  # noqa: F811
    """Try one URL as each role in PAIRING_ROLES and compare the statuses."""
    return access_checker(client, people, program_people, PAIRING_ROLES)


@pytest.fixture
def monday_morning():
    """Time stands at MONDAY_MORNING and moves on from there."""
    with time_machine.travel(MONDAY_MORNING, tick=True) as traveller:
        yield traveller
