"""SMART goals with their action steps, progress and comments; example goals coordinators
publish; reflection prompts, their schedule, and the journal (reflections and replies).

Who sees what (DESIGN.md, "Data that must never leak or be lost"):
- A goal is read by its owner (the mentee or peer whose goal it is), their partners in an
  open pairing of the program, a past partner (ended pairing) for the goals written before
  it ended, and the program's active coordinators.
  School and district admins see counts only, never what a goal says.
- A reflection is its author's alone while private (the default): nobody else, not a
  coordinator, an admin or a superuser, sees it in any page, export, count or search.
  Shared with the mentor, the author's partners in open pairings of the program read
  it (a past partner, only what was shared before the pairing ended; a later one, only
  what was shared once the pairing began); shared with the group, the members and leads
  of the author's groups in the program read it too.
- Progress, comments and action steps are read as their goal is, but a past partner sees
  none added after the pairing ended.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District, FocusArea, User
from pairing.models import CheckIn, NextStep, Pairing
from programs.models import GroupMembership, GroupSession, Participant, Program

# Roles whose people set goals of their own.
GOAL_OWNER_ROLES = [Participant.Role.MENTEE, Participant.Role.PEER]
APPROVED_PAIRINGS = [Pairing.Status.ACTIVE, Pairing.Status.PAUSED, Pairing.Status.ENDED]
# Pairings a partner still works in: every write by a partner needs one of these.
OPEN_PAIRINGS = [Pairing.Status.ACTIVE, Pairing.Status.PAUSED]


def reaches(when):
    """Pairings through which a partner reads something dated `when` (an expression): an
    open pairing, or one that ended after that day. A past partner keeps what was theirs
    to read before the pairing ended, and sees nothing written or shared after it."""
    from django.db.models.functions import Cast, TruncDate

    day = TruncDate(Cast(when, models.DateTimeField()))
    return Q(status__in=OPEN_PAIRINGS) | Q(status=Pairing.Status.ENDED, ended_on__gt=day)


def began_by(when):
    """Pairings that had begun at `when` (an expression one query out, such as
    `OuterRef("shared_at")`): approved by then. Something shared earlier was for someone
    else, a previous partner, and a pairing that began later does not reveal it. Without
    a record of the approval (older data), the day the pairing started decides."""
    from django.db.models.functions import Cast, TruncDate

    from pairing.models import PairingEvent

    day = TruncDate(Cast(when, models.DateTimeField()))
    approved = PairingEvent.objects.filter(pairing=models.OuterRef("pk"),
                                           kind=PairingEvent.Kind.APPROVED)
    return (Q(started_on__lt=day)
            | models.Exists(approved.filter(at__lte=models.OuterRef(when)))
            | (Q(started_on=day) & ~models.Exists(approved)))


def partners_of(user):
    """Participant ids of the people `user` is paired with (approved pairings, open or
    past): (their mentees' ids, their mentors' ids), as subqueries."""
    pairings = Pairing.objects.filter(status__in=APPROVED_PAIRINGS)
    as_mentor = pairings.filter(mentor__user=user).values("mentee_id")
    as_mentee = pairings.filter(mentee__user=user).values("mentor_id")
    return as_mentor, as_mentee


def coordinated_programs(user):
    return Participant.objects.filter(user=user, role=Participant.Role.COORDINATOR,
                                      status=Participant.Status.ACTIVE).values("program_id")


def written_for(user, goal_path, when="created_at"):
    """What of a goal (its progress, comments, action steps: rows reaching the goal through
    `goal_path`) `user` reads: all of it for the owner and the program's coordinators, and
    for a partner what was written while the pairing was open; a past partner sees nothing
    added after the pairing ended. A Q, for a queryset of those rows."""
    owner = f"{goal_path}__participant"
    partner = Pairing.objects.filter(
        Q(mentor__user=user, mentee=models.OuterRef(owner))
        | Q(mentee__user=user, mentor=models.OuterRef(owner))
    ).filter(reaches(models.OuterRef(when)))
    return Q(**{f"{owner}__program__district_id": user.district_id}) & (
        Q(**{f"{owner}__user": user})
        | models.Exists(partner)
        | Q(**{f"{owner}__program__in": coordinated_programs(user)}))


def visible_goal(user):
    """The goals `user` reads, within their district: their own, their partners' in
    approved pairings of the goal's program, and those of the programs they coordinate. A
    Q, for a queryset of goals."""
    partner = Pairing.objects.filter(
        Q(mentor__user=user, mentee=models.OuterRef("participant"))
        | Q(mentee__user=user, mentor=models.OuterRef("participant"))
    ).filter(reaches(models.OuterRef("created_at")))
    return (Q(participant__user=user) | models.Exists(partner)
            | Q(participant__program__in=coordinated_programs(user)))


class GoalPartQuerySet(models.QuerySet):
    """Progress, comments and action steps: read as their goal is, but a past partner reads
    only what was written before the pairing ended."""

    def visible_to(self, user):
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        return self.filter(written_for(user, "goal"))


class GoalQuerySet(models.QuerySet):
    def of_user(self, user):
        """Goals this person owns."""
        return self.filter(participant__user=user)

    def current(self):
        """The latest version of each goal: not replaced by a revision."""
        return self.exclude(state=Goal.State.REVISED)

    def open(self):
        return self.filter(state__in=Goal.OPEN_STATES)

    def visible_to(self, user):
        """The owner, their partners in approved pairings of the goal's program, and the
        program's active coordinators; nothing outside the reader's district."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        return self.filter(visible_goal(user), participant__program__district_id=user.district_id)

    def celebrated_for(self, user):
        """Achieved goals the reader may celebrate: those they may see, and those of the
        members of their groups whose owner chose to celebrate them in the group."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        groups = GroupMembership.objects.filter(
            participant__user=user, participant__status=Participant.Status.ACTIVE
        ).values("group_id")
        # A member who withdrew from the program is no longer celebrated there.
        members = GroupMembership.objects.filter(
            group_id__in=groups, participant__status=Participant.Status.ACTIVE
        ).values("participant_id")
        return self.filter(
            visible_goal(user) | Q(celebrate_in_group=True, participant__in=members),
            state=Goal.State.ACHIEVED, participant__program__district_id=user.district_id)


class Goal(models.Model):
    """A SMART goal of one participant in one program. Revising keeps the old version
    (state "revised") and links the new one to it through `revises`."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        REVISED = "revised", _("Revised")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATES = [State.DRAFT, State.ACTIVE]

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="goals", verbose_name=_("whose goal"))
    focus_area = models.ForeignKey(FocusArea, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("focus area"))
    specific = models.TextField(
        _("what exactly"), max_length=1000,
        help_text=_("What you will do or change, in a sentence a colleague could check."))
    measure = models.CharField(
        _("how you will measure it"), max_length=300,
        help_text=_("What you will count or score, for example: students who hand in "
                    "homework on time."))
    baseline = models.DecimalField(_("where you start"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True,
                            help_text=_("For example: %, students, minutes."))
    relevance = models.TextField(
        _("why it matters"), max_length=2000, blank=True,
        help_text=_("Why it matters for your students and the program's aims."))
    due_on = models.DateField(_("by when"), help_text=_("A date inside the program."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    dropped_reason = models.CharField(_("why it was dropped"), max_length=500, blank=True)
    revises = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="revised_by",
                                   verbose_name=_("earlier version"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    celebrate_in_group = models.BooleanField(
        _("celebrate with my group"), default=False,
        help_text=_("When you achieve it, the members of your groups see it on their home "
                    "page."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        # The second finds the goals due tomorrow and today, for their reminder.
        indexes = [models.Index(fields=["participant", "state"]),
                   models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="dropped") | ~Q(dropped_reason=""),
                name="goal_dropped_has_reason"),
            models.CheckConstraint(
                condition=~Q(state="achieved") | Q(achieved_on__isnull=False),
                name="goal_achieved_has_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        text = " ".join(self.specific.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def program(self):
        return self.participant.program

    @property
    def owner(self):
        return self.participant.user

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES


class ActionStepQuerySet(GoalPartQuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def due_between(self, first, last):
        """Open steps due from `first` to `last`, both included."""
        return self.open().filter(due_on__gte=first, due_on__lte=last)


class ActionStep(models.Model):
    """Something the owner will do toward a goal, by a date."""

    class Origin(models.TextChoices):
        OWN = "own", _("Added to the goal")
        CHECKIN = "checkin", _("A check-in's next step")
        DEBRIEF = "debrief", _("A debrief's next step")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="action_steps")
    description = models.CharField(_("action step"), max_length=300)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    origin = models.CharField(_("where it came from"), max_length=8, choices=Origin.choices,
                              default=Origin.OWN)
    next_step = models.ForeignKey(NextStep, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="action_steps",
                                  verbose_name=_("check-in next step"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionStepQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        # The second finds the steps due tomorrow and today, for their reminder.
        indexes = [models.Index(fields=["goal", "done_on", "due_on"]),
                   models.Index(fields=["due_on", "done_on"])]
        constraints = [
            models.UniqueConstraint(fields=["goal", "next_step"],
                                    condition=Q(next_step__isnull=False),
                                    name="action_step_next_step_once"),
        ]

    def __str__(self):
        return self.description


def evidence_path(instance, filename):
    # A random name: the original name is kept in a column, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()
    return f"goals/{instance.goal_id}/{uuid.uuid4().hex}{suffix}"


class ProgressEntry(models.Model):
    """A value of the goal's measure on a day, with a note and, optionally, evidence."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_on = models.DateField(_("date"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=255,
                                blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("file type"), max_length=100, blank=True)
    evidence_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalPartQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_on", "pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self):
        return f"{self.recorded_on}: {self.value}"

    @property
    def evidence_is_image(self):
        return self.evidence_type.startswith("image/")


class GoalComment(models.Model):
    """A comment on a goal by its owner or their mentor. Kept, never deleted."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("goal comment")
        verbose_name_plural = _("goal comments")

    def __str__(self):
        # Never the words: this is what logs and the admin show.
        return _("Comment %(pk)s on goal %(goal)s") % {"pk": self.pk, "goal": self.goal_id}


class ExampleGoal(models.Model):
    """A goal a coordinator publishes for the program's people to start from."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="example_goals")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("focus area"))
    specific = models.TextField(_("what exactly"), max_length=1000)
    measure = models.CharField(_("how it is measured"), max_length=300)
    baseline = models.DecimalField(_("where one starts"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    relevance = models.TextField(_("why it matters"), max_length=2000, blank=True)
    published = models.BooleanField(_("published"), default=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("example goal")
        verbose_name_plural = _("example goals")

    def __str__(self):
        text = " ".join(self.specific.split())
        return text if len(text) <= 80 else text[:79] + "…"


class ReflectionPromptQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_program(self, program):
        """The prompts a program may use: shipped ones, its district's, and its own."""
        return self.filter(Q(district__isnull=True, program__isnull=True)
                           | Q(district_id=program.district_id, program__isnull=True)
                           | Q(program=program))


class ReflectionPrompt(models.Model):
    """A question a reflection answers. Shipped prompts have no district; a district's
    have no program; a coordinator's own belong to their program."""

    class Kind(models.TextChoices):
        COACHING = "coaching", _("Coaching question")
        OPENER = "opener", _("Strengths-first opener")
        CLOSER = "closer", _("Closer")
        EQUITY = "equity", _("Equity and bias")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("prompt"), max_length=500)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="reflection_prompts")
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReflectionPromptQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("reflection prompt")
        verbose_name_plural = _("reflection prompts")

    def __str__(self):
        return self.text

    @property
    def is_shipped(self):
        return self.district_id is None and self.program_id is None


class PromptScheduleQuerySet(models.QuerySet):
    def due_for(self, user, on):
        """The prompts due for this person on this day, one per program where they are an
        active mentee or peer and have written nothing yet in the current reflection
        period: a list of `goals.prompts.DuePrompt`, with a fixed number of queries."""
        from .prompts import due_prompts

        return due_prompts(user, on)


class PromptSchedule(models.Model):
    """A program's prompts in the order they come round, one per reflection period (the
    program's reflection cadence, counted from its first day). See `goals.prompts`."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="prompt_schedule")
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PromptScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["program", "position", "pk"]
        verbose_name = _("scheduled prompt")
        verbose_name_plural = _("scheduled prompts")
        constraints = [models.UniqueConstraint(fields=["program", "prompt"],
                                               name="prompt_schedule_once")]

    def __str__(self):
        return f"{self.program}: {self.position}. {self.prompt}"


class ReflectionQuerySet(models.QuerySet):
    def of_user(self, user):
        """The person's own entries, whatever their visibility."""
        return self.filter(author_id=user.pk) if user.is_authenticated else self.none()

    def shared(self):
        return self.exclude(visibility=Reflection.Visibility.PRIVATE)

    def confidence_by_month(self, program):
        """The program's average confidence rating per month, as a number for dashboards:
        [(first day of the month, average, number of authors)]. Each author counts once a
        month (the mean of their own ratings that month), so no prolific author tips the
        average; a month shows only when at least the program's anonymity threshold of
        people rated an entry. Private entries' ratings count here, as a number without
        words and never by person (the reflection form says so). One query."""
        from collections import defaultdict

        from django.db.models.functions import TruncMonth

        rows = (self.filter(program=program, confidence__isnull=False)
                .annotate(month=TruncMonth("created_at"))
                .values("month", "author")
                .annotate(average=models.Avg("confidence"))
                .order_by("month"))
        by_month = defaultdict(list)
        for row in rows:
            month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
            by_month[month].append(float(row["average"]))
        return [(month, round(sum(means) / len(means), 2), len(means))
                for month, means in sorted(by_month.items())
                if len(means) >= program.anonymity_threshold]

    def visible_to(self, user):
        """The author's own entries; entries shared with the mentor, for the author's
        partners in approved pairings of the entry's program that were under way when the
        entry was shared (a mentor who comes later does not read what was shared with the
        one before; replies follow their entry); entries shared with the
        group, for those partners and the members and leads of the author's groups in that
        program. A private entry: its author, and nobody else, ever."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        own = Q(author_id=user.pk)
        # A partner reads what was shared while paired with the author: a past partner
        # nothing shared after the pairing ended, a new one nothing shared before it began.
        # The author's partners: pairs in the entry's program that include both people.
        # The author's mentor, or the other peer of a peer pairing. (One filter with both
        # sides in a Q: two querysets joined with | would build the date tests twice.)
        partner_of = Pairing.objects.filter(
            Q(mentor__user=user, mentee__user=models.OuterRef("author"))
            | Q(mentee__user=user, mentor__user=models.OuterRef("author"),
                mentor__role=Participant.Role.PEER),
            reaches(models.OuterRef("shared_at")), began_by(models.OuterRef("shared_at")),
            program=models.OuterRef("program"))
        my_groups = GroupMembership.objects.filter(
            participant__user=user, participant__status=Participant.Status.ACTIVE)
        same_group = GroupMembership.objects.filter(
            participant__user=models.OuterRef("author"),
            participant__program=models.OuterRef("program"),
            participant__status=Participant.Status.ACTIVE,
            group__in=my_groups.values("group_id"))
        # Only the reader and people paired or grouped with them can have written what they
        # read: narrowing to those authors first (an index on author) spares checking every
        # entry of the district one by one.
        # (Each part unordered: SQLite refuses an ORDER BY inside a UNION.)
        authors = User.objects.filter(pk=user.pk).values("pk").order_by().union(
            Pairing.objects.filter(mentor__user=user).values("mentee__user_id").order_by(),
            Pairing.objects.filter(mentee__user=user, mentor__role=Participant.Role.PEER)
            .values("mentor__user_id").order_by(),
            GroupMembership.objects.filter(group__in=my_groups.values("group_id"))
            .values("participant__user_id").order_by())
        shared = (Q(program__district_id=user.district_id)
                  & ~Q(visibility=Reflection.Visibility.PRIVATE)
                  & (Q(models.Exists(partner_of))
                     | Q(models.Exists(same_group), visibility=Reflection.Visibility.GROUP)))
        return self.filter(own | shared, author_id__in=authors)


class Reflection(models.Model):
    """A journal entry, usually answering a prompt. Private unless its author shares it."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: only me")
        MENTOR = "mentor", _("Shared with my mentor")
        GROUP = "group", _("Shared with my group and my mentor")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="reflections", verbose_name=_("author"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="reflections",
                                verbose_name=_("program"))
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="reflections",
                               verbose_name=_("prompt"))
    body = models.TextField(_("reflection"), max_length=10_000)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How confident you feel about this, from 1 (not yet) to 5 (very)."))
    visibility = models.CharField(_("who can read it"), max_length=8,
                                  choices=Visibility.choices, default=Visibility.PRIVATE)
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="reflections", verbose_name=_("goal"))
    checkin = models.ForeignKey(CheckIn, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("check-in"))
    session = models.ForeignKey(GroupSession, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+",
                                verbose_name=_("group session"))
    # When the author last shared it (made it readable by others); empty while private.
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        indexes = [models.Index(fields=["author", "-created_at"]),
                   models.Index(fields=["program", "visibility"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=1, confidence__lte=5),
                name="reflection_confidence_1_to_5"),
        ]

    def __str__(self):
        # Never the body: this is what lists, logs and the admin show.
        return _("Reflection of %(date)s") % {"date": self.created_at.date()
                                              if self.created_at else "—"}

    @property
    def is_private(self):
        return self.visibility == self.Visibility.PRIVATE


class ReflectionReply(models.Model):
    """A mentor's reply to an entry shared with them."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE,
                                   related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("reply"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        # Never the words: this is what logs and the admin show.
        return _("Reply %(pk)s to reflection %(reflection)s") % {
            "pk": self.pk, "reflection": self.reflection_id}
