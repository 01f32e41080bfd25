"""Every write of the surveys app: building a survey, opening and closing it, inviting its
audience, and taking an answer. Services never see a request."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, F, IntegerField, Max, Min, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from observations.models import Debrief
from programs.models import Attendance, GroupMembership, Participant

from .models import (
    CHOICE_KINDS,
    Answer,
    Invitation,
    Question,
    Response,
    Stage,
    Survey,
    SurveyTemplate,
    stage_dates,
)

TOKEN_SALT = "surveys.invitation"


class AlreadyAnswered(Exception):
    """The invitation's answer has arrived already: a link works once."""


def district_today(program, now=None):
    """The day it is in the program's district: surveys open and close on local days."""
    return timezone.localdate(now or timezone.now(), ZoneInfo(program.district.time_zone))


# Links -------------------------------------------------------------------------------------

def invitation_token(invitation):
    """The personal link's token: the invitation's number, signed so it cannot be guessed;
    the same every time, so the invitation and its reminders carry one link."""
    return signing.Signer(salt=TOKEN_SALT).sign_object(invitation.pk)


def invitation_pk_from_token(token):
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, int) else None


# Building ----------------------------------------------------------------------------------

def _dates(program, stage, opens_on, closes_on):
    derived = stage_dates(program, stage)
    if derived is not None:
        opens_on, closes_on = opens_on or derived[0], closes_on or derived[1]
    errors = {}
    if opens_on is None:
        errors["opens_on"] = _("Choose the day the survey opens.")
    if closes_on is None:
        errors["closes_on"] = _("Choose the day the survey closes.")
    if errors:
        raise ValidationError(errors)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("A survey closes on or after it opens.")})
    if not program.starts_on <= opens_on <= program.ends_on:
        raise ValidationError({"opens_on": _(
            "Choose a day inside the program, which runs from %(start)s to %(end)s.") % {
                "start": program.starts_on, "end": program.ends_on}})
    return opens_on, closes_on


@transaction.atomic
def create_survey(*, program, created_by, template: SurveyTemplate | None = None,
                  title: str = "", stage: str | None = None, opens_on: date | None = None,
                  closes_on: date | None = None, audience_roles=None, anonymous=None,
                  intro: str | None = None, schools=(), groups=()) -> Survey:
    """A draft survey of the program, blank or copied from a shipped template (its
    questions too). Standard stages take their dates from the program unless given."""
    stage = stage or (template.stage if template else Stage.CUSTOM)
    opens_on, closes_on = _dates(program, stage, opens_on, closes_on)
    roles = list(audience_roles or (template.audience_roles if template else [])) or [
        Participant.Role.MENTEE]
    survey = Survey.objects.create(
        program=program, template=template, created_by=created_by, stage=stage,
        title=title or (template.title if template else _("Untitled survey")),
        intro=intro if intro is not None else (template.intro if template else ""),
        opens_on=opens_on, closes_on=closes_on, audience_roles=roles,
        anonymous=anonymous if anonymous is not None else (
            template.anonymous if template else True))
    survey.audience_schools.set(schools)
    survey.audience_groups.set(groups)
    if template:
        Question.objects.bulk_create(
            Question(survey=survey, position=index, key=q.get("key", ""), kind=q["kind"],
                     text=q["text"], required=q.get("required", False),
                     choices=list(q.get("choices", [])))
            for index, q in enumerate(template.questions))
    return survey


def _check_editable(survey):
    # A survey whose first answer arrived keeps its questions, so every answer answers the
    # same question.
    if not survey.is_editable or survey.responses.exists():
        raise ValidationError(_("This survey has been sent, so its questions stay as they "
                                "are. Make a new survey to ask something else."))


@transaction.atomic
def update_survey(*, survey, changed_by, schools=None, groups=None, **fields) -> Survey:
    """Change a draft's title, stage, dates, audience or anonymity."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _check_editable(survey)
    opens_on, closes_on = fields.get("opens_on"), fields.get("closes_on")
    # The form shows the dates the old stage gave; left as they were while the stage
    # changes, they follow the new stage.
    if fields.get("stage", survey.stage) != survey.stage and (
            (opens_on, closes_on) == stage_dates(survey.program, survey.stage)):
        opens_on = closes_on = None
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.opens_on, survey.closes_on = _dates(survey.program, survey.stage, opens_on,
                                               closes_on)
    survey.save()
    if schools is not None:
        survey.audience_schools.set(schools)
    if groups is not None:
        survey.audience_groups.set(groups)
    return survey


@transaction.atomic
def add_question(*, survey, added_by, kind, text, required=False, help_text="",
                 choices=()) -> Question:
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    _check_editable(survey)
    last = survey.questions.aggregate(last=Max("position"))["last"]
    return Question.objects.create(survey=survey, kind=kind, text=text, required=required,
                                   help_text=help_text, choices=list(choices),
                                   position=0 if last is None else last + 1)


@transaction.atomic
def edit_question(*, question, edited_by, **fields) -> Question:
    Survey.objects.select_for_update().filter(pk=question.survey_id).first()
    _check_editable(question.survey)
    for name, value in fields.items():
        setattr(question, name, list(value) if name == "choices" else value)
    question.save()
    return question


@transaction.atomic
def remove_question(*, question, removed_by) -> None:
    Survey.objects.select_for_update().filter(pk=question.survey_id).first()
    _check_editable(question.survey)
    question.delete()


@transaction.atomic
def move_question(*, question, moved_by, up: bool) -> None:
    """Swap the question with the one before (or after) it."""
    Survey.objects.select_for_update().filter(pk=question.survey_id).first()
    _check_editable(question.survey)
    questions = list(question.survey.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions):
        q.position = position
    Question.objects.bulk_update(questions, ["position"])


# Opening and closing -----------------------------------------------------------------------

def schedule_survey(*, survey, scheduled_by, now: datetime | None = None) -> Survey:
    """Send a draft on its way: scheduled until its opening day, then open with every
    person of its audience invited. A survey opening today opens at once."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("program__district").get(
            pk=survey.pk)
        today = district_today(survey.program, now)
        if survey.status != Survey.Status.DRAFT:
            raise ValidationError(_("This survey has been sent already."))
        if not survey.questions.exists():
            raise ValidationError(_("Add at least one question before sending the survey."))
        if survey.closes_on < today:
            raise ValidationError({"closes_on": _(
                "This survey would close before today. Choose a later closing day.")})
        survey.status = Survey.Status.SCHEDULED
        survey.save(update_fields=["status"])
    if survey.opens_on <= today:
        open_survey(survey_id=survey.pk, now=now)
        survey.refresh_from_db()
    return survey


def open_survey(*, survey_id: int, now: datetime) -> bool:
    """Open a scheduled survey and invite its audience, at most once (the first caller
    claims it). A fixed number of queries however large the audience."""
    with transaction.atomic():
        claimed = Survey.objects.filter(pk=survey_id, status=Survey.Status.SCHEDULED).update(
            status=Survey.Status.OPEN, opened_at=now)
        if not claimed:
            return False
        survey = Survey.objects.get(pk=survey_id)
        if not survey.follows_events:
            invite_audience(survey=survey, now=now)
    return True


def close_survey(*, survey, closed_by=None, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(Survey.objects.filter(
        pk=survey.pk, status__in=[Survey.Status.SCHEDULED, Survey.Status.OPEN]).update(
        status=Survey.Status.CLOSED, closed_at=now))


def _insert_invitations(survey, rows, now):
    """INSERT INTO invitations SELECT ... for `rows`, a queryset whose values are
    inv_user, inv_occasion, inv_role, inv_school, inv_group: one statement, skipping anyone
    already invited for the occasion; a tick running at the same time that inserted the
    same row first leaves this one out rather than failing."""
    select, params = rows.query.sql_with_params()
    table = Invitation._meta.db_table
    sql = (
        f"INSERT INTO {table} (survey_id, user_id, occasion, role, school_id, group_id, "
        f"invited_at) SELECT %s, q.inv_user, q.inv_occasion, q.inv_role, q.inv_school, "
        f"q.inv_group, %s FROM ({select}) q WHERE NOT EXISTS (SELECT 1 FROM {table} i "
        f"WHERE i.survey_id = %s AND i.user_id = q.inv_user AND i.occasion = q.inv_occasion) "
        f"ON CONFLICT (survey_id, user_id, occasion) DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey.pk, now, *params, survey.pk])
        return cursor.rowcount


def audience(survey):
    """Active participants the survey asks: its roles, narrowed to its schools and groups
    when it names any."""
    people = Participant.objects.filter(program_id=survey.program_id,
                                        status=Participant.Status.ACTIVE,
                                        role__in=survey.audience_roles)
    schools = list(survey.audience_schools.values_list("pk", flat=True))
    groups = list(survey.audience_groups.values_list("pk", flat=True))
    if schools:
        people = people.filter(school__in=schools)
    if groups:
        people = people.filter(pk__in=GroupMembership.objects.filter(
            group__in=groups).values("participant_id"))
    return people


def invite_audience(*, survey, now):
    """Invite every person of the audience once (a person with two roles is asked once)."""
    rows = (audience(survey).annotate(inv_user=F("user_id")).values("inv_user")
            .annotate(inv_occasion=Value("", output_field=CharField()),
                      inv_role=Min("role"), inv_school=Min("school_id"),
                      inv_group=Min("memberships__group_id"))
            .order_by())
    return _insert_invitations(survey, rows, now)


def open_hours(survey):
    """The survey's first and last days as moments: from midnight of its opening day to
    midnight after its closing day, in its district's time zone."""
    zone = ZoneInfo(survey.program.district.time_zone)
    return (datetime.combine(survey.opens_on, time(), zone),
            datetime.combine(survey.closes_on + timedelta(days=1), time(), zone))


def invite_after_debriefs(*, survey, now):
    """A shared debrief of the program, shared while the survey is open: its mentee is
    asked once for that debrief."""
    start, end = open_hours(survey)
    rows = (Debrief.objects.filter(
        shared_at__isnull=False, shared_at__lte=now, cycle__program_id=survey.program_id,
        shared_at__gte=start, shared_at__lt=end)
        .annotate(inv_user=F("cycle__mentee_id"),
                  inv_occasion=Concat(Value("debrief-"), Cast("pk", CharField()),
                                      output_field=CharField()),
                  inv_role=F("cycle__pairing__mentee__role"),
                  inv_school=F("cycle__pairing__mentee__school_id"),
                  inv_group=Cast(Value(None), IntegerField()))
        .values("inv_user", "inv_occasion", "inv_role", "inv_school", "inv_group")
        .order_by())
    return _insert_invitations(survey, rows, now)


def invite_after_sessions(*, survey, now):
    """Everyone marked present at a session of the program that started while the survey
    is open is asked once for that session (attendance is taken once the session is over)."""
    start, end = open_hours(survey)
    rows = (Attendance.objects.filter(
        status=Attendance.Status.PRESENT, session__group__program_id=survey.program_id,
        session__starts_at__lte=now, session__starts_at__gte=start,
        session__starts_at__lt=end,
        participant__status=Participant.Status.ACTIVE)
        .annotate(inv_user=F("participant__user_id"),
                  inv_occasion=Concat(Value("session-"), Cast("session_id", CharField()),
                                      output_field=CharField()),
                  inv_role=F("participant__role"), inv_school=F("participant__school_id"),
                  inv_group=F("session__group_id"))
        .values("inv_user", "inv_occasion", "inv_role", "inv_school", "inv_group")
        .order_by())
    return _insert_invitations(survey, rows, now)


def tick(*, now: datetime | None = None) -> dict:
    """What the beat runs every few minutes: open surveys whose day came (inviting their
    audience), invite after debriefs and sessions, close surveys whose last day passed.
    Running it twice changes nothing more."""
    now = now or timezone.now()
    # Districts span time zones: read the surveys due anywhere, then keep those due in
    # their own district's day.
    earliest, latest = now.date() - timedelta(days=1), now.date() + timedelta(days=1)
    done = {"opened": 0, "closed": 0, "invited": 0}
    opening = Survey.objects.due_to_open(latest).select_related("program__district")
    for survey in opening:
        if survey.opens_on <= district_today(survey.program, now):
            done["opened"] += open_survey(survey_id=survey.pk, now=now)
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, stage__in=[
            Stage.AFTER_DEBRIEF, Stage.AFTER_SESSION], closes_on__gte=earliest
            ).select_related("program__district"):
        invite = (invite_after_debriefs if survey.stage == Stage.AFTER_DEBRIEF
                  else invite_after_sessions)
        done["invited"] += invite(survey=survey, now=now)
    ended = [survey.pk for survey in Survey.objects.due_to_close(latest).select_related(
        "program__district") if survey.closes_on < district_today(survey.program, now)]
    done["closed"] = Survey.objects.filter(pk__in=ended, status=Survey.Status.OPEN).update(
        status=Survey.Status.CLOSED, closed_at=now)
    return done


# Answering ---------------------------------------------------------------------------------

def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def submit_response(*, invitation, answers: dict, now: datetime | None = None) -> Response:
    """Store one person's answers, once: the invitation is claimed first, and a second
    answer raises AlreadyAnswered. For an anonymous survey the response keeps nothing that
    leads back to the invitation or the person: no link, a random key, the week only.

    `answers` maps a question's pk to its value: an int, a text, or a list of choices."""
    survey = invitation.survey
    today = district_today(survey.program, now)
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, answered_on__isnull=True).update(
            answered_on=today)
        if not claimed:
            raise AlreadyAnswered
        response = Response.objects.create(
            survey=survey, respondent=None if survey.anonymous else invitation.user,
            submitted_on=week_of(today) if survey.anonymous else today,
            role=invitation.role, school_id=invitation.school_id,
            group_id=invitation.group_id)
        rows = []
        for question in survey.questions.all():
            value = answers.get(question.pk)
            if value in (None, "", []):
                continue
            if question.is_number:
                rows.append(Answer(response=response, question=question, number=int(value)))
            elif question.kind in CHOICE_KINDS:
                chosen = value if isinstance(value, list | tuple) else [value]
                rows += [Answer(response=response, question=question, choice=str(choice))
                         for choice in dict.fromkeys(chosen)]
            else:
                rows.append(Answer(response=response, question=question, text=str(value)))
        Answer.objects.bulk_create(rows)
    return response

