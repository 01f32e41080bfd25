import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm

from .forms import (
    AdaptForm,
    CoAuthorForm,
    CommentForm,
    FeedbackForm,
    FileForm,
    ResourceEditForm,
    ResourceForm,
    ResourceSearchForm,
    VersionCompareForm,
)
from .models import Resource, ResourceAuthor, ResourceFile
from .places import places_for
from .services import (
    StaleEdit,
    adapt_resource,
    add_coauthor,
    add_feedback,
    attach_file,
    comment_on_resource,
    create_resource,
    diff_versions,
    edit_resource,
    endorse_resource,
    publish_resource,
    remove_coauthor,
    remove_file,
    withdraw_endorsement,
)

PAGE_SIZE = 20


def get_resource(user, pk):
    """The resource if this person may see it, with what every rule and page needs loaded;
    404 otherwise, whether it exists or not."""
    resources = (Resource.objects.visible_to(user)
                 .select_related("district", "adapted_from__district", "program", "group")
                 .prefetch_related("authorships__user"))
    return get_object_or_404(resources, pk=pk)


def _detail_url(resource, anchor=""):
    url = reverse("resources:detail", args=[resource.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def resource_list(request):
    user = request.user
    require_perm(user, "resources.add_resource")
    form = ResourceSearchForm(request.GET or None, user=user)
    resources = Resource.objects.visible_to(user)
    query, sort = "", "recent"
    if form.is_bound and not form.is_valid():
        resources = resources.none()
    elif form.is_bound:
        data = form.cleaned_data
        query = data["q"].strip()
        if query:
            resources = resources.search(query)
        if data["kind"]:
            resources = resources.filter(kind=data["kind"])
        # By name, so resources shared by other districts match the reader's own list.
        if data["subject"]:
            resources = resources.filter(subjects__name=data["subject"].name)
        if data["focus_area"]:
            resources = resources.filter(focus_areas__name=data["focus_area"].name)
        if data["grade"]:
            resources = resources.for_grade(data["grade"])
        if data["tag"]:
            resources = resources.filter(tags__name=" ".join(data["tag"].split()).lower())
        if data["look_for"]:
            resources = resources.filter(indicators__key=data["look_for"])
        if data["scope"] == "mine":
            resources = resources.authored_by(user)
        elif data["scope"]:
            resources = resources.filter(scope=data["scope"])
        sort = data["sort"] or ("relevance" if query else "recent")
    if sort == "relevance" and query:
        resources = resources.order_by("-rank", "-endorsement_count", "-updated_at", "-pk")
    elif sort == "used":
        resources = resources.most_used_first()
    else:
        resources = resources.order_by("-updated_at", "-pk")
    resources = resources.for_list()
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query}
    if form.is_bound and not form.is_valid():
        return invalid(request, "resources/resource_list.html", context)
    return render(request, "resources/resource_list.html", context)


@login_required
def resource_create(request):
    user = request.user
    require_perm(user, "resources.add_resource")
    form = ResourceForm(request.POST or None, district=user.district, user=user)
    if request.method == "POST":
        if form.is_valid():
            try:
                resource = create_resource(author=user, **form.service_arguments())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your draft is saved. Only its authors can see it "
                                            "until you publish it."))
                return redirect(_detail_url(resource))
        return invalid(request, "resources/resource_form.html", {"form": form})
    return render(request, "resources/resource_form.html", {"form": form})


def _detail_context(request, resource, **forms):
    user = request.user
    latest = resource.versions.order_by("-number").only("number", "created_at").first()
    adaptations = Resource.objects.visible_to(user).filter(adapted_from=resource)
    # Published copies the reader cannot open are counted; other people's drafts are not.
    hidden_adaptations = (resource.adaptations.published()
                          .exclude(pk__in=adaptations.values("pk")).count())
    source_visible = (resource.adapted_from_id is not None and Resource.objects.visible_to(user)
                      .filter(pk=resource.adapted_from_id).exists())
    return {
        "resource": resource,
        "authorships": resource.authorships.all(),
        "files": list(resource.files.all()),
        "feedback": resource.feedback.select_related("author"),
        "comments": _comments_for(user, resource),
        "latest_version": latest,
        "adaptations": adaptations.select_related("district")[:20],
        "adaptation_count": adaptations.count() + hidden_adaptations,
        "hidden_adaptations": hidden_adaptations,
        "source_visible": source_visible,
        "endorsed": resource.endorsements.filter(user=user).exists(),
        "places": places_for(user, resource),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "author_form": forms.get("author_form") or CoAuthorForm(),
        "file_form": forms.get("file_form") or FileForm(),
    }


def _comments_for(user, resource):
    """Comments on a draft are its authors' working notes: once it is published, readers
    see the discussion from publication on."""
    comments = resource.comments.select_related("author")
    if resource.published_at and user.pk not in resource.author_ids():
        comments = comments.filter(created_at__gte=resource.published_at)
    return comments


@login_required
def resource_detail(request, pk):
    resource = get_resource(request.user, pk)
    return render(request, "resources/resource_detail.html",
                  _detail_context(request, resource))


def _detail_with_errors(request, resource, **forms):
    return invalid(request, "resources/resource_detail.html",
                   _detail_context(request, resource, **forms))


@login_required
def resource_edit(request, pk):
    user = request.user
    resource = get_resource(user, pk)
    require_perm(user, "resources.change_resource", resource)
    latest = resource.versions.order_by("-number").values_list("number", flat=True).first()
    # The form works on a copy, so the page's heading keeps the saved title.
    form = ResourceEditForm(request.POST or None, instance=copy.copy(resource),
                            district=resource.district, user=user,
                            initial={"base_version": latest or 0})
    context = {"form": form, "resource": resource}
    if request.method == "POST":
        if form.is_valid():
            try:
                version = edit_resource(resource=resource, editor=user,
                                        **form.service_arguments())
            except StaleEdit as stale:
                # Keep what they typed; a second save (now based on the newest version)
                # replaces it, after they have had the chance to look.
                form.data = form.data.copy()
                form.data["base_version"] = stale.current
                form.add_error(None, _(
                    "A co-author saved version %(number)s while you were editing. Look at "
                    "what they changed (Versions, in a new tab) before you save again: "
                    "saving now replaces their version with yours.") % {"number": stale.current})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if version is None:
                    messages.info(request, _("Nothing changed, so no new version was saved."))
                else:
                    messages.success(request, _("Saved as version %(number)s.")
                                     % {"number": version.number})
                return redirect(_detail_url(resource))
        return invalid(request, "resources/resource_form.html", context)
    return render(request, "resources/resource_form.html", context)


@login_required
@require_POST
def resource_publish(request, pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.publish_resource", resource)
    publish_resource(resource=resource, published_by=request.user)
    messages.success(request, _("Published: %(scope)s can find it now.")
                     % {"scope": resource.get_sharing_display()})
    return redirect(_detail_url(resource))


@login_required
@require_POST
def author_add(request, pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.change_resource", resource)
    form = CoAuthorForm(request.POST)
    if form.is_valid():
        try:
            authorship = add_coauthor(resource=resource, added_by=request.user,
                                      email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is now a co-author.")
                             % {"name": authorship.user})
            return redirect(_detail_url(resource, "authors"))
    return _detail_with_errors(request, resource, author_form=form)


@login_required
@require_POST
def author_remove(request, pk, author_pk):
    user = request.user
    resource = get_resource(user, pk)
    require_perm(user, "resources.change_resource", resource)
    authorship = get_object_or_404(ResourceAuthor.objects.select_related("user"),
                                   pk=author_pk, resource=resource)
    try:
        remove_coauthor(resource=resource, removed_by=user, authorship=authorship)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(resource, "authors"))
    if authorship.user_id != user.pk:
        messages.success(request, _("%(name)s is no longer a co-author.")
                         % {"name": authorship.user})
        return redirect(_detail_url(resource, "authors"))
    messages.success(request, _("You are no longer an author of “%(title)s”.")
                     % {"title": resource.title})
    # Without authorship a draft or an authors-only resource is out of reach.
    if Resource.objects.visible_to(user).filter(pk=resource.pk).exists():
        return redirect(_detail_url(resource))
    return redirect("resources:list")


@login_required
@require_POST
def comment_add(request, pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.comment_on_resource", resource)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_on_resource(resource=resource, author=request.user,
                            body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is added."))
        return redirect(_detail_url(resource, "comments"))
    return _detail_with_errors(request, resource, comment_form=form)


@login_required
@require_POST
def feedback_add(request, pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.add_feedback", resource)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        add_feedback(resource=resource, author=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you: your feedback is part of the design record."))
        return redirect(_detail_url(resource, "design-record"))
    return _detail_with_errors(request, resource, feedback_form=form)


@login_required
@require_POST
def endorse(request, pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.endorse_resource", resource)
    if request.POST.get("action") == "withdraw":
        withdraw_endorsement(resource=resource, user=request.user)
        messages.info(request, _("You no longer say that you used this in your class."))
    else:
        endorse_resource(resource=resource, user=request.user)
        messages.success(request, _("Noted: you used this in your class."))
    return redirect(_detail_url(resource, "use"))


@login_required
def resource_adapt(request, pk):
    user = request.user
    source = get_resource(user, pk)
    require_perm(user, "resources.adapt_resource", source)
    form = AdaptForm(request.POST or None, initial={"title": source.title})
    context = {"form": form, "resource": source}
    if request.method == "POST":
        if form.is_valid():
            copy = adapt_resource(source=source, author=user, title=form.cleaned_data["title"])
            messages.success(request, _("Your copy is a draft of your own: change what your "
                                        "school needs, then publish it."))
            return redirect("resources:edit", copy.pk)
        return invalid(request, "resources/resource_adapt.html", context)
    return render(request, "resources/resource_adapt.html", context)


@login_required
@require_POST
def file_add(request, pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.change_resource", resource)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attached = attach_file(resource=resource, uploaded_by=request.user,
                                   upload=form.cleaned_data["file"],
                                   description=form.cleaned_data["description"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": attached})
            return redirect(_detail_url(resource, "files"))
    return _detail_with_errors(request, resource, file_form=form)


@login_required
@require_POST
def file_remove(request, pk, file_pk):
    resource = get_resource(request.user, pk)
    require_perm(request.user, "resources.change_resource", resource)
    attached = get_object_or_404(ResourceFile, pk=file_pk, resource=resource)
    remove_file(resource=resource, removed_by=request.user, attached=attached)
    messages.success(request, _("%(name)s is removed.") % {"name": attached})
    return redirect(_detail_url(resource, "files"))


@login_required
def file_download(request, pk, file_pk):
    """Files are never served from a public address: each request checks that the reader
    may see the resource."""
    resource = get_resource(request.user, pk)
    attached = get_object_or_404(resource.files, pk=file_pk)
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attached.content_type,
                            as_attachment=not attached.is_image,
                            filename=attached.original_name)
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


@login_required
def version_list(request, pk):
    resource = get_resource(request.user, pk)
    versions = resource.versions.select_related("edited_by").defer("snapshot")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "resources/version_list.html", {"resource": resource, "page": page})


@login_required
def version_detail(request, pk, number):
    """One version and what changed in it: since the version before, or since any earlier
    version the reader picks (`?against=N`)."""
    resource = get_resource(request.user, pk)
    version = get_object_or_404(resource.versions.select_related("edited_by"), number=number)
    earlier = list(resource.versions.filter(number__lt=number).order_by("-number")
                   .values_list("number", flat=True))
    form = VersionCompareForm(request.GET or None, earlier=earlier)
    against = earlier[0] if earlier else None
    if form.is_bound and form.is_valid() and form.cleaned_data["against"]:
        against = form.cleaned_data["against"]
    base = resource.versions.get(number=against) if against else None
    diffs = diff_versions(base.snapshot if base else {}, version.snapshot)
    context = {"resource": resource, "version": version, "base": base,
               "previous_number": earlier[0] if earlier else None, "diffs": diffs,
               "form": form}
    if form.is_bound and not form.is_valid():
        return invalid(request, "resources/version_detail.html", context)
    return render(request, "resources/version_detail.html", context)
