"""A template's domains and look-fors written as a short outline, one line each:

    # Learning environment
    - Routines let students start quickly | Watch the first five minutes.
    - Students treat each other with respect

A line starting with "#" names a domain; a line starting with "-" is a look-for of the
domain above it, with its guidance after a "|". Pure functions: no database here.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TEXT, MAX_GUIDANCE, MAX_DOMAIN = 300, 2000, 200
# A rubric a person can use during a lesson: at most this many domains, look-fors in each,
# characters in the whole outline.
MAX_DOMAINS, MAX_LOOK_FORS, MAX_OUTLINE = 30, 50, 20000


@dataclass
class OutlineIndicator:
    text: str
    guidance: str = ""


@dataclass
class OutlineDomain:
    name: str
    indicators: list[OutlineIndicator] = field(default_factory=list)


def parse_outline(text: str) -> list[OutlineDomain]:
    """The domains of an outline, or ValidationError naming each line to correct."""
    if len(text or "") > MAX_OUTLINE:
        raise ValidationError(_("The outline is %(length)s characters long; keep it to "
                                "%(max)s.") % {"length": len(text), "max": MAX_OUTLINE})
    domains: list[OutlineDomain] = []
    errors = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            name = line.lstrip("#").strip()
            if not name:
                errors.append(_("Line %(n)s: write the domain’s name after “#”.") % {"n": number})
            elif len(name) > MAX_DOMAIN:
                errors.append(_("Line %(n)s: a domain’s name is at most %(max)s characters.")
                              % {"n": number, "max": MAX_DOMAIN})
            elif len(domains) == MAX_DOMAINS:
                errors.append(_("Line %(n)s: a template has at most %(max)s domains.")
                              % {"n": number, "max": MAX_DOMAINS})
                break
            else:
                domains.append(OutlineDomain(name))
        elif line.startswith("-"):
            look_for, _sep, guidance = line[1:].partition("|")
            look_for, guidance = look_for.strip(), guidance.strip()
            if not domains:
                errors.append(_("Line %(n)s: a look-for needs a domain above it (a line "
                                "starting with “#”).") % {"n": number})
            elif not look_for:
                errors.append(_("Line %(n)s: write the look-for after “-”.") % {"n": number})
            elif len(look_for) > MAX_TEXT or len(guidance) > MAX_GUIDANCE:
                errors.append(_("Line %(n)s: a look-for is at most %(max)s characters, its "
                                "guidance at most %(guidance)s.")
                              % {"n": number, "max": MAX_TEXT, "guidance": MAX_GUIDANCE})
            elif len(domains[-1].indicators) == MAX_LOOK_FORS:
                errors.append(_("Line %(n)s: a domain has at most %(max)s look-fors; start "
                                "another domain or keep fewer.")
                              % {"n": number, "max": MAX_LOOK_FORS})
                break
            else:
                domains[-1].indicators.append(OutlineIndicator(look_for, guidance))
        else:
            errors.append(_("Line %(n)s: start it with “#” for a domain or “-” for a "
                            "look-for.") % {"n": number})
    if not errors:
        for domain in domains:
            if not domain.indicators:
                errors.append(_("The domain “%(name)s” has no look-for: add one below it, "
                                "starting with “-”.") % {"name": domain.name})
    if errors:
        raise ValidationError(errors)
    return domains


def parse_levels(text: str) -> list[str]:
    """The rating scale's labels, lowest first, one a line: two to seven of them."""
    labels = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not 2 <= len(labels) <= 7:
        raise ValidationError(_("Write two to seven levels, one a line, the lowest first."))
    if any(len(label) > 100 for label in labels):
        raise ValidationError(_("A level’s label is at most 100 characters."))
    if len({label.lower() for label in labels}) != len(labels):
        raise ValidationError(_("Each level needs its own label."))
    return labels


def write_outline(domains) -> str:
    """The outline of saved domains (each with `name` and `indicators` having `text` and
    `guidance`), as the editor shows it."""
    lines = []
    for domain in domains:
        lines.append(f"# {domain.name}")
        indicators = domain.indicators
        for indicator in (indicators.all() if hasattr(indicators, "all") else indicators):
            lines.append(f"- {indicator.text}" + (f" | {indicator.guidance}"
                                                  if indicator.guidance else ""))
        lines.append("")
    return "\n".join(lines).strip() + "\n" if lines else ""
