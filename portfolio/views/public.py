"""The public side of Open Badges, answered to anyone without signing in: each assertion,
badge class, issuer profile and badge image at a stable address (hosted verification), and
a page where whoever was given a badge's address checks it and an email address against it.

Addresses carry random ids, so nobody can walk through a district's awards; an assertion
names nobody (the email is hashed with a salt), and a revoked one says only that."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.ratelimit import wait_seconds

from .. import openbadges
from ..forms import VerifyForm
from ..models import Award, Badge, Issuer


def _json(document, status=200):
    response = HttpResponse(json.dumps(document, indent=2), status=status,
                            content_type=openbadges.CONTENT_TYPE)
    # Anyone checking a badge may read it, from any site.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _issuer_of(badge):
    issuer, _created = Issuer.objects.get_or_create(district_id=badge.district_id)
    return issuer


@require_GET
# Checked again on every read, so a revocation shows at once.
@cache_control(no_cache=True)
def assertion(request, public_id):
    award = get_object_or_404(Award.objects.select_related("badge"), public_id=public_id)
    # A revoked badge answers "gone", with the assertion saying it was revoked.
    return _json(openbadges.assertion(award), status=410 if award.is_revoked else 200)


@require_GET
@cache_control(max_age=300)
def badge_class(request, public_id):
    badge = get_object_or_404(Badge, public_id=public_id)
    return _json(openbadges.badge_class(badge, _issuer_of(badge)))


@require_GET
@cache_control(max_age=300)
def issuer(request, public_id):
    issuer = get_object_or_404(Issuer.objects.select_related("district"), public_id=public_id)
    return _json(openbadges.issuer_profile(issuer))


def badge_lines(name, width=14, most=3):
    """The badge's name in lines short enough for the image."""
    lines, line = [], ""
    for word in name.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def render_badge_image(request, badge, assertion_url=None):
    """The badge's SVG image; with an assertion's address it is "baked" (Open Badges): the
    image carries the award, and a backpack that is given the file finds the badge."""
    lines = badge_lines(badge.name)
    first_y = 150 - (len(lines) - 1) * 14
    return render(request, "portfolio/badge.svg", {
        "badge": badge, "assertion_url": assertion_url,
        "lines": [(first_y + 28 * i, text) for i, text in enumerate(lines)]},
        content_type="image/svg+xml")


@require_GET
@cache_control(max_age=3600)
def badge_image(request, public_id):
    return render_badge_image(request, get_object_or_404(Badge, public_id=public_id))


@require_http_methods(["GET", "POST"])
def verify(request, public_id):
    # Limited per client: the page answers whether an email address holds a badge, which
    # must not become a way to try address after address.
    wait = wait_seconds(request, "badge-check", settings.BADGE_CHECKS_PER_MINUTE)
    if wait is not None and request.method != "POST":
        response = render(request, "portfolio/verify_limited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    award = get_object_or_404(Award.objects.select_related("badge__program", "badge__district"),
                              public_id=public_id)
    issuer = _issuer_of(award.badge)
    form = VerifyForm(request.POST or None)
    matches = None
    status = 200
    if request.method == "POST":
        if wait is not None:
            # Keep the page and the address typed; say when to try again, next to the field.
            form.is_valid()
            form.add_error("email", ngettext(
                "Too many checks from your network. Try again in %(count)d second.",
                "Too many checks from your network. Try again in %(count)d seconds.",
                wait) % {"count": wait})
            status = 429
        elif form.is_valid():
            matches = award.matches_email(form.cleaned_data["email"])
        else:
            status = 400
    response = render(request, "portfolio/verify.html", {
        "award": award, "badge": award.badge, "issuer": issuer, "form": form,
        "matches": matches, "assertion_url": openbadges.assertion_url(award)}, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response
