import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The programs' people and their team, for sharing with a program or a group.
from tests.programs.conftest import (  # noqa: E402, F401
    as_program_role,
    assert_program_access,
    program_people,
    team,
)
