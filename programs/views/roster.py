"""Roster import pages, for district admins: upload, preview with problems, apply, history.

Everything is scoped to the admin's own district; anything else is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm

from ..forms.roster import RosterUploadForm
from ..models import RosterImport
from ..roster.sync import COUNT_LABELS
from ..services.roster import queue_apply, start_import

PAGE_SIZE = 25
PROBLEMS_PAGE_SIZE = 50


def _imports(user):
    require_perm(user, "programs.import_roster")
    return RosterImport.objects.filter(district_id=user.district_id)


def _import_for(user, pk):
    return get_object_or_404(_imports(user).select_related("uploaded_by"), pk=pk)


@login_required
def import_list(request):
    imports = _imports(request.user).select_related("uploaded_by").defer("problems")
    page = Paginator(imports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "programs/roster/import_list.html", {"page": page})


@login_required
def import_new(request):
    require_perm(request.user, "programs.import_roster")
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "programs/roster/import_new.html", context)
        roster_import = start_import(
            district=request.user.district, uploaded_by=request.user,
            format=form.cleaned_data["format"],
            full_sync=form.cleaned_data["mode"] == RosterUploadForm.FULL,
            files=form.cleaned_data["files"],
        )
        messages.success(request, _("The roster is uploaded and being checked. Nothing "
                                    "changes until you apply it."))
        return redirect("programs:roster-import", pk=roster_import.pk)
    return render(request, "programs/roster/import_new.html", context)


def _detail_context(request, roster_import):
    counts = roster_import.summary.get("counts", {})
    problems = Paginator(roster_import.problems, PROBLEMS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return {
        "roster_import": roster_import,
        "counts": [(label, counts.get(key, 0)) for key, label in COUNT_LABELS] if counts
        else [],
        "changes": roster_import.summary.get("changes", 0),
        "page": problems,
        "working": roster_import.state in (RosterImport.State.CHECKING,
                                           RosterImport.State.APPLYING),
    }


@login_required
def import_detail(request, pk):
    roster_import = _import_for(request.user, pk)
    return render(request, "programs/roster/import_detail.html",
                  _detail_context(request, roster_import))


@login_required
def import_status(request, pk):
    """The state and results alone, polled by the detail page while the import works."""
    roster_import = _import_for(request.user, pk)
    return render(request, "programs/roster/includes/import_body.html",
                  _detail_context(request, roster_import))


@login_required
@require_POST
def import_apply(request, pk):
    roster_import = _import_for(request.user, pk)
    if queue_apply(roster_import=roster_import):
        messages.success(request, _("The roster is being applied."))
    else:
        messages.error(request, _("This import cannot be applied now: it is %(state)s.")
                       % {"state": roster_import.get_state_display().lower()})
    return redirect("programs:roster-import", pk=roster_import.pk)
