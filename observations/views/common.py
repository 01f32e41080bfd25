"""What every observation view shares: finding a cycle for the reader, the district's
time, and service refusals shown next to the field they name."""

from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import record_read

from ..models import ObservationCycle

CYCLE_RELATED = ["program__district", "pairing", "mentor", "mentee",
                 "template_version__template"]


def cycle_for(user, pk):
    """A cycle whose content this person may read: one of its two people, or someone the
    mentee shared it with. Anyone else gets 404."""
    return get_object_or_404(ObservationCycle.objects.visible_to(user)
                             .select_related(*CYCLE_RELATED), pk=pk)


def own_cycle_for(user, pk):
    """A cycle this person is one of the two people of: where notes, ratings, evidence,
    the debrief and the reflection are written."""
    return get_object_or_404(ObservationCycle.objects.of_user(user)
                             .select_related(*CYCLE_RELATED), pk=pk)


def log_read(request, cycle, record=None):
    """Anyone other than the cycle's two people who reads it is written to the access
    log, with the mentee as the owner of the record."""
    if not cycle.includes(request.user):
        record_read(request.user, record or cycle, owner=cycle.mentee)


@contextmanager
def district_time(program):
    """Times typed and shown are the district's local time."""
    with timezone.override(ZoneInfo(program.district.time_zone)):
        yield


