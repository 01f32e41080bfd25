"""Yearly staff lists: who teaches in the district each school year, for retention."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import CareerStage, District, StaffProfile

from .models import StaffYear, school_year_label, school_year_start

# A school year begins on the first of August.
FIRST_MONTH = 8


def current_school_year(on: date | None = None) -> str:
    on = on or timezone.localdate()
    return school_year_label(on.year if on.month >= FIRST_MONTH else on.year - 1)


@transaction.atomic
def record_staff_year(*, district: District, school_year: str) -> int:
    """Record who teaches in the district now as the staff list of `school_year`: every
    active person with a school, with that school and their career stage. Recording the same
    year again replaces its list, so it always matches the latest roster. Returns how many
    teachers it lists."""
    if school_year_start(school_year) is None:
        raise ValueError(f"not a school year: {school_year!r}")
    profiles = (StaffProfile.objects.filter(user__district=district, user__is_active=True,
                                            school__district=district)
                .values_list("user_id", "school_id", "years_of_experience"))
    rows = [StaffYear(district=district, school_year=school_year, user_id=user,
                      school_id=school, career_stage=CareerStage.for_years(years).value)
            for user, school, years in profiles]
    StaffYear.objects.filter(district=district, school_year=school_year).delete()
    StaffYear.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
