"""Observation templates (rubrics): the list, a template and its versions, building one.

Any teacher of the district may read the district's templates (they say what observers
look for; no one's observation is in them); a program's own are read by the people taking
part in it and those who manage it. The district's admins build district templates, and
those who manage a program build the program's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mentorship.shortcuts import add_service_error, invalid
from programs.models import Program

from ..forms import DraftForm, TemplateForm
from ..models import Domain, ObservationTemplate, TemplateVersion
from ..outline import write_outline
from ..services import templates as services


def template_for(user, pk):
    return get_object_or_404(ObservationTemplate.objects.visible_to(user)
                             .select_related("program"), pk=pk)


def editable_template_for(user, pk):
    template = template_for(user, pk)
    if not services.may_edit(user, template):
        raise Http404
    return template


def _managed_programs(user):
    return Program.objects.managed_by(user).exclude(status=Program.Status.CLOSED)


@login_required
def template_list(request):
    templates = (ObservationTemplate.objects.visible_to(request.user)
                 .select_related("program").order_by("program__name", "name", "pk"))
    can_create = request.user.is_district_admin or _managed_programs(request.user).exists()
    return render(request, "observations/template_list.html", {
        "templates": list(templates), "can_create": can_create})


@login_required
def template_create(request):
    user = request.user
    programs = _managed_programs(user)
    if not (user.is_district_admin or programs.exists()):
        raise Http404
    form = TemplateForm(request.POST or None, programs=programs,
                        district_wide=user.is_district_admin)
    context = {"form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                template = services.create_template(created_by=user, **form.cleaned_data)
            except PermissionDenied:
                form.add_error("program", _("You may not build templates for this program."))
            else:
                messages.success(request, _("The template is created. Write its look-fors, "
                                            "then publish it."))
                return redirect("observations:template-edit", template.pk)
        return invalid(request, "observations/template_form.html", context)
    return render(request, "observations/template_form.html", context)


def _version_domains(version):
    return list(Domain.objects.filter(version=version).prefetch_related("indicators"))


@login_required
def template_detail(request, pk, number=None):
    """A template's latest published version (or any version by number), its versions,
    and for editors the draft being written."""
    template = template_for(request.user, pk)
    versions = list(template.versions.select_related("published_by").order_by("-number"))
    if number is not None:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404
    else:
        version = next((v for v in versions if v.is_published), None) or versions[0]
    can_edit = services.may_edit(request.user, template)
    if not version.is_published and not can_edit:
        raise Http404
    return render(request, "observations/template_detail.html", {
        "template": template, "version": version, "versions": versions,
        "domains": _version_domains(version), "levels": list(version.levels.all()),
        "can_edit": can_edit,
        # Counted in the reader's district only: the generic templates are used everywhere.
        "cycles_using": version.cycles.filter(
            program__district_id=request.user.district_id).count(),
    })


@login_required
def template_edit(request, pk):
    template = editable_template_for(request.user, pk)
    # Opening the editor changes nothing: the draft is made when it is first saved.
    versions = template.versions.order_by("-number")
    draft = versions.filter(state=TemplateVersion.State.DRAFT).first()
    source = draft or versions.first()
    initial = {"name": template.name, "description": template.description,
               "outline": write_outline(_version_domains(source)),
               "levels": "\n".join(level.label for level in source.levels.all()),
               "allows_not_observed": source.allows_not_observed}
    form = DraftForm(request.POST or None, initial=initial)
    context = {"template": template, "draft": draft, "source": source, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                draft = draft or services.start_draft(template=template,
                                                      created_by=request.user)
                services.save_draft(version=draft, edited_by=request.user,
                                    **form.cleaned_data)
                if "publish" in request.POST:
                    services.publish_version(version=draft, published_by=request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if "publish" in request.POST:
                    messages.success(request, _("Version %(number)s is published. Cycles "
                                                "started from now on use it; earlier cycles "
                                                "keep the version they were made with.")
                                     % {"number": draft.number})
                    return redirect("observations:template-detail", template.pk)
                messages.success(request, _("The draft is saved."))
                return redirect("observations:template-edit", template.pk)
        return invalid(request, "observations/template_edit.html", context)
    return render(request, "observations/template_edit.html", context)
