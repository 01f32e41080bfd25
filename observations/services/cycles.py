"""Writes with rules for observation cycles, from the pre-conference to the close.

A cycle moves one way: pre-conference, observation, debrief, the mentee's reflection,
closed (or cancelled before its debrief is shared). Each stage has a due date read from
the program's calendar (weekends and blackout days skipped). The coach (the pairing's
mentor, or the peer who started it) plans, rates and writes the debrief; both people take
notes and add evidence; the mentee reflects and decides who else may read the cycle.
Nothing written is deleted: a cancelled cycle keeps its rows.

Every write is keyword-only, runs in one transaction and raises ValidationError keyed by
the form field a person would correct, where there is one; PermissionDenied when the
person may not make it at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairing.models import Pairing
from programs.calendar import ProgramCalendar, check_day
from programs.models import Participant, Program

from ..files import check_evidence
from ..models import (
    CycleShare,
    Debrief,
    DebriefNextStep,
    EvidenceFile,
    Indicator,
    ObservationCycle,
    ObservationNote,
    ObservationTemplate,
    Rating,
    TemplateVersion,
)
from ..permissions import can_start_cycle

Stage = ObservationCycle.Stage

# Days each stage is given, moved off weekends and blackout days.
PRECONFERENCE_DAYS = 7
DEBRIEF_DAYS = 3
REFLECTION_DAYS = 7
MAX_NEXT_STEPS = 3

# Said the same by the forms, which check them before the database is asked.
STRENGTHS_FIRST = gettext_lazy("Start with what is working: name at least one strength "
                               "before sharing the debrief.")
NEXT_STEP_NEEDED = gettext_lazy("Agree at least one next step before sharing the debrief.")
TOO_MANY_STEPS = gettext_lazy("Keep it to one to three next steps.")


def zone_of(program: Program) -> ZoneInfo:
    return ZoneInfo(program.district.time_zone)


def local_today(program: Program) -> date:
    return timezone.localdate(timezone=zone_of(program))


def _due(program: Program, start: date, days: int) -> date | None:
    return ProgramCalendar(program).due_on(start, days) or program.ends_on


def _locked(cycle: ObservationCycle, *stages) -> ObservationCycle:
    """Lock the cycle's row until the write commits; it must be at one of `stages`."""
    stage, cycle.sequence = (ObservationCycle.objects.select_for_update().filter(pk=cycle.pk)
                             .values_list("stage", "sequence").first() or (None, 0))
    if stage not in stages:
        label = dict(Stage.choices).get(stage, stage)
        raise ValidationError(_("This cycle is at the “%(stage)s” stage now; that can no "
                                "longer be changed.") % {"stage": label})
    cycle.stage = stage
    return cycle


def _require_in_cycle(cycle, person):
    if person is None or not cycle.includes(person):
        raise PermissionDenied


def _require_mentor(cycle, person):
    if person is None or cycle.mentor_id != person.pk:
        raise PermissionDenied


def _require_mentee(cycle, person):
    if person is None or cycle.mentee_id != person.pk:
        raise PermissionDenied


def usable_versions(program: Program):
    """The latest published version of each template a cycle of this program may use."""
    versions = (TemplateVersion.objects.filter(
        state=TemplateVersion.State.PUBLISHED,
        template__in=ObservationTemplate.objects.usable_in(program))
        .select_related("template").order_by("template__name", "template_id", "-number"))
    latest = {}
    for version in versions:
        latest.setdefault(version.template_id, version)
    return list(latest.values())


# A second cycle of the same kind for the same pair this soon is a repeated click.
JUST_STARTED = timedelta(minutes=1)


class JustStarted(ValidationError):
    """The same cycle was started a moment ago (a double click): `cycle` is that one."""

    def __init__(self, cycle: ObservationCycle):
        super().__init__(_("This cycle was started a moment ago: here it is."),
                         code="just_started")
        self.cycle = cycle


@transaction.atomic
def start_cycle(*, pairing: Pairing, started_by, kind: str,
                template_version: TemplateVersion) -> ObservationCycle:
    """The mentor of an active pairing (either peer of a peer pairing) starts a cycle with
    a published template; the pre-conference is due a week later on the school calendar."""
    if not can_start_cycle(started_by, pairing):
        raise PermissionDenied
    status = (Pairing.objects.select_for_update().filter(pk=pairing.pk)
              .values_list("status", flat=True).first())
    if status != Pairing.Status.ACTIVE:
        raise ValidationError(_("Observation cycles start only while the pairing is active."))
    if template_version.pk not in {v.pk for v in usable_versions(pairing.program)}:
        raise ValidationError({"template_version": _(
            "Choose one of the published templates offered.")})
    if kind not in ObservationCycle.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of observation this is.")})
    # The pairing's row is locked above, so a second click waits here and finds the first.
    just_started = (ObservationCycle.objects.open()
                    .filter(pairing=pairing, kind=kind, mentor=started_by,
                            created_at__gte=timezone.now() - JUST_STARTED)
                    .order_by("-created_at").first())
    if just_started is not None:
        raise JustStarted(just_started)
    mentee = (pairing.mentee.user if started_by.pk == pairing.mentor.user_id
              else pairing.mentor.user)
    program = pairing.program
    cycle = ObservationCycle.objects.create(
        program=program, pairing=pairing, kind=kind, mentor=started_by, mentee=mentee,
        template_version=template_version, created_by=started_by,
        due_on=preconference_due_on(program, local_today(program)))
    return cycle


def preconference_due_on(program: Program, today: date) -> date:
    """A week of the school calendar, fitted to the observation windows: inside a window,
    no later than its last day; before a window, by the day it opens (so the observation
    can fall inside it)."""
    calendar = ProgramCalendar(program)
    due = _due(program, today, PRECONFERENCE_DAYS)
    window = calendar.window_on(today)
    if window is not None:
        return min(due, window.closes_on)
    upcoming = [w for w in calendar.windows if w.opens_on > today]
    if upcoming:
        opens = min(w.opens_on for w in upcoming)
        return max(due, calendar.next_school_day(opens) or opens)
    return due


# When an observation may start, in the district's time zone: school hours, broadly.
SCHOOL_DAY_STARTS, SCHOOL_DAY_ENDS = time(6, 0), time(20, 0)


def check_observation_time(program: Program, scheduled_at: datetime,
                           duration_minutes: int | None = None) -> None:
    """An observation falls on a school day of the program, never on a blackout day, and
    inside an observation window when the program has any. It starts between 06:00 and
    20:00 in the district's time zone, and ends the same day."""
    local = timezone.localtime(scheduled_at, zone_of(program))
    day = local.date()
    if not SCHOOL_DAY_STARTS <= local.time() <= SCHOOL_DAY_ENDS:
        raise ValidationError({"scheduled_at": _(
            "%(time)s is outside the school day: choose a time between %(start)s and "
            "%(end)s (%(zone)s).") % {
                "time": time_format(local.time(), "H:i"),
                "start": time_format(SCHOOL_DAY_STARTS, "H:i"),
                "end": time_format(SCHOOL_DAY_ENDS, "H:i"),
                "zone": program.district.time_zone}})
    if duration_minutes and (local + timedelta(minutes=duration_minutes)).date() != day:
        raise ValidationError({"duration_minutes": _(
            "An observation starting at %(time)s for %(minutes)s minutes would end after "
            "midnight: start earlier or make it shorter.") % {
                "time": time_format(local.time(), "H:i"),
                "minutes": duration_minutes}})
    check_day(program, day, "scheduled_at", weekdays_only=True)
    calendar = ProgramCalendar(program)
    if calendar.windows and calendar.window_on(day) is None:
        windows = "; ".join(
            _("%(name)s, %(opens)s to %(closes)s") % {
                "name": w.name, "opens": date_format(w.opens_on, "DATE_FORMAT"),
                "closes": date_format(w.closes_on, "DATE_FORMAT")}
            for w in calendar.windows)
        raise ValidationError({"scheduled_at": _(
            "%(day)s is outside the program’s observation windows (%(windows)s). Choose a "
            "day inside one.") % {"day": date_format(day, "DATE_FORMAT"), "windows": windows}})


@transaction.atomic
def save_preconference(*, cycle: ObservationCycle, by, focus: str, lesson_context: str,
                       look_fors: Iterable[Indicator], scheduled_at: datetime | None,
                       duration_minutes: int = 45, location: str = "",
                       goal=None) -> ObservationCycle:
    """What the pre-conference agreed: the focus (and the mentee's goal it serves), the
    lesson, the look-fors from the cycle's template, and when the observation is.

    The plan may still change once the observation stage has begun. Then the observation
    keeps a time (its due date follows the new day), and the ratings given on look-fors no
    longer chosen are removed, so trends and the cycle page count only what the plan now
    observes; notes stay as they were written. `cycle.removed_ratings` says how many
    ratings were removed."""
    _require_in_cycle(cycle, by)
    cycle = _locked(cycle, Stage.PLANNING, Stage.OBSERVING)
    look_fors = list(look_fors)
    if any(i.domain.version_id != cycle.template_version_id for i in look_fors):
        raise ValidationError({"look_fors": _("Choose look-fors of this cycle’s template.")})
    if goal is not None and not _goal_of_mentee(goal, cycle):
        raise ValidationError({"goal": _("Choose one of the mentee’s goals.")})
    observing = cycle.stage == Stage.OBSERVING
    if observing and scheduled_at is None:
        raise ValidationError({"scheduled_at": _(
            "The observation has begun: keep its date and time.")})
    if scheduled_at is not None and (scheduled_at != cycle.scheduled_at
                                     or duration_minutes != cycle.duration_minutes):
        check_observation_time(cycle.program, scheduled_at, duration_minutes)
    moved = (cycle.scheduled_at is not None
             and (scheduled_at, duration_minutes, location.strip())
             != (cycle.scheduled_at, cycle.duration_minutes, cycle.location))
    cycle.focus = focus.strip()
    cycle.lesson_context = lesson_context.strip()
    cycle.scheduled_at = scheduled_at
    cycle.duration_minutes = duration_minutes
    cycle.location = location.strip()
    cycle.goal = goal
    fields = ["focus", "lesson_context", "scheduled_at", "duration_minutes", "location",
              "goal", "updated_at"]
    if observing:
        cycle.due_on = _observation_day(cycle.program, scheduled_at)
        fields.append("due_on")
    if moved:
        # A new time or place: calendars that hold the observation update it.
        cycle.sequence += 1
        fields.append("sequence")
    cycle.save(update_fields=fields)
    cycle.look_fors.set(look_fors)
    cycle.removed_ratings, _kinds = Rating.objects.filter(cycle=cycle).exclude(
        indicator__in=[i.pk for i in look_fors]).delete()
    return cycle


def _observation_day(program: Program, scheduled_at: datetime) -> date:
    return timezone.localtime(scheduled_at, zone_of(program)).date()


def _goal_of_mentee(goal, cycle) -> bool:
    participant = getattr(goal, "participant", None)
    return (participant is not None and participant.user_id == cycle.mentee_id
            and participant.program_id == cycle.program_id)


@transaction.atomic
def begin_observation(*, cycle: ObservationCycle, by) -> ObservationCycle:
    """The pre-conference is done: the cycle needs a focus, look-fors and a time. The
    observation is due on its scheduled day."""
    _require_mentor(cycle, by)
    cycle = _locked(cycle, Stage.PLANNING)
    missing = []
    if not cycle.focus:
        missing.append(_("a focus"))
    if not cycle.look_fors.exists():
        missing.append(_("at least one look-for"))
    if cycle.scheduled_at is None:
        missing.append(_("the observation’s date and time"))
    if missing:
        raise ValidationError(_("Before the observation, the pre-conference needs: "
                                "%(missing)s.") % {"missing": ", ".join(missing)})
    # The calendar may have changed since the plan (a blackout day, a window moved).
    try:
        check_observation_time(cycle.program, cycle.scheduled_at, cycle.duration_minutes)
    except ValidationError as error:
        raise ValidationError(_("Change the observation’s time in the pre-conference "
                                "first: %(reason)s") % {"reason": " ".join(error.messages)}
                              ) from None
    cycle.stage = Stage.OBSERVING
    cycle.due_on = _observation_day(cycle.program, cycle.scheduled_at)
    cycle.save(update_fields=["stage", "due_on", "updated_at"])
    return cycle


NOTE_STAGES = (Stage.OBSERVING, Stage.DEBRIEF)


def add_note(*, cycle: ObservationCycle, author, client_id, text: str,
             indicator: Indicator | None = None,
             noted_at: datetime | None = None) -> tuple[ObservationNote, bool]:
    """Store a note taken during the lesson; (note, created). The same `client_id` sent
    again (a retry after a dropped connection) returns the note stored the first time."""
    _require_in_cycle(cycle, author)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you saw or heard.")})
    if indicator is not None and not cycle.look_fors.filter(pk=indicator.pk).exists():
        raise ValidationError({"indicator": _("Choose one of the cycle’s look-fors.")})
    now = timezone.now()
    # A time from the device is kept when it is plausible (sent late after a dropped
    # connection), never in the future.
    if noted_at is None or noted_at > now or noted_at < now - timedelta(hours=12):
        noted_at = now
    existing = ObservationNote.objects.filter(cycle=cycle, client_id=client_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            _locked(cycle, *NOTE_STAGES)
            return ObservationNote.objects.create(cycle=cycle, client_id=client_id, text=text,
                                                  indicator=indicator, noted_at=noted_at,
                                                  author=author), True
    except IntegrityError:
        # The same note arrived twice at once; the first one stored wins.
        return ObservationNote.objects.get(cycle=cycle, client_id=client_id), False


@transaction.atomic
def save_ratings(*, cycle: ObservationCycle, rated_by, levels: dict) -> list[Rating]:
    """Ratings on the cycle's look-fors: {indicator id: level id, or None for "not
    observed"}. Look-fors left out keep what they had."""
    _require_in_cycle(cycle, rated_by)
    if rated_by.pk not in (cycle.mentor_id, cycle.observer_id):
        raise PermissionDenied
    cycle = _locked(cycle, *NOTE_STAGES)
    chosen = {i.pk for i in cycle.look_fors.all()}
    version = cycle.template_version
    valid_levels = set(version.levels.values_list("pk", flat=True))
    if set(levels) - chosen:
        raise ValidationError(_("Rate only the look-fors chosen at the pre-conference."))
    for level in levels.values():
        if level is None and not version.allows_not_observed:
            raise ValidationError(_("This template has no “not observed”: choose a level."))
        if level is not None and level not in valid_levels:
            raise ValidationError(_("Choose one of the template’s levels."))
    saved = []
    for indicator_id, level_id in levels.items():
        rating, _created = Rating.objects.update_or_create(
            cycle=cycle, indicator_id=indicator_id,
            defaults={"level_id": level_id, "rated_by": rated_by})
        saved.append(rating)
    return saved


@transaction.atomic
def add_evidence(*, cycle: ObservationCycle, uploaded_by, upload,
                 description: str = "") -> EvidenceFile:
    """Keep a photo or document from the lesson once its type and size pass the checks;
    a refused file stores nothing."""
    _require_in_cycle(cycle, uploaded_by)
    _locked(cycle, *NOTE_STAGES)
    try:
        content_type = check_evidence(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-255:]
    return EvidenceFile.objects.create(cycle=cycle, file=upload, original_name=name,
                                       content_type=content_type, size=upload.size,
                                       description=description.strip(),
                                       uploaded_by=uploaded_by)


@transaction.atomic
def remove_evidence(*, evidence: EvidenceFile, removed_by) -> None:
    """The person who added a file takes it off the cycle while the cycle is open; the
    stored file goes too, once the removal is committed."""
    cycle = evidence.cycle
    _require_in_cycle(cycle, removed_by)
    if evidence.uploaded_by_id != removed_by.pk:
        raise PermissionDenied
    _locked(cycle, *ObservationCycle.OPEN_STAGES)
    name, storage = evidence.file.name, evidence.file.storage
    deleted, _kinds = EvidenceFile.objects.filter(pk=evidence.pk).delete()
    if deleted and name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def finish_observation(*, cycle: ObservationCycle, by) -> ObservationCycle:
    """The lesson is over: the debrief is due three school days later."""
    _require_in_cycle(cycle, by)
    cycle = _locked(cycle, Stage.OBSERVING)
    program = cycle.program
    cycle.stage = Stage.DEBRIEF
    cycle.observed_at = timezone.now()
    cycle.due_on = _due(program, local_today(program), DEBRIEF_DAYS)
    cycle.save(update_fields=["stage", "observed_at", "due_on", "updated_at"])
    return cycle


@dataclass
class DebriefDraft:
    strengths: str
    growth_areas: str
    next_steps: list[str]


def check_debrief(draft: DebriefDraft, *, share: bool) -> None:
    """A debrief keeps one to three next steps, and is shared only with a strength and a
    next step."""
    errors = {}
    steps = [s for s in draft.next_steps if s.strip()]
    if len(steps) > MAX_NEXT_STEPS:
        errors["next_steps"] = [TOO_MANY_STEPS]
    if share:
        if not draft.strengths.strip():
            errors["strengths"] = [STRENGTHS_FIRST]
        if not steps:
            errors["next_steps"] = [NEXT_STEP_NEEDED]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_debrief(*, cycle: ObservationCycle, written_by, draft: DebriefDraft,
                 share: bool = False) -> Debrief:
    """The mentor writes the debrief as a draft, and shares it when ready: then the mentee
    reads it and their reflection is due a week later."""
    _require_mentor(cycle, written_by)
    cycle = _locked(cycle, Stage.DEBRIEF)
    check_debrief(draft, share=share)
    debrief, _created = Debrief.objects.get_or_create(cycle=cycle,
                                                      defaults={"written_by": written_by})
    debrief.strengths = draft.strengths.strip()
    debrief.growth_areas = draft.growth_areas.strip()
    debrief.written_by = written_by
    wanted = [s.strip() for s in draft.next_steps if s.strip()]
    existing = list(debrief.next_steps.order_by("position", "pk"))
    # Steps already made into action steps stay as they are; the others follow the form.
    for position, text in enumerate(wanted):
        if position < len(existing):
            step = existing[position]
            if step.description != text:
                step.description = text
                step.save(update_fields=["description"])
        else:
            DebriefNextStep.objects.create(debrief=debrief, description=text,
                                           position=position)
    for step in existing[len(wanted):]:
        step.delete()
    if share:
        debrief.shared_at = timezone.now()
        program = cycle.program
        cycle.stage = Stage.REFLECTION
        cycle.due_on = _due(program, local_today(program), REFLECTION_DAYS)
        cycle.save(update_fields=["stage", "due_on", "updated_at"])
    debrief.save()
    return debrief


def action_step_due_on(goal) -> date:
    """When an action step taken from a debrief is due: two weeks of school days on, and
    never after the goal or the program."""
    program = goal.participant.program
    due = _due(program, local_today(program), 14)
    return min(d for d in (due, goal.due_on, program.ends_on) if d is not None)


@transaction.atomic
def make_action_step(*, step: DebriefNextStep, goal, by) -> DebriefNextStep:
    """One click: a shared debrief's next step becomes an action step of the mentee's goal
    (through the goals service, with its rules). Done once per step."""
    from goals.models import ActionStep
    from goals.services import add_action_step

    cycle = step.debrief.cycle
    _require_in_cycle(cycle, by)
    step = DebriefNextStep.objects.select_for_update().get(pk=step.pk)
    if not step.debrief.is_shared:
        raise ValidationError(_("A next step becomes an action step once the debrief is "
                                "shared."))
    if step.action_step_id is not None:
        raise ValidationError(_("This next step is already an action step."))
    if not _goal_of_mentee(goal, cycle):
        raise ValidationError({"goal": _("Choose one of the mentee’s goals.")})
    action = add_action_step(goal, description=step.description,
                             due_on=action_step_due_on(goal), added_by=by,
                             origin=ActionStep.Origin.DEBRIEF)
    step.action_step = action
    step.save(update_fields=["action_step"])
    return step


@transaction.atomic
def reflect_on_debrief(*, cycle: ObservationCycle, author, body: str, prompt=None,
                       confidence: int | None = None,
                       visibility: str = "mentor") -> ObservationCycle:
    """The mentee answers a prompt about the shared debrief; the reflection goes to their
    journal (linked to the cycle's goal) with the sharing they choose, and the cycle
    closes."""
    from goals.services import write_reflection

    _require_mentee(cycle, author)
    cycle = _locked(cycle, Stage.REFLECTION)
    reflection = write_reflection(author, program=cycle.program, body=body, prompt=prompt,
                                  confidence=confidence, visibility=visibility,
                                  goal=cycle.goal)
    cycle.reflection = reflection
    cycle.stage = Stage.CLOSED
    cycle.closed_at = timezone.now()
    cycle.due_on = None
    cycle.save(update_fields=["reflection", "stage", "closed_at", "due_on", "updated_at"])
    return cycle


@transaction.atomic
def cancel_cycle(*, cycle: ObservationCycle, by) -> ObservationCycle:
    """The coach calls a cycle off before its debrief is shared; what was written stays."""
    _require_mentor(cycle, by)
    cycle = _locked(cycle, Stage.PLANNING, Stage.OBSERVING, Stage.DEBRIEF)
    cycle.stage = Stage.CANCELLED
    cycle.cancelled_at = timezone.now()
    cycle.due_on = None
    cycle.sequence += 1
    cycle.save(update_fields=["stage", "cancelled_at", "due_on", "sequence", "updated_at"])
    return cycle


def share_audience(cycle: ObservationCycle):
    """Who the mentee may share a cycle with: the program's coordinators, the district's
    admins and the admins of the mentee's school in the program, never the cycle's own."""
    from accounts.models import DistrictRole, User

    program = cycle.program
    coordinators = Participant.objects.active().filter(
        program=program, role=Participant.Role.COORDINATOR).values("user_id")
    school_id = (Participant.objects.filter(program=program, user_id=cycle.mentee_id)
                 .exclude(school__isnull=True).values_list("school_id", flat=True).first())
    admins = DistrictRole.objects.filter(district_id=program.district_id).filter(
        Q(role=DistrictRole.Role.DISTRICT_ADMIN)
        | Q(role=DistrictRole.Role.SCHOOL_ADMIN, school_id=school_id))
    return (User.objects.filter(district_id=program.district_id, is_active=True)
            .filter(Q(pk__in=coordinators) | Q(pk__in=admins.values("user_id")))
            .exclude(pk__in=[cycle.mentor_id, cycle.mentee_id])
            .order_by("display_name", "pk"))


@transaction.atomic
def share_cycle(*, cycle: ObservationCycle, shared_by, recipient) -> CycleShare:
    """The mentee lets one coordinator or admin read this cycle; sharing twice keeps one,
    also when the two arrive at once (a double click): the second returns the first."""
    _require_mentee(cycle, shared_by)
    if not share_audience(cycle).filter(pk=recipient.pk).exists():
        raise ValidationError({"recipient": _("Choose one of the people offered.")})
    # The cycle's row is locked: a second share of it waits here for the first to commit.
    ObservationCycle.objects.select_for_update().filter(pk=cycle.pk).values_list(
        "pk", flat=True).first()
    share = CycleShare.objects.live().filter(cycle=cycle, recipient=recipient).first()
    if share is not None:
        return share
    try:
        with transaction.atomic():
            return CycleShare.objects.create(cycle=cycle, recipient=recipient,
                                             shared_by=shared_by)
    except IntegrityError:
        return CycleShare.objects.live().get(cycle=cycle, recipient=recipient)


@transaction.atomic
def revoke_share(*, share: CycleShare, by) -> CycleShare:
    """The mentee takes a share back; from now on that person sees counts only."""
    _require_mentee(share.cycle, by)
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share
