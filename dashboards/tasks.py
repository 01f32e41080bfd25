"""Background work of the dashboards: the district roll-ups and at-risk checks. Tasks are
thin: ids in, a service call, a log line."""

import logging

from celery import shared_task

from accounts.models import District
from pairing.models import Pairing

from . import health, staff_years
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


@shared_task(name="dashboards.check_at_risk")
def check_at_risk() -> int:
    """Ticks every minute: queue an at-risk check of each district that has active
    pairings, so a flag raised or cleared shows within a minute or two. Returns how many
    were queued."""
    queued = 0
    for district_id in (Pairing.objects.active().values_list("program__district_id", flat=True)
                        .distinct().order_by()):
        check_district_at_risk.delay(district_id)
        queued += 1
    return queued


@shared_task(name="dashboards.check_district_at_risk")
def check_district_at_risk(district_id: int) -> float:
    """Check one district's active pairings and replace its flags at once; running it twice
    leaves the same flags. Returns the seconds it took."""
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0.0
    return health.check_at_risk(district).seconds
