"""Lists and summaries: the board of a person's cycles by stage, a teacher's feedback
timeline and indicator trends, and the program's coverage (counts only)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.shortcuts import require_perm
from pairing.models import Pairing
from programs.models import Participant
from programs.views.common import program_for

from ..forms import CoverageForm
from ..models import DebriefNextStep, ObservationCycle, Rating
from ..permissions import coaches_in

Stage = ObservationCycle.Stage
BOARD_STAGES = [Stage.PLANNING, Stage.OBSERVING, Stage.DEBRIEF, Stage.REFLECTION]
# Open cycles beyond this many per stage are counted, not listed.
BOARD_PER_STAGE = 50
CLOSED_SHOWN = 10
TIMELINE_PAGE = 10
TREND_CYCLES = 12
COVERAGE_PAGE = 25


@login_required
def board(request):
    """The reader's cycles, as coach or as the teacher observed, by stage."""
    user = request.user
    today = timezone.localdate()
    mine = ObservationCycle.objects.of_user(user).select_related("program", "mentor",
                                                                 "mentee")
    counts = dict(mine.open().order_by().values_list("stage").annotate(n=Count("pk")))
    columns, open_cycles = [], []
    for stage in BOARD_STAGES:
        # One query a stage, soonest due first; the rest of a long column is counted.
        cycles = list(mine.filter(stage=stage).order_by(
            "due_on", "pk")[:BOARD_PER_STAGE])
        open_cycles += cycles
        columns.append({"stage": stage, "label": Stage(stage).label, "cycles": cycles,
                        "more": counts.get(stage, 0) - len(cycles)})
    closed = list(mine.filter(stage__in=[Stage.CLOSED, Stage.CANCELLED])
                  .order_by("-updated_at", "-pk")[:CLOSED_SHOWN])
    pairings = [p for p in Pairing.objects.of_user(user).active().select_related(
        "program", "mentor__user", "mentee__user") if coaches_in(p, user)]
    return render(request, "observations/board.html", {
        "columns": columns, "closed": closed, "today": today, "pairings": pairings,
        "is_mentee": any(c.mentee_id == user.pk for c in open_cycles + closed),
    })


def _teacher_cycles(reader, teacher_pk):
    """The cycles of one teacher that the reader reads here: the teacher's own, or, for a
    mentor, those they coached. Anyone else finds nothing (404)."""
    cycles = ObservationCycle.objects.of_mentee(teacher_pk).filter(
        program__district_id=reader.district_id)
    if reader.pk != teacher_pk:
        cycles = cycles.filter(mentor=reader)
    teacher = (get_user_model().objects.filter(pk=teacher_pk, district_id=reader.district_id)
               .first())
    if teacher is None or (reader.pk != teacher_pk and not cycles.exists()):
        raise Http404
    return teacher, cycles


@login_required
def timeline(request, user_pk):
    """The teacher's feedback, newest first: each shared debrief with its strengths, areas
    to grow and next steps."""
    teacher, cycles = _teacher_cycles(request.user, user_pk)
    shared = (cycles.with_shared_debrief().select_related("program", "mentor", "debrief")
              .prefetch_related(Prefetch("debrief__next_steps",
                                         queryset=DebriefNextStep.objects.order_by("position",
                                                                                   "pk")))
              .order_by("-debrief__shared_at", "-pk"))
    page = Paginator(shared, TIMELINE_PAGE).get_page(request.GET.get("page"))
    return render(request, "observations/timeline.html", {
        "teacher": teacher, "page": page, "own": teacher.pk == request.user.pk})


def trend_chart(cycles, chart_id="indicator-trends"):
    """The chart of each indicator's level across the teacher's last observed cycles: x is
    the observation date, one series per indicator (followed across template versions by
    its key), None where it was not rated or not observed."""
    recent = list(cycles.filter(observed_at__isnull=False)
                  .filter(Exists(Rating.objects.filter(cycle=OuterRef("pk"))))
                  .order_by("-observed_at", "-pk").values("pk", "observed_at")[:TREND_CYCLES])
    recent.reverse()
    if not recent:
        return None
    index = {row["pk"]: i for i, row in enumerate(recent)}
    ratings = (Rating.objects.filter(cycle_id__in=index)
               .select_related("indicator", "level").order_by("cycle__observed_at", "pk"))
    series, top, labels = {}, 0, {}
    for rating in ratings:
        key = rating.indicator.key
        entry = series.setdefault(key, {"label": rating.indicator.text,
                                        "values": [None] * len(recent)})
        entry["label"] = rating.indicator.text
        if rating.level is not None:
            entry["values"][index[rating.cycle_id]] = rating.level.value
            labels[rating.level.value] = rating.level.label
            top = max(top, rating.level.value)
    if not series:
        return None
    return {
        "id": chart_id,
        "title": _("Look-for levels across observations"),
        "kind": "line",
        "labels": [timezone.localdate(row["observed_at"]).isoformat() for row in recent],
        "series": list(series.values()),
        "y_min": 1, "y_max": max(top, 2),
        "y_ticks": dict(sorted(labels.items())),
    }


@login_required
def trends(request, user_pk):
    teacher, cycles = _teacher_cycles(request.user, user_pk)
    return render(request, "observations/trends.html", {
        "teacher": teacher, "chart": trend_chart(cycles),
        "own": teacher.pk == request.user.pk})


@login_required
def coverage(request, program_pk):
    """Counts only: cycles planned and done per term, overdue cycles, and the teachers not
    observed in the last N weeks. Never what a cycle holds."""
    program = program_for(request.user, program_pk)
    require_perm(request.user, "observations.view_coverage", program)
    user = request.user
    today = timezone.localdate()
    form = CoverageForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else CoverageForm.base_fields[
        "weeks"].initial
    pairings = Pairing.objects.filter(program=program, status=Pairing.Status.ACTIVE)
    cycles = ObservationCycle.objects.filter(program=program)
    if not user.has_perm("programs.manage_program", program):
        # A school's admin: their school's teachers only.
        schools = [s.pk for s in user.administered_schools]
        pairings = pairings.filter(mentee__school_id__in=schools)
        cycles = cycles.filter(pairing__mentee__school_id__in=schools)
    terms = list(program.terms.all())
    aggregates = {}
    for term in terms:
        inside = Q(created_at__date__range=(term.starts_on, term.ends_on))
        aggregates[f"planned_{term.pk}"] = Count("pk", filter=inside & ~Q(
            stage=Stage.CANCELLED))
        aggregates[f"done_{term.pk}"] = Count("pk", filter=Q(
            stage=Stage.CLOSED, closed_at__date__range=(term.starts_on, term.ends_on)))
    aggregates["open"] = Count("pk", filter=Q(stage__in=ObservationCycle.OPEN_STAGES))
    aggregates["overdue"] = Count("pk", filter=Q(stage__in=ObservationCycle.OPEN_STAGES,
                                                  due_on__lt=today))
    aggregates["closed"] = Count("pk", filter=Q(stage=Stage.CLOSED))
    totals = cycles.aggregate(**aggregates)
    pair_count = pairings.count()
    rows = [{"term": term, "target": program.observation_cycles_per_term * pair_count,
             "planned": totals[f"planned_{term.pk}"], "done": totals[f"done_{term.pk}"]}
            for term in terms]
    since = timezone.now() - timedelta(weeks=weeks)
    observed = ObservationCycle.objects.filter(
        pairing=OuterRef("pk"), observed_at__gte=since).exclude(
        kind=ObservationCycle.Kind.MODELLING)
    not_observed = (pairings.exclude(Exists(observed))
                    .select_related("mentee__user", "mentee__school", "mentor__user")
                    .order_by("mentee__user__display_name", "pk"))
    page = Paginator(not_observed, COVERAGE_PAGE).get_page(request.GET.get("page"))
    return render(request, "observations/coverage.html", {
        "program": program, "form": form, "weeks": weeks, "rows": rows, "totals": totals,
        "pair_count": pair_count, "page": page, "today": today,
        "roles": Participant.Role,
    })
