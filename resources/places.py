"""Where resources are used, read as one person may see it: the resources on a group
session's agenda or attached to a check-in, suggestions for either, and a resource's places
of use.

Every function here costs a fixed number of queries, whatever the number of resources,
uses, sessions or check-ins."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from pairing.models import CheckIn
from programs.models import (
    Application,
    Group,
    GroupMembership,
    GroupSession,
    Participant,
    Program,
)

from .models import Resource, ResourceUse

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


@dataclass(frozen=True)
class Places:
    sessions: list  # the group sessions shown, newest first
    visible: int  # how many places the reader may open
    hidden: int  # how many they may not: counted, never named
    checkins: list = ()  # the reader's own check-ins shown, newest first
    visible_sessions: int = 0
    visible_checkins: int = 0

    @property
    def more_sessions(self):
        return self.visible_sessions - len(self.sessions)

    @property
    def more_checkins(self):
        return self.visible_checkins - len(self.checkins)


def places_for(user, resource):
    """Where a resource has been used: the places the reader may open, and a count of the
    rest. A check-in is a place only its pair may open: for everyone else, coordinators and
    admins included, it is counted with the rest, never named or dated. One query for the
    counts, and one for each kind of place the reader may open: three at most."""
    counts = resource.uses.aggregate(
        total=Count("pk"),
        sessions=Count("pk", filter=_at(GroupSession) & Q(object_id__in=GroupSession.objects
                       .filter(group__in=groups_visible_to(user)).values("pk"))),
        checkins=Count("pk", filter=_at(CheckIn) & Q(
            object_id__in=checkins_visible_to(user).values("pk"))),
    )
    sessions, checkins = [], []
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
    visible = counts["sessions"] + counts["checkins"]
    return Places(sessions, visible, counts["total"] - visible, checkins,
                  counts["sessions"], counts["checkins"])
