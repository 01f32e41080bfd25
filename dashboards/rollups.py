"""The district roll-up: a school year of mentoring activity counted once, in the database,
then summed into the cells the impact pages read (`ImpactFigure`).

A handful of grouped queries count the year at its finest grain (each mentee and month);
Python sums those rows into every combination a page can ask for (by program, school,
career stage, month or part of the year, each within any program and school filter), so a
page reads a few hundred ready rows with one query whatever the size of the district.

Who a row is about: the mentee of a pairing (check-ins, observation cycles), the owner of a
goal, the author of a reflection, the person who logged time or earned a badge. Their
school is the one they joined the program from, else the one of the staff list or their
profile; their career stage that of the year's staff list, else of their profile."""

import itertools
import time
from collections import defaultdict
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import CareerStage
from goals.models import Goal, Reflection
from observations.models import ObservationCycle
from pairing.models import CheckIn, Pairing
from portfolio.models import Award
from programs.models import Participant, Program, TimeLog

from .models import (
    ImpactFigure,
    ImpactRollup,
    StaffYear,
    next_school_year,
    school_year_start,
)

FILTERS = [(), ("program",), ("school",), ("program", "school")]
BREAKDOWNS = [None, "program", "school", "career_stage", "month", "phase"]
# Kinds of protected time that are release from teaching, which the district pays cover for.
RELEASE_KINDS = ["release", "release_day"]
MENTEE_ROLES = [Participant.Role.MENTEE, Participant.Role.PEER]
COUNTS = ["checkins_held", "cycles_closed", "goals_achieved", "reflections_written",
          "minutes_logged", "release_minutes", "badges_awarded"]
PHASE_OF_MONTH = {8: "baseline", 9: "baseline", 10: "baseline", 11: "midyear",
                  12: "midyear", 1: "midyear", 2: "midyear", 3: "end", 4: "end", 5: "end",
                  6: "end", 7: "end"}


def grouping_name(dims):
    return "+".join(sorted(dims)) or "all"


def groupings_for(filters):
    """The groupings a page with these filters reads: each breakdown within the filters."""
    return {breakdown: grouping_name(set(filters) | ({breakdown} if breakdown else set()))
            for breakdown in BREAKDOWNS}


ALL_GROUPINGS = sorted({(tuple(sorted(set(f) | ({b} if b else set()))))
                        for f in FILTERS for b in BREAKDOWNS})


def stage_of_years(years):
    return CareerStage.for_years(years or 0).value


def _month(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


class _YearFigures:
    """The figures of one district and school year, built up then written out."""

    def __init__(self, district, school_year):
        self.district = district
        self.school_year = school_year
        # (program, school, stage, month) -> counts
        self.grain = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
        # (program, school, stage, month, author) -> [sum of ratings, number of ratings]
        self.ratings = defaultdict(lambda: [0, 0])
        self.participants = {}  # participant id -> (program, school, stage)
        self.by_person = {}  # (user id, program id) -> participant id, mentees first
        self.first_of_user = {}  # user id -> participant id (a district-wide badge)
        self.mentees = []  # (user, program, school, stage) of each mentee
        self.staff = {}  # user id -> (school, stage) from this year's staff list
        self.in_programs = set()  # user ids of everyone taking part in a program this year

    def load_people(self):
        programs = Program.objects.filter(district=self.district, school_year=self.school_year)
        self.staff = {user: (school, stage) for user, school, stage in StaffYear.objects.filter(
            district=self.district, school_year=self.school_year).values_list(
            "user_id", "school_id", "career_stage")}
        mentored = set(Pairing.objects.filter(program__in=programs).exclude(
            status=Pairing.Status.PROPOSED).values_list("mentee_id", flat=True))
        rows = (Participant.objects.filter(program__in=programs)
                .exclude(status=Participant.Status.DECLINED)
                .values_list("pk", "user_id", "program_id", "role", "school_id",
                             "user__staff_profile__school_id",
                             "user__staff_profile__years_of_experience"))
        # Mentee roles first, so a person's time and reflections count where they are mentored.
        for pk, user, program, role, school, profile_school, years in sorted(
                rows, key=lambda row: (row[3] not in MENTEE_ROLES, row[0])):
            listed = self.staff.get(user)
            school = school or (listed[0] if listed else None) or profile_school
            stage = listed[1] if listed else stage_of_years(years)
            self.participants[pk] = (program, school, stage)
            self.by_person.setdefault((user, program), pk)
            self.first_of_user.setdefault(user, pk)
            self.in_programs.add(user)
            if pk in mentored and role in MENTEE_ROLES:
                self.mentees.append((user, program, school, stage))
        return programs

    def add(self, participant_id, month, **counts):
        cell = self.participants.get(participant_id)
        if cell is None or month is None:
            return
        row = self.grain[(*cell, month)]
        for name, value in counts.items():
            row[name] += value or 0

    def load_activity(self, programs):
        in_year = Q(program__in=programs)
        for mentee, month, n in (
                CheckIn.objects.filter(status=CheckIn.Status.HELD,
                                       pairing__program__in=programs)
                .annotate(month=TruncMonth("scheduled_at")).values("pairing__mentee_id", "month")
                .annotate(n=Count("pk")).values_list("pairing__mentee_id", "month", "n")
                .order_by()):
            self.add(mentee, _month(month), checkins_held=n)
        for mentee, month, n in (
                ObservationCycle.objects.filter(in_year, stage=ObservationCycle.Stage.CLOSED)
                .annotate(month=TruncMonth(Coalesce("closed_at", "updated_at")))
                .values("pairing__mentee_id", "month").annotate(n=Count("pk"))
                .values_list("pairing__mentee_id", "month", "n").order_by()):
            self.add(mentee, _month(month), cycles_closed=n)
        for owner, month, n in (
                Goal.objects.filter(state=Goal.State.ACHIEVED, participant__program__in=programs)
                .annotate(month=TruncMonth("achieved_on")).values("participant_id", "month")
                .annotate(n=Count("pk")).values_list("participant_id", "month", "n")
                .order_by()):
            self.add(owner, _month(month), goals_achieved=n)
        for author, program, month, n, rated, total in (
                Reflection.objects.filter(in_year).annotate(month=TruncMonth("created_at"))
                .values("author_id", "program_id", "month")
                .annotate(n=Count("pk"), rated=Count("confidence"), total=Sum("confidence"))
                .values_list("author_id", "program_id", "month", "n", "rated", "total")
                .order_by()):
            participant = self.by_person.get((author, program))
            month = _month(month)
            self.add(participant, month, reflections_written=n)
            if rated and participant in self.participants:
                rating = self.ratings[(*self.participants[participant], month, author)]
                rating[0] += total
                rating[1] += rated
        for user, program, month, minutes, release in (
                TimeLog.objects.filter(in_year).annotate(month=TruncMonth("date"))
                .values("user_id", "program_id", "month")
                .annotate(logged=Sum("minutes"),
                          released=Sum("minutes", filter=Q(kind__in=RELEASE_KINDS)))
                .values_list("user_id", "program_id", "month", "logged", "released")
                .order_by()):
            self.add(self.by_person.get((user, program)), _month(month),
                     minutes_logged=minutes, release_minutes=release)
        first = school_year_start(self.school_year)
        if first is not None:
            awards = Award.objects.filter(
                badge__district=self.district, revoked_at__isnull=True,
                issued_at__date__gte=date(first, 8, 1), issued_at__date__lte=date(first + 1, 7, 31))
            for user, program, month, n in (
                    awards.annotate(month=TruncMonth("issued_at"))
                    .values("recipient_id", "badge__program_id", "month").annotate(n=Count("pk"))
                    .values_list("recipient_id", "badge__program_id", "month", "n").order_by()):
                participant = (self.by_person.get((user, program)) if program
                               else self.first_of_user.get(user))
                self.add(participant, _month(month), badges_awarded=n)

    def figures(self):
        """Every cell of every grouping, as unsaved rows."""
        index = {"program": 0, "school": 1, "career_stage": 2, "month": 3, "phase": 4}
        plans = [(dims, [index[d] for d in dims]) for dims in ALL_GROUPINGS]
        timeless = [(dims, at) for dims, at in plans if not {"month", "phase"} & set(dims)]
        rated = [(dims, at) for dims, at in plans if {"month", "phase"} & set(dims) or not dims]
        cells = {}

        def cell(dims, values):
            found = cells.get((dims, values))
            if found is None:
                found = cells[(dims, values)] = {
                    **dict.fromkeys(COUNTS, 0), "people": set(), "ratings": {}}
            return found

        # People: each mentee counts once in every cell they belong to.
        for user, program, school, stage in self.mentees:
            full = (program, school, stage, None, None)
            for dims, at in timeless:
                cell(dims, tuple(full[i] for i in at))["people"].add(user)
        for (program, school, stage, month), counts in self.grain.items():
            full = (program, school, stage, month, PHASE_OF_MONTH[month.month])
            for dims, at in plans:
                target = cell(dims, tuple(full[i] for i in at))
                for name, value in counts.items():
                    target[name] += value
        for (program, school, stage, month, author), (total, count) in self.ratings.items():
            full = (program, school, stage, month, PHASE_OF_MONTH[month.month])
            for dims, at in rated:
                own = cell(dims, tuple(full[i] for i in at))["ratings"].setdefault(
                    author, [0, 0])
                own[0] += total
                own[1] += count
        retention = self.retention()
        rows = []

        def row(dims, values, **figures):
            named = dict(zip(dims, values, strict=True))
            return ImpactFigure(
                district=self.district, school_year=self.school_year,
                grouping=grouping_name(dims), program_id=named.get("program"),
                school_id=named.get("school"), career_stage=named.get("career_stage") or "",
                month=named.get("month"), phase=named.get("phase") or "", **figures)

        for (dims, values), found in cells.items():
            people = found["people"]
            if "month" in dims or "phase" in dims:
                # A month's cell is as large as the group of mentees it belongs to.
                outer = tuple(d for d in dims if d not in ("month", "phase"))
                outer_values = tuple(v for d, v in zip(dims, values, strict=True)
                                     if d not in ("month", "phase"))
                people = cells.get((outer, outer_values), {}).get("people", set())
            means = [total / count for total, count in found["ratings"].values() if count]
            rows.append(row(dims, values, people=len(people),
                            **{name: found[name] for name in COUNTS},
                            confidence_total=sum(means), confidence_people=len(means),
                            **retention.get((dims, values), {})))
        # Retention of groups with no activity of their own (the teachers of a school
        # without mentees still make its comparison group).
        for (dims, values), kept in retention.items():
            if (dims, values) not in cells:
                rows.append(row(dims, values, **kept))
        return rows

    def retention(self):
        """Of the teachers on this year's staff list, how many are on next year's: mentees
        against teachers in no program, per cell (none when next year is not recorded)."""
        following = next_school_year(self.school_year)
        if not self.staff or following is None:
            return {}
        stayed = set(StaffYear.objects.filter(district=self.district, school_year=following)
                     .values_list("user_id", flat=True))
        if not stayed:
            return {}
        programs_of = defaultdict(set)
        for user, program, _school, _stage in self.mentees:
            programs_of[user].add(program)
        counts = defaultdict(lambda: {"mentees_on_staff": 0, "mentees_stayed": 0,
                                      "others_on_staff": 0, "others_stayed": 0})
        plain = [dims for dims in ALL_GROUPINGS if not {"month", "phase"} & set(dims)]
        for user, (school, stage) in self.staff.items():
            values = {"school": school, "career_stage": stage}
            kept = user in stayed
            for dims in plain:
                if "program" in dims:
                    for program in programs_of.get(user, ()):
                        values["program"] = program
                        row = counts[(dims, tuple(values[d] for d in dims))]
                        row["mentees_on_staff"] += 1
                        row["mentees_stayed"] += kept
                    continue
                if user not in programs_of and user in self.in_programs:
                    continue  # a mentor or coordinator is neither mentored nor outside
                row = counts[(dims, tuple(values[d] for d in dims))]
                prefix = "mentees" if user in programs_of else "others"
                row[f"{prefix}_on_staff"] += 1
                row[f"{prefix}_stayed"] += kept
        # The comparison group of a program's mentees: teachers in no program, in the same
        # school and stage.
        for (dims, cell_key), row in counts.items():
            if "program" in dims:
                outer = counts.get((tuple(d for d in dims if d != "program"),
                                    tuple(v for d, v in zip(dims, cell_key, strict=True)
                                          if d != "program")))
                row["others_on_staff"] = outer["others_on_staff"] if outer else 0
                row["others_stayed"] = outer["others_stayed"] if outer else 0
        return counts


def school_years(district):
    """The school years a district's programs run in, latest first."""
    years = set(Program.objects.filter(district=district).values_list("school_year", flat=True))
    return sorted(years, key=lambda label: (school_year_start(label) or 0, label), reverse=True)


def compute_figures(district, school_year):
    """The roll-up rows of one school year, computed now and not saved."""
    figures = _YearFigures(district, school_year)
    programs = figures.load_people()
    figures.load_activity(programs)
    return figures.figures()


def refresh_district(district):
    """Compute the district's figures for every school year and replace the stored ones in
    one transaction: a page reads the old figures or the new, never half of each.
    Returns the roll-up record."""
    started = time.monotonic()
    rows = list(itertools.chain.from_iterable(
        compute_figures(district, year) for year in school_years(district)))
    with transaction.atomic():
        ImpactFigure.objects.filter(district=district).delete()
        ImpactFigure.objects.bulk_create(rows, batch_size=5000)
        rollup, _created = ImpactRollup.objects.update_or_create(
            district=district, defaults={"computed_at": timezone.now(),
                                         "seconds": time.monotonic() - started})
    return rollup
