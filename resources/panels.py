"""The panel of resources at one place of use (a group session's agenda, a check-in), as
the pages that own those places show it."""

from django.template.loader import render_to_string

from .forms import AttachSearchForm


def attach_panel(request, *, place, level, texts, uses, detach_url, can_attach, attach_url,
                 suggestions):
    """HTML for the panel. `place` names its ids; `level` is its heading's level on the
    page; `texts` holds heading, list_label, empty_text and suggestions_heading;
    `detach_url(use)` is the address that takes a use off."""
    for use in uses:
        use.detach_url = detach_url(use)
    return render_to_string("resources/includes/attach_panel.html", {
        **texts, "place": place, "heading_tag": f"h{level}", "sub_tag": f"h{level + 1}",
        "heading_class": "h4" if level == 2 else "h5",
        "section_class": "mt-4 mb-4" if level == 2 else "mb-4",
        "uses": uses, "suggestions": suggestions, "can_attach": can_attach,
        "search_form": AttachSearchForm() if can_attach else None, "attach_url": attach_url,
    }, request=request)
