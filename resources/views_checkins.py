"""Resources attached to a check-in: the panel on the check-in page (registered with
pairing.extensions in ResourcesConfig.ready), and the pages that attach and detach them.

A check-in is the pair's own: it is found the way the check-in page finds it, so to anyone
but the mentor and the mentee of the pairing (coordinators and admins included) these pages
do not exist (404). The two of them attach and detach resources while the pairing is open;
once it has ended its check-ins are a record, shown as they were left (404 for changes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pairing.views.checkins import checkin_for, district_time

from .forms import AttachSearchForm
from .panels import attach_panel
from .places import attachable, checkin_uses, on_checkin, suggested_for_checkin
from .services import attach_to_checkin, detach_from_checkin
from .views_sessions import chosen_resource


def _attach_url(checkin):
    return reverse("resources:checkin-attach", args=[checkin.pk])


def _can_attach(user, checkin):
    return checkin.pairing.is_open and user.has_perm("pairing.read_pair_notes", checkin.pairing)


def checkin_panel(request, checkin):
    """The check-in page's resources: those attached (each subject to the resource's own
    sharing, so a partner's resource the reader may not read shows without its title), and
    while the pairing is open a search to attach more and suggestions from the mentee's
    focus areas."""
    user = request.user
    uses = on_checkin(user, checkin)
    can_attach = _can_attach(user, checkin)
    return attach_panel(
        request, place="checkin", level=2, uses=uses,
        texts={"heading": _("Resources for this check-in"),
               "list_label": _("Attached resources"),
               "empty_text": _("No resources are attached to this check-in."),
               "suggestions_heading": _("Suggested from the mentee's focus areas")},
        detach_url=lambda use: reverse("resources:checkin-detach", args=[checkin.pk, use.pk]),
        can_attach=can_attach, attach_url=_attach_url(checkin),
        suggestions=suggested_for_checkin(user, checkin, exclude=[u.resource_id for u in uses])
        if can_attach else [])


def _open_checkin(request, pk):
    """A check-in of one of this person's pairings that is still open."""
    checkin = checkin_for(request.user, pk)
    if not _can_attach(request.user, checkin):
        raise Http404
    return checkin


def _checkin_url(checkin):
    url = reverse("pairing:checkin-detail", args=[checkin.pk])
    return f"{url}#checkin-resources"


@login_required
def checkin_attach(request, pk):
    """GET: find resources to attach (a page, or only its results for htmx). POST: attach
    the chosen one and go back to the check-in."""
    checkin = _open_checkin(request, pk)
    user = request.user
    if request.method == "POST":
        resource = chosen_resource(request)
        if attach_to_checkin(resource=resource, checkin=checkin, added_by=user):
            messages.success(request, _("“%(title)s” is attached to the check-in.")
                             % {"title": resource.title})
        else:
            messages.info(request, _("“%(title)s” was already attached to the check-in.")
                          % {"title": resource.title})
        return redirect(_checkin_url(checkin))
    form = AttachSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = attachable(user, query, checkin_uses().filter(object_id=checkin.pk)) if query else []
    pairing = checkin.pairing
    context = {"checkin": checkin, "pairing": pairing, "program": pairing.program,
               "form": form, "query": query, "results": results,
               "attach_url": _attach_url(checkin)}
    with district_time(pairing):
        if request.headers.get("HX-Request"):
            # Under the panel's heading (h2) on the check-in page.
            return render(request, "resources/includes/attach_results.html",
                          {**context, "results_heading_level": 3})
        return render(request, "resources/checkin_attach.html", context)


@login_required
@require_POST
def checkin_detach(request, pk, use_pk):
    checkin = _open_checkin(request, pk)
    use = get_object_or_404(checkin_uses(), pk=use_pk, object_id=checkin.pk)
    detach_from_checkin(use=use, checkin=checkin, removed_by=request.user)
    messages.success(request, _("The resource is no longer attached to the check-in."))
    return redirect(_checkin_url(checkin))
