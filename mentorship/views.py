from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Invitation, School, User

from . import health


@require_GET
@never_cache
def healthz(request):
    checks = {"database": health.database_answers(), "broker": health.broker_answers()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse({name: "ok" if ok else "down" for name, ok in checks.items()},
                        status=status)


@login_required
def home(request):
    """The signed-in person's start page: what their roles let them look after."""
    user = request.user
    schools = School.objects.managed_by(user).with_staff_counts().order_by("name", "pk")
    context = {"managed_schools": schools[:20]}
    if user.is_district_admin:
        context["district_staff_count"] = User.objects.visible_to(user).count()
        context["pending_invitations"] = Invitation.objects.visible_to(user).pending().count()
    return render(request, "home.html", context)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without the request's context: the database may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
