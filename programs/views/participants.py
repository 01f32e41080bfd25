from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.exports import csv_response
from mentorship.shortcuts import invalid, require_perm

from ..forms.participants import (
    InvitationResponseForm,
    ParticipantAddForm,
    ParticipantEditForm,
    ParticipantFilterForm,
)
from ..models import Participant
from ..services.participants import add_participant, respond_to_invitation
from .common import program_for

PAGE_SIZE = 50


def visible_participants(request, program):
    require_perm(request.user, "programs.view_participants", program)
    form = ParticipantFilterForm(request.GET or None, program=program)
    participants = form.filter(
        Participant.objects.visible_to(request.user, program)
        .select_related("user", "school").order_by("user__display_name", "role", "pk"))
    return form, participants


@login_required
def participant_list(request, pk):
    program = program_for(request.user, pk)
    form, participants = visible_participants(request, program)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/participant_list.html", {
        "program": program, "form": form, "page": page,
        "can_manage": request.user.has_perm("programs.manage_program", program)})


@login_required
def participant_export(request, pk):
    program = program_for(request.user, pk)
    _form, participants = visible_participants(request, program)
    # Rows are written after the response leaves the view, so the district's zone is named.
    zone = ZoneInfo(program.district.time_zone)
    rows = ([p.user.display_name, p.user.email, p.school, p.get_role_display(),
             p.get_status_display(), p.capacity or "",
             timezone.localtime(p.created_at, zone).date().isoformat()]
            for p in participants.iterator(chunk_size=2000))
    return csv_response(f"{program.name}-participants", [
        _("Name"), _("Email"), _("School"), _("Role"), _("Status"), _("Capacity"),
        _("Joined")], rows)


@login_required
def participant_add(request, pk):
    program = program_for(request.user, pk)
    require_perm(request.user, "programs.manage_program", program)
    form = ParticipantAddForm(request.POST or None, program=program)
    context = {"program": program, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                participant = add_participant(program, form.person, form.cleaned_data["role"],
                                              capacity=form.cleaned_data["capacity"],
                                              status=form.cleaned_data["status"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = (_("%(person)s is invited to be %(role)s.")
                        if participant.status == Participant.Status.INVITED
                        else _("%(person)s is now %(role)s."))
                messages.success(request, text % {
                    "person": participant.user, "role": participant.get_role_display()})
                return redirect("programs:participants", program.pk)
        return invalid(request, "programs/participant_add.html", context)
    return render(request, "programs/participant_add.html", context)


@login_required
def participant_edit(request, program_pk, pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "programs.manage_program", program)
    participant = get_object_or_404(program.participants.select_related("user", "school"),
                                    pk=pk)
    form = ParticipantEditForm(request.POST or None, instance=participant)
    context = {"program": program, "participant": participant, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "programs/participant_edit.html", context)
        form.save()
        messages.success(request, _("Saved."))
        return redirect("programs:participants", program.pk)
    return render(request, "programs/participant_edit.html", context)


@login_required
@require_POST
def invitation_respond(request, pk):
    """The invited person accepts or declines a role they were offered."""
    program = program_for(request.user, pk)
    form = InvitationResponseForm(request.POST)
    if not form.is_valid():
        raise Http404
    participant = get_object_or_404(program.participants, user=request.user,
                                    pk=form.cleaned_data["participant"])
    try:
        respond_to_invitation(participant, form.cleaned_data["accept"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Welcome to the program.") if form.cleaned_data["accept"]
                         else _("You turned the invitation down."))
    return redirect("programs:detail", program.pk)
