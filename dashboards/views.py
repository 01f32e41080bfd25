"""The role home page and program health: parse the filter, check permission, read the
figures (dashboards.homes, dashboards.health), render or export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.exports import csv_response
from mentorship.shortcuts import require_perm
from programs.views.common import program_for

from . import health as figures
from .forms import HealthFilterForm
from .homes import home_context


@login_required
def home(request):
    """The signed-in person's start page: what needs doing now, for each of their roles."""
    return render(request, "home.html", home_context(request))


def program_tabs(request, program):
    """The program's "Health" tab, for those who may read its health (roles cached)."""
    if request.user.has_perm("dashboards.view_program_health", program):
        return [(_("Health"), reverse("dashboards:program-health", args=[program.pk]))]
    return []


def _health_for(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "dashboards.view_program_health", program)
    form = HealthFilterForm(request.GET if "weeks" in request.GET else None)
    weeks = form.weeks_or_default()
    today = timezone.localdate()
    return program, form, figures.program_health(request.user, program, today=today,
                                                 weeks=weeks)


def checkin_chart(rows):
    return {"id": "health-checkins", "kind": "bar",
            "title": _("Check-ins held each month, against the cadence"),
            "labels": [row["month"].strftime("%Y-%m") for row in rows],
            "series": [{"label": _("Held"), "values": [row["held"] for row in rows]},
                       {"label": _("Expected by the cadence"),
                        "values": [row["expected"] for row in rows]}],
            "y_min": 0}


def goals_chart(goals):
    return {"id": "health-goals", "kind": "bar", "title": _("Goals by state"),
            "labels": [str(label) for _value, label, _n in goals],
            "series": [{"label": _("Goals"), "values": [n for _value, _label, n in goals]}],
            "y_min": 0}


def time_chart(rows):
    return {"id": "health-time", "kind": "bar",
            "title": _("Protected time logged each month (hours)"),
            "labels": [row["month"].strftime("%Y-%m") for row in rows],
            "series": [{"label": _("Hours logged"), "values": [row["hours"] for row in rows]}],
            "target": rows[0]["target"] if rows else None,
            "target_label": _("Monthly target"), "y_min": 0}


@login_required
def program_health(request, program_pk):
    program, form, health = _health_for(request, program_pk)
    today = health["window"].today
    overdue = Paginator(figures.overdue_pairings(health["scoped_pairings"], today),
                        figures.PAGE_SIZE).get_page(request.GET.get("overdue_page"))
    at_risk = None
    if health["names_at_risk"]:
        paginator = Paginator(figures.with_people(health["flagged"]), figures.PAGE_SIZE)
        # Already counted with the reasons: spares running the at-risk query once more.
        paginator.count = health["at_risk"]["total"]
        at_risk = paginator.get_page(request.GET.get("risk_page"))
        for row in at_risk.object_list:
            row.reasons = figures.reasons_of(row)
            row.days_silent = figures.days_since(row.last_held, today)
    for pairing in overdue.object_list:
        pairing.overdue_days = pairing.days_overdue(today)
    context = {
        "program": program, "form": form, "health": health, "weeks": health["window"].weeks,
        "overdue": overdue, "at_risk": at_risk,
        "checkin_chart": checkin_chart(health["checkins"]) if health["checkins"] else None,
        "goals_chart": goals_chart(health["goals"]),
        "time_chart": time_chart(health["time"]) if health["time"] else None,
        "reason_labels": figures.Reason.labels, "today": today,
    }
    return render(request, "dashboards/health.html", context,
                  status=400 if form.is_bound and not form.is_valid() else 200)


EXPORTS = ("overdue", "at-risk", "checkins", "cycles", "goals", "time")


@login_required
def program_health_export(request, program_pk, table):
    """One table of the health page as CSV, for the same readers and with the same scope."""
    if table not in EXPORTS:
        raise Http404
    program, _form, health = _health_for(request, program_pk)
    today = health["window"].today
    name = f"{program.name} {table}"
    if table == "overdue":
        rows = ([p.mentee.user.display_name, p.mentor.user.display_name,
                 p.mentee.school.name if p.mentee.school else "",
                 p.next_checkin_due_on.isoformat(), p.days_overdue(today)]
                for p in figures.overdue_pairings(health["scoped_pairings"], today).iterator())
        header = [_("Mentee"), _("Mentor"), _("School"), _("Check-in due"), _("Days overdue")]
    elif table == "at-risk":
        if not health["names_at_risk"]:
            raise Http404
        rows = ([p.mentee.user.display_name, p.mentor.user.display_name,
                 p.mentee.school.name if p.mentee.school else "",
                 figures.days_since(p.last_held, today),
                 "; ".join(str(label) for _code, label in figures.reasons_of(p))]
                for p in figures.with_people(health["flagged"]).iterator())
        header = [_("Mentee"), _("Mentor"), _("School"), _("Days since the last check-in"),
                  _("Reasons")]
    elif table == "checkins":
        rows = ([r["month"].strftime("%Y-%m"), r["held"], r["expected"]]
                for r in health["checkins"])
        header = [_("Month"), _("Check-ins held"), _("Expected by the cadence")]
    elif table == "cycles":
        target = health["cycle_target"] * health["pairings"]["active"]
        rows = ([r["term"].name, r["term"].starts_on.isoformat(), r["term"].ends_on.isoformat(),
                 r["planned"], r["done"], target] for r in health["terms"])
        header = [_("Term"), _("Starts"), _("Ends"), _("Cycles planned"), _("Cycles done"),
                  _("Aim")]
    elif table == "goals":
        rows = ([str(label), n] for _value, label, n in health["goals"])
        header = [_("State"), _("Goals")]
    else:
        rows = ([r["month"].strftime("%Y-%m"), r["hours"], r["target"]] for r in health["time"])
        header = [_("Month"), _("Hours logged"), _("Monthly target (hours)")]
    return csv_response(name, header, rows)
