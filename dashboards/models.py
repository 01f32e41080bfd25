"""What the district impact pages read: yearly staff snapshots (for retention), a district's
hourly cost (for the cost summary), and the roll-up of mentoring activity that a task keeps
up to date (`dashboards.rollups`), so no page aggregates a year of activity per request.

The roll-up holds counts and averages only, never anything a person wrote."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import CareerStage, District, School
from pairing.models import Pairing
from programs.models import Program
from programs.signals import roster_applied

SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")


def school_year_start(label):
    """The first calendar year of a school year written "2026-27" or "2026-2027", or None
    for anything else (the programs' school year is free text)."""
    found = SCHOOL_YEAR.match((label or "").strip())
    if not found:
        return None
    first, second = int(found[1]), int(found[2])
    if second % 100 != (first + 1) % 100:
        return None
    return first


def school_year_label(first):
    return f"{first}-{(first + 1) % 100:02d}"


def next_school_year(label):
    first = school_year_start(label)
    return None if first is None else school_year_label(first + 1)


def validate_school_year(value):
    if school_year_start(value) is None:
        raise ValidationError(_("Write the school year as 2026-27."))


class StaffYear(models.Model):
    """Who taught in the district in a school year, where, and at what career stage: one row
    a teacher, recorded when a roster import is applied or by `manage.py record_staff_year`.
    Retention compares one year's rows with the next year's."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("district"))
    school_year = models.CharField(_("school year"), max_length=9,
                                   validators=[validate_school_year])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("person"))
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("school"))
    career_stage = models.CharField(_("career stage"), max_length=12,
                                    choices=CareerStage.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["district", "school_year", "user"]
        verbose_name = _("staff year")
        verbose_name_plural = _("staff years")
        constraints = [
            models.UniqueConstraint(fields=["district", "school_year", "user"],
                                    name="staff_year_once"),
        ]

    def __str__(self):
        return f"{self.school_year}: {self.user_id}"


class ImpactSettings(models.Model):
    """A district's own figures for its impact report."""

    district = models.OneToOneField(District, on_delete=models.CASCADE,
                                    related_name="impact_settings")
    hourly_cost = models.DecimalField(
        _("cost of an hour of release time"), max_digits=8, decimal_places=2, null=True,
        blank=True, validators=[MinValueValidator(0), MaxValueValidator(10_000)],
        help_text=_("What an hour of a teacher's release or mentoring time costs the "
                    "district (substitute cover, stipends), for the cost summary. Leave "
                    "empty to show hours only."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("impact settings")
        verbose_name_plural = _("impact settings")

    def __str__(self):
        return str(self.district)


class ImpactRollup(models.Model):
    """When a district's figures were last computed, and how long it took."""

    district = models.OneToOneField(District, on_delete=models.CASCADE,
                                    related_name="impact_rollup")
    computed_at = models.DateTimeField(_("computed"))
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("impact roll-up")
        verbose_name_plural = _("impact roll-ups")

    def __str__(self):
        return f"{self.district}: {self.computed_at:%Y-%m-%d %H:%M}"


class ImpactFigureQuerySet(models.QuerySet):
    def for_view(self, district, school_year, groupings, *, program=None, school=None):
        """The rows one page reads: the groupings it shows, narrowed to its filters."""
        qs = self.filter(district=district, school_year=school_year, grouping__in=groupings)
        if program is not None:
            qs = qs.filter(program=program)
        if school is not None:
            qs = qs.filter(school=school)
        return qs


class ImpactFigure(models.Model):
    """One cell of a district's roll-up: the counts of a school year for one combination of
    program, school, career stage, month or part of the year (`grouping` names which of them
    the row is broken down by; the others are empty and mean "all").

    `people` is how many mentees the cell is built from, to suppress small cells. Confidence
    is kept as the sum of each author's mean rating and the number of authors, so a page
    shows the mean of per-author means. Retention counts are empty when the next year's
    staff list is not recorded yet."""

    class Phase(models.TextChoices):
        BASELINE = "baseline", _("Start of year (August to October)")
        MIDYEAR = "midyear", _("Mid-year (November to February)")
        END = "end", _("End of year (March to July)")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(max_length=20)
    grouping = models.CharField(max_length=40)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    career_stage = models.CharField(max_length=12, blank=True, choices=CareerStage.choices)
    month = models.DateField(null=True, blank=True)
    phase = models.CharField(max_length=8, blank=True, choices=Phase.choices)

    people = models.PositiveIntegerField(default=0)
    checkins_held = models.PositiveIntegerField(default=0)
    cycles_closed = models.PositiveIntegerField(default=0)
    goals_achieved = models.PositiveIntegerField(default=0)
    reflections_written = models.PositiveIntegerField(default=0)
    minutes_logged = models.PositiveBigIntegerField(default=0)
    release_minutes = models.PositiveBigIntegerField(default=0)
    badges_awarded = models.PositiveIntegerField(default=0)
    confidence_total = models.FloatField(default=0)
    confidence_people = models.PositiveIntegerField(default=0)
    mentees_on_staff = models.PositiveIntegerField(null=True, blank=True)
    mentees_stayed = models.PositiveIntegerField(null=True, blank=True)
    others_on_staff = models.PositiveIntegerField(null=True, blank=True)
    others_stayed = models.PositiveIntegerField(null=True, blank=True)

    objects = ImpactFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("impact figure")
        verbose_name_plural = _("impact figures")
        indexes = [models.Index(fields=["district", "school_year", "grouping", "program",
                                        "school"], name="impact_figure_lookup")]

    def __str__(self):
        return f"{self.school_year} {self.grouping}"


class AtRiskCheck(models.Model):
    """When a district's active pairings were last checked for reasons to look closer
    (`dashboards.health.check_at_risk`), and how long it took."""

    district = models.OneToOneField(District, on_delete=models.CASCADE,
                                    related_name="at_risk_check")
    checked_at = models.DateTimeField(_("checked"))
    seconds = models.FloatField(_("seconds taken"), default=0)

    stale = False  # set by pages reading a check older than they may show

    class Meta:
        verbose_name = _("at-risk check")
        verbose_name_plural = _("at-risk checks")

    def __str__(self):
        return f"{self.district}: {self.checked_at:%Y-%m-%d %H:%M}"


class AtRiskFlag(models.Model):
    """An active pairing the last check found at least one reason to look closer at, each
    reason a flag; a district's rows are replaced whole by each check. Pages read these
    instead of computing five figures per pairing of a program on every request."""

    pairing = models.OneToOneField(Pairing, on_delete=models.CASCADE, primary_key=True,
                                   related_name="risk")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    no_checkin = models.BooleanField(default=False)
    confidence = models.BooleanField(default=False)
    missed_sessions = models.BooleanField(default=False)
    rematch = models.BooleanField(default=False)
    # The last check-in held, for the list's order (the longest without one first).
    last_held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("at-risk flag")
        verbose_name_plural = _("at-risk flags")

    def __str__(self):
        return str(self.pairing_id)


def _record_staff_after_roster(sender, district, **kwargs):
    """A roster applied is the district's staff list of the current school year."""
    from django.db import transaction

    from .staff_years import current_school_year, record_staff_year

    transaction.on_commit(lambda: record_staff_year(district=district,
                                                    school_year=current_school_year()))


roster_applied.connect(_record_staff_after_roster, dispatch_uid="dashboards-staff-year")
