"""Writes with rules for goals, action steps, progress, comments, example goals, prompts and
reflections.

Every write is keyword-only (the object it acts on may come first), runs in one transaction,
refuses a person the rules do not allow with PermissionDenied, and refuses bad input with
ValidationError keyed by the form field a person would correct. Nothing a person wrote is
deleted: a revised goal keeps its old version, a dropped goal keeps its reason.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import FocusArea
from pairing.models import CheckIn, NextStep, Pairing
from programs.models import GroupMembership, GroupSession, Participant, Program

from .files import check_evidence
from .models import (
    GOAL_OWNER_ROLES,
    OPEN_PAIRINGS,
    ActionStep,
    ExampleGoal,
    Goal,
    GoalComment,
    ProgressEntry,
    PromptSchedule,
    Reflection,
    ReflectionPrompt,
    ReflectionReply,
)
from .smart import check_goal

# What a person writes into a goal; the rest (state, dates of change) is the services'.
GOAL_FIELDS = ["focus_area", "specific", "measure", "baseline", "target", "unit",
               "relevance", "due_on", "celebrate_in_group"]


def _require(user, perm, obj):
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def inside_program(program: Program, day: date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Choose a date.")})
    if not program.starts_on <= day <= program.ends_on:
        raise ValidationError({field: _(
            "Choose a date inside the program (%(start)s to %(end)s).") % {
            "start": date_format(program.starts_on, "DATE_FORMAT"),
            "end": date_format(program.ends_on, "DATE_FORMAT")}})


def smart_check(goal: Goal, *, today: date | None = None):
    """The SMART check of a saved goal."""
    program = goal.participant.program
    return check_goal(specific=goal.specific, measure=goal.measure, baseline=goal.baseline,
                      target=goal.target, relevance=goal.relevance, due_on=goal.due_on,
                      action_steps=goal.action_steps.count() if goal.pk else 0,
                      program_starts_on=program.starts_on, program_ends_on=program.ends_on,
                      today=today or timezone.localdate())


def _check_fields(program: Program, fields: dict) -> dict:
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"not goal fields: {sorted(unknown)}")
    cleaned = dict(fields)
    for name in ("specific", "measure", "unit", "relevance"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "specific" in cleaned and not cleaned["specific"]:
        raise ValidationError({"specific": _("Say what the goal is.")})
    if "measure" in cleaned and not cleaned["measure"]:
        raise ValidationError({"measure": _("Say how you will measure it.")})
    if "due_on" in cleaned:
        inside_program(program, cleaned["due_on"], "due_on")
    area = cleaned.get("focus_area")
    if area is not None and area.district_id != program.district_id:
        raise ValidationError({"focus_area": _("Choose one of your district's focus areas.")})
    return cleaned


def _ready_to_activate(goal: Goal) -> None:
    """A goal is made active once it has a measure with a number and a date inside the
    program: the blocking findings of the SMART check."""
    blocking = smart_check(goal).blocking
    if blocking:
        raise ValidationError({f.field: str(f.problem) + " " + str(f.suggestion)
                               for f in blocking})


def _locked(goal: Goal) -> Goal:
    """The goal's row, locked until the write commits, as it is now."""
    current = Goal.objects.select_for_update().select_related(
        "participant__program", "participant__user").get(pk=goal.pk)
    return current


def _still_open(goal: Goal) -> None:
    if goal.state not in Goal.OPEN_STATES:
        raise ValidationError(_("This goal is “%(state)s”; it can no longer be changed.")
                              % {"state": goal.get_state_display()})


@transaction.atomic
def create_goal(*, participant: Participant, created_by, activate: bool = False,
                **fields) -> Goal:
    """A new goal of `participant` (an active mentee or peer), written by them. A draft
    unless `activate`, which needs the SMART check's essentials (a measure with a number,
    a date inside the program)."""
    program = participant.program
    if (participant.user_id != created_by.pk
            or participant.role not in GOAL_OWNER_ROLES
            or participant.status != Participant.Status.ACTIVE):
        raise PermissionDenied("goals.create_goal")
    _require(created_by, "goals.create_goal", program)
    goal = Goal(participant=participant, created_by=created_by,
                **_check_fields(program, fields))
    goal.full_clean(exclude=["participant"])
    goal.save()
    if activate:
        _ready_to_activate(goal)
        goal.state = Goal.State.ACTIVE
        goal.save(update_fields=["state", "updated_at"])
    return goal


@transaction.atomic
def update_goal(*, goal: Goal, changed_by, **fields) -> Goal:
    """Change a draft in place (the owner or their partner). An active goal is revised
    instead, so its earlier wording stays readable."""
    _require(changed_by, "goals.work_on_goal", goal)
    current = _locked(goal)
    if current.participant.user_id != changed_by.pk:
        # Whether to celebrate with the group is the owner's choice alone.
        fields.pop("celebrate_in_group", None)
    if current.state != Goal.State.DRAFT:
        raise ValidationError(_("Only a draft is changed in place; revise an active goal "
                                "so its earlier version stays readable."))
    for name, value in _check_fields(current.participant.program, fields).items():
        setattr(current, name, value)
    current.full_clean(exclude=["participant"])
    current.save()
    return current


@transaction.atomic
def activate_goal(*, goal: Goal, activated_by) -> Goal:
    """A draft becomes active once the SMART check finds nothing blocking."""
    _require(activated_by, "goals.decide_goal", goal)
    current = _locked(goal)
    if current.state != Goal.State.DRAFT:
        raise ValidationError(_("Only a draft can be made active."))
    _ready_to_activate(current)
    current.state = Goal.State.ACTIVE
    current.save(update_fields=["state", "updated_at"])
    return current


@transaction.atomic
def revise_goal(*, goal: Goal, revised_by, **fields) -> Goal:
    """A new version of an active goal: the old one is kept, marked "revised", and the new
    one (active) points back to it. Open action steps move to the new version; done ones,
    progress and comments stay with the version they belong to."""
    _require(revised_by, "goals.decide_goal", goal)
    current = _locked(goal)
    if current.state != Goal.State.ACTIVE:
        raise ValidationError(_("Only an active goal is revised; a draft is changed in "
                                "place."))
    wanted = {name: getattr(current, name) for name in GOAL_FIELDS}
    wanted.update(_check_fields(current.participant.program, fields))
    new = Goal(participant=current.participant, created_by=revised_by, revises=current,
               state=Goal.State.ACTIVE, **wanted)
    new.full_clean(exclude=["participant", "revises"])
    _ready_to_activate(new)
    current.state = Goal.State.REVISED
    current.save(update_fields=["state", "updated_at"])
    new.save()
    current.action_steps.open().update(goal=new)
    return new


@transaction.atomic
def achieve_goal(*, goal: Goal, achieved_by, achieved_on: date | None = None,
                 celebrate_in_group: bool | None = None) -> Goal:
    """The owner marks an active goal achieved, and may choose to celebrate it with their
    group."""
    _require(achieved_by, "goals.decide_goal", goal)
    current = _locked(goal)
    if current.state != Goal.State.ACTIVE:
        raise ValidationError(_("Only an active goal can be marked achieved."))
    day = achieved_on or timezone.localdate()
    program = current.participant.program
    if day < program.starts_on or day > max(program.ends_on, timezone.localdate()):
        raise ValidationError({"achieved_on": _("Choose a day of the program.")})
    current.state = Goal.State.ACHIEVED
    current.achieved_on = day
    if celebrate_in_group is not None:
        current.celebrate_in_group = celebrate_in_group
    current.save(update_fields=["state", "achieved_on", "celebrate_in_group", "updated_at"])
    return current


@transaction.atomic
def drop_goal(*, goal: Goal, dropped_by, reason: str) -> Goal:
    """The owner drops a draft or active goal, saying why in a few words. It is kept."""
    _require(dropped_by, "goals.decide_goal", goal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say in a few words why you are dropping it.")})
    current = _locked(goal)
    _still_open(current)
    current.state = Goal.State.DROPPED
    current.dropped_reason = reason[:500]
    current.save(update_fields=["state", "dropped_reason", "updated_at"])
    return current


@transaction.atomic
def add_action_step(goal: Goal, *, description: str, due_on: date, added_by,
                    origin: str = ActionStep.Origin.OWN,
                    next_step: NextStep | None = None) -> ActionStep:
    """An action step of a draft or active goal, added by its owner or their partner, due
    inside the program. From a check-in's next step (origin "checkin"), the step must be one
    agreed by the goal's own pair, for the goal's owner to take; a step already taken into
    this goal is refused."""
    _require(added_by, "goals.work_on_goal", goal)
    current = _locked(goal)
    _still_open(current)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what you will do.")})
    inside_program(current.participant.program, due_on, "due_on")
    if origin not in ActionStep.Origin.values:
        raise ValidationError({"origin": _("Choose where the step comes from.")})
    if next_step is not None:
        pairing = next_step.checkin.pairing
        if (pairing.program_id != current.participant.program_id
                or current.participant_id not in (pairing.mentor_id, pairing.mentee_id)
                or not pairing.includes(added_by)):
            raise PermissionDenied("goals.work_on_goal")
        if next_step.owner_id != current.participant.user_id:
            raise ValidationError(_("Only a next step the goal's owner agreed to take "
                                    "becomes one of its action steps."))
        if current.action_steps.filter(next_step=next_step).exists():
            raise ValidationError(_("This next step is already an action step of the goal."))
    step = ActionStep(goal=current, description=description[:300], due_on=due_on,
                      origin=origin, next_step=next_step, added_by=added_by)
    step.full_clean(exclude=["goal", "next_step"])
    step.save()
    return step


@transaction.atomic
def mark_step_done(*, step: ActionStep, marked_by, done: bool = True,
                   on: date | None = None) -> ActionStep:
    """Mark an action step done (today unless `on`), or open again. The goal's row is
    locked first, as a revision locks it: a step still open when the goal is revised
    moves to the new version and is marked there; one left on an earlier version (done
    before the revision) is not changed any more."""
    for _attempt in range(5):
        goal_id = ActionStep.objects.filter(pk=step.pk).values_list("goal_id", flat=True).get()
        goal = _locked(Goal(pk=goal_id))
        current = ActionStep.objects.select_for_update().get(pk=step.pk)
        if current.goal_id == goal.pk:
            break
        # Moved to a new version of the goal while this waited: follow it.
    else:
        raise ValidationError(_("This goal is being changed just now: try again."))
    if goal.state == Goal.State.REVISED:
        raise ValidationError(_("This goal has been revised: its steps are changed on its "
                                "current version."))
    _still_open(goal)
    _require(marked_by, "goals.work_on_goal", goal)
    current.goal = goal
    current.done_on = (on or timezone.localdate()) if done else None
    current.save(update_fields=["done_on"])
    return current


@transaction.atomic
def record_progress(*, goal: Goal, recorded_by, value: Decimal, recorded_on: date,
                    note: str = "", evidence=None) -> ProgressEntry:
    """A value of the goal's measure on a day of the program, with a note and, optionally,
    an evidence file whose type and size pass the checks (goals.files)."""
    _require(recorded_by, "goals.work_on_goal", goal)
    current = _locked(goal)
    _still_open(current)
    program = current.participant.program
    if recorded_on is None or recorded_on < program.starts_on or recorded_on > max(
            program.ends_on, timezone.localdate()):
        raise ValidationError({"recorded_on": _("Choose a day of the program.")})
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("Progress is recorded for today or a day "
                                                "before.")})
    if value is None:
        raise ValidationError({"value": _("Enter the value you measured.")})
    entry = ProgressEntry(goal=current, value=value, recorded_on=recorded_on,
                          note=(note or "").strip(), recorded_by=recorded_by)
    if evidence is not None:
        try:
            entry.evidence_type = check_evidence(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
        entry.evidence_name = (evidence.name or "file").replace("/", "_").replace("\\",
                                                                                  "_")[-255:]
        entry.evidence_size = evidence.size
        entry.evidence = evidence
    entry.full_clean(exclude=["goal", "evidence"])
    entry.save()
    return entry


@transaction.atomic
def remove_evidence(*, entry: ProgressEntry, removed_by) -> ProgressEntry:
    """The person who recorded a progress entry takes its evidence file off while the goal
    is open; the value and the note stay, and the stored file goes once the removal is
    committed."""
    if entry.recorded_by_id != removed_by.pk:
        raise PermissionDenied("goals.work_on_goal")
    goal = _locked(entry.goal)
    _still_open(goal)
    _require(removed_by, "goals.work_on_goal", goal)
    current = ProgressEntry.objects.select_for_update().get(pk=entry.pk)
    name, storage = current.evidence.name, current.evidence.storage
    current.evidence = ""
    current.evidence_name, current.evidence_type, current.evidence_size = "", "", None
    current.save(update_fields=["evidence", "evidence_name", "evidence_type",
                                "evidence_size"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    return current


@transaction.atomic
def comment_on_goal(*, goal: Goal, author, body: str) -> GoalComment:
    """The owner or their partner comments on a goal."""
    _require(author, "goals.comment_goal", goal)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = GoalComment(goal=goal, author=author, body=body)
    comment.full_clean(exclude=["goal", "author"])
    comment.save()
    return comment


# Example goals

@transaction.atomic
def publish_example(*, program: Program, published_by, **fields) -> ExampleGoal:
    """An example goal those who manage the program publish for its people to start from."""
    _require(published_by, "goals.manage_examples", program)
    cleaned = _check_fields(program, {k: v for k, v in fields.items() if k != "due_on"})
    cleaned.pop("celebrate_in_group", None)
    example = ExampleGoal(program=program, published_by=published_by, **cleaned)
    example.full_clean(exclude=["program"])
    example.save()
    return example


@transaction.atomic
def withdraw_example(*, example: ExampleGoal, withdrawn_by) -> ExampleGoal:
    """Take an example off the list; goals started from it are not touched."""
    _require(withdrawn_by, "goals.manage_examples", example.program)
    example.published = False
    example.save(update_fields=["published"])
    return example


# Prompts

@transaction.atomic
def add_prompt(*, program: Program, created_by, kind: str, text: str,
               schedule: bool = False) -> ReflectionPrompt:
    """A coordinator's own prompt for their program; `schedule` puts it last in the
    program's rotation."""
    _require(created_by, "goals.manage_prompts", program)
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the prompt.")})
    if kind not in ReflectionPrompt.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of prompt it is.")})
    prompt = ReflectionPrompt(kind=kind, text=text, program=program,
                              district_id=program.district_id, created_by=created_by)
    prompt.full_clean(exclude=["program", "district"])
    prompt.save()
    if schedule:
        schedule_prompt(program=program, prompt=prompt, scheduled_by=created_by)
    return prompt


@transaction.atomic
def set_prompt_active(*, program: Program, prompt: ReflectionPrompt, changed_by,
                      active: bool) -> ReflectionPrompt:
    """Retire or bring back one of the program's own prompts (shipped and district prompts
    are left as they are; a program takes them off its schedule instead)."""
    _require(changed_by, "goals.manage_prompts", program)
    if prompt.program_id != program.pk:
        raise PermissionDenied("goals.manage_prompts")
    prompt.active = active
    prompt.save(update_fields=["active"])
    if not active:
        PromptSchedule.objects.filter(program=program, prompt=prompt).delete()
    return prompt


@transaction.atomic
def schedule_prompt(*, program: Program, prompt: ReflectionPrompt,
                    scheduled_by) -> PromptSchedule:
    """Put a prompt the program may use last in its rotation (once)."""
    _require(scheduled_by, "goals.manage_prompts", program)
    if not ReflectionPrompt.objects.for_program(program).active().filter(
            pk=prompt.pk).exists():
        raise ValidationError({"prompt": _("Choose one of the program's prompts.")})
    Program.objects.select_for_update().filter(pk=program.pk).first()
    existing = PromptSchedule.objects.filter(program=program, prompt=prompt).first()
    if existing:
        return existing
    last = (PromptSchedule.objects.filter(program=program)
            .order_by("-position").values_list("position", flat=True).first())
    return PromptSchedule.objects.create(program=program, prompt=prompt,
                                         position=0 if last is None else last + 1)


@transaction.atomic
def move_prompt(*, program: Program, prompt: ReflectionPrompt, moved_by, up: bool) -> None:
    """Swap a scheduled prompt with the one before it (`up`) or after it."""
    _require(moved_by, "goals.manage_prompts", program)
    rows = list(PromptSchedule.objects.select_for_update().filter(program=program)
                .order_by("position", "pk"))
    index = next((i for i, row in enumerate(rows) if row.prompt_id == prompt.pk), None)
    other = None if index is None else index - 1 if up else index + 1
    if other is None or not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def unschedule_prompt(*, program: Program, prompt: ReflectionPrompt, unscheduled_by) -> None:
    _require(unscheduled_by, "goals.manage_prompts", program)
    PromptSchedule.objects.filter(program=program, prompt=prompt).delete()


# Reflections

def _check_links(author, program: Program, *, goal=None, checkin=None, session=None):
    if goal is not None and (goal.participant.program_id != program.pk
                             or not author.has_perm("goals.view_goal", goal)):
        raise ValidationError({"goal": _("Choose one of the goals of this program you can "
                                         "see.")})
    if checkin is not None and (checkin.pairing.program_id != program.pk
                                or not checkin.pairing.includes(author)
                                or checkin.pairing.status == Pairing.Status.PROPOSED):
        raise ValidationError({"checkin": _("Choose one of your own check-ins in this "
                                            "program.")})
    if session is not None and (session.group.program_id != program.pk
                                or not GroupMembership.objects.filter(
                                    group_id=session.group_id, participant__user=author
                                ).exists()):
        raise ValidationError({"session": _("Choose a session of one of your groups in "
                                            "this program.")})
    if session is not None and session.cancelled_at is not None:
        raise ValidationError({"session": _("That session was cancelled: choose another "
                                            "one, or none.")})


def _check_visibility(author, program: Program, visibility: str) -> None:
    if visibility not in Reflection.Visibility.values:
        raise ValidationError({"visibility": _("Choose who can read it.")})
    if visibility == Reflection.Visibility.PRIVATE:
        return
    paired = has_open_pairing(author, program)
    in_group = GroupMembership.objects.filter(
        participant__user=author, participant__program=program,
        participant__status=Participant.Status.ACTIVE).exists()
    if visibility == Reflection.Visibility.MENTOR and not paired:
        raise ValidationError({"visibility": _(
            "You have no mentor in this program yet: keep it private for now.")})
    if visibility == Reflection.Visibility.GROUP and not (in_group or paired):
        raise ValidationError({"visibility": _(
            "You are in no group of this program yet: keep it private or share it with "
            "your mentor.")})


def _check_confidence(confidence):
    if confidence is not None and not 1 <= confidence <= 5:
        raise ValidationError({"confidence": _("Choose from 1 to 5.")})


@transaction.atomic
def write_reflection(author, *, program: Program, body: str,
                     prompt: ReflectionPrompt | None = None, confidence: int | None = None,
                     visibility: str = Reflection.Visibility.PRIVATE, goal: Goal | None = None,
                     checkin: CheckIn | None = None,
                     session: GroupSession | None = None) -> Reflection:
    """A journal entry by an active participant of a program under way. Private unless the
    author chooses to share it with their mentor or their group."""
    _require(author, "goals.write_reflection", program)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your reflection first.")})
    if prompt is not None and not ReflectionPrompt.objects.for_program(program).filter(
            pk=prompt.pk).exists():
        raise ValidationError({"prompt": _("Choose one of the program's prompts.")})
    _check_confidence(confidence)
    _check_visibility(author, program, visibility)
    _check_links(author, program, goal=goal, checkin=checkin, session=session)
    reflection = Reflection(author=author, program=program, prompt=prompt, body=body,
                            confidence=confidence, visibility=visibility, goal=goal,
                            checkin=checkin, session=session,
                            shared_at=None if visibility == Reflection.Visibility.PRIVATE
                            else timezone.now())
    reflection.full_clean(exclude=["author", "program", "prompt", "goal", "checkin",
                                   "session"])
    reflection.save()
    return reflection


@transaction.atomic
def update_reflection(*, reflection: Reflection, changed_by, body: str,
                      confidence: int | None, visibility: str) -> Reflection:
    """The author rewrites an entry, rates it again, or changes who reads it (making it
    private again takes it away from everyone else at once)."""
    _require(changed_by, "goals.change_reflection", reflection)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your reflection first.")})
    _check_confidence(confidence)
    _check_visibility(changed_by, reflection.program, visibility)
    if visibility == Reflection.Visibility.PRIVATE:
        reflection.shared_at = None
    elif reflection.is_private or reflection.shared_at is None:
        # Shared from now on: a past partner does not see it.
        reflection.shared_at = timezone.now()
    reflection.body, reflection.confidence, reflection.visibility = body, confidence, visibility
    reflection.full_clean(exclude=["author", "program", "prompt", "goal", "checkin",
                                   "session"])
    reflection.save(update_fields=["body", "confidence", "visibility", "shared_at",
                                   "updated_at"])
    return reflection


def has_open_pairing(author, program: Program) -> bool:
    """Whether the author has a mentor (or a peer) now: someone to share an entry with."""
    return Pairing.objects.filter(program=program, status__in=OPEN_PAIRINGS).filter(
        Q(mentee__user=author) | Q(mentor__user=author, mentor__role=Participant.Role.PEER)
    ).exists()


@transaction.atomic
def reply_to_reflection(*, reflection: Reflection, author, body: str) -> ReflectionReply:
    """The author's mentor replies to an entry shared with them; the author answers in the
    same thread."""
    if not (author.has_perm("goals.reply_reflection", reflection)
            or (reflection.author_id == author.pk and reflection.replies.exists()
                and has_open_pairing(author, reflection.program))):
        raise PermissionDenied("goals.reply_reflection")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your reply first.")})
    reply = ReflectionReply(reflection=reflection, author=author, body=body)
    reply.full_clean(exclude=["reflection", "author"])
    reply.save()
    return reply


def focus_areas_for(program: Program):
    return FocusArea.objects.filter(district_id=program.district_id)
