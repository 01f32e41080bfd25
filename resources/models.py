"""The resource library: materials that mentors and teachers write together, with their
versions, design record, comments, endorsements, files and lineage."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District, FocusArea, Grade, Subject, choice_labels
from programs.models import Group, GroupMembership, Participant, Program

from .search import SearchDocumentField, match, search_vector_expression


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a person may open: every resource they co-author (drafts included), and the
        published resources shared with their district or with every district. A person
        without a district sees nothing; nobody sees another author's draft."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        authored = ResourceAuthor.objects.filter(user_id=user.pk).values("resource_id")
        programs = (Participant.objects.filter(user_id=user.pk, status=Participant.Status.ACTIVE)
                    .values("program_id"))
        groups = (GroupMembership.objects
                  .filter(participant__user_id=user.pk,
                          participant__status=Participant.Status.ACTIVE)
                  .values("group_id"))
        shared = Q(status=Resource.Status.PUBLISHED) & (
            Q(scope=Resource.Scope.INSTALLATION)
            | Q(scope=Resource.Scope.DISTRICT, district_id=user.district_id)
            | Q(scope=Resource.Scope.PROGRAM, district_id=user.district_id,
                program_id__in=programs)
            | Q(scope=Resource.Scope.GROUP, district_id=user.district_id, group_id__in=groups)
        )
        return self.filter(shared | Q(pk__in=authored))

    def authored_by(self, user):
        return self.filter(pk__in=ResourceAuthor.objects.filter(user_id=user.pk)
                           .values("resource_id"))

    def published(self):
        return self.filter(status=Resource.Status.PUBLISHED)

    def for_grade(self, code):
        if connection.vendor == "postgresql":
            return self.filter(grades__contains=[code])
        # SQLite has no JSON containment: match the quoted code in the stored list.
        return self.filter(grades__icontains=f'"{code}"')

    def search(self, text):
        """Resources whose words match `text`, with a `rank` to sort by (higher is better).

        PostgreSQL: full-text search with stemming ("planning" finds "plans") on the stored
        search vector, served by its GIN index; the rank weighs a match in the title most,
        then the summary, then the rest. Elsewhere (SQLite in the quick start): every word
        must occur somewhere in the stored text, and the rank is 0.
        """
        return match(self, text)

    def refresh_search(self):
        """Rebuild the stored search vector from the search document, in one UPDATE. The
        services call it for the rows they write; bulk loads call it once afterwards."""
        return self.update(search_vector=search_vector_expression())

    def for_list(self):
        """What a list of resources shows, without the long texts it does not."""
        return (self.defer("body", "rationale", "evidence", "search_document", "search_vector")
                .select_related("district", "program", "group")
                .prefetch_related("subjects", "focus_areas", "tags"))

    def most_used_first(self):
        return self.order_by((F("endorsement_count") + F("use_count")).desc(),
                             "-updated_at", "-pk")


class Resource(models.Model):
    class Kind(models.TextChoices):
        UNIT_PLAN = "unit_plan", _("Unit plan")
        LESSON_PLAN = "lesson_plan", _("Lesson plan")
        RUBRIC = "rubric", _("Assessment rubric")
        ACTIVITY = "activity", _("Activity")
        STUDENT_WORK = "student_work", _("Exemplar of student work (anonymised)")
        TEMPLATE = "template", _("Template")
        ARTICLE = "article", _("Article link")
        VIDEO = "video", _("Video link")
        MENTOR_TRAINING = "mentor_training", _("Mentor-training material")

    LINK_KINDS = (Kind.ARTICLE, Kind.VIDEO)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Scope(models.TextChoices):
        AUTHORS = "authors", _("Its authors only")
        GROUP = "group", _("A group")
        PROGRAM = "program", _("A program")
        DISTRICT = "district", _("Everyone in the district")
        INSTALLATION = "installation", _("Every district on this site")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="resources",
                                 verbose_name=_("district"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=500,
        help_text=_("One or two sentences: what it is and when it helps."),
    )
    body = models.TextField(
        _("content"), blank=True,
        help_text=_("Written in Markdown: # Heading, **bold**, *italic*, - list item, "
                    "[link text](https://example.org)."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True,
                          help_text=_("Required for an article or a video link."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    scope = models.CharField(
        _("shared with"), max_length=20, choices=Scope.choices, default=Scope.DISTRICT,
        help_text=_("Who can find it once it is published. Drafts stay with their authors."),
    )
    # The program or group a resource is shared with, for those two scopes only. A program
    # or group that is removed leaves the resource with its authors (SET_NULL: scope
    # "program" without a program matches no reader), never with the wrong people.
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("program"))
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("group"))
    subjects = models.ManyToManyField(Subject, blank=True, related_name="resources",
                                      verbose_name=_("subjects"))
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="resources",
                                         verbose_name=_("focus areas"))
    # OneRoster grade codes (accounts.Grade), as on staff profiles.
    grades = models.JSONField(_("grades"), default=list, blank=True)
    rationale = models.TextField(
        _("rationale"), blank=True,
        help_text=_("Why it is designed this way: the problem it answers, the choices made."),
    )
    evidence = models.TextField(
        _("evidence it draws on"), blank=True,
        help_text=_("Research, standards or classroom experience behind it."),
    )
    adapted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adaptations",
        verbose_name=_("adapted from"),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ResourceAuthor", through_fields=("resource", "user"),
        related_name="authored_resources",
        verbose_name=_("authors"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Counters kept by the services, so lists sort by use without counting rows per page.
    endorsement_count = models.PositiveIntegerField(_("teachers who used it"), default=0)
    use_count = models.PositiveIntegerField(_("places it was used"), default=0)
    # Everything a search should find, in one text column that services keep up to date:
    # title, summary, content, design record, tags. PostgreSQL indexes it for full-text search.
    search_document = models.TextField(default="", blank=True, editable=False)
    # What search matches, kept by the services from the document (Resource.objects
    # .refresh_search): a weighted tsvector with a GIN index on PostgreSQL, the document in
    # lower case elsewhere.
    search_vector = SearchDocumentField(null=True, blank=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["district", "status", "scope"], name="resource_sharing_idx"),
            models.Index(fields=["status", "scope"], name="resource_status_scope_idx"),
            models.Index(fields=["-updated_at", "-id"], name="resource_recent_idx"),
            models.Index(fields=["program"], name="resource_program_idx",
                         condition=Q(program__isnull=False)),
            models.Index(fields=["group"], name="resource_group_idx",
                         condition=Q(group__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(program__isnull=True) | Q(scope="program"),
                                   name="resource_program_only_for_program_scope"),
            models.CheckConstraint(condition=Q(group__isnull=True) | Q(scope="group"),
                                   name="resource_group_only_for_group_scope"),
            models.CheckConstraint(
                condition=~Q(kind__in=["article", "video"]) | ~Q(url=""),
                name="resource_link_has_url",
                violation_error_message=_("An article or video link needs its address."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind in self.LINK_KINDS and not self.url:
            raise ValidationError({"url": _("An article or video link needs its address.")})
        unknown = set(self.grades) - set(Grade.values)
        if unknown:
            raise ValidationError({"grades": _("Unknown grade codes: %(codes)s")
                                   % {"codes": ", ".join(sorted(unknown))}})

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def get_sharing_display(self):
        """Who it is shared with, naming the program or group."""
        if self.scope == self.Scope.PROGRAM and self.program_id:
            return _("the program %(name)s") % {"name": self.program}
        if self.scope == self.Scope.GROUP and self.group_id:
            return _("the group %(name)s") % {"name": self.group}
        return self.get_scope_display()

    def get_grades_display(self):
        order = {code: i for i, code in enumerate(Grade.values)}
        return choice_labels(Grade, sorted(self.grades, key=order.get))

    def author_ids(self):
        """The authors' ids, from the prefetched authorships when the view loaded them."""
        return {a.user_id for a in self.authorships.all()}


class ResourceAuthor(models.Model):
    """A co-author: may edit, publish, add files and add other co-authors."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="authorships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="resource_authorships", verbose_name=_("person"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="resource_author_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.resource}"


class ResourceTag(models.Model):
    """A free keyword ("exit tickets", "fractions"), lower-case, for finding things."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=50)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(fields=["resource", "name"], name="resource_tag_unique"),
        ]
        indexes = [models.Index(fields=["name"], name="resource_tag_name_idx")]

    def __str__(self):
        return self.name


class ResourceVersion(models.Model):
    """The resource as one edit left it: who saved it, when, and a snapshot of its fields."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+", verbose_name=_("edited by"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"],
                                    name="resource_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.resource} v{self.number}"


class ResourceFeedback(models.Model):
    """Feedback from using the resource with students: part of its design record."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    used_with = models.CharField(
        _("used with"), max_length=200, blank=True,
        help_text=_("For example “Grade 7, two classes of 28”. No student names."),
    )
    body = models.TextField(_("what happened"),
                            help_text=_("What worked, what you would change. No student names."))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback from use")
        verbose_name_plural = _("feedback from use")

    def __str__(self):
        return f"{self.resource}: {self.body[:40]}"


class Comment(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.resource}: {self.body[:40]}"


class Endorsement(models.Model):
    """“I used this in my class”: one per person and resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="resource_endorsements")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="endorsement_unique"),
        ]

    def __str__(self):
        return f"{self.user} used {self.resource}"


def resource_file_path(instance, filename):
    # A random name: the original name is kept in a column, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()
    return f"resources/{instance.resource_id}/{uuid.uuid4().hex}{suffix}"


class ResourceFile(models.Model):
    """A file attached to a resource; served only through a view that checks permission."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=resource_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    description = models.CharField(
        _("description"), max_length=300, blank=True,
        help_text=_("What it shows, for people who cannot see it (used as an image's text "
                    "alternative)."),
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+", verbose_name=_("added by"))
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class ResourceUse(models.Model):
    """Where a resource was used: a check-in, a debrief's next step, a goal's action step, a
    group session's agenda. Points at any row through content types, so the apps that own
    those places need no change here; the resource page shows counts only where the reader
    cannot see the place itself."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="uses")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("use")
        verbose_name_plural = _("uses")
        constraints = [
            models.UniqueConstraint(fields=["resource", "content_type", "object_id"],
                                    name="resource_use_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"],
                                name="resource_use_target_idx")]

    def __str__(self):
        return f"{self.resource} @ {self.content_type.model} {self.object_id}"


class ResourceIndicator(models.Model):
    """An observation look-for a resource helps with. Stored by the indicator's `key`, which
    stays the same across a template's versions, so the tag survives edits of the rubric's
    wording and matches the look-fors of cycles started on any version; `label` keeps the
    words the author chose it by, for showing the tag without reading the templates."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="indicators")
    key = models.UUIDField(_("look-for key"))
    label = models.CharField(_("look-for"), max_length=300)

    class Meta:
        ordering = ["label", "pk"]
        verbose_name = _("look-for it helps with")
        verbose_name_plural = _("look-fors it helps with")
        constraints = [
            models.UniqueConstraint(fields=["resource", "key"],
                                    name="resource_indicator_unique"),
        ]
        indexes = [models.Index(fields=["key"], name="resource_indicator_key_idx")]

    def __str__(self):
        return self.label
