"""Survey figures for the dashboards, computed in SQL over many programs at once.

- `response_rates(program_ids) -> {program_id: (invited, answered)}`: one query.
- `likert_means_by_stage(program_ids, question_key="confidence")
  -> {program_id: {stage: mean or None}}`: the mean answer to the question named
  `question_key` (the key shipped templates give it) in the baseline, mid-year and
  end-of-year surveys of each program, None where fewer people answered than the program's
  anonymity threshold. Two queries.
"""

from django.db.models import Avg, Count, Q

from programs.models import Program

from .models import Answer, Invitation, Stage

STAGES = (Stage.BASELINE, Stage.MID_YEAR, Stage.END_OF_YEAR)


def response_rates(program_ids):
    rows = (Invitation.objects.filter(survey__program_id__in=list(program_ids))
            .values("survey__program_id")
            .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(
                answered_on__isnull=False))).order_by())
    rates = dict.fromkeys(program_ids, (0, 0))
    rates.update({row["survey__program_id"]: (row["invited"], row["answered"])
                  for row in rows})
    return rates


def likert_means_by_stage(program_ids, question_key="confidence"):
    program_ids = list(program_ids)
    thresholds = dict(Program.objects.filter(pk__in=program_ids)
                      .values_list("pk", "anonymity_threshold"))
    means = {pk: dict.fromkeys(STAGES) for pk in program_ids}
    rows = (Answer.objects.filter(question__key=question_key, number__isnull=False,
                                  question__survey__program_id__in=program_ids,
                                  question__survey__stage__in=STAGES)
            .values("question__survey__program_id", "question__survey__stage")
            .annotate(mean=Avg("number"), n=Count("response_id", distinct=True)).order_by())
    for row in rows:
        program_id = row["question__survey__program_id"]
        if row["n"] >= thresholds.get(program_id, 5):
            means[program_id][row["question__survey__stage"]] = round(row["mean"], 2)
    return means
