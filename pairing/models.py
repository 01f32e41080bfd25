"""Pairings and how they are made: matching settings and runs, exclusions, the pairings'
lifecycle and history, check-ins with their next steps, and private calendar feeds."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Participant, Program, TimeLog
from programs.presets import ProgramModel

# Criterion weights (engine.Criterion values) a program starts from, by model. A mentee's
# own choice of mentor is a strong bonus wherever mentees name one.
_BASE_WEIGHTS = {
    "grade_band": 4, "subject": 5, "school": 2, "language": 1,
    "expertise": 4, "experience": 3, "availability": 2,
    "preference": 8, "new_partner": 1,
}
WEIGHT_PRESETS = {
    ProgramModel.ONE_ON_ONE: _BASE_WEIGHTS,
    ProgramModel.GROUP: {**_BASE_WEIGHTS, "availability": 4},
    ProgramModel.PEER: {**_BASE_WEIGHTS, "experience": 2, "school": 0},
    ProgramModel.REVERSE: {**_BASE_WEIGHTS, "expertise": 6, "subject": 1,
                           "grade_band": 1},
    ProgramModel.SCHOOL_BASED: {**_BASE_WEIGHTS, "school": 0,
                                "availability": 4},
    ProgramModel.DISTRICT_BASED: _BASE_WEIGHTS,
    ProgramModel.LEARNING_TEAM: {**_BASE_WEIGHTS, "expertise": 6},
    ProgramModel.COHORT: {**_BASE_WEIGHTS, "expertise": 6},
    ProgramModel.PEER_COLLABORATION: {**_BASE_WEIGHTS, "expertise": 6,
                                      "school": 4},
}
# District-based programs match across schools, peer collaboration joins distant schools,
# and reverse mentoring is led by the less experienced teacher.
DIFFERENT_SCHOOL_MODELS = {ProgramModel.DISTRICT_BASED, ProgramModel.PEER_COLLABORATION}
REVERSE_MODELS = {ProgramModel.REVERSE}


class MatchingSettings(models.Model):
    """How much each criterion counts in a program's matching, preset from its model."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="matching_settings")
    weights = models.JSONField(_("weights"), default=dict)
    prefer_same_school = models.BooleanField(
        _("prefer the same school"), default=True,
        help_text=_("Off: the school criterion rewards pairs from different schools."))
    reverse = models.BooleanField(
        _("reverse mentoring"), default=False,
        help_text=_("The less experienced teacher mentors the more experienced one."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self):
        return str(self.program)

    @classmethod
    def preset_for(cls, program):
        return cls(program=program,
                   weights=dict(WEIGHT_PRESETS[program.model]),
                   prefer_same_school=program.model not in DIFFERENT_SCHOOL_MODELS,
                   reverse=program.model in REVERSE_MODELS)

    def weight_of(self, criterion):
        return int(self.weights.get(str(criterion), 0))


class ExclusionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Exclusion(models.Model):
    """Two people the matching never pairs, in either direction."""

    class Reason(models.TextChoices):
        EVALUATES = "evaluates", _("One evaluates the other")
        CONFLICT = "conflict", _("Conflict of interest")
        PERSONAL = "personal", _("Personal reasons")
        OTHER = "other", _("Other")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    # Stored in id order, so one row covers both directions.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("person"))
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("never with"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Lifted, not deleted: the record of who kept two people apart stays.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(fields=["program", "person", "other"],
                                    condition=Q(removed_at__isnull=True),
                                    name="exclusion_unique"),
            models.CheckConstraint(condition=Q(person__lt=models.F("other")),
                                   name="exclusion_in_id_order"),
        ]

    def __str__(self):
        return f"{self.person} / {self.other}"


class MatchingRun(models.Model):
    """One sitting of the matching screen: proposals reviewed together, then approved."""

    class Kind(models.TextChoices):
        PAIRS = "pairs", _("Mentors and mentees")
        PEERS = "peers", _("Peer pairs")
        GROUPS = "groups", _("Placement into groups")

    class State(models.TextChoices):
        OPEN = "open", _("Under review")
        APPROVED = "approved", _("Approved")
        DISCARDED = "discarded", _("Discarded")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matching_runs")
    # A school's mentoring rep matches their own school's people only.
    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("school"))
    # A learning team's lead matches their own team's members only.
    group = models.ForeignKey("programs.Group", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("team"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    # Who was left out and why: {participant id: reason}; group placements as
    # [{"participant": id, "group": id, "score": x, "breakdown": {...}}].
    unmatched = models.JSONField(default=dict, blank=True)
    placements = models.JSONField(default=list, blank=True)
    pool_size = models.PositiveIntegerField(default=0)
    solve_seconds = models.FloatField(default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        indexes = [models.Index(fields=["program", "state"])]

    def __str__(self):
        return f"{self.program}: {self.get_kind_display()}, {self.created_at:%Y-%m-%d}"


class PairingQuerySet(models.QuerySet):
    def open(self):
        """Pairings that hold their people: active or paused."""
        return self.filter(status__in=Pairing.OPEN_STATUSES)

    def active(self):
        return self.filter(status=Pairing.Status.ACTIVE)

    def overdue(self, on):
        return self.active().filter(next_checkin_due_on__lt=on)

    def for_home(self, now):
        """With people, program and the next scheduled check-in, soonest due first."""
        return (self.select_related("program", "mentor__user", "mentor__school",
                                    "mentee__user", "mentee__school")
                .annotate(next_checkin_at=models.Min(
                    "checkins__scheduled_at", filter=Q(checkins__status="scheduled",
                                                       checkins__scheduled_at__gte=now)))
                .order_by(models.F("next_checkin_due_on").asc(nulls_last=True), "pk"))

    def of_user(self, user):
        """Pairings this person is in, once they have been approved."""
        return self.filter(Q(mentor__user=user) | Q(mentee__user=user)).exclude(
            status=Pairing.Status.PROPOSED)

    def visible_to(self, user):
        """The pair themselves; those who manage the program; its matchers (a school's rep
        for their school, a team lead for the members of their teams); a school admin for
        their school's teachers. Proposals stay with those who match. A rep's reach is the
        school they match for: the pairings of its mentees."""
        from programs.models import GroupMembership

        from .permissions import matching_groups, matching_schools

        if not user.is_authenticated or user.district_id is None:
            return self.none()
        qs = self.filter(program__district_id=user.district_id)
        if user.is_district_admin:
            return qs
        mine = Q(mentor__user=user) | Q(mentee__user=user)
        managed = Q(program__in=Program.objects.managed_by(user).values("pk"))
        matching = Q()
        for program_id, schools in matching_schools(user).items():
            scope = Q(program_id=program_id)
            if schools is not None:
                # A rep's reach is the mentee's school, as in `manages_pairing`.
                scope &= Q(mentee__school_id__in=schools)
            matching |= scope
        for program_id, groups in matching_groups(user).items():
            if groups:
                members = GroupMembership.objects.filter(group_id__in=groups)
                matching |= Q(program_id=program_id,
                              mentee__in=members.values("participant_id"))
        administered = [s.pk for s in user.administered_schools]
        school = Q(mentee__school_id__in=administered) | Q(mentor__school_id__in=administered)
        # Proposals are for those who match; everyone else sees approved pairings only.
        approved = qs.exclude(status=Pairing.Status.PROPOSED)
        seen = qs.filter(managed | matching) if matching else qs.filter(managed)
        if administered:
            seen |= approved.filter(school)
        return (approved.filter(mine) | seen).distinct()


class Pairing(models.Model):
    """A mentor and a mentee (or two peers) working together. Nothing is deleted: a pairing
    ends with a reason and keeps its check-ins and history."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Completed the program")
        REMATCH = "rematch", _("Rematched")
        LEFT_SCHOOL = "left_school", _("Left the school")
        LEFT_PROGRAM = "left_program", _("Left the program")
        LEAVE = "leave", _("Extended leave")
        OTHER = "other", _("Other")

    OPEN_STATUSES = [Status.ACTIVE, Status.PAUSED]

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pairings",
                                verbose_name=_("program"))
    mentor = models.ForeignKey(Participant, on_delete=models.PROTECT,
                               related_name="mentor_pairings", verbose_name=_("mentor"))
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT,
                               related_name="mentee_pairings", verbose_name=_("mentee"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    run = models.ForeignKey(MatchingRun, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="proposals")
    score = models.FloatField(_("score"), null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    locked = models.BooleanField(_("locked"), default=False,
                                 help_text=_("Kept as it is when the matching runs again."))
    overridden = models.BooleanField(_("changed by hand"), default=False)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=14, blank=True,
                                  choices=EndReason.choices)
    next_checkin_due_on = models.DateField(_("next check-in due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            # A mentee has one mentor at a time (one partner, for peers).
            models.UniqueConstraint(fields=["mentee"], condition=Q(status__in=["active",
                                                                               "paused"]),
                                    name="pairing_one_open_per_mentee"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")),
                                   name="pairing_two_people"),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["status", "next_checkin_due_on"]),
        ]

    def __str__(self):
        return f"{self.mentor.user} – {self.mentee.user}"

    def partner_of(self, user):
        return self.mentee if self.mentor.user_id == user.pk else self.mentor

    def includes(self, user):
        return user.pk in (self.mentor.user_id, self.mentee.user_id)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def days_overdue(self, on):
        if self.status != self.Status.ACTIVE or not self.next_checkin_due_on:
            return 0
        return max(0, (on - self.next_checkin_due_on).days)


class PairingEvent(models.Model):
    """The history of a pairing, shown to those who run the program."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        ENDED = "ended", _("Ended")
        REMATCH_REQUESTED = "rematch_requested", _("Rematch requested")
        REMATCH_ANSWERED = "rematch_answered", _("Rematch request answered")

    # Seen by the coordinators only, like the requests themselves.
    REMATCH_KINDS = [Kind.REMATCH_REQUESTED, Kind.REMATCH_ANSWERED]

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("pairing event")
        verbose_name_plural = _("pairing events")
        # Recent approvals, for their reminder.
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.pairing}: {self.get_kind_display()}"


class RematchRequestQuerySet(models.QuerySet):
    def waiting_for(self, user):
        """Open requests the person answers: those of the programs they coordinate, never
        of a pairing they are in."""
        coordinated = Participant.objects.active().filter(
            user_id=user.pk, role=Participant.Role.COORDINATOR,
            program__district_id=user.district_id).values("program_id")
        return (self.filter(state=RematchRequest.State.OPEN,
                            pairing__program_id__in=coordinated)
                .exclude(pairing__mentor__user_id=user.pk)
                .exclude(pairing__mentee__user_id=user.pk))


class RematchRequest(models.Model):
    """A private request from one of the pair; their partner never sees it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        REMATCHED = "rematched", _("Rematched")
        KEPT = "kept", _("Pairing kept")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE,
                                related_name="rematch_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    reason = models.TextField(_("what is not working"), max_length=4000)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = RematchRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rematch request")
        verbose_name_plural = _("rematch requests")
        constraints = [
            models.UniqueConstraint(fields=["pairing", "requested_by"],
                                    condition=Q(state="open"), name="rematch_one_open"),
        ]

    def __str__(self):
        return f"{self.pairing} ({self.get_state_display()})"


class CheckInQuerySet(models.QuerySet):
    def of_user(self, user):
        """Check-ins of the pairings this person is one of the pair of: nobody else reads
        them."""
        return self.filter(pairing__in=Pairing.objects.of_user(user).values("pk"))


class CheckIn(models.Model):
    """A meeting of the pair: scheduled first, then recorded as held or missed."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    # What the pair wrote: left out wherever a check-in is only named (feeds, resources).
    NOTE_FIELDS = ("topics", "whats_working", "challenges")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="checkins")
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30,
        validators=[MinValueValidator(5), MaxValueValidator(60 * 4)])
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices,
                            default=Mode.IN_PERSON)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.SCHEDULED)
    minutes_spent = models.PositiveSmallIntegerField(
        _("time spent (minutes)"), null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(60 * 8)])
    topics = models.TextField(_("topics"), blank=True, max_length=4000)
    # Strengths first: what is working opens the record.
    whats_working = models.TextField(_("what is working"), blank=True, max_length=4000)
    challenges = models.TextField(_("challenges"), blank=True, max_length=4000)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    # The held time as protected time, one log per person.
    time_logs = models.ManyToManyField(TimeLog, blank=True, related_name="+")
    # Calendar clients replace an event when its sequence grows.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        # The second finds tomorrow's check-ins of every pairing, for their reminder.
        indexes = [models.Index(fields=["pairing", "status", "scheduled_at"]),
                   models.Index(fields=["status", "scheduled_at"])]

    def __str__(self):
        return f"{self.pairing}, {self.scheduled_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.scheduled_at + timedelta(minutes=self.duration_minutes)


class NextStepQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def for_user(self, user):
        """Open next steps of the pairings this person is in, theirs or their partner's."""
        return self.open().filter(
            Q(checkin__pairing__mentor__user=user) | Q(checkin__pairing__mentee__user=user),
            checkin__pairing__status__in=Pairing.OPEN_STATUSES)


class NextStep(models.Model):
    """Something agreed at a check-in, with whose it is and when it is due."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="next_steps")
    description = models.CharField(_("next step"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("who"))
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self):
        return self.description


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address; revoking it makes the address answer 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                    name="calendar_feed_one_live"),
        ]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
