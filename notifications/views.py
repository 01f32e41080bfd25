"""Thin views: a person's messages and choices, the one-click unsubscribe, and the outbox
screens of a program and a district (subjects, recipients and states, never bodies)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mentorship import reminders
from mentorship.shortcuts import invalid, require_perm
from programs.models import Program
from programs.views.common import program_for

from . import delivery, services
from .forms import PreferencesForm
from .links import EVERY_KIND, read_unsubscribe_token
from .models import Message, QuietHours
from .preview import preview_of

PAGE_SIZE = 25


@login_required
def inbox(request):
    page = Paginator(Message.objects.inbox_of(request.user).only(
        "subject", "template", "context", "url", "sent_at", "read_at", "kind"),
        PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = delivery.fill_in_app_subjects(list(page.object_list))
    return render(request, "notifications/inbox.html", {
        "page": page, "has_unread": Message.objects.unread_by(request.user).exists()})


@login_required
def bell(request):
    """The navigation bar's unread count, fetched by htmx once a page has loaded, so no page
    pays for it in its own queries: one count on a partial index."""
    response = render(request, "notifications/includes/bell.html",
                      {"unread": Message.objects.unread_by(request.user).count()})
    response["Cache-Control"] = "no-store"
    return response


def _back_to_inbox(request):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("notifications:list")
    return redirect(target)


@login_required
@require_POST
def read(request, pk):
    get_object_or_404(Message.objects.inbox_of(request.user), pk=pk)
    services.mark_read(user=request.user, message_id=pk)
    return _back_to_inbox(request)


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Every message is marked as read."))
    return _back_to_inbox(request)


@login_required
def preferences(request):
    user = request.user
    kinds = services.choosable_kinds()
    quiet = QuietHours.objects.filter(user=user).values_list("starts_at", "ends_at").first()
    form = PreferencesForm(request.POST or None, kinds=kinds,
                           current=services.preferences_of(user), quiet=quiet)
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "notifications/preferences.html", {"form": form})
        services.save_preferences(user=user, choices=form.choices(), quiet=form.quiet())
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail programs post the one-click unsubscribe without a session
def unsubscribe(request, token):
    """GET asks first (link checkers and previews open links); POST turns the kind off,
    without signing in: the signed token is the proof."""
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        raise Http404
    kind = found[1]
    if kind == EVERY_KIND:
        label = _("every reminder you may turn off")
    elif kind in reminders.kinds and reminders.kinds[kind].optional:
        label = reminders.kinds[kind].label
    else:
        raise Http404
    if request.method == "POST":
        services.unsubscribe(user=user, kind=kind)
        return render(request, "notifications/unsubscribed.html", {"label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label})


SHOWS = {
    "waiting": ([Message.State.PENDING, Message.State.SENDING], ["next_attempt_at", "pk"]),
    "sent": ([Message.State.SENT], ["-sent_at", "-pk"]),
    "failed": ([Message.State.FAILED], ["-next_attempt_at", "-pk"]),
    "skipped": ([Message.State.SKIPPED], ["-created_at", "-pk"]),
}


SHOW_LABELS = [("coming", _lazy("Coming up")), ("waiting", _lazy("Waiting")),
               ("sent", _lazy("Sent")), ("failed", _lazy("Failed")),
               ("skipped", _lazy("Turned off"))]


def _coming_context(request, programs):
    """What the sources will say is due over the next day (`notifications.preview`)."""
    computed, count, rows = preview_of(list(programs))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    people = get_user_model().objects.in_bulk({user for _due, _kind, user, _p in page},
                                              field_name="pk")
    labels = {name: kind.label for name, kind in reminders.kinds.items()}
    page.object_list = [
        {"due": due, "kind_label": labels.get(kind, kind), "recipient": people.get(user),
         "program": programs[program_id]}
        for due, kind, user, program_id in page.object_list]
    return {"page": page, "show": "coming", "computed": computed, "coming_count": count,
            "shows": SHOW_LABELS}


def _outbox_context(request, rows, programs):
    """One screen of an outbox: `rows` the messages it may list, `programs` {id: name} of
    the programs whose coming reminders it shows."""
    show = request.GET.get("show") if request.GET.get("show") in [*SHOWS, "coming"] \
        else "waiting"
    if show == "coming":
        return _coming_context(request, programs)
    states, order = SHOWS[show]
    listed = (rows.filter(state__in=states).select_related("recipient", "program")
              .only("kind", "subject", "state", "next_attempt_at", "sent_at", "attempts",
                    "last_error", "in_digest", "digest_id", "template", "program__name",
                    "recipient__display_name", "recipient__email", "created_at")
              .order_by(*order))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {name: kind.label for name, kind in reminders.kinds.items()}
    for message in page:
        message.kind_label = labels.get(message.kind, message.kind)
    return {"page": page, "show": show, "now": timezone.now(), "shows": SHOW_LABELS}


@login_required
def program_outbox(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "notifications.view_program_outbox", program)
    context = _outbox_context(request, Message.objects.of_program(program),
                              {program.pk: program.name})
    return render(request, "notifications/program_outbox.html", {**context, "program": program})


@login_required
def district_outbox(request):
    require_perm(request.user, "notifications.view_district_outbox")
    context = _outbox_context(
        request, Message.objects.of_district(request.user.district_id),
        dict(Program.objects.filter(district_id=request.user.district_id)
             .values_list("pk", "name")))
    return render(request, "notifications/district_outbox.html", context)


def outbox_rows_for(user):
    """The email rows a person may see on an outbox screen: the whole district for its
    admins, otherwise the programs they manage."""
    if not user.is_authenticated or user.district_id is None:
        return Message.objects.none()
    rows = Message.objects.of_district(user.district_id)
    if user.is_district_admin:
        return rows
    return rows.filter(Q(program__in=Program.objects.managed_by(user)))


@login_required
@require_POST
def retry(request, pk):
    message = get_object_or_404(outbox_rows_for(request.user), pk=pk)
    if services.retry_message(message=message) is None:
        messages.info(request, _("That message is not failed any more."))
    else:
        messages.success(request, _("The message will be sent again in a moment."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = (reverse("notifications:program-outbox", args=[message.program_id])
                  if message.program_id else reverse("notifications:district-outbox"))
    return redirect(target)
