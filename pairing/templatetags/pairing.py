from django import template

register = template.Library()


@register.filter
def points_for(breakdown, criterion):
    """The points one criterion gave a pair."""
    return (breakdown or {}).get(str(criterion), 0)


@register.filter
def weight_of(matching_settings, criterion):
    return matching_settings.weight_of(criterion)


@register.filter
def days_overdue(pairing, today):
    return pairing.days_overdue(today)
