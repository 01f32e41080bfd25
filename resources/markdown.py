"""Markdown written in the page, rendered to HTML that cannot carry script.

The Markdown library passes raw HTML through, so its output is always cleaned by nh3 (the
Ammonia sanitiser) against a short allow-list: no script, no event handlers, no style, no
images from elsewhere (a page loads nothing from another origin), links only to http(s)
and mail addresses.
"""

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"},
                      "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Safe HTML for `text`. Headings start at level 3, below the page's own h1 and h2."""
    html = markdown.markdown(
        text or "",
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": 3}},
        output_format="html",
    )
    # Safe because nh3 has just cleaned it against the allow-list.
    return mark_safe(nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    ))
