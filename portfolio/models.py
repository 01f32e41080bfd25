"""Badges (micro-credentials) a district or a program defines, the awards people earn, and
the district's public profile as the issuer of those badges (Open Badges 2.0)."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import District
from programs.models import Program


class Issuer(models.Model):
    """A district as the issuer of its badges: the public profile each badge points to.
    Made with the district's first badge; its name, address and email can be changed in the
    Django admin (empty fields fall back to the district's name and the site's address)."""

    district = models.OneToOneField(District, on_delete=models.CASCADE,
                                    related_name="badge_issuer", verbose_name=_("district"))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name shown on badges"), max_length=200, blank=True)
    url = models.URLField(_("web address"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("badge issuer")
        verbose_name_plural = _("badge issuers")

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self):
        return self.name or self.district.name


class Criterion(models.TextChoices):
    """What earns a badge. Every kind but "manual" is checked in the background."""

    MANUAL = "manual", _("Awarded by a coordinator, with evidence")
    SESSIONS_ATTENDED = "sessions", _("Group sessions attended")
    MENTOR_TRAINING = "training", _("Hours of mentor training completed")
    GOALS_ACHIEVED = "goals", _("Goals achieved")
    REFLECTIONS_WRITTEN = "reflections", _("Reflections written")
    CYCLES_COMPLETED = "cycles", _("Observation cycles completed (as the teacher observed)")
    CYCLES_COACHED = "coached", _("Observation cycles coached (as the mentor)")


# What the threshold counts, for each criterion: singular and plural of the rule.
RULES = {
    Criterion.SESSIONS_ATTENDED: ngettext_lazy("%(count)s group session attended",
                                               "%(count)s group sessions attended", "count"),
    Criterion.MENTOR_TRAINING: ngettext_lazy("%(count)s hour of mentor training",
                                             "%(count)s hours of mentor training", "count"),
    Criterion.GOALS_ACHIEVED: ngettext_lazy("%(count)s goal achieved",
                                            "%(count)s goals achieved", "count"),
    Criterion.REFLECTIONS_WRITTEN: ngettext_lazy(
        "%(count)s reflection shared with a mentor or group",
        "%(count)s reflections shared with a mentor or group", "count"),
    Criterion.CYCLES_COMPLETED: ngettext_lazy("%(count)s observation cycle completed",
                                              "%(count)s observation cycles completed",
                                              "count"),
    Criterion.CYCLES_COACHED: ngettext_lazy("%(count)s observation cycle coached",
                                            "%(count)s observation cycles coached", "count"),
}


class BadgeColor(models.TextChoices):
    """Backgrounds on which white text keeps WCAG AA contrast."""

    BLUE = "#0b3d91", _("Blue")
    GREEN = "#146c43", _("Green")
    PURPLE = "#5a2d82", _("Purple")
    TEAL = "#0f5f5f", _("Teal")
    RED = "#a51d2d", _("Red")
    BROWN = "#6f4a06", _("Brown")


class BadgeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def automatic(self):
        """Active badges that the background check awards."""
        return self.active().exclude(criterion=Criterion.MANUAL)

    def managed_by(self, user):
        """Badges a person defines and awards: the district's own for its admins; a
        program's for those who manage the program."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        qs = self.filter(district_id=user.district_id)
        if user.is_district_admin:
            return qs
        return qs.filter(program__in=Program.objects.managed_by(user).values("pk"))

    def visible_to(self, user):
        """Those who manage a badge see it; everyone else in the district sees the active
        badges of the district and of the programs they can see."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        qs = self.filter(district_id=user.district_id)
        if user.is_district_admin:
            return qs
        managed = Q(program__in=Program.objects.managed_by(user).values("pk"))
        seen = Q(active=True) & (Q(program__isnull=True)
                                 | Q(program__in=Program.objects.visible_to(user).values("pk")))
        return qs.filter(managed | seen)


class Badge(models.Model):
    """A micro-credential: what it recognises and what earns it (an Open Badges BadgeClass).
    Retired, never deleted: awards point to it."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="badges",
                                 verbose_name=_("district"))
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
        verbose_name=_("program"),
        help_text=_("Leave empty for a badge of the whole district."))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), max_length=1000,
                                   help_text=_("What the badge recognises."))
    criteria = models.TextField(
        _("how it is earned"), max_length=2000,
        help_text=_("In plain words, for the people who earn it and anyone who checks it."))
    criterion = models.CharField(_("awarded for"), max_length=12, choices=Criterion.choices,
                                 default=Criterion.MANUAL)
    threshold = models.PositiveSmallIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many sessions, hours, goals, reflections or cycles it takes. "
                    "Not used for badges a coordinator awards."))
    color = models.CharField(_("colour"), max_length=7, choices=BadgeColor.choices,
                             default=BadgeColor.BLUE)
    active = models.BooleanField(
        _("can be earned"), default=True,
        help_text=_("A retired badge is no longer awarded; awards already made stay."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the background check last looked for people who earned it.
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = BadgeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"],
                                    condition=Q(program__isnull=True),
                                    name="badge_district_name_unique",
                                    violation_error_message=_(
                                        "The district already has a badge with this name.")),
            models.UniqueConstraint(fields=["program", "name"],
                                    condition=Q(program__isnull=False),
                                    name="badge_program_name_unique",
                                    violation_error_message=_(
                                        "The program already has a badge with this name.")),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="badge_threshold_positive"),
        ]
        indexes = [models.Index(fields=["district", "active"])]

    def __str__(self):
        return self.name

    @property
    def is_automatic(self):
        return self.criterion != Criterion.MANUAL

    def get_rule_display(self):
        """What earns the badge, in a short phrase: "3 group sessions attended"."""
        rule = RULES.get(self.criterion)
        if rule is None:
            return str(Criterion.MANUAL.label)
        return rule % {"count": self.threshold}

    def get_progress_display(self, count):
        """How far a person is: "2 of 3"."""
        if count is None:
            return ""
        shown = int(count) if float(count).is_integer() else round(count, 1)
        return _("%(count)s of %(threshold)s") % {"count": shown, "threshold": self.threshold}


class AwardQuerySet(models.QuerySet):
    def current(self):
        """Awards that stand (not revoked)."""
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user):
        """A person's own awards, and the awards of badges they manage."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        return self.filter(Q(recipient_id=user.pk)
                           | Q(badge__in=Badge.objects.managed_by(user).values("pk")))


def new_salt():
    return secrets.token_hex(16)


def hashed_email(email, salt):
    """The recipient's identity as Open Badges hashes it: sha256 of the address and salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


class Award(models.Model):
    """One person's badge (an Open Badges Assertion). A person earns a badge once: a database
    constraint guards it. Revoked, never deleted: its public address then says so."""

    class Method(models.TextChoices):
        AUTOMATIC = "automatic", _("Earned: checked automatically")
        MANUAL = "manual", _("Awarded by a coordinator")

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards",
                              verbose_name=_("badge"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="badge_awards", verbose_name=_("person"))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("awarded by"))
    evidence = models.TextField(
        _("evidence"), max_length=4000, blank=True,
        help_text=_("What the person did to earn it. The person and the badge's coordinators "
                    "read it; it is not part of the public badge."))
    issued_at = models.DateTimeField(_("awarded on"), default=timezone.now)
    # The recipient's email address when the badge was awarded, hashed with a salt: the
    # public assertion names nobody, yet the person can prove it is theirs.
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    identity = models.CharField(max_length=80, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    revocation_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["badge", "recipient"], name="award_once_per_person",
                                    violation_error_message=_(
                                        "This person already has this badge.")),
        ]
        # The second finds recent awards, for their reminder.
        indexes = [models.Index(fields=["recipient", "-issued_at"]),
                   models.Index(fields=["issued_at"])]

    def __str__(self):
        return f"{self.badge}: {self.recipient}"

    @classmethod
    def issue(cls, *, badge, recipient_id, email, **fields):
        """A new award, its recipient's email hashed with a fresh salt (not saved yet)."""
        salt = new_salt()
        return cls(badge=badge, recipient_id=recipient_id, salt=salt,
                   identity=hashed_email(email, salt), **fields)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def matches_email(self, email):
        return secrets.compare_digest(hashed_email(email, self.salt), self.identity)
