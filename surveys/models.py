"""Surveys of a program: the questions, who was asked, and what was answered.

Who was asked (`Invitation`) and what was said (`Response`, `Answer`) are stored apart. For
an anonymous survey a response has no link to the invitation or the person, a random key
rather than a counter, and only the Monday of the week it arrived; the invitation records
only that its person answered, and the day. A response keeps the respondent's role, school
and group in the program, so results can be broken down by them, and the results never show
a group smaller than the program's anonymity threshold (see results.py).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Group, Participant, Program


class Stage(models.TextChoices):
    BASELINE = "baseline", _("Baseline (start of the year)")
    MID_YEAR = "mid_year", _("Mid-year")
    END_OF_YEAR = "end_of_year", _("End of year")
    AFTER_DEBRIEF = "after_debrief", _("After each debrief")
    AFTER_SESSION = "after_session", _("After each group session")
    CUSTOM = "custom", _("On dates I choose")


# Stages whose invitations follow something that happened, one per occasion.
EVENT_STAGES = (Stage.AFTER_DEBRIEF, Stage.AFTER_SESSION)
# How long a standard stage stays open, in days.
OPEN_DAYS = 21


def stage_dates(program, stage):
    """(opens_on, closes_on) for a stage, read from the program's dates: the first three
    weeks, three weeks from the middle, the last three weeks; the whole program for the
    stages that follow a debrief or session. None for a custom stage."""
    start, end = program.starts_on, program.ends_on
    if stage == Stage.BASELINE:
        return start, min(start + timedelta(days=OPEN_DAYS), end)
    if stage == Stage.MID_YEAR:
        middle = start + (end - start) / 2
        return middle, min(middle + timedelta(days=OPEN_DAYS), end)
    if stage == Stage.END_OF_YEAR:
        return max(end - timedelta(days=OPEN_DAYS), start), end
    if stage in EVENT_STAGES:
        return start, end
    return None


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    SCALE = "scale", _("Scale, 0 to 10")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


NUMBER_KINDS = (QuestionKind.LIKERT, QuestionKind.SCALE)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
DEFAULT_LIKERT_LABELS = [_("Strongly disagree"), _("Disagree"), _("Neither agree nor disagree"),
                         _("Agree"), _("Strongly agree")]
SURVEY_ROLES = [Participant.Role.MENTEE, Participant.Role.MENTOR, Participant.Role.PEER,
                Participant.Role.LEAD_MENTOR, Participant.Role.COORDINATOR,
                Participant.Role.SCHOOL_REP, Participant.Role.STEERING]


class SurveyTemplate(models.Model):
    """A survey the product ships with (migration 0002): copied into a program's survey."""

    key = models.SlugField(_("key"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    audience_roles = models.JSONField(_("asked"), default=list)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    # [{"key", "kind", "text", "required", "choices"}], in order.
    questions = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")

    def __str__(self):
        return self.title


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Surveys of programs the person manages; and, for the district's admins, every
        program's surveys they may see (a school admin: programs of their school or of
        the district). Those who are asked reach a survey through their link only."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        qs = self.filter(program__district_id=user.district_id)
        if user.is_district_admin:
            return qs
        managed = Q(program__in=Program.objects.managed_by(user).values("pk"))
        if user.is_school_admin:
            schools = [s.pk for s in user.administered_schools]
            return qs.filter(managed | Q(program__school__isnull=True)
                             | Q(program__school__in=schools)).exclude(
                Q(status=Survey.Status.DRAFT) & ~managed)
        return qs.filter(managed)

    def due_to_open(self, today):
        return self.filter(status=Survey.Status.SCHEDULED, opens_on__lte=today)

    def due_to_close(self, today):
        return self.filter(status=Survey.Status.OPEN, closes_on__lt=today)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="surveys",
                                verbose_name=_("program"))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, max_length=2000,
                             help_text=_("Shown above the questions."))
    stage = models.CharField(_("when"), max_length=16, choices=Stage.choices,
                             default=Stage.CUSTOM)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    audience_roles = models.JSONField(_("ask people in these roles"), default=list)
    audience_schools = models.ManyToManyField(
        "accounts.School", blank=True, related_name="+", verbose_name=_("only these schools"),
        help_text=_("Leave empty for every school."))
    audience_groups = models.ManyToManyField(
        Group, blank=True, related_name="+", verbose_name=_("only these groups"),
        help_text=_("Leave empty for everyone, in a group or not."))
    anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Answers are kept with no link to the person who gave them."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    template = models.ForeignKey(SurveyTemplate, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("made from"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["status", "opens_on"]),
                   models.Index(fields=["program", "status"])]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="survey_closes_after_opening")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A survey closes on or after it opens.")})
        if self.program_id and self.opens_on and not (
                self.program.starts_on <= self.opens_on <= self.program.ends_on):
            raise ValidationError({"opens_on": _(
                "Choose a day inside the program, which runs from %(start)s to %(end)s.") % {
                    "start": self.program.starts_on, "end": self.program.ends_on}})

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT

    @property
    def follows_events(self):
        return self.stage in EVENT_STAGES

    def get_audience_roles_display(self):
        labels = dict(Participant.Role.choices)
        return ", ".join(str(labels.get(role, role)) for role in self.audience_roles)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # Names the same question across surveys made from one template (for the dashboards).
    key = models.SlugField(_("key"), blank=True)
    kind = models.CharField(_("kind of answer"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    # Likert: the five labels; 0-10: the labels of both ends; choices: the options.
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def is_number(self):
        return self.kind in NUMBER_KINDS

    @property
    def is_choice(self):
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self):
        return self.kind in TEXT_KINDS

    def scale(self):
        """The values a number question takes, with their labels where it has them."""
        if self.kind == QuestionKind.LIKERT:
            labels = self.choices if len(self.choices) == 5 else DEFAULT_LIKERT_LABELS
            return list(zip(range(1, 6), labels, strict=True))
        if self.kind == QuestionKind.SCALE:
            ends = (self.choices + ["", ""])[:2]
            return [(n, ends[0] if n == 0 else ends[1] if n == 10 else "") for n in range(11)]
        return []


class InvitationQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_on__isnull=True)

    def waiting_for(self, user, today):
        """Open surveys this person was asked to answer and has not."""
        return self.unanswered().filter(user=user, survey__status=Survey.Status.OPEN,
                                        survey__closes_on__gte=today)


class Invitation(models.Model):
    """One person asked to answer one survey (once per debrief or session for the stages
    that follow one). Reached through a signed link that works until it is answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="survey_invitations", verbose_name=_("person"))
    # "" for a stage survey; "debrief-12" or "session-7" for one that follows an event.
    occasion = models.CharField(max_length=40, blank=True, default="")
    # Where the person stood in the program when asked: copied to the response.
    role = models.CharField(_("role"), max_length=12, choices=Participant.Role.choices)
    school = models.ForeignKey("accounts.School", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    invited_at = models.DateTimeField(_("invited"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "user", "occasion"],
                                               name="survey_invitation_unique")]
        indexes = [models.Index(fields=["user", "answered_on"])]

    def __str__(self):
        return f"{self.survey}: {self.user}"


class Response(models.Model):
    """What one person answered. Anonymous: no person, no invitation, a random key, the
    week only. Named: the respondent and the day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("respondent"))
    # The Monday of the week for an anonymous survey; the day for a named one.
    submitted_on = models.DateField(_("answered"))
    role = models.CharField(_("role"), max_length=12, choices=Participant.Role.choices)
    school = models.ForeignKey("accounts.School", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("school"))
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("group"))

    class Meta:
        # Never by arrival: the order rows were written in could name who answered.
        ordering = ["survey", "submitted_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "role"])]

    def __str__(self):
        return _("Response to %(survey)s") % {"survey": self.survey}


class Answer(models.Model):
    """One answer to one question; a multiple choice is one row per option chosen, so
    every count is a SQL count."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True, default="")
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question", "choice"],
                                               name="survey_answer_unique")]
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self):
        return str(self.question)
