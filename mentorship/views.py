from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts.models import Invitation, School, User
from pairing.models import NextStep, Pairing, RematchRequest
from programs.models import Participant, Program

from .home import render_home_panels


@login_required
def home(request):
    """The signed-in person's start page: what their roles let them look after."""
    user = request.user
    schools = School.objects.managed_by(user).with_staff_counts().order_by("name", "pk")
    participations = list(Participant.objects.filter(user_id=user.pk).current()
                          .select_related("program").order_by("program__name", "role")[:20])
    waiting = dict(RematchRequest.objects.waiting_for(user).values_list("pairing__program_id")
                   .annotate(n=Count("pk")))
    for participation in participations:
        if participation.role == Participant.Role.COORDINATOR:
            participation.rematch_waiting = waiting.get(participation.program_id, 0)
    context = {
        "pairings": Pairing.objects.of_user(user).open().for_home(timezone.now())[:10],
        "next_steps": NextStep.objects.for_user(user)
        .select_related("owner", "checkin__pairing__program")[:10],
        "today": timezone.localdate(),
        "panels": render_home_panels(request),
        "managed_schools": schools[:20],
        "participations": participations,
        "enrolling_programs": Program.objects.visible_to(user)
        .filter(status=Program.Status.ENROLLING).exclude(participants__user_id=user.pk)
        .order_by("name")[:10],
    }
    if user.is_district_admin:
        context["district_staff_count"] = User.objects.visible_to(user).count()
        context["pending_invitations"] = Invitation.objects.visible_to(user).pending().count()
    return render(request, "home.html", context)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    # A form left open past the session, or opened in another browser: say so plainly.
    return render(request, "errors/403_csrf.html", status=403)


@require_POST
def set_language(request):
    """Switch the language; a signed-in person keeps the choice in their profile."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return i18n.set_language(request)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without the request's context: the database may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
