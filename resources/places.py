"""Where resources are used, read as one person may see it: the resources on a group
session's agenda, suggestions for a session, and a resource's places of use.

Every function here costs a fixed number of queries, whatever the number of resources,
uses or sessions."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from programs.models import Group, GroupMembership, GroupSession, Participant, Program

from .models import Resource, ResourceUse

SUGGESTED = 5
PLACES_SHOWN = 10
LONG_TEXTS = ("body", "rationale", "evidence", "search_document", "search_vector")


def session_uses():
    """Uses at group sessions. Joined by the content type's name rather than looked up by
    id, so a page costs the same number of queries whether or not this process has looked
    up the content type before."""
    meta = GroupSession._meta
    return ResourceUse.objects.filter(content_type__app_label=meta.app_label,
                                      content_type__model=meta.model_name)


def on_agenda(user, session):
    """The uses of resources on a session's agenda, in the order they were added, each with
    `readable` telling whether this person may open the resource (its title is shown only
    then). One query."""
    readable = Resource.objects.visible_to(user).filter(pk=OuterRef("resource_id"))
    return list(
        session_uses().filter(object_id=session.pk)
        .select_related("resource")
        .defer(*(f"resource__{name}" for name in LONG_TEXTS))
        .annotate(readable=Exists(readable))
        .order_by("added_at", "pk"))


def suggested_for(user, session, exclude=()):
    """A handful of published resources the reader may see that share a focus area with the
    session's group, most used first. Focus areas are matched by name, so resources shared
    by other districts count too. Two queries."""
    names = list(session.group.focus_areas.values_list("name", flat=True))
    if not names:
        return []
    tagged = Resource.focus_areas.through.objects.filter(
        focusarea__name__in=names).values("resource_id")
    return list(Resource.objects.visible_to(user).published()
                .filter(pk__in=tagged).exclude(pk__in=list(exclude))
                .defer(*LONG_TEXTS).most_used_first()[:SUGGESTED])


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


@dataclass(frozen=True)
class Places:
    sessions: list  # the group sessions shown, newest first
    visible: int  # how many places the reader may open
    hidden: int  # how many they may not: counted, never named

    @property
    def more(self):
        return self.visible - len(self.sessions)


def places_for(user, resource):
    """Where a resource has been used: the places the reader may open, and a count of the
    rest. Three queries."""
    total = resource.uses.count()
    if not total:
        return Places([], 0, 0)
    used_at = session_uses().filter(resource=resource).values("object_id")
    sessions = (GroupSession.objects.filter(pk__in=used_at, group__in=groups_visible_to(user))
                .select_related("group__program").order_by("-starts_at", "-pk"))
    visible = sessions.count()
    return Places(list(sessions[:PLACES_SHOWN]) if visible else [], visible, total - visible)
