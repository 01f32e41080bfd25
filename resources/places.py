"""Where resources are used, read as one person may see it: the resources on a group
session's agenda or attached to a check-in, suggestions for either, and a resource's places
of use.

Every function here costs a fixed number of queries, whatever the number of resources,
uses, sessions or check-ins."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from goals.models import ActionStep, Goal
from observations.models import DebriefNextStep, ObservationCycle
from pairing.models import CheckIn
from programs.models import (
    Application,
    Group,
    GroupMembership,
    GroupSession,
    Participant,
    Program,
)

from .models import Resource, ResourceIndicator, ResourceUse

SUGGESTED = 5
RESULTS_SHOWN = 10
PLACES_SHOWN = 10
LONG_TEXTS = ("body", "rationale", "evidence", "search_document", "search_vector")


def _at(model):
    """Uses at rows of `model`. Matched by the content type's name rather than looked up by
    id, so a page costs the same number of queries whether or not this process has looked
    up the content type before."""
    meta = model._meta
    return Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name)


def session_uses():
    """Uses at group sessions."""
    return ResourceUse.objects.filter(_at(GroupSession))


def checkin_uses():
    """Uses at check-ins."""
    return ResourceUse.objects.filter(_at(CheckIn))


def next_step_uses():
    """Uses at debriefs' next steps."""
    return ResourceUse.objects.filter(_at(DebriefNextStep))


def action_step_uses():
    """Uses at goals' action steps."""
    return ResourceUse.objects.filter(_at(ActionStep))


def _listed(uses, user):
    """`uses` in the order they were added, each with its resource (without the long texts)
    and `readable` telling whether this person may open it (its title is shown only then).
    One query."""
    readable = Resource.objects.visible_to(user).filter(pk=OuterRef("resource_id"))
    return list(
        uses.select_related("resource")
        .defer(*(f"resource__{name}" for name in LONG_TEXTS))
        .annotate(readable=Exists(readable))
        .order_by("added_at", "pk"))


def on_agenda(user, session):
    """The uses of resources on a session's agenda (see `_listed`). One query."""
    return _listed(session_uses().filter(object_id=session.pk), user)


def on_checkin(user, checkin):
    """The uses of resources attached to a check-in (see `_listed`). One query."""
    return _listed(checkin_uses().filter(object_id=checkin.pk), user)


def by_step(user, uses, steps):
    """{step pk: [use, ...]} for the uses at `steps` (see `_listed`). One query, however
    many steps."""
    found = {step.pk: [] for step in steps}
    if found:
        for use in _listed(uses.filter(object_id__in=list(found)), user):
            found[use.object_id].append(use)
    return found


def _suggested(user, tagged, exclude):
    return list(Resource.objects.visible_to(user).published()
                .filter(pk__in=tagged).exclude(pk__in=list(exclude))
                .defer(*LONG_TEXTS).most_used_first()[:SUGGESTED])


def suggested_for(user, session, exclude=()):
    """A handful of published resources the reader may see that share a focus area with the
    session's group, most used first. Focus areas are matched by name, so resources shared
    by other districts count too. Two queries."""
    names = list(session.group.focus_areas.values_list("name", flat=True))
    if not names:
        return []
    tagged = Resource.focus_areas.through.objects.filter(
        focusarea__name__in=names).values("resource_id")
    return _suggested(user, tagged, exclude)


def suggested_for_checkin(user, checkin, exclude=()):
    """A handful of published resources the reader may see that share a focus area with
    those the mentee gave in their application to the program (the areas they want to grow
    in), most used first; matched by name, as for sessions. One query: the mentee's focus
    areas are a subquery, so a mentee without an application simply gets no suggestions."""
    names = Application.focus_areas.through.objects.filter(
        application__participant_id=checkin.pairing.mentee_id).values("focusarea__name")
    tagged = Resource.focus_areas.through.objects.filter(
        focusarea__name__in=names).values("resource_id")
    return _suggested(user, tagged, exclude)


def _helps_with(keys):
    """Resources tagged with one of the look-fors whose keys the subquery `keys` gives."""
    return ResourceIndicator.objects.filter(key__in=keys).values("resource_id")


def _in_focus_areas(names):
    """Resources tagged with a focus area of one of the names the subquery `names` gives
    (by name, so resources of other districts count too)."""
    return Resource.focus_areas.through.objects.filter(
        focusarea__name__in=names).values("resource_id")


def suggested_for_debrief(user, debrief, exclude=()):
    """A handful of published resources the reader may see that help with the cycle's
    look-fors (matched by the indicator's key, so they survive edits of the template) or
    share a focus area with the cycle's goal or with those the mentee gave in their
    application, most used first. One query: the rest are subqueries."""
    cycle = debrief.cycle
    keys = ObservationCycle.look_fors.through.objects.filter(
        observationcycle_id=cycle.pk).values("indicator__key")
    goal_area = Goal.objects.filter(pk=cycle.goal_id or 0).values("focus_area__name")
    applied = Application.focus_areas.through.objects.filter(
        application__participant_id=cycle.pairing.mentee_id).values("focusarea__name")
    return _suggested_from(user, Q(pk__in=_helps_with(keys))
                           | Q(pk__in=_in_focus_areas(goal_area))
                           | Q(pk__in=_in_focus_areas(applied)), exclude)


def suggested_for_goal(user, goal, exclude=()):
    """A handful of published resources the reader may see that share the goal's focus
    area, or help with the look-fors of the observation cycles tied to the goal, most used
    first. One query."""
    area = Goal.objects.filter(pk=goal.pk).values("focus_area__name")
    keys = ObservationCycle.look_fors.through.objects.filter(
        observationcycle__goal_id=goal.pk).values("indicator__key")
    return _suggested_from(user, Q(pk__in=_in_focus_areas(area)) | Q(pk__in=_helps_with(keys)),
                           exclude)


def _suggested_from(user, condition, exclude):
    return list(Resource.objects.visible_to(user).published()
                .filter(condition).exclude(pk__in=list(exclude))
                .defer(*LONG_TEXTS).most_used_first()[:SUGGESTED])


def attachable(user, query, uses):
    """The published resources the reader may read that match `query` and are not among
    `uses` (the place's uses already there), best match first. One query."""
    return list(Resource.objects.visible_to(user).published().search(query)
                .exclude(pk__in=uses.values("resource_id")).defer(*LONG_TEXTS)
                .order_by("-rank", "-endorsement_count", "-updated_at", "-pk")[:RESULTS_SHOWN])


def groups_visible_to(user):
    """Groups whose sessions this person may open: those they are an active member of, and
    every group of the programs they manage (the rule of Group.objects.visible_to, across
    programs)."""
    if not user.is_authenticated or user.district_id is None:
        return Group.objects.none()
    member_of = GroupMembership.objects.filter(
        participant__user_id=user.pk,
        participant__status=Participant.Status.ACTIVE).values("group_id")
    return Group.objects.filter(
        Q(pk__in=member_of) | Q(program__in=Program.objects.managed_by(user).values("pk")))


def checkins_visible_to(user):
    """Check-ins this person may open: those of the pairings they are one of the pair of
    (the rule of the check-in page; nobody else reads a pair's check-ins)."""
    if not user.is_authenticated:
        return CheckIn.objects.none()
    return CheckIn.objects.of_user(user)


def next_steps_visible_to(user):
    """Debrief next steps this person may open: those of the debriefs they may read (the
    rule of the cycle page: the cycle's mentor always; its mentee, and whoever the mentee
    shared the cycle with, once the debrief is shared)."""
    if not user.is_authenticated:
        return DebriefNextStep.objects.none()
    cycles = ObservationCycle.objects.visible_to(user)
    return DebriefNextStep.objects.filter(
        Q(debrief__shared_at__isnull=False) | Q(debrief__cycle__mentor_id=user.pk),
        debrief__cycle__in=cycles.values("pk")).exclude(
        debrief__cycle__stage__in=[ObservationCycle.Stage.PLANNING,
                                   ObservationCycle.Stage.OBSERVING])


def action_steps_visible_to(user):
    """Action steps of the goals this person may open (the goal's owner, their partners
    and the program's coordinators; never admins); a past partner, those written before
    the pairing ended."""
    return ActionStep.objects.visible_to(user)


@dataclass(frozen=True)
class Places:
    sessions: list  # the group sessions shown, newest first
    visible: int  # how many places the reader may open
    hidden: int  # how many they may not: counted, never named
    checkins: list = ()  # the reader's own check-ins shown, newest first
    visible_sessions: int = 0
    visible_checkins: int = 0
    next_steps: list = ()  # debrief next steps the reader may open, newest first
    action_steps: list = ()  # action steps of goals the reader may open, newest first
    visible_next_steps: int = 0
    visible_action_steps: int = 0

    @property
    def more_sessions(self):
        return self.visible_sessions - len(self.sessions)

    @property
    def more_checkins(self):
        return self.visible_checkins - len(self.checkins)

    @property
    def more_next_steps(self):
        return self.visible_next_steps - len(self.next_steps)

    @property
    def more_action_steps(self):
        return self.visible_action_steps - len(self.action_steps)


def places_for(user, resource):
    """Where a resource has been used: the places the reader may open, and a count of the
    rest. A check-in is a place only its pair may open: for everyone else, coordinators and
    admins included, it is counted with the rest, never named or dated. So is a debrief's
    next step for anyone who may not read the debrief, and a goal's action step for anyone
    who may not open the goal. One query for the counts, and one for each kind of place
    the reader may open: five at most."""
    counts = resource.uses.aggregate(
        total=Count("pk"),
        sessions=Count("pk", filter=_at(GroupSession) & Q(object_id__in=GroupSession.objects
                       .filter(group__in=groups_visible_to(user)).values("pk"))),
        checkins=Count("pk", filter=_at(CheckIn) & Q(
            object_id__in=checkins_visible_to(user).values("pk"))),
        next_steps=Count("pk", filter=_at(DebriefNextStep) & Q(
            object_id__in=next_steps_visible_to(user).values("pk"))),
        action_steps=Count("pk", filter=_at(ActionStep) & Q(
            object_id__in=action_steps_visible_to(user).values("pk"))),
    )
    sessions, checkins, next_steps, action_steps = [], [], [], []
    if counts["sessions"]:
        used_at = session_uses().filter(resource=resource).values("object_id")
        sessions = list(
            GroupSession.objects.filter(pk__in=used_at, group__in=groups_visible_to(user))
            .select_related("group__program").order_by("-starts_at", "-pk")[:PLACES_SHOWN])
    if counts["checkins"]:
        used_at = checkin_uses().filter(resource=resource).values("object_id")
        checkins = list(
            checkins_visible_to(user).filter(pk__in=used_at)
            .select_related("pairing__mentor__user", "pairing__mentee__user")
            .defer(*CheckIn.NOTE_FIELDS).order_by("-scheduled_at", "-pk")[:PLACES_SHOWN])
        for checkin in checkins:
            checkin.partner = checkin.pairing.partner_of(user).user
    if counts["next_steps"]:
        used_at = next_step_uses().filter(resource=resource).values("object_id")
        next_steps = list(
            next_steps_visible_to(user).filter(pk__in=used_at)
            .select_related("debrief__cycle__mentee")
            .only("pk", "position", "debrief__cycle__id", "debrief__cycle__created_at",
                  "debrief__cycle__mentee__display_name")
            .order_by("-debrief__cycle__created_at", "-pk")[:PLACES_SHOWN])
    if counts["action_steps"]:
        used_at = action_step_uses().filter(resource=resource).values("object_id")
        action_steps = list(
            action_steps_visible_to(user).filter(pk__in=used_at)
            .select_related("goal__participant__user")
            .only("pk", "description", "goal__id", "goal__specific",
                  "goal__participant__user__display_name")
            .order_by("-created_at", "-pk")[:PLACES_SHOWN])
    visible = (counts["sessions"] + counts["checkins"] + counts["next_steps"]
               + counts["action_steps"])
    return Places(sessions, visible, counts["total"] - visible, checkins,
                  counts["sessions"], counts["checkins"], next_steps, action_steps,
                  counts["next_steps"], counts["action_steps"])
