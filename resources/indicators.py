"""The observation look-fors a resource can be tagged with: those of the current published
version of each template the author's district may use (the generic templates and the
district's own). A tag stores the indicator's `key`, which stays the same across a
template's versions, so it keeps matching after the template is edited."""

from django.utils.translation import gettext as _

from observations.models import Indicator, ObservationTemplate, TemplateVersion


def look_for_choices(user, keep=()):
    """Grouped choices [(template name, [(key, look-for), ...]), ...] for a form, in the
    templates' order. `keep` is (key, label) pairs already chosen that are offered even
    when no current version has them any more (a template withdrawn), so saving the form
    does not drop them silently. Two queries."""
    versions = (TemplateVersion.objects
                .filter(state=TemplateVersion.State.PUBLISHED,
                        template__in=ObservationTemplate.objects.visible_to(user))
                .select_related("template").order_by("template__name", "template_id",
                                                     "-number")
                .only("pk", "number", "template__name", "template_id"))
    latest = {}
    for version in versions:
        latest.setdefault(version.template_id, version)
    indicators = (Indicator.objects.filter(domain__version__in=[v.pk for v in latest.values()])
                  .select_related("domain").only("key", "text", "domain__version_id",
                                                 "domain__position", "position"))
    by_version = {}
    for indicator in indicators:
        by_version.setdefault(indicator.domain.version_id, []).append(indicator)
    groups, offered = [], set()
    for version in latest.values():
        options = []
        for indicator in by_version.get(version.pk, []):
            key = str(indicator.key)
            if key not in offered:
                offered.add(key)
                options.append((key, indicator.text))
        if options:
            groups.append((version.template.name, options))
    kept = [(str(key), label) for key, label in keep if str(key) not in offered]
    if kept:
        groups.append((_("Chosen earlier"), kept))
    return groups


def labels_of(choices):
    """{key: label} from grouped choices."""
    return {key: label for _name, options in choices for key, label in options}
