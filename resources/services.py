"""Writes with rules: writing, versioning, sharing, discussing, endorsing, adapting resources.

Every function checks the permission it needs and raises PermissionDenied otherwise, so a
task or an API calls them as safely as a view. Bad input raises ValidationError keyed by
field.
"""

import difflib
import logging
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FocusArea, Grade, Subject, User, choice_labels
from goals.models import ActionStep
from observations.models import Debrief, DebriefNextStep, ObservationCycle
from pairing.models import CheckIn
from programs.models import Group, GroupMembership, GroupSession, Participant, Program

from .files import check_upload
from .models import (
    Comment,
    Endorsement,
    Resource,
    ResourceAuthor,
    ResourceFeedback,
    ResourceFile,
    ResourceIndicator,
    ResourceTag,
    ResourceUse,
    ResourceVersion,
)

logger = logging.getLogger(__name__)

# The fields an edit may change; a version keeps all of them.
CONTENT_FIELDS = ["kind", "title", "summary", "body", "url", "rationale", "evidence", "scope"]
TAG_FIELDS = ["subjects", "focus_areas", "grades", "tags"]


def _require(user, perm, resource=None):
    if not user.has_perm(perm, resource):
        raise PermissionDenied(perm)


def _locked(resource):
    """The resource's row, locked until the transaction ends, with its authors as they are
    now: writes that depend on who the authors are run one after the other."""
    return (Resource.objects.select_for_update().prefetch_related("authorships")
            .get(pk=resource.pk))


def _with_authorships(resource):
    """The resource with its authorships loaded, so rules read them without a query each."""
    if "authorships" not in getattr(resource, "_prefetched_objects_cache", {}):
        resource = Resource.objects.prefetch_related("authorships").get(pk=resource.pk)
    return resource


def normalise_tags(tags):
    """Lower-case, trimmed, de-duplicated keywords, in the order given."""
    seen = []
    for tag in tags:
        tag = " ".join(tag.split()).lower()[:50]
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def _check_vocabulary(district, subjects, focus_areas):
    if any(s.district_id != district.pk for s in subjects):
        raise ValidationError({"subjects": _("Choose subjects of your own district.")})
    if any(f.district_id != district.pk for f in focus_areas):
        raise ValidationError({"focus_areas": _("Choose focus areas of your own district.")})


def _validate(resource):
    """The model's one-row rules (link address, grade codes, lengths) as field errors."""
    resource.full_clean(exclude=["district", "created_by", "adapted_from", "program",
                                 "group", "search_document", "search_vector"])


def programs_shareable_by(user):
    """The programs a person may share a resource with: those of their district they take
    part in now (active participant, any role)."""
    if not user.is_authenticated or user.district_id is None:
        return Program.objects.none()
    return Program.objects.filter(
        district_id=user.district_id,
        pk__in=Participant.objects.filter(user_id=user.pk, status=Participant.Status.ACTIVE)
        .values("program_id"))


def groups_shareable_by(user):
    """The groups a person may share a resource with: those they are an active member or
    lead of, in their district."""
    if not user.is_authenticated or user.district_id is None:
        return Group.objects.none()
    return Group.objects.filter(
        program__district_id=user.district_id,
        pk__in=GroupMembership.objects.filter(
            participant__user_id=user.pk, participant__status=Participant.Status.ACTIVE)
        .values("group_id"))


def _sharing(user, scope, program, group, current=(None, None)):
    """The (program, group) a resource keeps for its scope. A program or group is kept only
    with its own scope; choosing a new one takes being in it, keeping the current one (a
    co-author who is not in it edits the text) does not."""
    program = program if scope == Resource.Scope.PROGRAM else None
    group = group if scope == Resource.Scope.GROUP else None
    if scope == Resource.Scope.PROGRAM:
        if program is None:
            raise ValidationError({"program": _("Choose the program to share it with.")})
        keeps = current[0] == program.pk
        if not keeps and not programs_shareable_by(user).filter(pk=program.pk).exists():
            raise ValidationError({"program": _("Choose a program you take part in.")})
    if scope == Resource.Scope.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose the group to share it with.")})
        keeps = current[1] == group.pk
        if not keeps and not groups_shareable_by(user).filter(pk=group.pk).exists():
            raise ValidationError({"group": _("Choose a group you are a member of.")})
    return program, group


def normalise_indicators(indicators):
    """(key, label) pairs with a valid key, once each, labels trimmed to fit."""
    seen = {}
    for key, label in indicators:
        try:
            key = str(uuid.UUID(str(key)))
        except ValueError:
            raise ValidationError({"look_fors": _("Choose look-fors from the list.")}) from None
        seen.setdefault(key, " ".join(str(label).split())[:300])
    return list(seen.items())


def _search_document(resource, subjects, focus_areas, tags, indicators=()):
    parts = [resource.title, resource.title, resource.summary, resource.get_kind_display(),
             " ".join(str(s) for s in subjects), " ".join(str(f) for f in focus_areas),
             " ".join(str(label) for label in choice_labels(Grade, resource.grades)),
             " ".join(tags), " ".join(label for _key, label in indicators),
             resource.body, resource.rationale, resource.evidence]
    return "\n".join(str(p) for p in parts if p)


def _snapshot(resource, subjects, focus_areas, tags, indicators=()):
    data = {name: getattr(resource, name) for name in CONTENT_FIELDS}
    data.update(
        program=str(resource.program) if resource.program_id else "",
        group=str(resource.group) if resource.group_id else "",
        subjects=sorted(s.name for s in subjects),
        focus_areas=sorted(f.name for f in focus_areas),
        grades=list(resource.grades),
        tags=list(tags),
    )
    # Only when there are some, so versions saved before look-fors existed still compare
    # equal to an edit that changes nothing.
    if indicators:
        data["look_fors"] = sorted(label for _key, label in indicators)
    return data


def _save_indicators(resource, indicators):
    keys = [key for key, _label in indicators]
    ResourceIndicator.objects.filter(resource=resource).exclude(key__in=keys).delete()
    existing = {str(key) for key in resource.indicators.values_list("key", flat=True)}
    ResourceIndicator.objects.bulk_create(
        [ResourceIndicator(resource=resource, key=key, label=label)
         for key, label in indicators if key not in existing])


def _save_tags(resource, subjects, focus_areas, tags):
    resource.subjects.set(subjects)
    resource.focus_areas.set(focus_areas)
    ResourceTag.objects.filter(resource=resource).exclude(name__in=tags).delete()
    existing = set(resource.tags.values_list("name", flat=True))
    ResourceTag.objects.bulk_create(
        [ResourceTag(resource=resource, name=tag) for tag in tags if tag not in existing])


def create_resource(*, author: User, kind: str, title: str, summary: str, body: str = "",
                    url: str = "", rationale: str = "", evidence: str = "",
                    scope: str = Resource.Scope.DISTRICT, subjects=(), focus_areas=(),
                    grades=(), tags=(), note: str = "", adapted_from: Resource | None = None,
                    program: Program | None = None, group: Group | None = None,
                    indicators=()) -> Resource:
    """A new draft in the author's district, with the author as its first co-author and its
    first version saved. A program or group to share it with must be one the author takes
    part in."""
    _require(author, "resources.add_resource")
    subjects, focus_areas, tags = list(subjects), list(focus_areas), normalise_tags(tags)
    indicators = normalise_indicators(indicators)
    program, group = _sharing(author, scope, program, group)
    resource = Resource(
        district_id=author.district_id, kind=kind, title=title, summary=summary, body=body,
        url=url, rationale=rationale, evidence=evidence, scope=scope, grades=list(grades),
        created_by=author, adapted_from=adapted_from, program=program, group=group,
    )
    _check_vocabulary(author.district, subjects, focus_areas)
    _validate(resource)
    with transaction.atomic():
        resource.search_document = _search_document(resource, subjects, focus_areas, tags,
                                                    indicators)
        resource.save()
        Resource.objects.filter(pk=resource.pk).refresh_search()
        ResourceAuthor.objects.create(resource=resource, user=author, added_by=author)
        _save_tags(resource, subjects, focus_areas, tags)
        _save_indicators(resource, indicators)
        ResourceVersion.objects.create(
            resource=resource, number=1, edited_by=author, note=note or _("First version"),
            snapshot=_snapshot(resource, subjects, focus_areas, tags, indicators),
        )
    return resource


@dataclass(frozen=True)
class StaleEdit(Exception):
    """Someone saved a newer version since the editor opened the form."""

    current: int


def edit_resource(*, resource: Resource, editor: User, base_version: int, note: str = "",
                  subjects=(), focus_areas=(), tags=(), program: Program | None = None,
                  group: Group | None = None, indicators=None,
                  **fields) -> ResourceVersion | None:
    """Change a resource and save the change as its next version.

    `base_version` is the version the editor started from: when a co-author saved another
    since, nothing is written and StaleEdit says which version is current, so no one's edit
    is silently overwritten. Returns the new version, or None when nothing changed.
    """
    resource = _with_authorships(resource)
    _require(editor, "resources.change_resource", resource)
    unknown = set(fields) - set(CONTENT_FIELDS) - {"grades"}
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    subjects, focus_areas, tags = list(subjects), list(focus_areas), normalise_tags(tags)
    _check_vocabulary(resource.district, subjects, focus_areas)
    with transaction.atomic():
        # None: the look-fors stay as they are (a form that does not offer them).
        if indicators is None:
            indicators = list(resource.indicators.values_list("key", "label"))
        indicators = normalise_indicators(indicators)
        resource = _locked(resource)
        # Asked again under the lock: a co-author removed meanwhile saves nothing.
        _require(editor, "resources.change_resource", resource)
        current_sharing = (resource.program_id, resource.group_id)
        latest = resource.versions.order_by("-number").first()
        current = latest.number if latest else 0
        if base_version != current:
            raise StaleEdit(current)
        for name, value in fields.items():
            setattr(resource, name, list(value) if name == "grades" else value)
        resource.program, resource.group = _sharing(editor, resource.scope, program, group,
                                                    current=current_sharing)
        _validate(resource)
        snapshot = _snapshot(resource, subjects, focus_areas, tags, indicators)
        if latest and latest.snapshot == snapshot:
            return None
        resource.search_document = _search_document(resource, subjects, focus_areas, tags,
                                                    indicators)
        resource.save()
        Resource.objects.filter(pk=resource.pk).refresh_search()
        _save_tags(resource, subjects, focus_areas, tags)
        _save_indicators(resource, indicators)
        return ResourceVersion.objects.create(
            resource=resource, number=current + 1, edited_by=editor, note=note,
            snapshot=snapshot,
        )


def add_coauthor(*, resource: Resource, added_by: User, email: str) -> ResourceAuthor:
    """Make a colleague of the resource's district a co-author. Someone outside the district
    is reported exactly like an unknown address, so the form reveals nothing beyond it."""
    resource = _with_authorships(resource)
    _require(added_by, "resources.change_resource", resource)
    person = User.objects.filter(email__iexact=email.strip(), district_id=resource.district_id,
                                 is_active=True).first()
    if person is None:
        raise ValidationError({"email": _("No one in your district has this email address.")})
    already = ValidationError({"email": _("%(name)s is already a co-author.") % {"name": person}})
    if person.pk in resource.author_ids():
        raise already
    try:
        with transaction.atomic():
            return ResourceAuthor.objects.create(resource=resource, user=person,
                                                 added_by=added_by)
    except IntegrityError:  # added by a second submit a moment ago
        raise already from None


def remove_coauthor(*, resource: Resource, removed_by: User,
                    authorship: ResourceAuthor) -> None:
    """Take a co-author off the resource (or leave it, when it is oneself). A resource
    always keeps at least one author, so someone can still edit it."""
    if authorship.resource_id != resource.pk:
        raise PermissionDenied("resources.change_resource")
    with transaction.atomic():
        # Two authors removing each other at once: the second finds one author left.
        resource = _locked(resource)
        _require(removed_by, "resources.change_resource", resource)
        if len(resource.author_ids()) <= 1:
            raise ValidationError(_("A resource needs at least one author: add a co-author "
                                    "before you leave it."))
        authorship.delete()


def publish_resource(*, resource: Resource, published_by: User) -> None:
    """Share a draft with the people its scope names."""
    resource = _with_authorships(resource)
    _require(published_by, "resources.publish_resource", resource)
    Resource.objects.filter(pk=resource.pk, status=Resource.Status.DRAFT).update(
        status=Resource.Status.PUBLISHED, published_at=timezone.now(), updated_at=timezone.now())


def comment_on_resource(*, resource: Resource, author: User, body: str) -> Comment:
    resource = _with_authorships(resource)
    _require(author, "resources.comment_on_resource", resource)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment first.")})
    return Comment.objects.create(resource=resource, author=author, body=body.strip())


def add_feedback(*, resource: Resource, author: User, body: str,
                 used_with: str = "") -> ResourceFeedback:
    """Add to the design record how the resource went with students."""
    resource = _with_authorships(resource)
    _require(author, "resources.add_feedback", resource)
    if not body.strip():
        raise ValidationError({"body": _("Say what happened when you used it.")})
    return ResourceFeedback.objects.create(resource=resource, author=author, body=body.strip(),
                                           used_with=used_with.strip())


def endorse_resource(*, resource: Resource, user: User) -> bool:
    """Record “I used this in my class”. At most once per person: returns False when they
    had already said so. The resource's counter moves with the row, in one transaction."""
    resource = _with_authorships(resource)
    _require(user, "resources.endorse_resource", resource)
    try:
        with transaction.atomic():
            Endorsement.objects.create(resource=resource, user=user)
            Resource.objects.filter(pk=resource.pk).update(
                endorsement_count=F("endorsement_count") + 1)
    except IntegrityError:
        return False
    return True


def withdraw_endorsement(*, resource: Resource, user: User) -> bool:
    with transaction.atomic():
        deleted, _rows = Endorsement.objects.filter(resource=resource, user=user).delete()
        if deleted:
            Resource.objects.filter(pk=resource.pk, endorsement_count__gt=0).update(
                endorsement_count=F("endorsement_count") - 1)
    return bool(deleted)


def _matching_vocabulary(model, names, district_id):
    return list(model.objects.filter(district_id=district_id, name__in=names))


def adapt_resource(*, source: Resource, author: User, title: str = "") -> Resource:
    """Copy a published resource into a new draft of the author's own district, linked to
    its source so the lineage shows on both. Subjects and focus areas are matched by name
    in the author's district; files are copied, so the adaptation keeps them even if the
    source changes. A copy of a program's or group's resource stays shared with it when the
    author takes part in it too; otherwise it is shared with its authors only, so nothing
    reaches more people than the source did."""
    source = _with_authorships(source)
    _require(author, "resources.adapt_resource", source)
    subjects = _matching_vocabulary(Subject, source.subjects.values_list("name", flat=True),
                                    author.district_id)
    focus_areas = _matching_vocabulary(
        FocusArea, source.focus_areas.values_list("name", flat=True), author.district_id)
    scope, program, group = source.scope, None, None
    if scope == Resource.Scope.PROGRAM:
        program = programs_shareable_by(author).filter(pk=source.program_id).first()
    elif scope == Resource.Scope.GROUP:
        group = groups_shareable_by(author).filter(pk=source.group_id).first()
    if scope in (Resource.Scope.PROGRAM, Resource.Scope.GROUP) and not (program or group):
        scope = Resource.Scope.AUTHORS
    with transaction.atomic():
        copy = create_resource(
            author=author, kind=source.kind, title=(title or source.title)[:200],
            summary=source.summary, body=source.body, url=source.url,
            rationale=source.rationale, evidence=source.evidence, scope=scope,
            subjects=subjects, focus_areas=focus_areas, grades=source.grades,
            tags=source.tags.values_list("name", flat=True), adapted_from=source,
            indicators=source.indicators.values_list("key", "label"),
            program=program, group=group,
            note=_("Adapted from “%(title)s”") % {"title": source.title},
        )
        for attached in source.files.all():
            try:
                with attached.file.open("rb") as handle:
                    content = ContentFile(handle.read(), name=attached.original_name)
            except FileNotFoundError:
                # Lost from storage (a restore without media): the copy goes without it.
                logger.warning("resource file %s is missing from storage", attached.pk)
                continue
            ResourceFile.objects.create(
                resource=copy, file=content, original_name=attached.original_name,
                content_type=attached.content_type, size=attached.size,
                description=attached.description, uploaded_by=author,
            )
    return copy


def attach_file(*, resource: Resource, uploaded_by: User, upload,
                description: str = "") -> ResourceFile:
    """Store an uploaded file with the resource once its type and size pass the checks."""
    resource = _with_authorships(resource)
    _require(uploaded_by, "resources.change_resource", resource)
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-255:]
    return ResourceFile.objects.create(
        resource=resource, file=upload, original_name=name, content_type=content_type,
        size=upload.size, description=description.strip(), uploaded_by=uploaded_by,
    )


def remove_file(*, resource: Resource, removed_by: User, attached: ResourceFile) -> None:
    """Take a file off the resource. The stored file goes once the removal is committed,
    so a rollback never leaves a row pointing at nothing."""
    resource = _with_authorships(resource)
    _require(removed_by, "resources.change_resource", resource)
    if attached.resource_id != resource.pk:
        raise PermissionDenied("resources.change_resource")
    stored, name = attached.file.storage, attached.file.name
    attached.delete()
    transaction.on_commit(lambda: stored.delete(name))


def record_use(*, resource: Resource, target, added_by: User) -> bool:
    """Note that a resource was used at `target` (a check-in, a goal's action step...).
    Once per resource and place; returns False when it was already recorded. The apps that
    own the places call this; the reader must be able to see the resource."""
    resource = _with_authorships(resource)
    _require(added_by, "resources.view_resource", resource)
    content_type = ContentType.objects.get_for_model(target)
    try:
        with transaction.atomic():
            ResourceUse.objects.create(resource=resource, content_type=content_type,
                                       object_id=target.pk, district_id=added_by.district_id,
                                       added_by=added_by)
            Resource.objects.filter(pk=resource.pk).update(use_count=F("use_count") + 1)
    except IntegrityError:
        return False
    return True


def attach_to_session(*, resource: Resource, session: GroupSession, added_by: User) -> bool:
    """Put a resource on a group session's agenda. For those who run the group, with a
    resource they can read; once per session (False when it was already there)."""
    _require_run_group(added_by, session)
    return record_use(resource=resource, target=session, added_by=added_by)


def detach_from_session(*, use: ResourceUse, session: GroupSession, removed_by: User) -> bool:
    """Take a resource off a session's agenda, whoever put it there (a lead may tidy the
    agenda even of a resource they cannot read). The resource's counter moves with the row."""
    _require_run_group(removed_by, session)
    return _remove_use(use, session)


def _require_run_group(user, session):
    if not user.has_perm("programs.run_group", session.group):
        raise PermissionDenied("programs.run_group")


def attach_to_checkin(*, resource: Resource, checkin: CheckIn, added_by: User) -> bool:
    """Attach a resource to a check-in. For the two people of the pairing while it is open
    (active or paused), with a resource they can read; once per check-in (False when it was
    already there). Any check-in of an open pairing takes one, scheduled or already past,
    so the pair can plan a meeting or note afterwards what they used; once the pairing has
    ended, its check-ins are a record that stays as it is."""
    _require_open_pair(added_by, checkin)
    return record_use(resource=resource, target=checkin, added_by=added_by)


def detach_from_checkin(*, use: ResourceUse, checkin: CheckIn, removed_by: User) -> bool:
    """Take a resource off a check-in, whichever of the pair attached it (even one the
    remover cannot read). The resource's counter moves with the row."""
    _require_open_pair(removed_by, checkin)
    return _remove_use(use, checkin)


def _remove_use(use, target):
    content_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        deleted, _rows = ResourceUse.objects.filter(
            pk=use.pk, content_type=content_type, object_id=target.pk).delete()
        if deleted:
            Resource.objects.filter(pk=use.resource_id, use_count__gt=0).update(
                use_count=F("use_count") - 1)
    return bool(deleted)


def _require_open_pair(user, checkin):
    if not user.has_perm("pairing.read_pair_notes", checkin.pairing):
        raise PermissionDenied("pairing.read_pair_notes")
    if not checkin.pairing.is_open:
        raise PermissionDenied("the pairing has ended")


def may_change_debrief_resources(user, debrief: Debrief) -> bool:
    """The cycle's two people, while the cycle is not cancelled; the mentee only once the
    debrief is shared with them (until then it is the mentor's draft)."""
    cycle = debrief.cycle
    return (cycle.includes(user) and cycle.stage != ObservationCycle.Stage.CANCELLED
            and (user.pk == cycle.mentor_id or debrief.is_shared))


def _require_debrief(user, step):
    if not may_change_debrief_resources(user, step.debrief):
        raise PermissionDenied("observations.work_on_cycle")


def attach_to_next_step(*, resource: Resource, step: DebriefNextStep, added_by: User) -> bool:
    """Attach a resource to a debrief's next step: for the cycle's two people (see
    may_change_debrief_resources), with a resource they can read; once per step (False
    when it was already there)."""
    _require_debrief(added_by, step)
    return record_use(resource=resource, target=step, added_by=added_by)


def detach_from_next_step(*, use: ResourceUse, step: DebriefNextStep, removed_by: User) -> bool:
    """Take a resource off a next step, whichever of the two attached it."""
    _require_debrief(removed_by, step)
    return _remove_use(use, step)


def may_change_goal_resources(user, goal) -> bool:
    """Whoever may work on the goal's action steps: its owner and their partner, while the
    goal is open (goals.work_on_goal)."""
    return user.has_perm("goals.work_on_goal", goal)


def attach_to_action_step(*, resource: Resource, step: ActionStep, added_by: User) -> bool:
    """Attach a resource to an open action step of a goal: for the goal's owner and their
    partner while the goal is open, with a resource they can read; once per step (False
    when it was already there)."""
    if not may_change_goal_resources(added_by, step.goal):
        raise PermissionDenied("goals.work_on_goal")
    if step.done_on is not None:
        raise ValidationError(_("This action step is done: open it again to attach a "
                                "resource."))
    return record_use(resource=resource, target=step, added_by=added_by)


def detach_from_action_step(*, use: ResourceUse, step: ActionStep, removed_by: User) -> bool:
    """Take a resource off an action step, whichever of the two attached it."""
    if not may_change_goal_resources(removed_by, step.goal):
        raise PermissionDenied("goals.work_on_goal")
    return _remove_use(use, step)


# -- reading versions -----------------------------------------------------------------------

@dataclass(frozen=True)
class DiffLine:
    change: str   # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    lines: list


def _lines(name, value):
    """A snapshot's field as lines of text, codes shown as the words people read."""
    if name == "kind":
        value = Resource.Kind(value).label if value in Resource.Kind.values else value
    elif name == "scope":
        value = Resource.Scope(value).label if value in Resource.Scope.values else value
    elif name == "grades":
        return [str(label) for label in choice_labels(Grade, value or [])]
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").splitlines()


def _field_labels():
    labels = {name: Resource._meta.get_field(name).verbose_name for name in CONTENT_FIELDS}
    labels.update(subjects=Resource._meta.get_field("subjects").verbose_name,
                  focus_areas=Resource._meta.get_field("focus_areas").verbose_name,
                  grades=Resource._meta.get_field("grades").verbose_name,
                  tags=ResourceTag._meta.verbose_name_plural,
                  look_fors=ResourceIndicator._meta.verbose_name_plural)
    return labels


def diff_versions(older: dict, newer: dict) -> list:
    """The fields that differ between two snapshots, each as lines kept, added and removed
    (difflib, line by line), in the order of the form."""
    diffs = []
    for name, label in _field_labels().items():
        before, after = _lines(name, older.get(name)), _lines(name, newer.get(name))
        if before == after:
            continue
        diffs.append(FieldDiff(name, str(label).capitalize(), _diff_lines(before, after)))
    return diffs


# Beyond this many line pairs (after the unchanged start and end are set aside) the middle
# is shown as removed and added: the line-by-line matching grows faster than the text.
MAX_COMPARED_PAIRS = 250_000


def _diff_lines(before, after):
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while (end < min(len(before), len(after)) - start
           and before[-1 - end] == after[-1 - end]):
        end += 1
    middle_a, middle_b = before[start:len(before) - end], after[start:len(after) - end]
    lines = [DiffLine("same", text) for text in before[:start]]
    if len(middle_a) * len(middle_b) > MAX_COMPARED_PAIRS:
        lines += [DiffLine("removed", text) for text in middle_a]
        lines += [DiffLine("added", text) for text in middle_b]
    else:
        matcher = difflib.SequenceMatcher(a=middle_a, b=middle_b, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                lines += [DiffLine("same", text) for text in middle_a[a1:a2]]
            else:
                lines += [DiffLine("removed", text) for text in middle_a[a1:a2]]
                lines += [DiffLine("added", text) for text in middle_b[b1:b2]]
    lines += [DiffLine("same", text) for text in before[len(before) - end:]]
    return lines
