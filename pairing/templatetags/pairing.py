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


@register.filter
def partner_for(pairing, user):
    return pairing.partner_of(user)


@register.filter
def is_new(pairing, today):
    """Started in the last two weeks: the home page greets the new partner."""
    return bool(pairing.started_on) and (today - pairing.started_on).days < 14
