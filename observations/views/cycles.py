"""A cycle's own pages: starting it, its page, the pre-conference, the live notes, the
debrief and the sharing. Only the two people of a cycle write in it; a coordinator or an
admin reads it only when the mentee has shared it with them, and each read is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from mentorship.shortcuts import add_service_error, invalid, require_perm
from pairing.models import Pairing

from ..extensions import render_debrief_panels
from ..forms import (
    ActionStepForm,
    DebriefForm,
    EvidenceForm,
    NoteForm,
    PreconferenceForm,
    RatingsForm,
    ReflectionForm,
    ShareForm,
    StartCycleForm,
)
from ..models import (
    CycleShare,
    DebriefNextStep,
    EvidenceFile,
    Indicator,
    ObservationCycle,
)
from ..services import cycles as services
from ..services.cycles import DebriefDraft
from . import goal_links
from .common import cycle_for, district_time, log_read, own_cycle_for

Stage = ObservationCycle.Stage


def _pairing_for(user, pk):
    pairings = Pairing.objects.of_user(user).select_related(
        "program__district", "mentor__user", "mentee__user")
    return get_object_or_404(pairings, pk=pk)


@login_required
def cycle_start(request, pk):
    pairing = _pairing_for(request.user, pk)
    require_perm(request.user, "observations.start_cycle", pairing)
    versions = services.usable_versions(pairing.program)
    form = StartCycleForm(request.POST or None, versions=versions)
    context = {"pairing": pairing, "program": pairing.program, "form": form,
               "partner": pairing.partner_of(request.user)}
    if request.method == "POST":
        if form.is_valid():
            try:
                cycle = services.start_cycle(pairing=pairing, started_by=request.user,
                                             **form.cleaned_data)
            except services.JustStarted as repeated:
                messages.info(request, repeated.messages[0])
                return redirect("observations:cycle-plan", repeated.cycle.pk)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The cycle is started. Plan the pre-conference "
                                            "together."))
                return redirect("observations:cycle-plan", cycle.pk)
        return invalid(request, "observations/cycle_start.html", context)
    return render(request, "observations/cycle_start.html", context)


def _look_fors(cycle):
    return list(cycle.look_fors.select_related("domain").order_by("domain__position",
                                                                  "position", "pk"))


def _ratings(cycle):
    """(look-for, rating or None) for each chosen look-for, in the template's order."""
    ratings = {r.indicator_id: r for r in cycle.ratings.select_related("level")}
    return [(indicator, ratings.get(indicator.pk)) for indicator in _look_fors(cycle)]


@login_required
def cycle_detail(request, pk):
    cycle = cycle_for(request.user, pk)
    user = request.user
    debrief = getattr(cycle, "debrief", None) if cycle.stage not in (
        Stage.PLANNING, Stage.OBSERVING) else None
    # The mentee and anyone they share with read the debrief once it is shared.
    if debrief is not None and not debrief.is_shared and user.pk != cycle.mentor_id:
        debrief = None
    log_read(request, cycle)
    with district_time(cycle.program):
        return render(request, "observations/cycle_detail.html", {
            "cycle": cycle, "program": cycle.program,
            "is_pair": cycle.includes(user),
            "is_mentor": user.pk == cycle.mentor_id,
            "is_mentee": user.pk == cycle.mentee_id,
            "notes": list(cycle.notes.select_related("indicator")),
            "ratings": _ratings(cycle),
            "evidence": list(cycle.evidence.all()),
            "debrief": debrief,
            "next_steps": list(debrief.next_steps.all()) if debrief else [],
            "stages": STAGE_STEPS,
            "panels": render_debrief_panels(request, debrief) if debrief else "",
            "extra": cycle_extras(request, cycle, debrief),
        })


STAGE_STEPS = [Stage.PLANNING, Stage.OBSERVING, Stage.DEBRIEF, Stage.REFLECTION, Stage.CLOSED]


def cycle_extras(request, cycle, debrief):
    """Links to what the goals app keeps for this cycle (the goal, the reflection)."""
    return goal_links.cycle_context(request, cycle, debrief)


@login_required
def cycle_plan(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if cycle.stage not in (Stage.PLANNING, Stage.OBSERVING):
        messages.info(request, _("The pre-conference is over for this cycle."))
        return redirect("observations:cycle-detail", cycle.pk)
    program = cycle.program
    initial = {"focus": cycle.focus, "lesson_context": cycle.lesson_context,
               "look_fors": [i.pk for i in cycle.look_fors.all()],
               "scheduled_at": cycle.scheduled_at, "duration_minutes": cycle.duration_minutes,
               "location": cycle.location, **goal_links.plan_initial(cycle)}
    with district_time(program):
        form = PreconferenceForm(
            request.POST or None, initial=initial, cycle=cycle,
            indicators=Indicator.objects.filter(domain__version=cycle.template_version_id)
            .select_related("domain"),
            goals=goal_links.mentee_goals(cycle), zone_name=program.district.time_zone)
        context = {"cycle": cycle, "program": program, "form": form}
        if request.method == "POST":
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    saved = services.save_preconference(cycle=cycle, by=request.user, **data)
                except ValidationError as error:
                    add_service_error(form, error)
                except PermissionDenied:
                    raise Http404 from None
                else:
                    messages.success(request, _("The pre-conference is saved."))
                    if saved.removed_ratings:
                        messages.info(request, ngettext(
                            "%(count)s rating on a look-for no longer chosen was removed.",
                            "%(count)s ratings on look-fors no longer chosen were removed.",
                            saved.removed_ratings) % {"count": saved.removed_ratings})
                    return redirect("observations:cycle-detail", cycle.pk)
            return invalid(request, "observations/cycle_plan.html", context)
        return render(request, "observations/cycle_plan.html", context)


STAGE_ACTIONS = {
    "observe": (services.begin_observation, _("The observation is ready: take notes on "
                                              "this page during the lesson.")),
    "finish": (services.finish_observation, _("The observation is finished. The debrief "
                                              "is next.")),
    "cancel": (services.cancel_cycle, _("The cycle is cancelled. What was written stays "
                                        "with it.")),
}


@login_required
@require_POST
def cycle_stage(request, pk):
    """Move the cycle on: begin the observation, finish it, or call the cycle off."""
    cycle = own_cycle_for(request.user, pk)
    action = STAGE_ACTIONS.get(request.POST.get("action"))
    if action is None:
        raise Http404
    service, done = action
    try:
        cycle = service(cycle=cycle, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("observations:cycle-detail", cycle.pk)
    messages.success(request, done)
    if cycle.stage == Stage.OBSERVING:
        return redirect("observations:cycle-observe", cycle.pk)
    if cycle.stage == Stage.DEBRIEF and request.user.pk == cycle.mentor_id:
        return redirect("observations:debrief", cycle.pk)
    return redirect("observations:cycle-detail", cycle.pk)


# The live screen: notes, ratings, evidence

def _observe_context(request, cycle, *, note_form=None, ratings_form=None,
                     evidence_form=None):
    look_fors = _look_fors(cycle)
    version = cycle.template_version
    chosen = cycle.look_fors.all()
    can_rate = request.user.pk in (cycle.mentor_id, cycle.observer_id)
    return {
        "cycle": cycle, "program": cycle.program,
        "note_form": note_form or NoteForm(look_fors=chosen),
        "ratings_form": ratings_form or (RatingsForm(
            look_fors=look_fors, levels=list(version.levels.all()),
            allows_not_observed=version.allows_not_observed,
            ratings=list(cycle.ratings.all())) if can_rate else None),
        "evidence_form": evidence_form or EvidenceForm(),
        "notes": list(cycle.notes.select_related("indicator").order_by("-noted_at", "-pk")),
        "evidence": list(cycle.evidence.all()),
        "can_rate": can_rate,
    }


def _still_observing(request, cycle):
    if cycle.stage in services.NOTE_STAGES:
        return None
    messages.info(request, _("Notes, ratings and evidence are added during the observation "
                             "and before the debrief is shared."))
    return redirect("observations:cycle-detail", cycle.pk)


@login_required
def cycle_observe(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if (answer := _still_observing(request, cycle)) is not None:
        return answer
    with district_time(cycle.program):
        return render(request, "observations/cycle_observe.html",
                      _observe_context(request, cycle))


@login_required
@require_POST
def note_add(request, pk):
    """Store one note. A page with the script sends it in the background and gets the
    note's line back; without the script the form posts and the page comes back."""
    cycle = own_cycle_for(request.user, pk)
    # A note kept on a shared device is sent only by the person who wrote it.
    written_for = request.POST.get("for_user")
    if request.htmx and written_for and written_for != str(request.user.pk):
        return HttpResponse(_("Someone else is signed in on this device now: these notes "
                              "wait for the person who wrote them."), status=409,
                            content_type="text/plain; charset=utf-8")
    if cycle.stage not in services.NOTE_STAGES:
        if request.htmx:
            return HttpResponse(_("This cycle no longer takes notes."), status=409,
                                content_type="text/plain; charset=utf-8")
        return _still_observing(request, cycle)
    form = NoteForm(request.POST, look_fors=cycle.look_fors.all())
    with district_time(cycle.program):
        if form.is_valid():
            data = form.cleaned_data
            try:
                note, _created = services.add_note(
                    cycle=cycle, author=request.user, client_id=data["client_id"],
                    text=data["text"], indicator=data["indicator"], noted_at=data["noted_at"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if request.htmx:
                    return render(request, "observations/includes/note.html",
                                  {"note": note, "cycle": cycle})
                messages.success(request, _("The note is saved."))
                return redirect("observations:cycle-observe", cycle.pk)
        if request.htmx:
            return HttpResponse(" ".join(m for errors in form.errors.values() for m in errors),
                                status=400, content_type="text/plain; charset=utf-8")
        return invalid(request, "observations/cycle_observe.html",
                       _observe_context(request, cycle, note_form=form))


@login_required
@require_POST
def ratings_save(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if (answer := _still_observing(request, cycle)) is not None:
        return answer
    if request.user.pk not in (cycle.mentor_id, cycle.observer_id):
        raise Http404
    version = cycle.template_version
    form = RatingsForm(request.POST, look_fors=_look_fors(cycle),
                       levels=list(version.levels.all()),
                       allows_not_observed=version.allows_not_observed,
                       ratings=list(cycle.ratings.all()))
    with district_time(cycle.program):
        if form.is_valid():
            try:
                services.save_ratings(cycle=cycle, rated_by=request.user, levels=form.levels())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The ratings are saved."))
                return redirect("observations:cycle-observe", cycle.pk)
        return invalid(request, "observations/cycle_observe.html",
                       _observe_context(request, cycle, ratings_form=form))


@login_required
@require_POST
def evidence_add(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if (answer := _still_observing(request, cycle)) is not None:
        return answer
    form = EvidenceForm(request.POST, request.FILES)
    with district_time(cycle.program):
        if form.is_valid():
            try:
                services.add_evidence(cycle=cycle, uploaded_by=request.user,
                                      upload=form.cleaned_data["file"],
                                      description=form.cleaned_data["description"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The file is added to the cycle."))
                return redirect("observations:cycle-observe", cycle.pk)
        return invalid(request, "observations/cycle_observe.html",
                       _observe_context(request, cycle, evidence_form=form))


@login_required
def evidence_file(request, pk):
    """Files are never served from a public address: each request checks that the reader
    may read the cycle, and a read by anyone but its two people is logged."""
    attached = get_object_or_404(
        EvidenceFile.objects.select_related("cycle__mentee", "cycle__program"), pk=pk)
    cycle = cycle_for(request.user, attached.cycle_id)
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_read(request, cycle, attached)
    response = FileResponse(handle, content_type=attached.content_type,
                            as_attachment=not attached.is_image,
                            filename=attached.original_name)
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


@login_required
def evidence_remove(request, pk):
    """The person who added a file removes it, after confirming, while the cycle is open.
    Nobody else is offered it: for them the address is not found."""
    attached = get_object_or_404(EvidenceFile, pk=pk, uploaded_by_id=request.user.pk)
    cycle = own_cycle_for(request.user, attached.cycle_id)
    back = ("observations:cycle-observe" if cycle.stage in services.NOTE_STAGES
            else "observations:cycle-detail")
    if not cycle.is_open:
        messages.info(request, _("The cycle is over: its evidence stays as it is."))
        return redirect("observations:cycle-detail", cycle.pk)
    if request.method == "POST":
        attached.cycle = cycle
        try:
            services.remove_evidence(evidence=attached, removed_by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(name)s” is removed from the cycle.")
                             % {"name": attached.original_name})
        return redirect(back, cycle.pk)
    return render(request, "observations/evidence_remove.html",
                  {"cycle": cycle, "program": cycle.program, "file": attached, "back": back})


# Debrief

@login_required
def debrief(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if request.user.pk != cycle.mentor_id:
        raise Http404
    if cycle.stage != Stage.DEBRIEF:
        messages.info(request, _("The debrief is written after the observation and before "
                                 "it is shared."))
        return redirect("observations:cycle-detail", cycle.pk)
    existing = getattr(cycle, "debrief", None)
    initial = {}
    if existing is not None:
        initial = {"strengths": existing.strengths, "growth_areas": existing.growth_areas}
        for number, step in enumerate(existing.next_steps.all(), start=1):
            initial[f"step_{number}"] = step.description
    form = DebriefForm(request.POST or None, initial=initial)
    context = {"cycle": cycle, "program": cycle.program, "form": form,
               "notes": list(cycle.notes.select_related("indicator")),
               "ratings": _ratings(cycle)}
    with district_time(cycle.program):
        if request.method == "POST":
            if form.is_valid():
                draft = DebriefDraft(strengths=form.cleaned_data["strengths"],
                                     growth_areas=form.cleaned_data["growth_areas"],
                                     next_steps=form.next_steps())
                try:
                    services.save_debrief(cycle=cycle, written_by=request.user, draft=draft,
                                          share=form.sharing)
                except ValidationError as error:
                    add_service_error(form, error)
                    if "next_steps" in getattr(error, "error_dict", {}):
                        form.add_error("step_1", error.error_dict["next_steps"])
                else:
                    if form.sharing:
                        messages.success(request, _("The debrief is shared with %(name)s.")
                                         % {"name": cycle.mentee.display_name})
                        return redirect("observations:cycle-detail", cycle.pk)
                    messages.success(request, _("The debrief is saved as a draft: only you "
                                                "can read it."))
                    return redirect("observations:debrief", cycle.pk)
            return invalid(request, "observations/debrief_form.html", context)
        return render(request, "observations/debrief_form.html", context)


# Sharing

@login_required
def sharing(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if request.user.pk != cycle.mentee_id:
        raise Http404
    audience = services.share_audience(cycle)
    form = ShareForm(request.POST or None, audience=audience)
    shares = list(cycle.shares.select_related("recipient").order_by("-created_at"))
    context = {"cycle": cycle, "program": cycle.program, "form": form, "shares": shares}
    with district_time(cycle.program):
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.share_cycle(cycle=cycle, shared_by=request.user,
                                         recipient=form.cleaned_data["recipient"])
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("%(name)s can now read this cycle. You can "
                                                "take it back at any time.")
                                     % {"name": form.cleaned_data["recipient"].display_name})
                    return redirect("observations:sharing", cycle.pk)
            return invalid(request, "observations/sharing.html", context)
        return render(request, "observations/sharing.html", context)


@login_required
@require_POST
def share_revoke(request, pk):
    share = get_object_or_404(CycleShare.objects.select_related("cycle", "recipient")
                              .filter(cycle__mentee=request.user), pk=pk)
    services.revoke_share(share=share, by=request.user)
    messages.success(request, _("%(name)s can no longer read this cycle.")
                     % {"name": share.recipient.display_name})
    return redirect("observations:sharing", share.cycle_id)




# The goals side: a next step into an action step, the mentee's reflection

@login_required
@require_POST
def next_step_action(request, pk):
    step = get_object_or_404(DebriefNextStep.objects.select_related(
        "debrief__cycle__program__district", "debrief__cycle__mentee",
        "debrief__cycle__mentor").filter(
        debrief__cycle__in=ObservationCycle.objects.of_user(request.user)), pk=pk)
    cycle = step.debrief.cycle
    form = ActionStepForm(request.POST, goals=goal_links.open_goals(cycle))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("observations:cycle-detail", cycle.pk)
    try:
        services.make_action_step(step=step, goal=form.cleaned_data["goal"], by=request.user)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(getattr(error, "messages", [])) or _(
            "This goal no longer takes action steps.")
        messages.error(request, text)
    else:
        messages.success(request, _("“%(step)s” is now an action step of the goal.")
                         % {"step": step.description})
    return redirect("observations:cycle-detail", cycle.pk)


@login_required
def reflect(request, pk):
    cycle = own_cycle_for(request.user, pk)
    if request.user.pk != cycle.mentee_id:
        raise Http404
    if cycle.stage != Stage.REFLECTION:
        messages.info(request, _("The reflection is written once the debrief is shared, "
                                 "and once only."))
        return redirect("observations:cycle-detail", cycle.pk)
    from goals.models import Reflection, ReflectionPrompt

    visibility = [(Reflection.Visibility.MENTOR,
                   _("Shared with %(name)s") % {"name": cycle.mentor.display_name}),
                  (Reflection.Visibility.PRIVATE, _("Private: only me"))]
    form = ReflectionForm(request.POST or None, initial={"visibility": "mentor"},
                          prompts=ReflectionPrompt.objects.active().for_program(cycle.program)
                          .order_by("kind", "pk"),
                          visibility_choices=visibility)
    debrief = cycle.debrief
    context = {"cycle": cycle, "program": cycle.program, "form": form, "debrief": debrief,
               "next_steps": list(debrief.next_steps.all())}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reflect_on_debrief(cycle=cycle, author=request.user,
                                            **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied:
                form.add_error(None, _("Reflections are written while you take part in the "
                                       "program."))
            else:
                messages.success(request, _("Your reflection is in your journal, and the "
                                            "cycle is closed."))
                return redirect("observations:cycle-detail", cycle.pk)
        return invalid(request, "observations/reflect.html", context)
    return render(request, "observations/reflect.html", context)


@login_required
@require_safe
def cycle_ics(request, pk):
    """A scheduled observation as an .ics file, for the cycle's two people alone (the
    event carries no more than their calendar feeds do)."""
    from pairing.calendar import to_ical

    from ..calendar import cycle_entry, scheduled_cycles

    cycle = get_object_or_404(scheduled_cycles(request.user), pk=pk)
    entry = cycle_entry(cycle, request.user)
    response = HttpResponse(to_ical([entry]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="observation-{entry.start.date().isoformat()}.ics"')
    # Kept out of shared caches, search engines and referrers, as every calendar answer.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
