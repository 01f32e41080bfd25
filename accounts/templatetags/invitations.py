from django import template

from accounts.adapter import stashed_invitation

register = template.Library()


@register.simple_tag(takes_context=True)
def signup_invitation(context):
    """The invitation this browser is signing up with, to say where the account will belong."""
    return stashed_invitation(context["request"])
