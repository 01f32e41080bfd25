"""Writes with rules on who takes part: adding people, applications and their review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, Participant, Program
from ..signals import application_decided


def _school_of(user):
    return getattr(getattr(user, "staff_profile", None), "school", None)


def add_participant(program: Program, user, role: str, *, capacity=None,
                    status=Participant.Status.ACTIVE) -> Participant:
    """Give a person of the district a role in the program (or invite them to take it), or
    bring a withdrawn or declined one back; their school is recorded as it is today."""
    if user.district_id != program.district_id:
        raise ValidationError({"email": _("This person is not in the program's district.")})
    if program.school_id and _school_of(user) and _school_of(user).pk != program.school_id:
        raise ValidationError({"email": _("This program is for %(school)s staff only.")
                               % {"school": program.school}})
    participant, created = Participant.objects.get_or_create(
        program=program, user=user, role=role,
        defaults={"status": status, "capacity": capacity, "school": _school_of(user)})
    if not created:
        if participant.status == Participant.Status.ACTIVE:
            raise ValidationError({"email": _("%(person)s already has this role.")
                                   % {"person": user}})
        if participant.status in (Participant.Status.APPLIED, Participant.Status.WAITLISTED):
            # Their application waits for a decision, which keeps its record.
            raise ValidationError({"email": _(
                "%(person)s has applied for this role: decide on their application "
                "instead.") % {"person": user}})
        participant.status = status
        participant.capacity = capacity
        participant.school = _school_of(user)
        participant.save(update_fields=["status", "capacity", "school", "updated_at"])
    return participant


def preferred_mentor_choices(program: Program):
    """Mentors a mentee may name: those active in the program or applying to it."""
    return (program.participants.filter(role__in=Participant.MENTORING_ROLES)
            .exclude(status__in=[Participant.Status.WITHDRAWN, Participant.Status.DECLINED])
            .select_related("user", "school").order_by("user__display_name"))


@transaction.atomic
def apply(program: Program, user, role: str, application: Application, *,
          subjects=(), focus_areas=(), preferred_mentors=()) -> Participant:
    """Record an application to join as mentor or mentee."""
    from ..permissions import can_apply

    if not can_apply(user, program):
        raise ValidationError(_("This program is not taking applications from you."))
    if role not in (Participant.Role.MENTOR, Participant.Role.MENTEE):
        raise ValidationError({"role": _("Apply as a mentor or as a mentee.")})
    preferred_mentors = list(preferred_mentors) if role == Participant.Role.MENTEE else []
    if len(preferred_mentors) > Application.MAX_PREFERRED_MENTORS:
        raise ValidationError({"preferred_mentors": _("Name at most three mentors.")})
    allowed = set(preferred_mentor_choices(program).values_list("pk", flat=True))
    if any(m.pk not in allowed or m.user_id == user.pk for m in preferred_mentors):
        raise ValidationError({"preferred_mentors": _("Choose mentors of this program.")})

    participant, _created = Participant.objects.get_or_create(
        program=program, user=user, role=role,
        defaults={"status": Participant.Status.APPLIED, "school": _school_of(user)})
    # Locked, so a second submit waits for this one and then replaces it.
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    previous = Application.objects.filter(participant=participant).first()
    if previous is not None:
        # Applying again replaces the application but keeps what the earlier one said and
        # how it was decided.
        previous.participant = participant
        application.pk = previous.pk
        application.earlier = [*previous.earlier, previous.summary()]
    participant.status = Participant.Status.APPLIED
    participant.school = _school_of(user)
    participant.save(update_fields=["status", "school", "updated_at"])
    application.participant = participant
    application.submitted_at = timezone.now()
    application.save()
    application.subjects.set(subjects)
    application.focus_areas.set(focus_areas)
    application.preferred_mentors.set(preferred_mentors)
    return participant


class Decision:
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    DECLINE = "decline"

    STATUS = {ACCEPT: Participant.Status.ACTIVE, WAITLIST: Participant.Status.WAITLISTED,
              DECLINE: Participant.Status.DECLINED}


@transaction.atomic
def decide_application(application: Application, decision: str, by, message: str = ""):
    """Accept, waitlist or decline an application. A decline always carries a message.
    Nobody decides on their own application, and two reviewers deciding at once are
    served one after the other (the second finds it decided)."""
    participant = Participant.objects.select_for_update().get(pk=application.participant_id)
    application.participant = participant
    if participant.user_id == by.pk:
        raise ValidationError(_("Someone else who reviews applications decides on your own."))
    if participant.status not in (Participant.Status.APPLIED, Participant.Status.WAITLISTED):
        raise ValidationError(_("This application has already been decided."))
    if decision == Decision.DECLINE and not message.strip():
        raise ValidationError({"message": _("Tell the applicant why, in a sentence or two.")})
    participant.status = Decision.STATUS[decision]
    participant.save(update_fields=["status", "updated_at"])
    application.decided_at = timezone.now()
    application.decided_by = by
    application.decision_message = message.strip()
    application.save(update_fields=["decided_at", "decided_by", "decision_message"])
    transaction.on_commit(lambda: application_decided.send(
        sender=Application, application=application, decision=decision))
    return application


def respond_to_invitation(participant: Participant, accept: bool) -> Participant:
    """The invited person takes the role or turns it down."""
    if participant.status != Participant.Status.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    participant.status = Participant.Status.ACTIVE if accept else Participant.Status.DECLINED
    participant.save(update_fields=["status", "updated_at"])
    return participant

