"""Observation templates (rubrics) and observation cycles: pre-conference, observation,
debrief, the mentee's reflection.

Observations are formative, never evaluation. What a cycle holds (its focus, notes,
ratings, evidence and debrief) is read by the two people of the cycle and by whoever the
mentee shares that one cycle with; everyone else, coordinators and admins included, sees
that a cycle exists, its stage and dates, never what was written in it.

Templates are versioned: a published version is frozen, editing makes a new draft, and a
cycle points at the version it used, so an observation always shows the indicators and
labels it was made with.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pairing.models import Pairing
from programs.models import Participant, Program


class TemplateQuerySet(models.QuerySet):
    def usable_in(self, program):
        """Templates a cycle of this program may use: the generic ones shipped with the
        product, the district's, and the program's own."""
        return self.filter(Q(district__isnull=True)
                           | Q(district_id=program.district_id, program__isnull=True)
                           | Q(program=program))

    def visible_to(self, user):
        """The generic templates, the reader's district's, and a program's own for the
        people taking part in it and those who manage it: another program's rubric is
        that program's business."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        taking_part = Participant.objects.filter(
            user_id=user.pk, status=Participant.Status.ACTIVE).values("program_id")
        managed = Program.objects.managed_by(user).values("pk")
        return self.filter(Q(district__isnull=True) | Q(
            Q(program__isnull=True) | Q(program__in=taking_part) | Q(program__in=managed),
            district_id=user.district_id))


class ObservationTemplate(models.Model):
    """A rubric: domains, indicators (look-fors) and a rating scale, kept as versions. A
    template without a district is shipped with the product and is the same everywhere."""

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="+", verbose_name=_("district"))
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="observation_templates",
                                verbose_name=_("program"),
                                help_text=_("Empty: the whole district may use it."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("observation template")
        verbose_name_plural = _("observation templates")

    def __str__(self):
        return self.name


class TemplateVersion(models.Model):
    """One version of a template. A draft is edited; once published it never changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    template = models.ForeignKey(ObservationTemplate, on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    allows_not_observed = models.BooleanField(
        _("offer “not observed”"), default=True,
        help_text=_("Lets the observer say an indicator did not come up in this lesson."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"],
                                    name="template_version_unique"),
            # One draft at a time: editing continues it rather than forking it.
            models.UniqueConstraint(fields=["template"], condition=Q(state="draft"),
                                    name="template_one_draft"),
        ]

    def __str__(self):
        return _("%(template)s, version %(number)s") % {"template": self.template,
                                                        "number": self.number}

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED


class Domain(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE,
                                related_name="domains")
    name = models.CharField(_("domain"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """A look-for. `key` stays the same across a template's versions, so a teacher's trend
    follows an indicator through edits of its wording."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="indicators")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    text = models.CharField(_("look-for"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__position", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.text


class ScaleLevel(models.Model):
    """A level of the version's rating scale, `value` 1 the lowest."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE,
                                related_name="levels")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["version", "value"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        constraints = [models.UniqueConstraint(fields=["version", "value"],
                                               name="scale_level_unique")]

    def __str__(self):
        return f"{self.value}. {self.label}"


class CycleQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(stage__in=[ObservationCycle.Stage.CLOSED,
                                       ObservationCycle.Stage.CANCELLED])

    def closed(self):
        return self.filter(stage=ObservationCycle.Stage.CLOSED)

    def overdue(self, on):
        return self.open().filter(due_on__lt=on)

    def of_user(self, user):
        """Cycles this person is one of the two people of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(mentor=user) | Q(mentee=user))

    def of_mentee(self, user):
        """Cycles in which this person is the teacher who receives the feedback."""
        return self.filter(mentee=user)

    def with_shared_debrief(self):
        """Cycles whose debrief the mentor has shared with the mentee."""
        return self.filter(debrief__shared_at__isnull=False)

    def shared_debriefs_of(self, user):
        """The cycles whose debrief this mentee has received, newest first."""
        return self.of_mentee(user).with_shared_debrief().order_by("-debrief__shared_at")

    def shared_with(self, user):
        """Cycles the mentee has shared with this person (and not taken back), while that
        person still holds the role the cycle was shared with them for."""
        return self.filter(pk__in=CycleShare.objects.live().in_audience()
                           .filter(recipient=user).values("cycle_id"))

    def visible_to(self, user):
        """What a person may read the content of: the cycles they are one of the pair of,
        and those the mentee shared with them. Coordinators and admins see counts through
        `counted_for`, never these rows."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        mine = Q(mentor=user) | Q(mentee=user)
        shared = Q(pk__in=CycleShare.objects.live().in_audience().filter(recipient=user)
                   .values("cycle_id"))
        return self.filter(mine | shared, program__district_id=user.district_id)


class ObservationCycle(models.Model):
    """One observation from the pre-conference to the mentee's reflection."""

    class Kind(models.TextChoices):
        MENTOR_OBSERVES = "mentor_observes", _("The mentor observes the mentee")
        MODELLING = "modelling", _("The mentee observes the mentor’s modelling")
        PEER = "peer", _("Peer observation")
        MICRO_LESSON = "micro_lesson", _("Micro-lesson in a group session")

    class Stage(models.TextChoices):
        PLANNING = "planning", _("Pre-conference")
        OBSERVING = "observing", _("Observation")
        DEBRIEF = "debrief", _("Debrief")
        REFLECTION = "reflection", _("Reflection")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STAGES = [Stage.PLANNING, Stage.OBSERVING, Stage.DEBRIEF, Stage.REFLECTION]
    # What the pair wrote: left out of the Django admin and of anything that only names a
    # cycle (home panels, coverage, calendars).
    NOTE_FIELDS = ("focus", "lesson_context")

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="observation_cycles", verbose_name=_("program"))
    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT,
                                related_name="observation_cycles", verbose_name=_("pairing"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices,
                            default=Kind.MENTOR_OBSERVES)
    # The coach, who plans, rates and writes the debrief; and the teacher who receives it,
    # reflects, and decides who else may read the cycle. In a peer pairing the peer who
    # starts the cycle is its coach.
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("mentor"))
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("mentee"))
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT,
                                         related_name="cycles",
                                         verbose_name=_("observation template"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices,
                             default=Stage.PLANNING)
    due_on = models.DateField(_("stage due"), null=True, blank=True)
    # Pre-conference
    focus = models.TextField(_("focus"), blank=True, max_length=2000)
    goal = models.ForeignKey("goals.Goal", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("goal"))
    lesson_context = models.TextField(_("the lesson"), blank=True, max_length=4000)
    look_fors = models.ManyToManyField(Indicator, blank=True, related_name="+",
                                       verbose_name=_("look-fors"))
    scheduled_at = models.DateTimeField(_("observation time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    location = models.CharField(_("place"), max_length=200, blank=True)
    # Observation and after
    observed_at = models.DateTimeField(_("observed"), null=True, blank=True)
    # The mentee's reflection on the debrief, kept in their journal with its own sharing.
    reflection = models.ForeignKey("goals.Reflection", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("reflection"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Calendar clients replace the observation's event when its sequence grows.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("observation cycle")
        verbose_name_plural = _("observation cycles")
        indexes = [
            models.Index(fields=["program", "stage", "due_on"]),
            models.Index(fields=["mentor", "stage"]),
            models.Index(fields=["mentee", "stage"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")),
                                   name="cycle_two_people"),
        ]

    def __str__(self):
        return _("Observation of %(mentee)s, %(created)s") % {
            "mentee": self.mentee, "created": f"{self.created_at:%Y-%m-%d}"
            if self.created_at else ""}

    def includes(self, user):
        return user.is_authenticated and user.pk in (self.mentor_id, self.mentee_id)

    @property
    def is_open(self):
        return self.stage in self.OPEN_STAGES

    @property
    def observer_id(self):
        """Who watches the lesson: the mentee when the mentor models, else the coach."""
        return self.mentee_id if self.kind == self.Kind.MODELLING else self.mentor_id

    def days_overdue(self, on):
        if not self.is_open or self.due_on is None:
            return 0
        return max(0, (on - self.due_on).days)


class ObservationNote(models.Model):
    """A time-stamped, low-inference note taken during the lesson. `client_id` is made by
    the page that sends it, so sending the same note again after a dropped connection
    stores it once."""

    cycle = models.ForeignKey(ObservationCycle, on_delete=models.CASCADE, related_name="notes")
    client_id = models.UUIDField()
    text = models.TextField(_("note"), max_length=2000)
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name=_("look-for"))
    noted_at = models.DateTimeField(_("noted at"), default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["noted_at", "pk"]
        verbose_name = _("observation note")
        verbose_name_plural = _("observation notes")
        constraints = [models.UniqueConstraint(fields=["cycle", "client_id"],
                                               name="observation_note_once")]

    def __str__(self):
        return f"{self.cycle_id} @ {self.noted_at:%H:%M}"


class Rating(models.Model):
    """Where the lesson stood on one chosen indicator; no level means "not observed"."""

    cycle = models.ForeignKey(ObservationCycle, on_delete=models.CASCADE,
                              related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(ScaleLevel, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__domain__position", "indicator__position", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["cycle", "indicator"],
                                               name="rating_one_per_indicator")]

    def __str__(self):
        return f"{self.cycle_id}: {self.indicator_id}"


def evidence_path(instance, filename):
    # A random name: the original name is kept in a column, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()
    return f"observations/{instance.cycle_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceFile(models.Model):
    """A photo of student work or a document from the lesson; served only through a view
    that checks the reader may see the cycle."""

    cycle = models.ForeignKey(ObservationCycle, on_delete=models.CASCADE,
                              related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    description = models.CharField(
        _("description"), max_length=300, blank=True,
        help_text=_("What it shows, for people who cannot see it."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        # Names the file by number: its name may say what it shows.
        return _("Evidence file %(number)s") % {"number": self.pk}

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class Debrief(models.Model):
    """The mentor's feedback: what is working first (required), then areas to grow, then
    one to three next steps. A draft until the mentor shares it with the mentee."""

    cycle = models.OneToOneField(ObservationCycle, on_delete=models.CASCADE,
                                 related_name="debrief")
    strengths = models.TextField(_("what is working"), blank=True, max_length=4000)
    growth_areas = models.TextField(_("areas to grow"), blank=True, max_length=4000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TEXT_FIELDS = ("strengths", "growth_areas")

    class Meta:
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")

    def __str__(self):
        return str(self.cycle)

    @property
    def is_shared(self):
        return self.shared_at is not None


class DebriefNextStep(models.Model):
    """An actionable next step; it can become an action step of the mentee's goal."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="next_steps")
    description = models.CharField(_("next step"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    action_step = models.ForeignKey("goals.ActionStep", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("action step"))

    class Meta:
        ordering = ["debrief", "position", "pk"]
        verbose_name = _("debrief next step")
        verbose_name_plural = _("debrief next steps")

    def __str__(self):
        # Names the step without its words, which are the pair's.
        return _("Next step %(number)s of debrief %(debrief)s") % {
            "number": self.position + 1, "debrief": self.debrief_id}


class CycleShareQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)

    def in_audience(self):
        """Shares whose reader is still someone the mentee could share the cycle with: an
        active coordinator of the cycle's program, an admin of its district, or an admin of
        the mentee's school in the program (the same people as `share_audience`). A share
        stops counting as soon as its reader leaves that role (withdrawn from the program,
        role removed, moved to another school) and counts again if they come back."""
        from accounts.models import DistrictRole

        program_id = OuterRef("cycle__program_id")
        coordinator = Participant.objects.active().filter(
            program_id=program_id, user_id=OuterRef("recipient_id"),
            role=Participant.Role.COORDINATOR)
        mentee_schools = Participant.objects.filter(
            program_id=OuterRef(OuterRef("cycle__program_id")),
            user_id=OuterRef(OuterRef("cycle__mentee_id")),
            school__isnull=False).values("school_id")
        admin = DistrictRole.objects.filter(
            user_id=OuterRef("recipient_id"),
            district_id=OuterRef("cycle__program__district_id")).filter(
            Q(role=DistrictRole.Role.DISTRICT_ADMIN)
            | Q(role=DistrictRole.Role.SCHOOL_ADMIN, school_id__in=mentee_schools))
        return (self.filter(recipient__is_active=True,
                            recipient__district_id=models.F("cycle__program__district_id"))
                .exclude(recipient_id=models.F("cycle__mentor_id"))
                .exclude(recipient_id=models.F("cycle__mentee_id"))
                .filter(Exists(coordinator) | Exists(admin)))


class CycleShare(models.Model):
    """The mentee lets one more person (a coordinator, an admin) read this cycle. Taken
    back by setting `revoked_at`; the row stays as the record that it was shared."""

    cycle = models.ForeignKey(ObservationCycle, on_delete=models.CASCADE,
                              related_name="shares")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("shared with"))
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("taken back"), null=True, blank=True)

    objects = CycleShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cycle share")
        verbose_name_plural = _("cycle shares")
        constraints = [models.UniqueConstraint(fields=["cycle", "recipient"],
                                               condition=Q(revoked_at__isnull=True),
                                               name="cycle_share_one_live")]

    def __str__(self):
        return f"{self.cycle_id} → {self.recipient}"
