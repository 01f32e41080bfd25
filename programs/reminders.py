"""What programs have due, under the contract of `mentorship/reminders.py`: group sessions
tomorrow, decisions on applications, and invitations waiting for an answer.

Also the few helpers every app's reminders share: which programs are running and what day
it is in each one's district, so "today" and "tomorrow" are the district's, not the
server's.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import Reminder, reminder

from .models import Application, GroupMembership, GroupSession, Participant, Program

# News (a decision, an invitation) reaches people only while it is fresh: a reminder source
# first run on an old database must not mail last year's decisions.
RECENT = timedelta(days=7)
# A program is under way for news about taking part while it enrols and while it runs.
TAKING_PART = [Program.Status.ENROLLING, Program.Status.RUNNING]


@dataclass(frozen=True)
class LocalDay:
    program: Program
    today: date

    @property
    def tomorrow(self):
        return self.today + timedelta(days=1)

    @property
    def zone(self):
        return ZoneInfo(self.program.district.time_zone)

    def date_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


def local_day(program: Program, now: datetime) -> LocalDay:
    return LocalDay(program, now.astimezone(ZoneInfo(program.district.time_zone)).date())


def running_programs(now: datetime, statuses=(Program.Status.RUNNING,)) -> dict[int, LocalDay]:
    """The programs in these states, each with the day `now` falls on in its district (one
    query)."""
    return {program.pk: local_day(program, now)
            for program in Program.objects.filter(status__in=statuses).select_related("district")}


def day_bounds(days: dict[int, LocalDay]) -> tuple[date, date]:
    """The earliest and latest "today" across districts: a query asks for this range, and
    each row is then compared with its own district's day."""
    todays = [d.today for d in days.values()]
    return min(todays), max(todays)


def can_receive(user) -> bool:
    return user is not None and user.is_active


def is_active_participant(participant: Participant) -> bool:
    return participant.status == Participant.Status.ACTIVE and can_receive(participant.user)


@reminder("group-session-tomorrow", _("Group session tomorrow"),
          _("The day before a session of a group you belong to or lead."))
def group_sessions_tomorrow(now):
    """To each active member and lead of the group, once per session and day: a session
    moved to another day is announced again, a cancelled one not at all."""
    days = running_programs(now)
    if not days:
        return
    # Tomorrow in any district begins within a day and ends within two.
    sessions = {s.pk: s for s in GroupSession.objects.scheduled().filter(
        group__program__in=list(days), starts_at__gte=now,
        starts_at__lt=now + timedelta(days=2)).select_related("group").order_by("pk")}
    due = {}
    for session in sessions.values():
        day = days[session.group.program_id]
        if day.date_of(session.starts_at) == day.tomorrow:
            due[session.pk] = session
    if not due:
        return
    members = (GroupMembership.objects
               .filter(group__in={s.group_id for s in due.values()},
                       participant__status=Participant.Status.ACTIVE,
                       participant__user__is_active=True)
               .select_related("participant__user").order_by("group_id", "pk"))
    by_group = {}
    for membership in members:
        by_group.setdefault(membership.group_id, []).append(membership)
    for session in due.values():
        day = days[session.group.program_id]
        program = day.program
        local = session.starts_at.astimezone(day.zone)
        seen = set()
        for membership in by_group.get(session.group_id, []):
            user_id = membership.participant.user_id
            if user_id in seen:
                continue
            seen.add(user_id)
            yield Reminder(
                key=f"group-session-tomorrow:session-{session.pk}:user-{user_id}:"
                    f"{local.date().isoformat()}",
                user_id=user_id,
                template="programs/reminders/group_session_tomorrow",
                context={"session": session.title, "group": session.group.name,
                         "program": program.name, "date": local.date().isoformat(),
                         "time": local.strftime("%H:%M"), "place": session.location,
                         "leads": membership.is_lead},
                url=reverse("programs:session-detail", args=[program.pk, session.pk]),
                program_id=program.pk)


@reminder("application-decided", _("Application decided"),
          _("When the program decides on your application, with the reviewer’s message."),
          optional=False, digestible=False)
def applications_decided(now):
    """To the applicant, once per decision (deciding again after a new application is a new
    decision), for decisions of the last week."""
    applications = (Application.objects
                    .filter(decided_at__gte=now - RECENT, decided_at__lte=now,
                            participant__status__in=[Participant.Status.ACTIVE,
                                                     Participant.Status.WAITLISTED,
                                                     Participant.Status.DECLINED],
                            participant__program__status__in=TAKING_PART,
                            participant__user__is_active=True)
                    .select_related("participant__program").order_by("pk"))
    for application in applications:
        participant = application.participant
        program = participant.program
        yield Reminder(
            key=f"application-decided:application-{application.pk}:"
                f"{int(application.decided_at.timestamp())}",
            user_id=participant.user_id,
            template="programs/reminders/application_decided",
            context={"program": program.name, "outcome": participant.status,
                     "role": participant.role, "message": application.decision_message},
            url=reverse("programs:detail", args=[program.pk]),
            program_id=program.pk)


@reminder("program-invitation", _("Invitation to a program"),
          _("When a coordinator invites you to take a role in a program."),
          optional=False, digestible=False)
def invitations_waiting(now):
    """To the invited person, once per invitation, for invitations of the last week that
    are still unanswered."""
    invited = (Participant.objects
               .filter(status=Participant.Status.INVITED, updated_at__gte=now - RECENT,
                       program__status__in=TAKING_PART, user__is_active=True)
               .select_related("program").order_by("pk"))
    for participant in invited:
        program = participant.program
        yield Reminder(
            key=f"program-invitation:participant-{participant.pk}",
            user_id=participant.user_id,
            template="programs/reminders/program_invitation",
            context={"program": program.name, "role": participant.role,
                     "starts_on": program.starts_on.isoformat()},
            url=reverse("programs:detail", args=[program.pk]),
            program_id=program.pk)
