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

from django.db import connection, transaction
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import CareerStage, District
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


RETENTION_UNKNOWN = {"mentees_on_staff": None, "mentees_stayed": None, "others_on_staff": None,
                     "others_stayed": None}


def _covers(parent, dims):
    """Whether the cells of `parent` can be summed into those of `dims` (a month gives its
    part of the year)."""
    return all(d in parent or (d == "phase" and "month" in parent) for d in dims)


def _picker(parent, dim):
    if dim == "phase" and dim not in parent:
        at = parent.index("month")
        return lambda key: PHASE_OF_MONTH[key[at].month]
    at = parent.index(dim)
    return lambda key: key[at]


def stage_of_years(years):
    return CareerStage.for_years(years or 0).value


def month_of(field):
    """A month as the date of its first day, truncated in the database: converting a few
    hundred thousand timestamps in Python would take longer than the queries."""
    return TruncMonth(field, output_field=DateField())


def _month(value):
    """The first day of the month of a date (months are truncated in the database, in the
    installation's time zone)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value if value.day == 1 else date(value.year, value.month, 1)


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
                .annotate(month=month_of("scheduled_at")).values("pairing__mentee_id", "month")
                .annotate(n=Count("pk")).values_list("pairing__mentee_id", "month", "n")
                .order_by()):
            self.add(mentee, _month(month), checkins_held=n)
        for mentee, month, n in (
                ObservationCycle.objects.filter(in_year, stage=ObservationCycle.Stage.CLOSED)
                .annotate(month=month_of(Coalesce("closed_at", "updated_at")))
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
                Reflection.objects.filter(in_year).annotate(month=month_of("created_at"))
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
                    awards.annotate(month=month_of("issued_at"))
                    .values("recipient_id", "badge__program_id", "month").annotate(n=Count("pk"))
                    .values_list("recipient_id", "badge__program_id", "month", "n").order_by()):
                participant = (self.by_person.get((user, program)) if program
                               else self.first_of_user.get(user))
                self.add(participant, _month(month), badges_awarded=n)

    def figures(self):
        """Every cell of every grouping, as rows (tuples of `FIELDS`). Each
        grouping is summed from the smallest finer grouping already summed, not from the
        finest grain, which keeps a district of 25,000 pairings to seconds."""
        full = ("career_stage", "month", "program", "school")
        counts = {full: {(stage, month, program, school): [values[name] for name in COUNTS]
                         for (program, school, stage, month), values in self.grain.items()}}
        people = {("career_stage", "program", "school"): defaultdict(set)}
        for user, program, school, stage in self.mentees:
            people[("career_stage", "program", "school")][(stage, program, school)].add(user)
        ratings = {full: defaultdict(dict)}
        for (program, school, stage, month, author), (total, count) in self.ratings.items():
            ratings[full][(stage, month, program, school)][author] = [total, count]

        def derive(levels, dims, merge, empty):
            """Sum `dims` from the smallest level that holds every one of them."""
            parents = [p for p in levels if _covers(p, dims)]
            parent = min(parents, key=lambda p: (len(levels[p]), len(p)))
            picks = [_picker(parent, d) for d in dims]
            target = defaultdict(empty)
            for key, value in levels[parent].items():
                merge(target[tuple(pick(key) for pick in picks)], value)
            levels[dims] = target

        def add_counts(target, value):
            for i, n in enumerate(value):
                target[i] += n

        def add_ratings(target, value):
            for author, (total, count) in value.items():
                own = target.setdefault(author, [0, 0])
                own[0] += total
                own[1] += count

        ordered = sorted(ALL_GROUPINGS, key=len, reverse=True)
        for dims in ordered:
            derive(counts, dims, add_counts, lambda: [0] * len(COUNTS))
            if not {"month", "phase"} & set(dims):
                derive(people, dims, set.update, set)
            if "phase" in dims:  # the pages show confidence by part of the year
                derive(ratings, dims, add_ratings, dict)
        retention = self.retention()
        rows = []
        district, year = self.district.pk, self.school_year
        nothing = [0] * len(COUNTS)
        unknown = tuple(RETENTION_UNKNOWN.values())
        for dims in ALL_GROUPINGS:
            name = grouping_name(dims)
            timeless = tuple(d for d in dims if d not in ("month", "phase"))
            at = [dims.index(d) for d in timeless]
            where = [dims.index(d) if d in dims else None
                     for d in ("program", "school", "career_stage", "month", "phase")]
            groups, rated, kept = people[timeless], ratings.get(dims, {}), retention.get(dims, {})
            for key in counts[dims].keys() | kept.keys():
                program, school, stage, month, phase = (
                    None if i is None else key[i] for i in where)
                means = [total / count for total, count in rated.get(key, {}).values() if count]
                stayed = kept.get(key)
                rows.append((
                    district, year, name, program, school, stage or "", month, phase or "",
                    len(groups.get(tuple(key[i] for i in at), ())),
                    *counts[dims].get(key, nothing), sum(means), len(means),
                    *(tuple(stayed.values()) if stayed else unknown)))
        return rows

    def retention(self):
        """Of the teachers on this year's staff list, how many are on next year's: mentees
        against teachers in no program, per grouping and cell (nothing when next year's list
        is not recorded)."""
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

        def empty():
            return {"mentees_on_staff": 0, "mentees_stayed": 0, "others_on_staff": 0,
                    "others_stayed": 0}

        plain = [dims for dims in ALL_GROUPINGS if not {"month", "phase"} & set(dims)]
        counts = {dims: defaultdict(empty) for dims in plain}
        for user, (school, stage) in self.staff.items():
            mentee = user in programs_of
            if not mentee and user in self.in_programs:
                continue  # a mentor or coordinator is neither mentored nor outside
            kept = user in stayed
            values = {"school": school, "career_stage": stage}
            for dims in plain:
                if "program" in dims:
                    for program in programs_of.get(user, ()):
                        values["program"] = program
                        row = counts[dims][tuple(values[d] for d in dims)]
                        row["mentees_on_staff"] += 1
                        row["mentees_stayed"] += kept
                    continue
                row = counts[dims][tuple(values[d] for d in dims)]
                prefix = "mentees" if mentee else "others"
                row[f"{prefix}_on_staff"] += 1
                row[f"{prefix}_stayed"] += kept
        # The comparison group of a program's mentees: teachers in no program, in the same
        # school and stage.
        for dims in plain:
            if "program" not in dims:
                continue
            outer_dims = tuple(d for d in dims if d != "program")
            at = [dims.index(d) for d in outer_dims]
            for key, row in counts[dims].items():
                outer = counts[outer_dims].get(tuple(key[i] for i in at))
                row["others_on_staff"] = outer["others_on_staff"] if outer else 0
                row["others_stayed"] = outer["others_stayed"] if outer else 0
        return counts


def school_years(district):
    """The school years a district's programs run in, latest first."""
    years = set(Program.objects.filter(district=district).values_list("school_year", flat=True))
    return sorted(years, key=lambda label: (school_year_start(label) or 0, label), reverse=True)


def compute_figures(district, school_year):
    """The roll-up rows of one school year (tuples of `FIELDS`), computed now and not
    saved."""
    figures = _YearFigures(district, school_year)
    programs = figures.load_people()
    figures.load_activity(programs)
    return figures.figures()


FIELDS = ["district_id", "school_year", "grouping", "program_id", "school_id", "career_stage",
          "month", "phase", "people", *COUNTS, "confidence_total", "confidence_people",
          *RETENTION_UNKNOWN]


def _write(rows):
    if connection.vendor == "postgresql":
        # COPY writes a district's hundred thousand cells in a second or two.
        table = ImpactFigure._meta.db_table
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(FIELDS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # Fresh statistics, or the planner may scan the table instead of its index.
            cursor.execute(f"ANALYZE {table}")
        return
    ImpactFigure.objects.bulk_create([ImpactFigure(**dict(zip(FIELDS, row, strict=True)))
                                      for row in rows], batch_size=2000)


def refresh_district(district):
    """Compute the district's figures for every school year and replace the stored ones in
    one transaction: a page reads the old figures or the new, never half of each.
    Returns the roll-up record."""
    started = time.monotonic()
    rows = list(itertools.chain.from_iterable(
        compute_figures(district, year) for year in school_years(district)))
    with transaction.atomic():
        # One refresh of a district at a time; a second waits, then writes its own count.
        list(District.objects.select_for_update().filter(pk=district.pk).values_list("pk"))
        ImpactFigure.objects.filter(district=district).delete()
        _write(rows)
        rollup, _created = ImpactRollup.objects.update_or_create(
            district=district, defaults={"computed_at": timezone.now(),
                                         "seconds": time.monotonic() - started})
    return rollup
