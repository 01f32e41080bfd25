"""Cleaning single values: emails, grade codes, lists, yes/no."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import Grade

GRADE_ORDER = {code: i for i, code in enumerate(Grade.values)}
# OneRoster also has codes this product does not track (IT, PR, TK, 13, PS, UG, Other).
_SPLIT = re.compile(r"[,;]")
SUBJECT_MAX_LENGTH = 100


def clean_email(value):
    """The address in lower case, or None when it is not a valid email address."""
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def split_list(value):
    return [item.strip() for item in _SPLIT.split(value) if item.strip()]


def grade_code(value):
    """"1" and "01" are both grade 1; None for a code this product does not track."""
    value = value.strip().upper()
    if value.isascii() and value.isdecimal() and len(value) <= 2 and 1 <= int(value) <= 12:
        value = f"{int(value):02d}"
    return value if value in GRADE_ORDER else None


def sorted_grades(codes):
    return tuple(sorted(set(codes), key=GRADE_ORDER.__getitem__))


def clean_subject(value):
    return " ".join(value.split())[:SUBJECT_MAX_LENGTH]


TRUE = {"true", "yes", "y", "1", "active"}
FALSE = {"false", "no", "n", "0", "inactive"}


def yes_no(value):
    """True, False, or None when the value is neither."""
    value = value.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    return None
