from django import template

from ..markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown rendered to sanitised HTML."""
    return render_markdown(text)

