"""The district impact figures as a page shows them: read from the roll-up with one query,
arranged in tables, with every cell built from fewer people than the anonymity threshold
suppressed, and a second cell suppressed wherever a total would give the first away.

Only counts, hours and averages reach a page: never a word anyone wrote."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CareerStage

from .models import ImpactFigure, ImpactRollup, ImpactSettings
from .rollups import groupings_for

# No page shows figures older than this without saying so.
FRESH_FOR = timedelta(minutes=15)

# The activity columns of the breakdown tables: (name, label, figure).
ACTIVITY = [
    ("people", gettext_lazy("Mentees"), lambda f: f.people),
    ("checkins_held", gettext_lazy("Check-ins held"), lambda f: f.checkins_held),
    ("cycles_closed", gettext_lazy("Observation cycles done"), lambda f: f.cycles_closed),
    ("goals_achieved", gettext_lazy("Goals achieved"), lambda f: f.goals_achieved),
    ("reflections_written", gettext_lazy("Reflections written"),
     lambda f: f.reflections_written),
    ("hours_logged", gettext_lazy("Hours logged"), lambda f: hours(f.minutes_logged)),
    ("release_hours", gettext_lazy("Release hours"), lambda f: hours(f.release_minutes)),
    ("badges_awarded", gettext_lazy("Badges awarded"), lambda f: f.badges_awarded),
]
TREND = ["checkins_held", "cycles_closed", "goals_achieved", "reflections_written"]
PHASES = list(ImpactFigure.Phase)


def hours(minutes):
    return float((Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP))


def rate(part, whole):
    """A share in percent, one decimal; None without a group to divide by."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP))


def suppress(sizes, threshold):
    """Which of a table's cells to hide (their indexes): each built from fewer people than
    the threshold (a cell of no mentees too: its figures come from a few mentors), and,
    where exactly one is hidden, the next smallest too, so the table's total minus the
    cells shown does not give the hidden one away."""
    hidden = {i for i, size in enumerate(sizes) if size < threshold}
    if len(hidden) == 1:
        shown = [i for i, size in enumerate(sizes) if i not in hidden]
        if shown:
            hidden.add(min(shown, key=lambda i: (sizes[i], i)))
    return hidden


@dataclass
class Table:
    """A table of figures, each row with its label and values; `hidden` rows show a mark
    instead of their values."""

    key: str
    title: str
    label_header: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""

    def csv_rows(self):
        for row in self.rows:
            if row["hidden"]:
                yield [row["label"]] + [_("suppressed")] * len(self.columns)
            else:
                yield [row["label"]] + list(row["values"])


def _breakdown_table(key, title, label_header, figures, label_of, threshold):
    hidden = suppress([figure.people for figure in figures], threshold)
    table = Table(key, title, label_header, [label for _name, label, _f in ACTIVITY])
    for index, figure in enumerate(figures):
        table.rows.append({"label": label_of(figure), "hidden": index in hidden,
                           "values": [get(figure) for _name, _label, get in ACTIVITY]})
    return table


@dataclass
class Impact:
    """Everything the district impact page and the board report show."""

    computed_at: object = None
    stale: bool = False
    threshold: int = 5
    total: dict | None = None
    tables: dict = field(default_factory=dict)
    trend_chart: dict | None = None
    confidence_chart: dict | None = None
    cost: dict | None = None


def threshold_for(district, program=None):
    """The larger of the district's threshold and the program's, so neither promise is
    broken."""
    value = district.anonymity_threshold
    if program is not None:
        value = max(value, program.anonymity_threshold)
    return value


def rollup_of(district):
    return ImpactRollup.objects.filter(district=district).first()


def too_old(moment, now=None):
    """Whether figures computed at `moment` (None: never) are older than a page may show."""
    return moment is None or (now or timezone.now()) - moment > FRESH_FOR


def is_stale(rollup, now=None):
    return too_old(rollup.computed_at if rollup else None, now)


def ask_again(task, district_id):
    """Queue `task(district_id)` for figures found too old, unless one was queued in the
    last five minutes (every reader of an old page would queue it again)."""
    from mentorship.background import enqueue_on_commit

    if cache.add(f"{task.name}-queued:{district_id}", 1, 5 * 60):
        enqueue_on_commit(task, district_id)


def district_impact(district, *, school_year, program=None, school=None, rollup=None,
                    hourly_cost=None):
    """The page's figures for a school year, within an optional program and school; one
    query for the figures."""
    threshold = threshold_for(district, program)
    impact = Impact(threshold=threshold, computed_at=rollup.computed_at if rollup else None,
                    stale=is_stale(rollup))
    filters = tuple(name for name, value in (("program", program), ("school", school))
                    if value is not None)
    groupings = groupings_for(filters)
    # Plain rows, not model instances: a district's page reads some 700 of them.
    names = [f.attname for f in ImpactFigure._meta.concrete_fields]
    rows = [SimpleNamespace(**row) for row in ImpactFigure.objects.for_view(
        district, school_year, list(groupings.values()), program=program, school=school)
        .values(*names, program_name=F("program__name"), school_name=F("school__name"))]
    by = {breakdown: [row for row in rows if row.grouping == name]
          for breakdown, name in groupings.items()}
    total = by[None][0] if by[None] else None
    impact.total = _total(total, threshold)

    stage_order = {stage.value: i for i, stage in enumerate(CareerStage)}
    stage_labels = dict(CareerStage.choices)
    impact.tables["programs"] = _breakdown_table(
        "programs", _("By program"), _("Program"),
        sorted(by["program"], key=lambda f: (f.program_name.lower(), f.program_id)),
        lambda f: f.program_name, threshold)
    impact.tables["schools"] = _breakdown_table(
        "schools", _("By school"), _("School"),
        sorted([f for f in by["school"] if f.school_id],
               key=lambda f: (f.school_name.lower(), f.school_id)),
        lambda f: f.school_name, threshold)
    impact.tables["stages"] = _breakdown_table(
        "stages", _("By career stage"), _("Career stage"),
        sorted(by["career_stage"], key=lambda f: stage_order.get(f.career_stage, 99)),
        lambda f: stage_labels.get(f.career_stage, f.career_stage), threshold)
    impact.tables["months"], impact.trend_chart = _trend(by["month"], total, threshold)
    impact.tables["confidence"], impact.confidence_chart = _confidence(by["phase"], threshold)
    impact.tables["retention"] = _retention(total, by["career_stage"], stage_labels,
                                            stage_order, threshold)
    impact.cost = _cost(total, threshold, hourly_cost)
    impact.tables["cost"] = _cost_table(impact.cost)
    # Survey answers are anonymous and carry no school: shown for whole programs only.
    programs = [] if school is not None else sorted(
        by["program"], key=lambda f: (f.program_name.lower(), f.program_id))
    impact.tables["surveys"] = _surveys(
        [(f.program_id, f.program_name) for f in programs], threshold)
    return impact


def _surveys(programs, threshold):
    """Response rates and the mean answer to the shipped confidence question at the
    baseline, mid-year and end-of-year surveys, per program (three queries)."""
    from surveys.figures import STAGES, likert_means_by_stage, response_rates
    from surveys.models import Stage

    labels = dict(Stage.choices)
    table = Table("surveys", _("Surveys"), _("Program"),
                  [_("Invited"), _("Answered"), _("Response rate (%)"),
                   *[_("Confidence: %(stage)s") % {"stage": labels[stage]} for stage in STAGES]],
                  note=_("The mean answer (1 to 5) to the surveys' confidence question; a "
                         "survey answered by fewer people than the program's threshold shows "
                         "no mean. Answers are anonymous and not linked to schools."))
    if not programs:
        return table
    ids = [pk for pk, _name in programs]
    rates = response_rates(ids)
    means = likert_means_by_stage(ids)
    for pk, name in programs:
        invited, answered = rates.get(pk, (0, 0))
        if not invited:
            continue
        table.rows.append({
            "label": name, "hidden": invited < threshold,
            "values": [invited, answered, rate(answered, invited),
                       *[means.get(pk, {}).get(stage) for stage in STAGES]]})
    return table


def _total(figure, threshold):
    if figure is None:
        return None
    hidden = figure.people < threshold
    return {"hidden": hidden, "people": figure.people,
            "values": {name: get(figure) for name, _label, get in ACTIVITY}}


def _trend(months, total, threshold):
    table = Table("months", _("Month by month"), _("Month"),
                  [label for name, label, _f in ACTIVITY if name in TREND])
    months = sorted(months, key=lambda f: f.month)
    # Every month's cell is built from the whole group of mentees.
    hidden = total is None or total.people < threshold
    for figure in months:
        table.rows.append({"label": figure.month.strftime("%Y-%m"), "hidden": hidden,
                           "values": [getattr(figure, name) for name in TREND]})
    if hidden or not months:
        return table, None
    chart = {"id": "impact-trend", "kind": "line", "title": _("Activity month by month"),
             "labels": [row["label"] for row in table.rows],
             "series": [{"label": str(label), "values": [getattr(f, name) for f in months]}
                        for name, label, _f in ACTIVITY if name in TREND]}
    return table, chart


def _confidence(phases, threshold):
    table = Table("confidence", _("Mentees' self-rated confidence"), _("Part of the year"),
                  [_("Average confidence (1 to 5)"), _("People who rated")],
                  note=_("The mean of each person's own average, from the confidence they "
                         "give their reflections; a part of the year shows only when at "
                         "least %(n)s people rated.") % {"n": threshold})
    found = {figure.phase: figure for figure in phases}
    values = []
    for phase in PHASES:
        figure = found.get(phase.value)
        people = figure.confidence_people if figure else 0
        if people and people < threshold:
            table.rows.append({"label": phase.label, "hidden": True, "values": []})
            values.append(None)
        elif people:
            mean = round(figure.confidence_total / people, 2)
            table.rows.append({"label": phase.label, "hidden": False,
                               "values": [mean, people]})
            values.append(mean)
        else:
            table.rows.append({"label": phase.label, "hidden": False, "values": [None, 0]})
            values.append(None)
    chart = None
    if any(value is not None for value in values):
        chart = {"id": "impact-confidence", "kind": "bar",
                 "title": _("Self-rated confidence through the year"),
                 "labels": [str(phase.label) for phase in PHASES],
                 "series": [{"label": _("Average confidence"), "values": values}],
                 "y_min": 1, "y_max": 5}
    return table, chart


def _retention(total, stages, stage_labels, stage_order, threshold):
    table = Table(
        "retention", _("Still teaching in the district the next school year"),
        _("Career stage"),
        [_("Mentees on the staff list"), _("Mentees retained (%)"),
         _("Teachers in no program"), _("Teachers in no program retained (%)")],
        note=_("From the district's staff lists of this school year and the next; a group "
               "of fewer than %(n)s teachers is not shown.") % {"n": threshold})
    figures = sorted([f for f in stages if f.mentees_on_staff is not None],
                     key=lambda f: stage_order.get(f.career_stage, 99))
    mentees_hidden = suppress([f.mentees_on_staff for f in figures], threshold)
    others_hidden = suppress([f.others_on_staff for f in figures], threshold)
    entries = [(stage_labels.get(f.career_stage, f.career_stage), f, i in mentees_hidden,
                i in others_hidden) for i, f in enumerate(figures)]
    if total is not None and total.mentees_on_staff is not None:
        entries.append((_("All career stages"), total,
                        0 < total.mentees_on_staff < threshold,
                        0 < total.others_on_staff < threshold))
    for label, figure, mentees_hidden_here, others_hidden_here in entries:
        mentees = ([None, None] if mentees_hidden_here else
                   [figure.mentees_on_staff, rate(figure.mentees_stayed, figure.mentees_on_staff)])
        others = ([None, None] if others_hidden_here else
                  [figure.others_on_staff, rate(figure.others_stayed, figure.others_on_staff)])
        table.rows.append({"label": label, "hidden": False, "values": mentees + others,
                           "partly_hidden": mentees_hidden_here or others_hidden_here})
    return table


def _cost(total, threshold, hourly_cost):
    if total is None or total.people < threshold:
        return None
    logged = hours(total.minutes_logged)
    release = hours(total.release_minutes)
    summary = {"hours_logged": logged, "release_hours": release, "hourly_cost": hourly_cost,
               "mentees": total.people, "cost": None, "release_cost": None,
               "cost_per_mentee": None, "retained": None, "cost_per_retained": None}
    if total.mentees_on_staff is not None and total.mentees_on_staff >= threshold:
        summary["retained"] = total.mentees_stayed
    if hourly_cost is not None:
        cost = (Decimal(str(logged)) * hourly_cost).quantize(Decimal("1"), ROUND_HALF_UP)
        summary["cost"] = cost
        summary["release_cost"] = (Decimal(str(release)) * hourly_cost).quantize(
            Decimal("1"), ROUND_HALF_UP)
        if total.people:
            summary["cost_per_mentee"] = (cost / total.people).quantize(Decimal("1"),
                                                                         ROUND_HALF_UP)
        if summary["retained"]:
            summary["cost_per_retained"] = (cost / summary["retained"]).quantize(
                Decimal("1"), ROUND_HALF_UP)
    return summary


def _cost_table(cost):
    table = Table("cost", _("Cost summary"), _("Figure"), [_("Value")])
    if cost is None:
        return table
    lines = [(_("Hours of protected time logged"), cost["hours_logged"]),
             (_("of which release time"), cost["release_hours"]),
             (_("Cost of an hour"), cost["hourly_cost"]),
             (_("Cost of the hours logged"), cost["cost"]),
             (_("Cost of the release time"), cost["release_cost"]),
             (_("Mentees"), cost["mentees"]),
             (_("Cost per mentee"), cost["cost_per_mentee"]),
             (_("Mentees still teaching here the next year"), cost["retained"]),
             (_("Cost per mentee retained"), cost["cost_per_retained"])]
    for label, value in lines:
        table.rows.append({"label": label, "hidden": False,
                           "values": [str(value) if isinstance(value, Decimal) else value]})
    return table


def hourly_cost_of(district):
    settings = ImpactSettings.objects.filter(district=district).first()
    return settings.hourly_cost if settings else None
