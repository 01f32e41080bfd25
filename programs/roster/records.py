"""What the readers make of a roster's rows."""

from dataclasses import dataclass


@dataclass(slots=True)
class SchoolRecord:
    key: str  # how people's rows refer to the school: its sourced id, or its code
    sourced_id: str
    code: str
    name: str
    file: str
    row: int


@dataclass(slots=True)
class PersonRecord:
    file: str
    row: int
    sourced_id: str
    email: str  # lower case
    display_name: str
    school_key: str | None
    job_title: str  # "" leaves the person's title as it is
    title_from_role: bool  # the title names the roster role and gives way to an edited one
    grades: tuple[str, ...] | None  # None leaves the person's grades as they are
    subjects: tuple[str, ...] | None  # None leaves the person's subjects as they are
    active: bool
