"""Protected time: a participant's own log against the monthly target, and for those who
manage the program a summary of everyone, month by month, with a CSV export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorship.exports import csv_response
from mentorship.shortcuts import invalid, require_perm

from ..forms.time import TimeLogForm
from ..models import TimeLog
from ..permissions import can_manage_program, is_active_participant
from ..services import time as services
from .common import program_for

LOGS_PER_PAGE = 25
PEOPLE_PER_PAGE = 25


@login_required
def time_list(request, program_pk):
    """Anyone who sees the program sees its target here; a participant also sees their own
    log and monthly totals."""
    program = program_for(request.user, program_pk)
    context = {"program": program,
               "target": services.format_minutes(program.protected_minutes_per_month),
               "can_manage": can_manage_program(request.user, program)}
    if is_active_participant(request.user, program) or TimeLog.objects.filter(
            program=program, user=request.user).exists():
        months = services.months_for(program, request.user)
        logs = (TimeLog.objects.filter(program=program, user=request.user)
                .select_related("logged_by").order_by("-date", "-created_at", "-pk"))
        context.update({
            "this_month": months[0], "months": months,
            "page": Paginator(logs, LOGS_PER_PAGE).get_page(request.GET.get("page")),
        })
    return render(request, "programs/time/time_list.html", context)


@login_required
def time_log(request, program_pk):
    """A participant logs their own time; those who manage the program log anyone's."""
    program = program_for(request.user, program_pk)
    manages = can_manage_program(request.user, program)
    if not manages:
        require_perm(request.user, "programs.log_time", program)
    people = services.participants_logging(program) if manages else None
    initial = {"date": services.program_today(program)}
    person = request.GET.get("person", "")
    if manages and person.isascii() and person.isdecimal() and len(person) <= 12:
        initial["person"] = int(person)
    form = TimeLogForm(request.POST or None, people=people, initial=initial)
    context = {"program": program, "form": form, "for_others": manages}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = data.pop("person", request.user)
            try:
                services.log_time(program=program, person=person, logged_by=request.user,
                                  **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if person == request.user:
                    messages.success(request, _("Your time is logged."))
                    return redirect("programs:time", program.pk)
                messages.success(request, _("Time is logged for %(name)s.")
                                 % {"name": person.display_name})
                return redirect("programs:time-summary", program.pk)
        return invalid(request, "programs/time/time_log.html", context)
    return render(request, "programs/time/time_log.html", context)


@login_required
def time_summary(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "programs.manage_program", program)
    months = services.program_months(program)
    page = Paginator(services.participants_logging(program), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "programs/time/time_summary.html", {
        "program": program, "page": page, "months": months,
        "rows": services.summary_rows(program, page.object_list, months),
        "target": services.format_minutes(program.protected_minutes_per_month),
    })


@login_required
def time_export(request, program_pk):
    program = program_for(request.user, program_pk)
    require_perm(request.user, "programs.manage_program", program)
    months = services.program_months(program)
    rows = ([name, email, f"{month:%Y-%m}", minutes, target]
            for name, email, month, minutes, target in services.export_rows(program, months))
    return csv_response(f"protected-time-{program.name}", [
        _("Name"), _("Email"), _("Month"), _("Minutes logged"), _("Target minutes")], rows)
