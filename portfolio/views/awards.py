"""Awards: a person's badges, one award's page, awarding by hand, revoking and reinstating,
the printable certificate and the Open Badges assertion to download."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm

from .. import openbadges, services
from ..forms import AwardForm, RevokeForm
from ..models import Award, Issuer
from .badges import badge_for
from .public import render_badge_image

PAGE_SIZE = 24


def award_for(user, pk):
    awards = Award.objects.visible_to(user).select_related(
        "badge__program", "badge__district", "recipient", "awarded_by", "revoked_by")
    return get_object_or_404(awards, pk=pk)


@login_required
def my_badges(request):
    awards = (Award.objects.filter(recipient_id=request.user.pk)
              .select_related("badge__program").order_by("revoked_at", "-issued_at", "-pk"))
    page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portfolio/my_badges.html", {"page": page})


@login_required
def award_create(request, pk):
    badge = badge_for(request.user, pk)
    require_perm(request.user, "portfolio.award_badge", badge)
    form = AwardForm(request.POST or None, badge=badge)
    if request.method == "POST":
        if form.is_valid():
            try:
                award = services.award_badge(badge=badge, recipient=form.recipient,
                                             awarded_by=request.user,
                                             evidence=form.cleaned_data["evidence"])
            except ValidationError as error:
                if hasattr(error, "error_dict") and "recipient" in error.error_dict:
                    form.add_error("email", error.error_dict["recipient"])
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("%(person)s now holds the badge “%(badge)s”.") % {
                    "person": award.recipient.display_name, "badge": badge.name})
                return redirect("portfolio:badge-detail", badge.pk)
        return invalid(request, "portfolio/award_form.html", {"badge": badge, "form": form})
    return render(request, "portfolio/award_form.html", {"badge": badge, "form": form})


@login_required
def award_detail(request, pk):
    award = award_for(request.user, pk)
    user = request.user
    context = {"award": award, "badge": award.badge,
               "mine": award.recipient_id == user.pk,
               "can_share": user.has_perm("portfolio.share_award", award),
               "verify_url": openbadges.verify_url(award),
               "assertion_url": openbadges.assertion_url(award)}
    if user.has_perm("portfolio.revoke_award", award):
        context["revoke_form"] = RevokeForm()
    context["can_reinstate"] = user.has_perm("portfolio.reinstate_award", award)
    return render(request, "portfolio/award_detail.html", context)


@login_required
@require_POST
def award_revoke(request, pk):
    award = award_for(request.user, pk)
    require_perm(request.user, "portfolio.manage_badge", award.badge)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_award(award=award, by=request.user,
                                  reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The badge is revoked. Its public address now says "
                                        "so."))
            return redirect("portfolio:award-detail", award.pk)
    return invalid(request, "portfolio/award_revoke.html", {"award": award, "form": form})


@login_required
@require_POST
def award_reinstate(request, pk):
    award = award_for(request.user, pk)
    require_perm(request.user, "portfolio.manage_badge", award.badge)
    try:
        services.reinstate_award(award=award, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The badge stands again."))
    return redirect("portfolio:award-detail", award.pk)


@login_required
def certificate(request, pk):
    award = award_for(request.user, pk)
    require_perm(request.user, "portfolio.share_award", award)
    issuer, _created = Issuer.objects.get_or_create(district_id=award.badge.district_id)
    return render(request, "portfolio/certificate.html", {
        "award": award, "badge": award.badge, "issuer": issuer,
        "verify_url": openbadges.verify_url(award)})


@login_required
def assertion_download(request, pk):
    award = award_for(request.user, pk)
    require_perm(request.user, "portfolio.share_award", award)
    response = HttpResponse(json.dumps(openbadges.assertion(award), indent=2),
                            content_type=openbadges.CONTENT_TYPE)
    name = slugify(award.badge.name) or "badge"
    response["Content-Disposition"] = f'attachment; filename="{name}-assertion.json"'
    return response


@login_required
def baked_image(request, pk):
    award = award_for(request.user, pk)
    require_perm(request.user, "portfolio.share_award", award)
    response = render_badge_image(request, award.badge, openbadges.assertion_url(award))
    name = slugify(award.badge.name) or "badge"
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response
