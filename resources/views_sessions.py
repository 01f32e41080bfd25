"""Resources on a group session's agenda: the panel on the session page (registered with
programs.extensions in ResourcesConfig.ready), and the pages that attach and detach them.

The session is found the way the session page finds it (404 outside the group and those who
run its program); attaching and detaching are for those who run the group."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import require_perm
from programs.views.groups import session_in

from .forms import AttachSearchForm
from .models import Resource
from .panels import attach_panel
from .places import attachable, on_agenda, session_uses, suggested_for
from .services import attach_to_session, detach_from_session


def _attach_url(session):
    return reverse("resources:session-attach", args=[session.group.program_id, session.pk])


def session_panel(request, session):
    """The session page's resources: what is on the agenda (each subject to the resource's
    own sharing), suggestions from the group's focus areas, and for those who run the
    group a search to attach more."""
    user = request.user
    uses = on_agenda(user, session)
    program_pk = session.group.program_id
    return attach_panel(
        request, place="session", level=3, uses=uses,
        texts={"heading": _("Resources for this session"), "list_label": _("On the agenda"),
               "empty_text": _("No resources on the agenda yet."),
               "suggestions_heading": _("Suggested from the group's focus areas")},
        detach_url=lambda use: reverse("resources:session-detach",
                                       args=[program_pk, session.pk, use.pk]),
        can_attach=user.has_perm("programs.run_group", session.group),
        attach_url=_attach_url(session),
        suggestions=suggested_for(user, session, exclude=[u.resource_id for u in uses]))


def _session_url(program, session):
    url = reverse("programs:session-detail", args=[program.pk, session.pk])
    return f"{url}#session-resources"


def chosen_resource(request):
    """The resource a POST chose to attach: one the person may read and that is published
    (404 otherwise, whatever was sent)."""
    chosen = request.POST.get("resource", "")
    return get_object_or_404(Resource.objects.visible_to(request.user).published()
                             .prefetch_related("authorships"),
                             pk=int(chosen) if chosen.isascii() and chosen.isdigit() else 0)


@login_required
def session_attach(request, program_pk, pk):
    """GET: find resources to attach (a page, or only its results for htmx). POST: attach
    the chosen one and go back to the session."""
    program, session = session_in(request, program_pk, pk)
    user = request.user
    require_perm(user, "programs.run_group", session.group)
    if request.method == "POST":
        resource = chosen_resource(request)
        if attach_to_session(resource=resource, session=session, added_by=user):
            messages.success(request, _("“%(title)s” is on the session's agenda.")
                             % {"title": resource.title})
        else:
            messages.info(request, _("“%(title)s” was already on the agenda.")
                          % {"title": resource.title})
        return redirect(_session_url(program, session))
    form = AttachSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = attachable(user, query, session_uses().filter(object_id=session.pk)) if query else []
    context = {"program": program, "group": session.group, "session": session, "form": form,
               "query": query, "results": results, "attach_url": _attach_url(session)}
    if request.headers.get("HX-Request"):
        return render(request, "resources/includes/attach_results.html", context)
    return render(request, "resources/session_attach.html", context)


@login_required
@require_POST
def session_detach(request, program_pk, pk, use_pk):
    program, session = session_in(request, program_pk, pk)
    require_perm(request.user, "programs.run_group", session.group)
    use = get_object_or_404(session_uses(), pk=use_pk, object_id=session.pk)
    detach_from_session(use=use, session=session, removed_by=request.user)
    messages.success(request, _("The resource is off the agenda."))
    return redirect(_session_url(program, session))
