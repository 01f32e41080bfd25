"""A debrief as plain text and as data, the same words every time: for a teacher's
portfolio export and anything else that carries feedback out of the pages."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def debrief_data(cycle) -> dict:
    """The shared debrief of a cycle as a dict of plain values (None when it has no shared
    debrief). Expects `cycle.debrief`, `cycle.mentor` and `cycle.program` loaded (and
    `debrief.next_steps` prefetched, for a list)."""
    debrief = getattr(cycle, "debrief", None)
    if debrief is None or not debrief.is_shared:
        return None
    return {
        "cycle": cycle.pk,
        "kind": cycle.get_kind_display(),
        "program": cycle.program.name,
        "mentor": cycle.mentor.display_name,
        "observed_on": cycle.observed_at.date().isoformat() if cycle.observed_at else None,
        "shared_on": debrief.shared_at.date().isoformat(),
        "strengths": debrief.strengths,
        "growth_areas": debrief.growth_areas,
        "next_steps": [step.description for step in debrief.next_steps.all()],
    }


def debrief_text(cycle) -> str:
    """The shared debrief of a cycle as readable plain text ("" when it has none)."""
    data = debrief_data(cycle)
    if data is None:
        return ""
    lines = [
        _("Observation debrief from %(mentor)s, shared on %(day)s (%(program)s)") % {
            "mentor": data["mentor"], "program": data["program"],
            "day": date_format(cycle.debrief.shared_at.date(), "DATE_FORMAT")},
        data["kind"],
        "",
        _("What is working"),
        data["strengths"],
    ]
    if data["growth_areas"]:
        lines += ["", _("Areas to grow"), data["growth_areas"]]
    if data["next_steps"]:
        lines += ["", _("Next steps")] + [f"- {step}" for step in data["next_steps"]]
    return "\n".join(lines) + "\n"
