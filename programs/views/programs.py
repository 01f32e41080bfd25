from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.shortcuts import invalid, require_perm

from ..forms.programs import (
    CopyProgramForm,
    ProgramFilterForm,
    ProgramForm,
    ProgramModelForm,
    StatusForm,
    calendar_formsets,
)
from ..models import Participant, Program
from ..permissions import can_apply
from ..presets import PRESETS, ProgramModel
from ..services.programs import (
    TRANSITIONS,
    change_status,
    copy_for_next_year,
    create_program,
    next_year_start,
    note_windows_revised,
)
from .common import program_for

PAGE_SIZE = 25


@login_required
def program_list(request):
    user = request.user
    form = ProgramFilterForm(request.GET or None)
    programs = form.filter(
        Program.objects.visible_to(user).select_related("school")
        .annotate(active_count=Count("participants", distinct=True,
                                     filter=Q(participants__status=Participant.Status.ACTIVE)))
        .prefetch_related(Prefetch("participants", to_attr="my_roles",
                                   queryset=Participant.objects.filter(user=user)))
        .order_by("-starts_on", "name")
    )
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/program_list.html", {
        "form": form, "page": page, "can_create": user.has_perm("programs.create_program")})


@login_required
def program_create(request):
    require_perm(request.user, "programs.create_program")
    chosen = request.POST.get("model") or request.GET.get("model")
    if chosen not in ProgramModel.values:
        form = ProgramModelForm(request.GET or None)
        if request.GET:
            form.is_valid()
            return invalid(request, "programs/program_model.html", {"form": form})
        return render(request, "programs/program_model.html", {"form": form})
    program = Program(model=chosen)
    program.apply_preset()
    form = ProgramForm(request.POST or None, instance=program, user=request.user,
                       initial={"model": chosen})
    context = {"form": form, "model": ProgramModel(chosen)}
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "programs/program_form.html", context)
        try:
            program = create_program(form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return invalid(request, "programs/program_form.html", context)
        messages.success(request, _("The program is saved as a draft. Add its calendar, "
                                    "then open enrolment."))
        return redirect("programs:calendar", program.pk)
    return render(request, "programs/program_form.html", context)


@login_required
def program_detail(request, pk):
    program = program_for(request.user, pk)
    participants = program.participants.select_related("user", "school")
    governance = list(participants.governance().order_by("role", "user__display_name"))
    counts = dict(participants.active().values_list("role").annotate(n=Count("pk"))
                  .values_list("role", "n"))
    waiting = participants.applicants().count()
    mine = Participant.objects.filter(program=program, user=request.user).select_related(
        "application")
    return render(request, "programs/program_detail.html", {
        "program": program,
        "governance": governance,
        "role_counts": [(label, counts[role]) for role, label in Participant.Role.choices
                        if role in Participant.MENTORING_ROLES + [Participant.Role.MENTEE]
                        and counts.get(role)],
        "applicants_waiting": waiting,
        "my_participations": mine,
        "can_apply": can_apply(request.user, program),
        "invitation_choices": [(True, _("Accept")), (False, _("Decline"))],
        "next_statuses": [Program.Status(s) for s in TRANSITIONS[Program.Status(program.status)]],
        "terms": program.terms.all(),
        "windows": program.observation_windows.all(),
        "blackouts": program.blackouts.all(),
        "adjusted": program.adjusted_settings(),
        "model_label": ProgramModel(program.model).label,
    })


@login_required
def program_edit(request, pk):
    program = program_for(request.user, pk)
    require_perm(request.user, "programs.manage_program", program)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    context = {"form": form, "program": program, "presets": PRESETS[program.model]}
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "programs/program_edit.html", context)
        form.save()
        messages.success(request, _("The program's settings are saved."))
        return redirect("programs:detail", program.pk)
    return render(request, "programs/program_edit.html", context)


@login_required
@require_POST
def program_status(request, pk):
    program = program_for(request.user, pk)
    require_perm(request.user, "programs.manage_program", program)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            change_status(program, form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The program is now “%(status)s”.")
                             % {"status": program.get_status_display()})
    return redirect("programs:detail", program.pk)


@login_required
def calendar_edit(request, pk):
    program = program_for(request.user, pk)
    require_perm(request.user, "programs.manage_program", program)
    formsets = calendar_formsets(program, request.POST or None)
    context = {"program": program, "formsets": formsets}
    if request.method == "POST":
        if not all(f.is_valid() for f in formsets.values()):
            return invalid(request, "programs/calendar_edit.html", context)
        with transaction.atomic():
            for formset in formsets.values():
                formset.save()
            note_windows_revised(revised=formsets["windows"].changed_objects)
        messages.success(request, _("The calendar is saved."))
        return redirect("programs:calendar", program.pk)
    return render(request, "programs/calendar_edit.html", context)


@login_required
def program_copy(request, pk):
    program = program_for(request.user, pk)
    require_perm(request.user, "programs.manage_program", program)
    require_perm(request.user, "programs.copy_program", program)
    start = next_year_start(program)
    form = CopyProgramForm(request.POST or None, program=program, initial={
        "name": program.name, "starts_on": start,
        "school_year": f"{start.year}-{(start.year + 1) % 100:02d}"})
    context = {"program": program, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return invalid(request, "programs/program_copy.html", context)
        copy = copy_for_next_year(program, request.user, **form.cleaned_data)
        messages.success(request, _("“%(name)s” is ready as a draft with the same settings "
                                    "and a shifted calendar.") % {"name": copy.name})
        return redirect("programs:detail", copy.pk)
    return render(request, "programs/program_copy.html", context)

