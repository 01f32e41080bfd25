"""Writes with rules for observation templates and their versions.

A published version is frozen: nothing here changes it, and cycles point at it. Editing a
template continues its one draft, or starts a draft copied from the latest published
version, whose indicators keep their keys so that trends follow them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Domain, Indicator, ObservationTemplate, ScaleLevel, TemplateVersion
from ..outline import parse_levels, parse_outline

DEFAULT_LEVELS = [_("Beginning"), _("Developing"), _("Established"), _("Extending")]


def may_edit(user, template: ObservationTemplate) -> bool:
    """The district's admins edit district templates; those who manage a program its own.
    Generic templates are the product's and change only with a release."""
    if template.district_id is None or not user.is_authenticated:
        return False
    if user.district_id != template.district_id:
        return False
    if template.program_id is None:
        return user.is_district_admin
    return user.has_perm("observations.manage_templates", template.program)


def _require_editor(user, template):
    if not may_edit(user, template):
        raise PermissionDenied


@transaction.atomic
def create_template(*, created_by, name: str, description: str = "",
                    program=None) -> ObservationTemplate:
    """A new template of the creator's district (or of one program), with a first draft
    holding the usual four-level scale and no look-fors yet."""
    template = ObservationTemplate(district_id=created_by.district_id, program=program,
                                   name=name.strip(), description=description.strip(),
                                   created_by=created_by)
    _require_editor(created_by, template)
    template.save()
    version = TemplateVersion.objects.create(template=template, number=1,
                                             created_by=created_by)
    ScaleLevel.objects.bulk_create(ScaleLevel(version=version, value=value, label=label)
                                   for value, label in enumerate(DEFAULT_LEVELS, start=1))
    return template


@transaction.atomic
def start_draft(*, template: ObservationTemplate, created_by) -> TemplateVersion:
    """The template's draft: the one being edited, or a new one copied from the latest
    published version (same domains, look-fors with the same keys, same scale)."""
    _require_editor(created_by, template)
    ObservationTemplate.objects.select_for_update().filter(pk=template.pk).first()
    draft = template.versions.filter(state=TemplateVersion.State.DRAFT).first()
    if draft is not None:
        return draft
    latest = (template.versions.filter(state=TemplateVersion.State.PUBLISHED)
              .order_by("-number").first())
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = TemplateVersion.objects.create(
        template=template, number=number, created_by=created_by,
        allows_not_observed=latest.allows_not_observed if latest else True)
    if latest is not None:
        ScaleLevel.objects.bulk_create(ScaleLevel(version=draft, value=level.value,
                                                  label=level.label)
                                       for level in latest.levels.all())
        for domain in latest.domains.prefetch_related("indicators"):
            copy = Domain.objects.create(version=draft, name=domain.name,
                                         position=domain.position)
            Indicator.objects.bulk_create(
                Indicator(domain=copy, key=indicator.key, text=indicator.text,
                          guidance=indicator.guidance, position=indicator.position)
                for indicator in domain.indicators.all())
    return draft


def _locked_draft(version: TemplateVersion) -> TemplateVersion:
    current = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if current.state != TemplateVersion.State.DRAFT:
        raise ValidationError(_("This version is published and can no longer change. Edit "
                                "the template to start a new draft."))
    return current


@transaction.atomic
def save_draft(*, version: TemplateVersion, edited_by, outline: str, levels: str,
               allows_not_observed: bool, name: str | None = None,
               description: str | None = None) -> TemplateVersion:
    """Replace a draft's domains, look-fors and scale with those written. A look-for keeps
    its key when its wording or its place in the same domain is unchanged."""
    template = version.template
    _require_editor(edited_by, template)
    version = _locked_draft(version)
    errors = {}
    try:
        domains = parse_outline(outline)
    except ValidationError as error:
        errors["outline"] = error.messages
    try:
        labels = parse_levels(levels)
    except ValidationError as error:
        errors["levels"] = error.messages
    if errors:
        raise ValidationError(errors)
    old = {}
    for domain in version.domains.prefetch_related("indicators"):
        for indicator in domain.indicators.all():
            old[("text", indicator.text)] = indicator.key
            old.setdefault(("place", domain.name, indicator.position), indicator.key)
    version.domains.all().delete()
    version.levels.all().delete()
    taken = set()
    for position, parsed in enumerate(domains):
        domain = Domain.objects.create(version=version, name=parsed.name, position=position)
        rows = []
        for index, item in enumerate(parsed.indicators):
            key = old.get(("text", item.text)) or old.get(("place", parsed.name, index))
            if key is None or key in taken:
                key = None
            row = Indicator(domain=domain, text=item.text, guidance=item.guidance,
                            position=index)
            if key is not None:
                row.key = key
            taken.add(row.key)
            rows.append(row)
        Indicator.objects.bulk_create(rows)
    ScaleLevel.objects.bulk_create(ScaleLevel(version=version, value=value, label=label)
                                   for value, label in enumerate(labels, start=1))
    version.allows_not_observed = allows_not_observed
    version.save(update_fields=["allows_not_observed"])
    if name is not None or description is not None:
        if name is not None:
            template.name = name.strip()
        if description is not None:
            template.description = description.strip()
        template.save(update_fields=["name", "description"])
    return version


@transaction.atomic
def publish_version(*, version: TemplateVersion, published_by) -> TemplateVersion:
    """Freeze a draft so cycles can use it. It needs at least one look-for and a scale."""
    _require_editor(published_by, version.template)
    version = _locked_draft(version)
    if not Indicator.objects.filter(domain__version=version).exists():
        raise ValidationError({"outline": _("Add at least one domain with a look-for before "
                                            "publishing.")})
    if version.levels.count() < 2:
        raise ValidationError({"levels": _("The scale needs at least two levels.")})
    version.state = TemplateVersion.State.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = published_by
    version.save(update_fields=["state", "published_at", "published_by"])
    return version
