"""The teacher's portfolio: a page that says what it holds, and the two downloads (a
readable HTML file that prints well, and JSON)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from mentorship.shortcuts import require_perm

from ..export import portfolio_of


def _owner(request):
    require_perm(request.user, "portfolio.export_portfolio")
    return User.objects.select_related("district", "staff_profile__school").get(
        pk=request.user.pk)


def _download(content, user, extension, content_type):
    response = HttpResponse(content, content_type=content_type)
    name = f"portfolio-{slugify(user.display_name) or 'teacher'}-{timezone.localdate():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@login_required
def portfolio(request):
    data = portfolio_of(_owner(request))
    counts = {key: len(data[key]) for key in ("programs", "goals", "reflections", "debriefs",
                                               "badges", "protected_time")}
    return render(request, "portfolio/portfolio.html", {"counts": counts})


@login_required
def download_html(request):
    user = _owner(request)
    html = render_to_string("portfolio/export.html", {"portfolio": portfolio_of(user)},
                            request=request)
    return _download(html, user, "html", "text/html; charset=utf-8")


@login_required
def download_json(request):
    user = _owner(request)
    content = json.dumps(portfolio_of(user), indent=2, ensure_ascii=False)
    return _download(content, user, "json", "application/json; charset=utf-8")
