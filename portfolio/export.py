"""A teacher's portfolio: everything they wrote or received, to take with them when they
change school. Goals with every version, action steps, progress and the comments on them;
their reflections of every visibility (they are the author) with the replies; the
debriefs shared with them; their badges; their programs and protected time.

Only the person's own records go in: nothing another teacher owns, and no debrief still
in draft. The same data makes the JSON file and the readable HTML file, in a fixed number
of queries whatever its size.
"""

from django.db.models import Prefetch
from django.utils import timezone

from goals.models import Goal, GoalComment, ProgressEntry, Reflection, ReflectionReply
from observations.models import ObservationCycle
from observations.text import debrief_data
from programs.models import Participant, TimeLog

from . import openbadges
from .models import Award

FORMAT = "mentorship-portfolio"
VERSION = 1


def _day(value):
    return value.isoformat() if value else None


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _goals(user):
    goals = (Goal.objects.of_user(user)
             .select_related("participant__program", "focus_area", "revises")
             .prefetch_related(
                 "action_steps",
                 Prefetch("progress", queryset=ProgressEntry.objects.order_by("recorded_on",
                                                                              "pk")),
                 Prefetch("comments", queryset=GoalComment.objects.select_related("author")
                          .order_by("created_at", "pk")))
             .order_by("participant__program__starts_on", "created_at", "pk"))
    return [{
        "id": goal.pk,
        "program": goal.participant.program.name,
        "state": goal.state,
        "state_label": str(goal.get_state_display()),
        "focus_area": goal.focus_area.name if goal.focus_area else "",
        "specific": goal.specific,
        "measure": goal.measure,
        "baseline": _number(goal.baseline),
        "target": _number(goal.target),
        "unit": goal.unit,
        "relevance": goal.relevance,
        "due_on": _day(goal.due_on),
        "achieved_on": _day(goal.achieved_on),
        "dropped_reason": goal.dropped_reason,
        "revises": goal.revises_id,
        "created_on": _day(goal.created_at.date()),
        "action_steps": [{"description": step.description, "due_on": _day(step.due_on),
                          "done_on": _day(step.done_on)}
                         for step in goal.action_steps.all()],
        "progress": [{"recorded_on": _day(entry.recorded_on), "value": _number(entry.value),
                      "note": entry.note, "evidence": entry.evidence_name}
                     for entry in goal.progress.all()],
        "comments": [{"author": comment.author.display_name, "body": comment.body,
                      "written_on": _day(comment.created_at.date())}
                     for comment in goal.comments.all()],
    } for goal in goals]


def _reflections(user):
    reflections = (Reflection.objects.of_user(user)
                   .select_related("program", "prompt")
                   .prefetch_related(Prefetch(
                       "replies", queryset=ReflectionReply.objects.select_related("author")
                       .order_by("created_at", "pk")))
                   .order_by("created_at", "pk"))
    return [{
        "program": reflection.program.name,
        "written_on": _day(reflection.created_at.date()),
        "prompt": reflection.prompt.text if reflection.prompt else "",
        "body": reflection.body,
        "confidence": reflection.confidence,
        "visibility": reflection.visibility,
        "visibility_label": str(reflection.get_visibility_display()),
        "goal": reflection.goal_id,
        "replies": [{"author": reply.author.display_name, "body": reply.body,
                     "written_on": _day(reply.created_at.date())}
                    for reply in reflection.replies.all()],
    } for reflection in reflections]


def _debriefs(user):
    cycles = (ObservationCycle.objects.shared_debriefs_of(user)
              .select_related("program", "mentor", "debrief")
              .prefetch_related("debrief__next_steps"))
    return [data for data in (debrief_data(cycle) for cycle in cycles) if data]


def _badges(user):
    awards = (Award.objects.filter(recipient_id=user.pk)
              .select_related("badge__program", "badge__district__badge_issuer")
              .order_by("issued_at", "pk"))
    rows = []
    for award in awards:
        issuer = getattr(award.badge.district, "badge_issuer", None)
        rows.append({
            "name": award.badge.name,
            "description": award.badge.description,
            "criteria": award.badge.criteria,
            "issuer": issuer.shown_name if issuer else award.badge.district.name,
            "program": award.badge.program.name if award.badge.program else "",
            "issued_on": _day(award.issued_at.date()),
            "evidence": award.evidence,
            "revoked": award.is_revoked,
            "assertion": openbadges.assertion_url(award),
            "check_page": openbadges.verify_url(award),
        })
    return rows


def portfolio_of(user):
    """The person's portfolio as plain values (what the JSON file holds)."""
    profile = getattr(user, "staff_profile", None)
    participations = (Participant.objects.filter(user_id=user.pk)
                      .select_related("program").order_by("program__starts_on", "pk"))
    time_logs = (TimeLog.objects.filter(user_id=user.pk).select_related("program")
                 .order_by("date", "pk"))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "person": {
            "name": user.display_name,
            "email": user.email,
            "district": user.district.name if user.district_id else "",
            "school": profile.school.name if profile and profile.school_id else "",
            "job_title": getattr(profile, "job_title", "") or "",
        },
        "programs": [{"program": p.program.name, "school_year": p.program.school_year,
                      "role": str(p.get_role_display()), "status": str(p.get_status_display()),
                      "joined_on": _day(p.created_at.date())} for p in participations],
        "goals": _goals(user),
        "reflections": _reflections(user),
        "debriefs": _debriefs(user),
        "badges": _badges(user),
        "protected_time": [{"program": log.program.name, "date": _day(log.date),
                            "minutes": log.minutes, "kind": str(log.get_kind_display()),
                            "note": log.note} for log in time_logs],
    }
