import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The programs' people and their team, for sharing with a program or a group; a mentor
# and mentee paired in that program, for resources attached to their check-ins.
from tests.pairing.conftest import assert_pairing_access, pair  # noqa: E402, F401
from tests.programs.conftest import (  # noqa: E402, F401
    as_program_role,
    assert_program_access,
    program_people,
    team,
)
