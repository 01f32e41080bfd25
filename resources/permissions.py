"""Who may do what with a resource.

Views first load the resource through `Resource.objects.visible_to(user)` (anything else is
a 404); these rules then say which actions the reader may take on what they can see.
`is_author` reads the prefetched authorships when the view loaded them, so checking several
rules on one page costs no extra query.
"""

import rules


@rules.predicate
def has_district(user):
    return user.is_authenticated and user.district_id is not None


@rules.predicate
def is_author(user, resource):
    return user.is_authenticated and user.pk in resource.author_ids()


@rules.predicate
def is_published(user, resource):
    return resource.is_published


@rules.predicate
def is_draft(user, resource):
    return resource.is_draft


@rules.predicate
def can_see(user, resource):
    """Published and shared with the reader, or written by them (the rule behind
    `Resource.objects.visible_to`, for one resource already loaded)."""
    from .models import Resource

    if not has_district(user):
        return False
    if is_author(user, resource):
        return True
    if not resource.is_published:
        return False
    scope = resource.scope
    if scope == Resource.Scope.INSTALLATION:
        return True
    if resource.district_id != user.district_id:
        return False
    if scope == Resource.Scope.DISTRICT:
        return True
    if scope in (Resource.Scope.PROGRAM, Resource.Scope.GROUP):
        return _takes_part(user, resource)
    return False


def _takes_part(user, resource):
    """Whether the reader is in the resource's program or group now; read once per resource
    and person in a request, however many rules ask."""
    from programs.models import GroupMembership, Participant

    cache = resource.__dict__.setdefault("_takes_part", {})
    if user.pk not in cache:
        if resource.scope == resource.Scope.PROGRAM:
            cache[user.pk] = resource.program_id is not None and Participant.objects.filter(
                program_id=resource.program_id, user_id=user.pk,
                status=Participant.Status.ACTIVE).exists()
        else:
            cache[user.pk] = resource.group_id is not None and GroupMembership.objects.filter(
                group_id=resource.group_id, participant__user_id=user.pk,
                participant__status=Participant.Status.ACTIVE).exists()
    return cache[user.pk]


rules.add_perm("resources.add_resource", has_district)
rules.add_perm("resources.view_resource", can_see)
rules.add_perm("resources.change_resource", has_district & is_author)
rules.add_perm("resources.publish_resource", has_district & is_author & is_draft)
# Comments and feedback on a draft are its authors' working notes; once published, anyone
# who can read it may discuss it and say how it went with their students.
rules.add_perm("resources.comment_on_resource", can_see)
rules.add_perm("resources.add_feedback", can_see)
rules.add_perm("resources.endorse_resource", can_see & is_published)
rules.add_perm("resources.adapt_resource", can_see & is_published)
