"""What surveys has due, for the notifications app to send (contract: mentorship/reminders).

An invitation goes to each person asked as soon as their survey opens; reminders follow 3
and 7 days later to those who have not answered, while the survey is still open. Each
message holds the person's own link. Both kinds may be turned off: answering a survey is
voluntary, and the home page lists the surveys waiting for an answer with the same links.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import Reminder, reminder

from .models import Invitation, Survey
from .services import invitation_token

REMIND_AFTER_DAYS = (3, 7)
# Invitations older than this are left to the reminders: an invitation missed while the
# sender was down still goes out, a survey reopened weeks later sends no stale invitation.
INVITE_WITHIN_DAYS = 3


def _waiting(now):
    return (Invitation.objects.unanswered()
            .filter(survey__status=Survey.Status.OPEN,
                    # A day's grace for the districts west of UTC; the tick closes the rest.
                    survey__closes_on__gte=now.date() - timedelta(days=1))
            .select_related("survey__program").order_by("pk"))


def _message(invitation, key, template, **extra):
    survey = invitation.survey
    return Reminder(
        key=key, user_id=invitation.user_id, template=template,
        context={"survey": survey.title, "program": survey.program.name,
                 "closes_on": survey.closes_on.isoformat(), "anonymous": survey.anonymous,
                 **extra},
        url=reverse("surveys:answer", args=[invitation_token(invitation)]),
        program_id=survey.program_id)


@reminder("survey-invitation", _("Survey invitation"),
          _("A survey of your program asks for your answers, with your personal link."))
def survey_invitations(now):
    """One message per invitation, sent while the survey is open and unanswered. One
    query."""
    for invitation in _waiting(now).filter(
            invited_at__gte=now - timedelta(days=INVITE_WITHIN_DAYS)).iterator():
        yield _message(invitation, f"survey-invitation:invitation-{invitation.pk}",
                       "surveys/reminders/survey_invitation")


@reminder("survey-reminder", _("Survey reminder"),
          _("A reminder of a survey you have not answered yet, before it closes."))
def survey_reminders(now):
    """3 and 7 days after the invitation, to people who have not answered; only the
    latest step due is sent, so a late run sends one reminder, not two. One query."""
    first = min(REMIND_AFTER_DAYS)
    for invitation in _waiting(now).filter(
            invited_at__lte=now - timedelta(days=first)).iterator():
        age = (now - invitation.invited_at).days
        step = max(days for days in REMIND_AFTER_DAYS if days <= age)
        yield _message(invitation, f"survey-reminder:invitation-{invitation.pk}:day-{step}",
                       "surveys/reminders/survey_reminder", days=step)
