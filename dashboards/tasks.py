"""Background work of the dashboards: the district roll-ups. Tasks are thin: ids in, a
service call, a log line."""

import logging

from celery import shared_task

from accounts.models import District

from . import staff_years
from .rollups import refresh_district

logger = logging.getLogger(__name__)


@shared_task(name="dashboards.refresh_impact")
def refresh_impact() -> int:
    """Ticks every five minutes: queue a roll-up of each district that has programs, so no
    page reads figures much older than that. Returns how many were queued."""
    queued = 0
    for district_id in (District.objects.filter(programs__isnull=False).distinct()
                        .values_list("pk", flat=True)):
        refresh_district_impact.delay(district_id)
        queued += 1
    return queued


@shared_task(name="dashboards.refresh_district_impact")
def refresh_district_impact(district_id: int) -> float:
    """Recompute one district's figures and replace them at once; running it twice leaves
    the same figures. Returns the seconds it took."""
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0.0
    rollup = refresh_district(district)
    logger.info("impact roll-up of district %s took %.1f s", district_id, rollup.seconds)
    return rollup.seconds


@shared_task(name="dashboards.record_staff_year")
def record_staff_year(district_id: int, school_year: str) -> int:
    """Record the district's staff list for a school year (after a roster import)."""
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0
    return staff_years.record_staff_year(district=district, school_year=school_year)
