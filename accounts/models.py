import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


def time_zone_choices():
    """IANA zones of the machine's database, for forms (kept out of migrations on purpose)."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())
            if "/" in name and not name.startswith(("Etc/", "SystemV/"))]


def choice_labels(choices, codes):
    """The labels of a list of stored codes, in the same order; an unknown code as it is."""
    labels = dict(choices.choices)
    return [labels.get(code, code) for code in codes]


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("“%(value)s” is not a known time zone."),
                              params={"value": value}) from None


def check_same_district(district_id, *, user=None, school=None):
    """Rows that tie a person or a school to a district must all name the same district."""
    errors = {}
    if school is not None and school.district_id != district_id:
        errors["school"] = _("This school belongs to another district.")
    if user is not None and user.district_id != district_id:
        errors["user"] = _("This person belongs to another district.")
    if errors:
        raise ValidationError(errors)


class District(models.Model):
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("Reminders and due dates follow this time zone."),
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"), default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("No survey breakdown is shown for a group with fewer answers than this."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en",
        help_text=_("For emails to people whose language is not known yet, such as "
                    "invitations."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every school of the person's own district; nothing of any other district."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        return self.filter(district_id=user.district_id)

    def managed_by(self, user):
        """The schools a person administers: all of their district for a district admin."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        if user.is_district_admin:
            return self.filter(district_id=user.district_id)
        return self.filter(
            district_id=user.district_id,
            admin_roles__user=user,
            admin_roles__role=DistrictRole.Role.SCHOOL_ADMIN,
        )

    def with_staff_counts(self):
        return self.annotate(
            staff_count=Count("staff", filter=Q(staff__user__is_active=True), distinct=True)
        )


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("school code"), max_length=32)
    sourced_id = models.CharField(
        _("sourced id"), max_length=255, blank=True, default="",
        help_text=_("The school's identifier in the student information system, for roster sync."),
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_unique"),
            models.UniqueConstraint(
                fields=["district", "sourced_id"], condition=~Q(sourced_id=""),
                name="school_sourced_id_unique",
            ),
        ]

    def __str__(self):
        return self.name


class DistrictVocabulary(models.Model):
    """A list of names a district keeps for itself, such as its subjects or focus areas."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"],
                                    name="%(app_label)s_%(class)s_name_unique"),
        ]

    def __str__(self):
        return self.name


class Subject(DistrictVocabulary):
    """A subject taught in a district; the list grows with roster imports."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="subjects")

    class Meta(DistrictVocabulary.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class FocusArea(DistrictVocabulary):
    """An area of practice (classroom management, multilingual learners...), district-edited."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="focus_areas")

    class Meta(DistrictVocabulary.Meta):
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people an account may look up: its district for a district admin, the staff
        of their schools for a school admin, and always itself."""
        if not user.is_authenticated:
            return self.none()
        if user.district_id is None:
            return self.filter(pk=user.pk)
        if user.is_district_admin:
            return self.filter(district_id=user.district_id)
        return self.filter(
            Q(pk=user.pk)
            | Q(district_id=user.district_id,
                staff_profile__school__in=School.objects.managed_by(user))
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en",
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        help_text=_("A person belongs to one district and sees only what is in it."),
    )
    is_staff = models.BooleanField(
        _("Django admin access"), default=False,
        help_text=_("Operators of the installation only."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="user_email_ci_unique",
                violation_error_message=_("A person with this email address already exists."),
            ),
        ]

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return str(self)

    @cached_property
    def roles(self):
        """The person's roles in their own district, loaded once per request. A role left
        behind in another district grants nothing."""
        if self.district_id is None:
            return []
        return list(self.district_roles.filter(district_id=self.district_id)
                    .select_related("school"))

    @property
    def is_district_admin(self):
        return any(r.role == DistrictRole.Role.DISTRICT_ADMIN for r in self.roles)

    @property
    def administered_schools(self):
        return [r.school for r in self.roles if r.role == DistrictRole.Role.SCHOOL_ADMIN]

    @property
    def is_school_admin(self):
        return bool(self.administered_schools)

    @property
    def needs_two_factor(self):
        """Admins can see a whole school or district, so their accounts need a second factor."""
        return self.is_superuser or self.is_staff or bool(self.roles)


class CareerStage(models.TextChoices):
    NEW = "new", _("New teacher (first year)")
    EARLY = "early", _("Early career (1-3 years)")
    ESTABLISHED = "established", _("Established (4-9 years)")
    EXPERIENCED = "experienced", _("Experienced (10+ years)")

    @classmethod
    def year_range(cls, stage):
        """Completed years of experience that make this stage, as (first, last or None)."""
        return {cls.NEW: (0, 0), cls.EARLY: (1, 3), cls.ESTABLISHED: (4, 9),
                cls.EXPERIENCED: (10, None)}[stage]

    @classmethod
    def for_years(cls, years):
        for stage in cls:
            first, last = cls.year_range(stage)
            if years >= first and (last is None or years <= last):
                return stage
        raise ValueError(years)


class Grade(models.TextChoices):
    """OneRoster grade codes, so roster imports map one to one."""

    PK = "PK", _("Pre-kindergarten")
    KG = "KG", _("Kindergarten")
    G01 = "01", _("Grade 1")
    G02 = "02", _("Grade 2")
    G03 = "03", _("Grade 3")
    G04 = "04", _("Grade 4")
    G05 = "05", _("Grade 5")
    G06 = "06", _("Grade 6")
    G07 = "07", _("Grade 7")
    G08 = "08", _("Grade 8")
    G09 = "09", _("Grade 9")
    G10 = "10", _("Grade 10")
    G11 = "11", _("Grade 11")
    G12 = "12", _("Grade 12")


class Language(models.TextChoices):
    """Languages a teacher speaks, in ISO 639-1 codes (the most common in US districts)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    ARABIC = "ar", _("Arabic")
    TAGALOG = "tl", _("Tagalog")
    KOREAN = "ko", _("Korean")
    RUSSIAN = "ru", _("Russian")
    PORTUGUESE = "pt", _("Portuguese")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    FRENCH = "fr", _("French")
    SOMALI = "so", _("Somali")
    HMONG = "hmn", _("Hmong")
    AMERICAN_SIGN_LANGUAGE = "ase", _("American Sign Language")


class StaffProfileQuerySet(models.QuerySet):
    def in_career_stage(self, stage):
        first, last = CareerStage.year_range(stage)
        qs = self.filter(years_of_experience__gte=first)
        return qs if last is None else qs.filter(years_of_experience__lte=last)


class StaffProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_profile")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        verbose_name=_("school"),
    )
    sourced_id = models.CharField(_("sourced id"), max_length=255, blank=True, default="")
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of teaching experience"), default=0, validators=[MaxValueValidator(60)],
        help_text=_("Completed school years of teaching, anywhere."),
    )
    # Fixed vocabularies are lists of codes; district-edited ones are rows.
    grades_taught = models.JSONField(_("grades taught"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, verbose_name=_("subjects"))
    expertise = models.ManyToManyField(
        FocusArea, blank=True, verbose_name=_("areas of expertise"), related_name="experts",
    )

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        indexes = [models.Index(fields=["sourced_id"], name="staff_sourced_id_idx")]

    def __str__(self):
        return str(self.user)

    def clean(self):
        if self.user_id:
            check_same_district(self.user.district_id, school=self.school)

    @property
    def career_stage(self):
        return CareerStage.for_years(self.years_of_experience)

    def get_grades_taught_display(self):
        return choice_labels(Grade, self.grades_taught)

    def get_languages_display(self):
        return choice_labels(Language, self.languages)


class DistrictRole(models.Model):
    """An administrative role: district admin of the whole district, or admin of one school."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("District administrator")
        SCHOOL_ADMIN = "school_admin", _("School administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="district_roles",
                             verbose_name=_("person"))
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="roles",
                                 verbose_name=_("district"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="admin_roles",
        verbose_name=_("school"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("administrative role")
        verbose_name_plural = _("administrative roles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="school_admin", school__isnull=False)
                           | Q(role="district_admin", school__isnull=True)),
                name="school_admin_has_school",
            ),
            models.UniqueConstraint(
                fields=["user", "district"], condition=Q(role="district_admin"),
                name="district_admin_role_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "school"], condition=Q(role="school_admin"),
                name="school_admin_role_unique",
            ),
        ]

    def __str__(self):
        where = self.school or self.district
        return f"{self.get_role_display()}, {where}"

    def clean(self):
        check_same_district(self.district_id, user=self.user if self.user_id else None,
                            school=self.school)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Invitations to the schools an admin manages, or to their district."""
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        if user.is_district_admin:
            return self.filter(district_id=user.district_id)
        return self.filter(district_id=user.district_id,
                           school__in=School.objects.managed_by(user))

    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)

    def unsent(self, now=None):
        """Pending invitations whose email has not gone out and that no live worker holds."""
        now = now or timezone.now()
        return self.pending(now).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - Invitation.CLAIM_TIMEOUT),
            sent_at__isnull=True, send_attempts__lt=Invitation.MAX_SEND_ATTEMPTS,
        )


class Invitation(models.Model):
    """An invitation by email to join a district, as a teacher or an administrator."""

    CLAIM_TIMEOUT = timedelta(minutes=10)
    MAX_SEND_ATTEMPTS = 6

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        SCHOOL_ADMIN = "school_admin", _("School administrator")
        DISTRICT_ADMIN = "district_admin", _("District administrator")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations",
                                 verbose_name=_("district"))
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
        verbose_name=_("school"),
    )
    email = models.EmailField(_("email address"))
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    # The email's language when the inviter knows the person's; else the district's.
    language = models.CharField(
        _("email language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("The language of the invitation email, if you know the person’s. "
                    "Otherwise the district’s language."),
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    # Sending: a worker claims the row before it sends; a claim older than CLAIM_TIMEOUT is
    # taken to be a worker that died, and the sweeper queues the email again.
    claimed_at = models.DateTimeField(_("email claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    send_error = models.TextField(_("last sending error"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="district_admin") | Q(school__isnull=False),
                name="invitation_school_unless_district_admin",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    def clean(self):
        check_same_district(self.district_id, school=self.school)

    def email_language(self):
        """The language to write to the invited person in: their own choice when they have
        an account already (in any district), else the one the inviter gave, else the
        district's."""
        languages = dict(settings.LANGUAGES)
        own = (User.objects.filter(email__iexact=self.email)
               .values_list("preferred_language", flat=True).first())
        for language in (own, self.language, self.district.language):
            if language in languages:
                return language
        return settings.LANGUAGE_CODE

    class State(models.TextChoices):
        UNDELIVERED = "undelivered", _("Email could not be sent")
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Withdrawn")

    @property
    def is_open(self):
        """Neither accepted, withdrawn nor expired: the link may still be used."""
        return (self.accepted_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())

    @property
    def state(self):
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        if self.sent_at is None and self.send_attempts >= self.MAX_SEND_ATTEMPTS:
            return self.State.UNDELIVERED
        return self.State.PENDING

    def get_state_display(self):
        return self.State(self.state).label


class AccessRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A district admin reviews every read in their district; anyone else sees who has
        read their own records."""
        if not user.is_authenticated:
            return self.none()
        if user.is_district_admin:
            return self.filter(district_id=user.district_id)
        return self.filter(owner_id=user.pk)


class AccessRecord(models.Model):
    """One read of a sensitive record (an observation, a debrief, a shared reflection, a
    work sample) by someone other than the people it belongs to. Written, never edited."""

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="access_records")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="reads", verbose_name=_("read by"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="records_read", verbose_name=_("whose record"))
    record_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT,
                                    verbose_name=_("kind of record"))
    record_id = models.PositiveBigIntegerField(_("record number"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-read_at", "-pk"]
        verbose_name = _("access record")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["district", "-read_at"], name="access_district_read"),
            models.Index(fields=["owner", "-read_at"], name="access_owner_read"),
        ]

    def __str__(self):
        return f"{self.reader} read {self.record_type.name} {self.record_id}"
