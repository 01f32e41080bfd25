"""Protected time: logging release time and collaboration hours, and the monthly totals
read against the program's target (summed in SQL, never row by row in Python)."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Participant, Program, TimeLog

MAX_MINUTES_PER_DAY = 12 * 60


def program_today(program: Program) -> date:
    return timezone.localdate(timezone=ZoneInfo(program.district.time_zone))


@transaction.atomic
def log_time(*, program: Program, person, logged_by, date: date, minutes: int, kind: str,
             note: str = "", today: date | None = None) -> TimeLog:
    """Record time a participant spent, on a day inside the program and not in the future,
    with no more than 12 hours on one day. A coordinator may log for a participant."""
    if program.status == Program.Status.CLOSED:
        raise ValidationError(_("This program is closed; time can no longer be logged."))
    if not program.participants.filter(user=person, status=Participant.Status.ACTIVE).exists():
        raise ValidationError({"person": _("Only active participants of the program log time.")})
    today = today or program_today(program)
    if not program.starts_on <= date <= program.ends_on:
        raise ValidationError({"date": _(
            "Choose a day inside the program, which runs from %(start)s to %(end)s.") % {
                "start": date_format(program.starts_on, "DATE_FORMAT"),
                "end": date_format(program.ends_on, "DATE_FORMAT")}})
    if date > today:
        raise ValidationError({"date": _("Log time once it is spent: this day is still "
                                         "to come.")})
    entry = TimeLog(program=program, user=person, logged_by=logged_by, date=date,
                    minutes=minutes, kind=kind, note=note)
    entry.full_clean()
    # Lock the person's participation rows so that two logs for one day are added in turn.
    list(program.participants.select_for_update().filter(user=person))
    already = (TimeLog.objects.filter(program=program, user=person, date=date)
               .aggregate(total=Sum("minutes"))["total"] or 0)
    if already + minutes > MAX_MINUTES_PER_DAY:
        raise ValidationError({"minutes": _(
            "That makes more than 12 hours on one day (%(already)s already logged).") % {
                "already": format_minutes(already)}})
    entry.save()
    return entry


# Reading the totals

def format_minutes(minutes: int) -> str:
    hours, rest = divmod(int(minutes or 0), 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


@dataclass(frozen=True)
class MonthTotal:
    month: date  # the first day of the month
    minutes: int
    target: int

    @property
    def percent(self) -> int:
        """Share of the target reached, capped at 100 for the bar."""
        if not self.target:
            return 100 if self.minutes else 0
        return min(100, round(self.minutes * 100 / self.target))

    @property
    def met(self) -> bool:
        return self.minutes >= self.target

    @property
    def shown(self) -> str:
        return format_minutes(self.minutes)

    @property
    def target_shown(self) -> str:
        return format_minutes(self.target)

    @property
    def label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")


def program_months(program: Program, today: date | None = None) -> list[date]:
    """The months of the program so far (the first month when it has not started yet)."""
    today = today or program_today(program)
    first = program.starts_on.replace(day=1)
    last = min(program.ends_on, today).replace(day=1)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return months or [first]


def _month_key(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def monthly_minutes(program: Program, user_ids) -> dict[tuple[int, date], int]:
    """{(user id, first of month): minutes} for these people, in one query."""
    rows = (TimeLog.objects.filter(program=program, user_id__in=list(user_ids))
            .annotate(month=TruncMonth("date")).order_by()
            .values_list("user_id", "month").annotate(total=Sum("minutes")))
    return {(user_id, _month_key(month)): total for user_id, month, total in rows}


def months_for(program: Program, user, today: date | None = None) -> list[MonthTotal]:
    """One person's total in each month of the program so far, newest first."""
    totals = monthly_minutes(program, [user.pk])
    target = program.protected_minutes_per_month
    return [MonthTotal(month, totals.get((user.pk, month), 0), target)
            for month in reversed(program_months(program, today))]


@dataclass(frozen=True)
class SummaryRow:
    person: object
    months: list[MonthTotal]

    @property
    def total(self) -> str:
        return format_minutes(sum(m.minutes for m in self.months))


def summary_rows(program: Program, people, months: list[date]) -> list[SummaryRow]:
    """Each person's total for each of `months` against the target: one query for all."""
    people = list(people)
    totals = monthly_minutes(program, [p.pk for p in people])
    target = program.protected_minutes_per_month
    return [SummaryRow(person, [MonthTotal(m, totals.get((person.pk, m), 0), target)
                                for m in months]) for person in people]


def participants_logging(program: Program):
    """The people whose protected time the program counts: its active participants."""
    from accounts.models import User

    return (User.objects.filter(participations__program=program,
                                participations__status=Participant.Status.ACTIVE)
            .distinct().order_by("display_name", "pk"))


def export_rows(program: Program, months: list[date], chunk: int = 500):
    """(name, email, month, minutes, target) for every active participant and month of the
    program so far, for the CSV export: read in chunks of people, one sum query per chunk,
    so memory does not grow with the program."""
    target = program.protected_minutes_per_month
    people = participants_logging(program).values_list("pk", "display_name", "email")
    for start in range(0, people.count(), chunk):
        batch = list(people[start:start + chunk])
        totals = monthly_minutes(program, [pk for pk, _name, _email in batch])
        for pk, name, email in batch:
            for month in months:
                yield (name, email, month, totals.get((pk, month), 0), target)
