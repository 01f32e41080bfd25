from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.exports import csv_response
from mentorship.shortcuts import invalid, require_perm

from .adapter import stash_invitation
from .forms import (
    AccessLogFilterForm,
    AccountSettingsForm,
    DistrictSettingsForm,
    FocusAreaForm,
    InvitationForm,
    PeopleFilterForm,
    StaffProfileForm,
)
from .models import (
    AccessRecord,
    DistrictRole,
    FocusArea,
    Invitation,
    School,
    StaffProfile,
    User,
)
from .services import (
    InvitationProblem,
    accept_invitation,
    invite_person,
    load_invitation,
    revoke_invitation,
)

PAGE_SIZE = 50


def people_with_profiles():
    """People with their profile and their roles in their own district (a role left in
    another district grants nothing and is not shown)."""
    roles = (DistrictRole.objects.filter(district_id=F("user__district_id"))
             .select_related("school", "district"))
    return User.objects.select_related("staff_profile__school").prefetch_related(
        Prefetch("district_roles", queryset=roles))


@login_required
def people_list(request):
    require_perm(request.user, "accounts.view_staff_directory")
    form = PeopleFilterForm(request.GET or None, user=request.user)
    people = people_with_profiles().visible_to(request.user).filter(is_active=True)
    if form.is_bound and not form.is_valid():
        people = people.none()  # a filter that cannot be read narrows to nothing
    elif form.is_valid():
        if q := form.cleaned_data["q"]:
            people = people.filter(Q(display_name__icontains=q) | Q(email__icontains=q))
        if school := form.cleaned_data["school"]:
            people = people.filter(staff_profile__school=school)
    page = Paginator(people.order_by("display_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page}
    if form.is_bound and not form.is_valid():
        return invalid(request, "accounts/people_list.html", context)
    return render(request, "accounts/people_list.html", context)


@login_required
def person_detail(request, pk):
    person = get_object_or_404(people_with_profiles().visible_to(request.user), pk=pk)
    return render(request, "accounts/person_detail.html", {"person": person})


@login_required
def profile_edit(request):
    user = request.user
    if user.district_id is None:
        raise Http404
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    account_form = AccountSettingsForm(request.POST or None, instance=user, prefix="account")
    profile_form = StaffProfileForm(request.POST or None, instance=profile,
                                    district=user.district, prefix="profile")
    context = {"account_form": account_form, "profile_form": profile_form}
    if request.method == "POST":
        if not (account_form.is_valid() and profile_form.is_valid()):
            return invalid(request, "accounts/profile_edit.html", context)
        account_form.save()
        profile_form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", context)


@login_required
def school_list(request):
    require_perm(request.user, "accounts.view_staff_directory")
    schools = School.objects.managed_by(request.user).with_staff_counts().order_by("name", "pk")
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/school_list.html", {"page": page})


@login_required
def school_detail(request, pk):
    school = get_object_or_404(School.objects.managed_by(request.user), pk=pk)
    staff = people_with_profiles().filter(staff_profile__school=school, is_active=True,
                                          district_id=school.district_id)
    page = Paginator(staff.order_by("display_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/school_detail.html", {"school": school, "page": page})


@login_required
def invitation_list(request):
    require_perm(request.user, "accounts.invite_people")
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_person(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("An invitation is on its way to %(email)s.")
                             % {"email": invitation.email})
            return redirect("accounts:invitations")
    invitations = Invitation.objects.visible_to(request.user).select_related(
        "school", "invited_by"
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    if request.method == "POST":
        return invalid(request, "accounts/invitation_list.html", context)
    return render(request, "accounts/invitation_list.html", context)


@login_required
@require_POST
def invitation_revoke(request, pk):
    require_perm(request.user, "accounts.invite_people")
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)
    if revoke_invitation(invitation=invitation):
        messages.success(request, _("The invitation to %(email)s is withdrawn.")
                         % {"email": invitation.email})
    else:
        messages.info(request, _("The invitation to %(email)s was no longer open.")
                      % {"email": invitation.email})
    return redirect("accounts:invitations")


def invitation_accept(request, token):
    """The link in an invitation email. Never an error page: every bad link says why."""
    try:
        invitation = load_invitation(token)
    except InvitationProblem as problem:
        status = 404 if problem.reason in ("tampered", "unknown") else 410
        return render(request, "accounts/invitation_problem.html",
                      {"reason": problem.reason}, status=status)
    user = request.user
    context = {"invitation": invitation}
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "accounts/invitation_wrong_account.html", context,
                          status=403)
        if request.method == "POST":
            try:
                accept_invitation(invitation=invitation, user=user)
            except (InvitationProblem, ValidationError) as problem:
                raise PermissionDenied from problem
            messages.success(request, _("Welcome to %(district)s.")
                             % {"district": invitation.district})
            return redirect("home")
        return render(request, "accounts/invitation_confirm.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, _("Sign in to accept your invitation."))
        return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
    stash_invitation(request, invitation)
    get_adapter(request).stash_verified_email(request, invitation.email)
    return redirect("account_signup")


@login_required
def district_settings(request):
    require_perm(request.user, "accounts.change_district_settings")
    form = DistrictSettingsForm(request.POST or None, instance=request.user.district)
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "accounts/district_settings.html", {"form": form})
        form.save()
        messages.success(request, _("District settings are saved."))
        return redirect("accounts:district-settings")
    return render(request, "accounts/district_settings.html", {"form": form})


@login_required
def focus_areas(request):
    """The district's list of focus areas (goals, profiles, applications and resources
    choose from it): add one, or rename one. None is removed, since goals and resources
    keep pointing at theirs."""
    require_perm(request.user, "accounts.change_district_settings")
    district = request.user.district
    areas = FocusArea.objects.filter(district=district).order_by("name", "pk")
    chosen = request.POST.get("area", "") if request.method == "POST" else ""
    # A rename names its area; an unknown or foreign one is not found.
    editing = (get_object_or_404(areas, pk=chosen)
               if chosen.isascii() and chosen.isdigit() and len(chosen) < 10 else None)
    if chosen and editing is None:
        raise Http404
    form = FocusAreaForm(request.POST or None, instance=editing, district=district,
                         prefix=f"area-{editing.pk}" if editing else "new")
    if request.method == "POST" and form.is_valid():
        area = form.save()
        messages.success(request, _("“%(name)s” is saved.") % {"name": area.name})
        return redirect("accounts:focus-areas")
    rows = [(area, form if editing and area.pk == editing.pk
             else FocusAreaForm(instance=area, district=district, prefix=f"area-{area.pk}"))
            for area in areas]
    context = {"rows": rows, "new_form": form if not editing else
               FocusAreaForm(district=district, prefix="new")}
    if request.method == "POST":
        return invalid(request, "accounts/focus_areas.html", context)
    return render(request, "accounts/focus_areas.html", context)


def _access_records(request):
    form = AccessLogFilterForm(request.GET or None)
    records = form.filter(AccessRecord.objects.visible_to(request.user)
                          .select_related("reader", "owner", "record_type"))
    return form, records


@login_required
def access_log(request):
    """Who read whose sensitive records: the district's for a district admin, a person's
    own records for everyone else."""
    if request.user.district_id is None:
        raise Http404
    form, records = _access_records(request)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "whole_district": request.user.is_district_admin}
    if form.is_bound and not form.is_valid():
        return invalid(request, "accounts/access_log.html", context)
    return render(request, "accounts/access_log.html", context)


@login_required
def access_log_export(request):
    require_perm(request.user, "accounts.review_access_log")
    form, records = _access_records(request)
    rows = ([r.read_at.isoformat(), r.reader.display_name, r.reader.email,
             r.owner.display_name, r.owner.email, r.record_type.name, r.record_id]
            for r in records.iterator(chunk_size=2000))
    return csv_response(_("access log"), [
        _("Read at"), _("Read by"), _("Reader's email"), _("Whose record"),
        _("Owner's email"), _("Kind of record"), _("Record number")], rows)
