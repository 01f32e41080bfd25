from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import (
    CareerStage,
    District,
    FocusArea,
    Grade,
    Language,
    School,
    Subject,
    check_same_district,
    choice_labels,
)

from .presets import PRESET_FIELDS, PRESETS, MatchedBy, MatchingScope, PairingShape, ProgramModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class TimeOfDay(models.TextChoices):
    BEFORE_SCHOOL = "before", _("Before school")
    PLANNING = "planning", _("Planning period")
    LUNCH = "lunch", _("Lunch")
    AFTER_SCHOOL = "after", _("After school")


class ProgramQuerySet(models.QuerySet):
    def in_district_of(self, user):
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        return self.filter(district_id=user.district_id)

    def visible_to(self, user):
        """District admins see every program of their district; school admins every program
        that is not a draft; a teacher the programs they take part in, and those enrolling
        that they could join (a school-based program only at their own school)."""
        qs = self.in_district_of(user)
        if not user.is_authenticated or user.district_id is None or user.is_district_admin:
            return qs
        mine = Q(pk__in=Participant.objects.filter(user=user)
                 .exclude(status=Participant.Status.WITHDRAWN).values("program_id"))
        if user.is_school_admin:
            return qs.filter(mine | ~Q(status=Program.Status.DRAFT))
        school_id = getattr(getattr(user, "staff_profile", None), "school_id", None)
        open_to_me = Q(status=Program.Status.ENROLLING) & (
            Q(school__isnull=True) | Q(school_id=school_id))
        return qs.filter(mine | open_to_me)

    def managed_by(self, user):
        """Programs a person may configure: as its coordinator, as a district admin, or as
        the admin of the school a school's own program belongs to."""
        qs = self.in_district_of(user)
        if not user.is_authenticated or user.district_id is None or user.is_district_admin:
            return qs
        return qs.filter(
            Q(participants__user=user, participants__role=Participant.Role.COORDINATOR,
              participants__status=Participant.Status.ACTIVE)
            | Q(school__in=[s.pk for s in user.administered_schools])
        ).distinct()


class Program(models.Model):
    # Dates people can mean; a typo such as year 0202 or 20026 is refused, not stored.
    FIRST_YEAR, LAST_YEAR = 2000, 2100
    # Multi-year induction exists; anything longer is a typo or belongs in a copy.
    MAX_LENGTH = timedelta(days=3 * 366)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ENROLLING = "enrolling", _("Enrolling")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="programs",
                                 verbose_name=_("district"))
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="programs",
        verbose_name=_("school"),
        help_text=_("Only for a program run inside one school; leave empty for the district."),
    )
    name = models.CharField(_("name"), max_length=200)
    model = models.CharField(_("program model"), max_length=24, choices=ProgramModel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    aims = models.TextField(_("aims"), help_text=_("What the program is for, in plain words."))
    school_goals = models.TextField(
        _("school goals served"), blank=True,
        help_text=_("The school or district goals these aims serve."),
    )
    school_year = models.CharField(_("school year"), max_length=20,
                                   help_text=_("For example 2026-27."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    meeting_days = models.JSONField(
        _("usual meeting days"), default=list, blank=True,
        help_text=_("The days of the week meetings usually happen."),
    )

    # Settings the program model presets (see presets.py).
    matched_by = models.CharField(_("who matches"), max_length=20, choices=MatchedBy.choices)
    matching_scope = models.CharField(_("matching scope"), max_length=12,
                                      choices=MatchingScope.choices)
    pairing_shape = models.CharField(_("pairing shape"), max_length=12,
                                     choices=PairingShape.choices)
    mentor_capacity = models.PositiveSmallIntegerField(
        _("mentees per mentor"), default=1, validators=[MinValueValidator(1),
                                                        MaxValueValidator(30)],
        help_text=_("How many mentees a mentor takes unless their own capacity says otherwise."),
    )
    checkin_cadence_days = models.PositiveSmallIntegerField(
        _("check-in every (days)"), validators=[MinValueValidator(1), MaxValueValidator(90)])
    observation_cycles_per_term = models.PositiveSmallIntegerField(
        _("observation cycles per term"), validators=[MaxValueValidator(10)])
    reflection_cadence_days = models.PositiveSmallIntegerField(
        _("reflection every (days)"), validators=[MinValueValidator(1), MaxValueValidator(90)])
    protected_minutes_per_month = models.PositiveIntegerField(
        _("protected time per participant per month (minutes)"),
        validators=[MaxValueValidator(60 * 80)])
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"), default=5, validators=[MinValueValidator(3),
                                                         MaxValueValidator(50)],
        help_text=_("No survey or report breakdown is shown for fewer people than this."),
    )
    asks_mentor_preferences = models.BooleanField(
        _("mentees name preferred mentors"), default=False,
        help_text=_("Applicants to be mentored may name up to three mentors they would "
                    "like to work with."))
    has_group_sessions = models.BooleanField(_("group sessions"), default=False)
    logs_release_time = models.BooleanField(_("release time is logged"), default=False)
    has_hub = models.BooleanField(_("team discussion hub"), default=False)

    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")),
                                   name="program_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        for field in ("starts_on", "ends_on"):
            day = getattr(self, field)
            if day and not self.FIRST_YEAR <= day.year <= self.LAST_YEAR:
                raise ValidationError({field: _("Choose a date between %(first)s and %(last)s.")
                                       % {"first": self.FIRST_YEAR, "last": self.LAST_YEAR}})
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The program must end after it starts.")})
        if self.starts_on and self.ends_on and self.ends_on - self.starts_on > self.MAX_LENGTH:
            raise ValidationError({"ends_on": _(
                "A program runs for three years at most; make a copy for the years after.")})
        if self.school_id:
            check_same_district(self.district_id, school=self.school)

    def apply_preset(self):
        for field, value in PRESETS[self.model].items():
            setattr(self, field, value)

    def adjusted_settings(self):
        """The preset settings the coordinator changed: (field, preset value, value), with
        the labels of choices rather than their codes."""
        preset = PRESETS[ProgramModel(self.model)]
        changed = []
        for name in PRESET_FIELDS:
            if getattr(self, name) != preset[name]:
                field = self._meta.get_field(name)
                labels = dict(field.choices or ())
                changed.append((field, labels.get(preset[name], preset[name]),
                                labels.get(getattr(self, name), getattr(self, name))))
        return changed

    def get_meeting_days_display(self):
        return choice_labels(Weekday, self.meeting_days)


class Term(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.name


class ObservationWindow(models.Model):
    """Dates inside which observations are scheduled (for example after the first month)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="observation_windows")
    name = models.CharField(_("name"), max_length=60)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # Calendar clients replace an event when its sequence grows.
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opens_on"]
        verbose_name = _("observation window")
        verbose_name_plural = _("observation windows")

    def __str__(self):
        return self.name


class BlackoutPeriod(models.Model):
    """Days nothing is scheduled on: holidays, exam weeks, testing days."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="blackouts")
    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("blackout days")
        verbose_name_plural = _("blackout days")

    def __str__(self):
        return self.name


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Participant.Status.ACTIVE)

    def current(self):
        """Everyone still in the program in some way (not withdrawn or declined)."""
        return self.exclude(status__in=[Participant.Status.WITHDRAWN,
                                        Participant.Status.DECLINED])

    def governance(self):
        """Who runs the program: coordinators, leads, reps and the steering committee."""
        return self.active().filter(role__in=Participant.GOVERNANCE_ROLES)

    def applicants(self):
        return self.filter(status__in=[Participant.Status.APPLIED,
                                       Participant.Status.WAITLISTED])

    def visible_to(self, user, program):
        """The participants of one program a person may list: all of them for those who
        manage the program; a school's own people for its admin or its mentoring rep."""
        from .permissions import can_manage_program

        qs = self.filter(program=program)
        if can_manage_program(user, program):
            return qs
        if program.matched_by == MatchedBy.STEERING_COMMITTEE and program.participants.filter(
                user=user, role=Participant.Role.STEERING, status=Participant.Status.ACTIVE
        ).exists():
            return qs
        if program.matched_by == MatchedBy.TEAM_LEADS and program.participants.filter(
                user=user, role=Participant.Role.LEAD_MENTOR, status=Participant.Status.ACTIVE
        ).exists():
            return qs
        schools = {s.pk for s in user.administered_schools} if user.is_authenticated else set()
        schools |= set(program.participants.filter(
            user=user, role=Participant.Role.SCHOOL_REP, status=Participant.Status.ACTIVE,
        ).values_list("school_id", flat=True))
        return qs.filter(school_id__in=schools)


class Participant(models.Model):
    """A person's role in one program. A person may hold several roles in a program."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        LEAD_MENTOR = "lead_mentor", _("Lead mentor")
        PEER = "peer", _("Peer")
        SCHOOL_REP = "school_rep", _("School mentoring rep")
        STEERING = "steering", _("Steering committee member")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", pgettext_lazy("participant status", "Applied")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("participant status", "Withdrawn")

    GOVERNANCE_ROLES = [Role.COORDINATOR, Role.LEAD_MENTOR, Role.SCHOOL_REP, Role.STEERING]
    MENTORING_ROLES = [Role.MENTOR, Role.LEAD_MENTOR, Role.PEER]

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participants",
                                verbose_name=_("program"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="participations", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ACTIVE)
    # The person's school when they joined: a rep's scope, and the program's record even
    # after the person moves.
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("school"))
    capacity = models.PositiveSmallIntegerField(
        _("mentee capacity"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Mentors only; empty means the program's default."),
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__display_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["program", "user", "role"],
                                    name="participant_role_unique"),
        ]
        indexes = [models.Index(fields=["program", "status", "role"]),
                   # Invitations still waiting, for their reminder.
                   models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.program_id and self.user_id:
            check_same_district(self.program.district_id, user=self.user)


class Application(models.Model):
    """What a teacher told the program when applying; the matching reads it."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE,
                                       related_name="application")
    grades = models.JSONField(_("grades I teach"), default=list, blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="+",
                                      verbose_name=_("subjects I teach"))
    languages = models.JSONField(_("languages I speak"), default=list, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of teaching experience"), default=0, validators=[MaxValueValidator(60)])
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="+", verbose_name=_("focus areas"),
        help_text=_("Mentees: areas to grow in. Mentors: areas you can mentor in."),
    )
    available_days = models.JSONField(_("days I am available"), default=list, blank=True)
    available_times = models.JSONField(_("times I am available"), default=list, blank=True)
    statement = models.TextField(_("anything else"), blank=True)
    preferred_mentors = models.ManyToManyField(
        Participant, blank=True, related_name="preferred_by",
        verbose_name=_("preferred mentors"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    earlier = models.JSONField(
        _("earlier applications"), default=list, blank=True,
        help_text=_("What the person wrote before and how it was decided, oldest first."))

    MAX_PREFERRED_MENTORS = 3

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        # Recent decisions, for their reminder.
        indexes = [models.Index(fields=["decided_at"])]

    def __str__(self):
        return str(self.participant)

    @property
    def career_stage(self):
        return CareerStage.for_years(self.years_of_experience)

    def get_earlier_display(self):
        labels = dict(Participant.Status.choices)
        return [{**entry, "submitted_on": date.fromisoformat(entry["submitted_at"][:10]),
                 "status": labels.get(entry["status"], entry["status"])}
                for entry in self.earlier]

    def summary(self):
        """This application as a record kept when the person applies again."""
        return {
            "submitted_at": self.submitted_at.isoformat(),
            "statement": self.statement,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "status": self.participant.status,
            "decision_message": self.decision_message,
        }

    def get_grades_display(self):
        return choice_labels(Grade, self.grades)

    def get_languages_display(self):
        return choice_labels(Language, self.languages)

    def get_available_days_display(self):
        return choice_labels(Weekday, self.available_days)

    def get_available_times_display(self):
        return choice_labels(TimeOfDay, self.available_times)


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user, program):
        """A group's active members and leads see it; those who manage the program see them
        all."""
        from .permissions import can_manage_program

        qs = self.filter(program=program)
        if can_manage_program(user, program):
            return qs
        return qs.filter(memberships__participant__user=user,
                         memberships__participant__status=Participant.Status.ACTIVE).distinct()


class Group(models.Model):
    """A learning team, a cohort or sub-team, or a peer-collaboration team."""

    class Kind(models.TextChoices):
        LEARNING_TEAM = "learning_team", _("Learning team")
        COHORT = "cohort", _("Cohort")
        SUB_TEAM = "sub_team", _("Sub-team")
        PEER_TEAM = "peer_team", _("Peer-collaboration team")
        MENTOR_GROUP = "mentor_group", _("Mentor's group")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups",
                                verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    focus = models.CharField(_("focus"), max_length=200, blank=True,
                             help_text=_("For example: primary, secondary science, "
                                         "multilingual learners."))
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="+",
                                         verbose_name=_("focus areas"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [models.UniqueConstraint(fields=["program", "name"],
                                               name="group_name_unique")]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="memberships", verbose_name=_("participant"))
    is_lead = models.BooleanField(_("leads the group"), default=False)

    class Meta:
        ordering = ["-is_lead", "participant__user__display_name"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [models.UniqueConstraint(fields=["group", "participant"],
                                               name="group_member_unique")]

    def __str__(self):
        return str(self.participant)


class GroupSessionQuerySet(models.QuerySet):
    def scheduled(self):
        """Sessions that are to take place (or took place): not cancelled."""
        return self.filter(cancelled_at__isnull=True)

    def cancelled(self):
        return self.filter(cancelled_at__isnull=False)


class GroupSession(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Team meeting")
        WHOLE_GROUP = "whole_group", _("Whole-group session")
        SUB_TEAM = "sub_team", _("Sub-team session")
        WORKSHOP = "workshop", _("Mentor training workshop")
        RELEASE_DAY = "release_day", _("Release day")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions",
                              verbose_name=_("group"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices,
                            default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60,
        validators=[MinValueValidator(5), MaxValueValidator(60 * 10)])
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    # Sessions open and close with what is working, so the notes do too.
    opening_whats_working = models.TextField(_("opening: what is working"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    closing_whats_working = models.TextField(_("closing: what is working"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # Calendar clients replace an event when its sequence grows.
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    # A cancelled session stays on the group's page, marked so, with why; it takes no
    # attendance, so nobody is counted absent from it.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("cancelled by"))
    cancellation_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        # The second finds tomorrow's sessions of every group, for their reminder.
        indexes = [models.Index(fields=["group", "starts_at"]),
                   models.Index(fields=["starts_at"])]

    def __str__(self):
        return self.title

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE,
                                related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "participant"],
                                               name="attendance_unique")]

    def __str__(self):
        return f"{self.participant}: {self.get_status_display()}"


class HubPost(models.Model):
    """A post in a peer-collaboration team's discussion space; replies point to a post."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies")
    body = models.TextField(_("message"), max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("hub post")
        verbose_name_plural = _("hub posts")
        indexes = [models.Index(fields=["group", "parent", "-created_at"])]

    def __str__(self):
        return self.body[:60]


class TimeLog(models.Model):
    """Protected time: release time and collaboration hours a participant spent."""

    class Kind(models.TextChoices):
        RELEASE_TIME = "release", _("Release time")
        PLANNING = "planning", _("Planning together")
        PEER_OBSERVATION = "peer_observation", _("Peer observation")
        REFLECTIVE_PRACTICE = "reflection", _("Reflective practice")
        RELEASE_DAY = "release_day", _("Release day")
        TRAINING = "training", _("Training")
        CHECK_IN = "checkin", _("Mentoring check-in")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="time_logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="time_logs", verbose_name=_("person"))
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(60 * 12)])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("time log")
        verbose_name_plural = _("time logs")
        indexes = [models.Index(fields=["program", "user", "date"])]
        constraints = [models.CheckConstraint(condition=Q(minutes__gte=5),
                                              name="time_log_minutes_at_least_5")]

    def __str__(self):
        return f"{self.user}, {self.date}: {self.minutes} min"


def roster_upload_path(instance, filename):
    return f"roster-imports/{instance.district_id}/{timezone.now():%Y%m%d-%H%M%S}-{filename}"


class RosterImport(models.Model):
    """One uploaded roster file: checked first, applied only when the admin says so."""

    class Format(models.TextChoices):
        ONEROSTER = "oneroster", _("OneRoster 1.1 CSV (zip or files)")
        SIMPLE_CSV = "simple_csv", _("Simple staff CSV")

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Problems found")
        READY = "ready", _("Ready to apply")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="roster_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=roster_upload_path, blank=True)
    # A scheduled sync (`manage.py import_roster`) reads a file the server already has.
    source_path = models.CharField(_("read from"), max_length=500, blank=True)
    full_sync = models.BooleanField(
        _("full import"), default=True,
        help_text=_("People with a roster id who are missing from the file are marked "
                    "inactive (never deleted)."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.CHECKING)
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.get_format_display()}, {self.created_at:%Y-%m-%d %H:%M}"
