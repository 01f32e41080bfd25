"""Badges: the list a person may see, defining and changing one, and its page (with its
awards for those who manage it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.background import enqueue_on_commit
from mentorship.exports import csv_response
from mentorship.shortcuts import invalid, require_perm

from .. import services
from ..criteria import Progress
from ..forms import AwardForm, BadgeFilterForm, BadgeForm
from ..models import Award, Badge

PAGE_SIZE = 25
AWARDS_PER_PAGE = 50


def badge_for(user, pk):
    badges = Badge.objects.visible_to(user).select_related("program", "district")
    return get_object_or_404(badges, pk=pk)


def _with_progress(user, badges):
    """Each badge with the reader's count toward it and whether they hold it."""
    progress = Progress(user, badges)
    held = {a.badge_id: a for a in Award.objects.filter(
        recipient_id=user.pk, badge__in=[b.pk for b in badges])}
    for badge in badges:
        badge.progress = progress.of(badge)
        badge.progress_shown = badge.get_progress_display(badge.progress)
        badge.held = held.get(badge.pk)
    return badges


@login_required
def badge_list(request):
    user = request.user
    if user.district_id is None:
        return render(request, "portfolio/badge_list.html", {"page": None})
    form = BadgeFilterForm(request.GET or None, user=user)
    badges = Badge.objects.visible_to(user).select_related("program")
    if program := form.value("program"):
        badges = badges.filter(program=program)
    if query := form.value("q", "").strip():
        badges = badges.filter(name__icontains=query)
    managed = Badge.objects.managed_by(user).values("pk")
    badges = badges.annotate(holders=Count("awards", filter=Q(awards__revoked_at__isnull=True),
                                           distinct=True),
                             managed=Q(pk__in=managed)).order_by("-active", "name", "pk")
    page = Paginator(badges, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_progress(user, list(page.object_list))
    return render(request, "portfolio/badge_list.html", {
        "page": page, "form": form,
        "can_create": user.has_perm("portfolio.create_badges")})


@login_required
def badge_create(request):
    require_perm(request.user, "portfolio.create_badges")
    form = BadgeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                badge = services.save_badge(badge=form.instance, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The badge is ready.") if not badge.is_automatic
                                 else _("The badge is ready. People who have already earned "
                                        "it receive it within a few minutes."))
                return redirect("portfolio:badge-detail", badge.pk)
        return invalid(request, "portfolio/badge_form.html", {"form": form})
    return render(request, "portfolio/badge_form.html", {"form": form})


@login_required
def badge_edit(request, pk):
    badge = badge_for(request.user, pk)
    require_perm(request.user, "portfolio.manage_badge", badge)
    form = BadgeForm(request.POST or None, instance=badge, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_badge(badge=form.instance, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The badge is saved."))
                return redirect("portfolio:badge-detail", badge.pk)
        return invalid(request, "portfolio/badge_form.html", {"form": form, "badge": badge})
    return render(request, "portfolio/badge_form.html", {"form": form, "badge": badge})


@login_required
def badge_detail(request, pk):
    user = request.user
    badge = badge_for(user, pk)
    manages = user.has_perm("portfolio.manage_badge", badge)
    context = {"badge": badge, "manages": manages}
    _with_progress(user, [badge])
    if manages:
        awards = (badge.awards.select_related("recipient__staff_profile__school", "awarded_by")
                  .order_by("-issued_at", "-pk"))
        context["page"] = Paginator(awards, AWARDS_PER_PAGE).get_page(request.GET.get("page"))
        context["holders"] = badge.awards.current().count()
        if user.has_perm("portfolio.award_badge", badge):
            context["award_form"] = AwardForm(badge=badge)
    return render(request, "portfolio/badge_detail.html", context)


@login_required
def awards_export(request, pk):
    """The badge's awards as CSV, streamed, for those who manage it: who holds it, their
    school, when and how it was awarded, and whether it was revoked (never the evidence)."""
    badge = badge_for(request.user, pk)
    require_perm(request.user, "portfolio.manage_badge", badge)
    awards = (badge.awards.select_related("recipient__staff_profile__school", "awarded_by")
              .order_by("issued_at", "pk"))

    def rows():
        for award in awards.iterator(chunk_size=500):
            profile = getattr(award.recipient, "staff_profile", None)
            yield [award.recipient.display_name, award.recipient.email,
                   profile.school.name if profile and profile.school_id else "",
                   award.issued_at.date().isoformat(), award.get_method_display(),
                   award.awarded_by.display_name if award.awarded_by else "",
                   award.revoked_at.date().isoformat() if award.revoked_at else ""]

    return csv_response(f"badge-{badge.name}", [
        _("Name"), _("Email"), _("School"), _("Awarded on"), _("How"), _("Awarded by"),
        _("Revoked on")], rows())


@login_required
@require_POST
def badge_check(request, pk):
    """Queue the badge's check now, rather than at the next tick."""
    badge = badge_for(request.user, pk)
    require_perm(request.user, "portfolio.award_badge", badge)
    if badge.is_automatic:
        from ..tasks import check_badge

        enqueue_on_commit(check_badge, badge.pk)
        messages.success(request, _("The check is on its way: new holders appear here within "
                                    "a minute."))
    return redirect("portfolio:badge-detail", badge.pk)
