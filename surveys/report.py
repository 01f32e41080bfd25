"""A survey's results as the page and the CSV show them, computed in SQL with a fixed
number of queries, and cut by the rules of results.py."""

from collections import Counter

from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from accounts.models import School
from programs.models import Group, Participant

from .forms import ResultsFilterForm
from .models import Answer, QuestionKind
from .results import DIMENSIONS, allowed, breakdown_of, counts_by_cell, filter_responses

TEXTS_SHOWN = 200


def survey_report(survey, params, *, scope=None):
    """Everything the results page shows for the filters in `params` (a QueryDict).
    `scope`: the schools a school admin reads; None for every school."""
    program = survey.program
    threshold = program.anonymity_threshold
    responses = survey.responses.all()
    cells = counts_by_cell(responses)
    if survey.follows_events:
        # One person answers once per debrief or session: the threshold counts people, so
        # five answers from one mentee never pass for five people.
        cells = Counter({(row["role"], row["school_id"], row["group_id"]): row["n"]
                         for row in survey.invitations.filter(answered_on__isnull=False)
                         .values("role", "school_id", "group_id")
                         .annotate(n=Count("user_id", distinct=True)).order_by()})
    school_ids = {cell[1] for cell in cells} - {None}
    group_ids = {cell[2] for cell in cells} - {None}
    schools = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    groups = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    role_labels = dict(Participant.Role.choices)
    roles = sorted({cell[0] for cell in cells})
    school_choices = sorted(schools.items(), key=lambda item: item[1])
    if scope is not None:
        school_choices = [(pk, name) for pk, name in school_choices if pk in scope]
    form = ResultsFilterForm(
        params or None, roles=[(role, role_labels.get(role, role)) for role in roles],
        schools=school_choices, groups=sorted(groups.items(), key=lambda item: item[1]))
    chosen = form.filters()
    base = {}
    if scope is not None:
        # A school's admin reads their own school's answers only, as their whole survey.
        school = chosen.pop("school", None)
        base["school"] = school if school in scope else (
            school_choices[0][0] if school_choices else -1)
    filters = {**base, **chosen}
    by = (form.cleaned_data.get("by") if form.is_bound and form.is_valid() else "") or "school"
    invitations = survey.invitations.all()
    if scope is not None:
        invitations = invitations.filter(school__in=scope)
    rate = invitations.aggregate(invited=Count("pk"),
                                 answered=Count("pk", filter=Q(answered_on__isnull=False)))
    shown_view = allowed(cells, base, chosen, threshold)
    report = {"threshold": threshold, "form": form, "filters": filters, "allowed": shown_view,
              "one_filter": len(chosen) > 1, "filtered": bool(chosen),
              "invited": rate["invited"], "answered": rate["answered"],
              "responses": sum(n for cell, n in cells.items()
                               if all(cell[DIMENSIONS.index(d)] == v
                                      for d, v in filters.items())),
              "questions": [], "breakdown": [], "breakdown_questions": [], "by": by,
              "by_label": dict(form.fields["by"].choices)[by]}
    report["rate"] = (round(100 * rate["answered"] / rate["invited"])
                      if rate["invited"] else None)
    if scope is not None and 0 < rate["answered"] < threshold:
        # A school's count of answers is the school's cell: under the threshold it is
        # hidden here as in the breakdown.
        report["answered"] = report["rate"] = None
    if not shown_view:
        return report
    answers = Answer.objects.filter(response__in=filter_responses(responses, filters)
                                    .values("pk"))
    numbers, choices, averages, texts = {}, {}, {}, {}
    for row in (answers.filter(number__isnull=False).values("question_id", "number")
                .annotate(n=Count("pk")).order_by()):
        numbers.setdefault(row["question_id"], {})[row["number"]] = row["n"]
    for row in (answers.exclude(choice="").values("question_id", "choice")
                .annotate(n=Count("pk")).order_by()):
        choices.setdefault(row["question_id"], {})[row["choice"]] = row["n"]
    # Up to TEXTS_SHOWN of each question's written answers, in the random order of their
    # keys (never the order they arrived).
    for row in (answers.exclude(text="").annotate(nth=Window(
            RowNumber(), partition_by=F("question_id"), order_by=F("id").asc()))
            .filter(nth__lte=TEXTS_SHOWN).values("question_id", "text")
            .order_by("question_id", "id")):
        texts.setdefault(row["question_id"], []).append(row["text"])
    for row in (answers.filter(number__isnull=False).values("question_id")
                .annotate(average=Avg("number"), n=Count("pk")).order_by()):
        averages[row["question_id"]] = (round(row["average"], 1), row["n"])
    for question in survey.questions.all():
        item = {"question": question, "counts": [], "average": None, "texts": [],
                "answered": 0, "chart": None}
        if question.is_number:
            seen = numbers.get(question.pk, {})
            item["counts"] = [(f"{value} {label}".strip(), seen.get(value, 0))
                              for value, label in question.scale()]
            item["average"], item["answered"] = averages.get(question.pk, (None, 0))
        elif question.is_choice:
            seen = choices.get(question.pk, {})
            item["counts"] = [(option, seen.get(option, 0)) for option in question.choices]
        else:
            item["texts"] = texts.get(question.pk, [])
        if item["counts"]:
            item["chart"] = {
                "id": f"question-{question.pk}", "kind": "bar", "title": question.text,
                "labels": [label for label, _n in item["counts"]],
                "series": [{"label": _("Answers"), "values": [n for _l, n in item["counts"]]}],
                "y_min": 0}
            if question.kind == QuestionKind.LIKERT:
                item["chart"]["labels"] = [str(value) for value, _l in question.scale()]
        report["questions"].append(item)
    label_of = {"role": lambda v: role_labels.get(v, v),
                "school": lambda v: schools.get(v, _("No school recorded")),
                "group": lambda v: groups.get(v, _("Not in a group"))}[by]
    shown = breakdown_of(cells, base, chosen, by, threshold)
    if shown:
        # Each shown group's average answer to each number question; hidden groups get none.
        field = "response__role" if by == "role" else f"response__{by}_id"
        group_averages = {
            (row[field], row["question_id"]): round(row["average"], 1)
            for row in answers.filter(number__isnull=False).values(field, "question_id")
            .annotate(average=Avg("number")).order_by()}
        numbered = [item["question"] for item in report["questions"]
                    if item["question"].is_number]
        report["breakdown_questions"] = numbered
        report["breakdown"] = sorted(
            ({"value": value, "label": str(label_of(value)), "count": count,
              "averages": [None if count is None else group_averages.get((value, q.pk))
                           for q in numbered]}
             for value, count in shown.items()), key=lambda row: row["label"])
    return report
