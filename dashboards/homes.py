"""What each role's home page shows: the figures of every section, read with a fixed number
of queries whatever the size of the district.

A person sees one section per role they hold (mentee, mentor, coordinator, school admin or
mentoring rep, district admin), overdue things first. The apps' own home panels (goals,
observations, badges, surveys) follow the person's mentoring; this module adds what no app
owns on its own: a mentor's mentees at a glance, program health cards, a school's and the
district's figures. Admins see counts; names of who is paired with whom are not content
and stay on the pairing pages, where the pairing app decides who may list them.
"""

from datetime import timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Invitation, School, StaffProfile, User
from goals.models import Reflection, ReflectionReply
from mentorship.home import render_home_panels
from observations.models import ObservationCycle
from pairing.models import CheckIn, NextStep, Pairing, RematchRequest
from programs.models import Participant, Program

from .health import DEFAULT_WEEKS, at_risk_check, health_cards, local_start

SHOWN = 10
FEEDBACK_SHOWN = 5
PROGRAMS_SHOWN = 20
SCHOOLS_SHOWN = 20


def mentor_section(user, today):
    """Each mentee of the reader with their last and next check-in, overdue first; open
    cycles the reader coaches, by stage; entries shared with the reader awaiting a reply.
    Three queries, none when the reader mentors nobody (one query tells)."""
    now = timezone.now()
    mentees = list(
        Pairing.objects.filter(mentor__user=user).open()
        .exclude(mentee__role=Participant.Role.PEER)
        .select_related("program", "mentee__user", "mentee__school")
        .annotate(
            last_held_at=Max("checkins__scheduled_at", filter=Q(
                checkins__status=CheckIn.Status.HELD, checkins__scheduled_at__lt=now)),
            next_checkin_at=Min("checkins__scheduled_at", filter=Q(
                checkins__status=CheckIn.Status.SCHEDULED, checkins__scheduled_at__gte=now)),
            # Over every mentee, not only the ones listed: the count of overdue check-ins
            # must not stop at the length of the table.
            overdue_total=Window(Count("pk", filter=Q(status=Pairing.Status.ACTIVE,
                                                      next_checkin_due_on__lt=today))))
        .order_by("next_checkin_due_on", "pk")[:SHOWN + 1])
    if not mentees:
        return None
    for pairing in mentees:
        pairing.overdue_days = pairing.days_overdue(today)
    # Overdue first, then by due date (the query's order).
    mentees.sort(key=lambda p: (p.overdue_days == 0, ))
    stages = dict(ObservationCycle.objects.filter(mentor=user).open()
                  .values_list("stage").annotate(n=Count("pk")).order_by())
    overdue_cycles = ObservationCycle.objects.filter(mentor=user).overdue(today).count()
    replied = ReflectionReply.objects.filter(reflection=OuterRef("pk"), author_id=user.pk)
    awaiting = list(Reflection.objects.visible_to(user).exclude(author_id=user.pk)
                    .filter(visibility=Reflection.Visibility.MENTOR)
                    .exclude(Exists(replied)).select_related("author", "program")
                    .order_by("shared_at", "pk")[:SHOWN])
    return {
        "mentees": mentees[:SHOWN], "more": len(mentees) > SHOWN,
        "stages": [(value, label, stages[value]) for value, label
                   in ObservationCycle.Stage.choices if stages.get(value)],
        "overdue_cycles": overdue_cycles, "awaiting": awaiting,
        "overdue_pairings": mentees[0].overdue_total,
    }


def mentee_feedback(user):
    """Debriefs shared with the reader as the teacher observed: date and a link, newest
    first. One query."""
    return list(ObservationCycle.objects.shared_debriefs_of(user)
                .select_related("mentor", "program", "debrief")
                .only("pk", "program__name", "mentor__display_name", "debrief__shared_at",
                      "observed_at", "stage")[:FEEDBACK_SHOWN])


def coordinator_cards(user, today):
    """A health card for each program the reader coordinates and is not closed."""
    programs = list(Program.objects.filter(
        district_id=user.district_id, participants__user=user,
        participants__role=Participant.Role.COORDINATOR,
        participants__status=Participant.Status.ACTIVE)
        .exclude(status__in=[Program.Status.CLOSED, Program.Status.DRAFT])
        .order_by("name", "pk").distinct()[:PROGRAMS_SHOWN])
    if not programs:
        return []
    cards = health_cards(programs, today, rematch=True)
    return [{"program": program, **cards[program.pk]} for program in programs]


def school_figures(schools, today, weeks=DEFAULT_WEEKS):
    """For each school: active pairings whose mentee teaches there, those overdue for a
    check-in, and those not met in `weeks` weeks. Counts only. One query."""
    ids = [s.pk for s in schools]
    rows = {pk: {"active": 0, "overdue": 0, "not_met": 0} for pk in ids}
    if not ids:
        return rows
    since = local_start(today - timedelta(weeks=weeks))
    met = CheckIn.objects.filter(pairing=OuterRef("pk"), status=CheckIn.Status.HELD,
                                 scheduled_at__gte=since, scheduled_at__lt=timezone.now())
    for row in (Pairing.objects.active().filter(mentee__school_id__in=ids)
                .annotate(met=Exists(met)).values("mentee__school_id").annotate(
                    active=Count("pk"),
                    overdue=Count("pk", filter=Q(next_checkin_due_on__lt=today)),
                    not_met=Count("pk", filter=Q(met=False))).order_by()):
        rows[row["mentee__school_id"]] = {k: row[k] for k in ("active", "overdue", "not_met")}
    return rows


def rep_schools(user):
    """Schools the reader is the mentoring rep of, in programs still running."""
    return School.objects.filter(pk__in=Participant.objects.active().filter(
        user_id=user.pk, role=Participant.Role.SCHOOL_REP, school__isnull=False)
        .exclude(program__status=Program.Status.CLOSED).values("school_id"))


def school_section(user, today):
    if user.is_district_admin or user.district_id is None:
        return []
    schools = list(School.objects.filter(
        Q(pk__in=School.objects.managed_by(user).values("pk"))
        | Q(pk__in=rep_schools(user).values("pk"))).with_staff_counts()
        .order_by("name", "pk")[:SCHOOLS_SHOWN])
    figures = school_figures(schools, today)
    return [{"school": school, **figures[school.pk]} for school in schools]


def district_section(user, today):
    """Every program of the district (the latest first) with its key figures, and the
    schools with the most pairings; the way to the district's impact pages."""
    programs = list(Program.objects.filter(district_id=user.district_id)
                    .exclude(status=Program.Status.CLOSED)
                    .order_by("-starts_on", "name", "pk")[:PROGRAMS_SHOWN + 1])
    cards = health_cards(programs[:PROGRAMS_SHOWN], today, rematch=True, runs=False)
    # The schools with the most active pairings, ranked by one grouped count; then, where
    # fewer have any, the others by name. Ranking all schools by a count per school ran
    # one subquery per school of the district.
    ranked = dict(Pairing.objects.active().filter(mentee__school__district_id=user.district_id)
                  .values_list("mentee__school_id").annotate(n=Count("pk"))
                  .order_by("-n", "mentee__school__name", "mentee__school_id")[:SCHOOLS_SHOWN])
    others = (School.objects.filter(district_id=user.district_id).exclude(pk__in=list(ranked))
              .order_by("name", "pk").values("pk")[:SCHOOLS_SHOWN])
    staff = Coalesce(Subquery(
        StaffProfile.objects.filter(school_id=OuterRef("pk"), user__is_active=True)
        .values("school_id").annotate(n=Count("pk")).values("n")), 0)
    schools = sorted(School.objects.filter(Q(pk__in=list(ranked)) | Q(pk__in=others))
                     .annotate(staff_count=staff),
                     key=lambda school: (-ranked.get(school.pk, 0), school.name, school.pk)
                     )[:SCHOOLS_SHOWN]
    for school in schools:
        school.pairings = ranked.get(school.pk, 0)
    figures = school_figures(schools, today)
    try:
        impact_url = reverse("dashboards:district")
    except NoReverseMatch:  # the impact pages are not installed
        impact_url = None
    return {
        "programs": [{"program": p, **cards[p.pk]} for p in programs[:PROGRAMS_SHOWN]],
        "more_programs": len(programs) > PROGRAMS_SHOWN,
        "schools": [{"school": s, **figures[s.pk]} for s in schools],
        "impact_url": impact_url,
        "staff_count": User.objects.visible_to(user).count(),
        "pending_invitations": Invitation.objects.visible_to(user).pending().count(),
    }


def home_context(request):
    user = request.user
    today = timezone.localdate()
    participations = list(Participant.objects.filter(user_id=user.pk).current()
                          .select_related("program").order_by("program__name", "role")[:20])
    roles = {p.role for p in participations if p.status == Participant.Status.ACTIVE}
    waiting = dict(RematchRequest.objects.waiting_for(user).values_list("pairing__program_id")
                   .annotate(n=Count("pk")))
    for participation in participations:
        if participation.role == Participant.Role.COORDINATOR:
            participation.rematch_waiting = waiting.get(participation.program_id, 0)
    # The reader's own pairings as a mentee (or a peer); those they mentor are in their
    # section, and must not crowd these out of the list.
    pairings = list(Pairing.objects.of_user(user).open()
                    .filter(Q(mentee__user_id=user.pk) | Q(mentee__role=Participant.Role.PEER))
                    .for_home(timezone.now())[:SHOWN])
    next_steps = list(NextStep.objects.for_user(user)
                      .select_related("owner", "checkin__pairing__program")
                      .annotate(overdue_total=Window(Count("pk", filter=Q(due_on__lt=today))))
                      [:SHOWN])
    mentoring = roles & {*Participant.MENTORING_ROLES}
    mentor = mentor_section(user, today) if mentoring else None
    context = {
        "today": today,
        "pairings": pairings,
        "next_steps": next_steps,
        "overdue_steps": next_steps[0].overdue_total if next_steps else 0,
        "mentor": mentor,
        "feedback": mentee_feedback(user) if roles & {Participant.Role.MENTEE,
                                                      Participant.Role.PEER} else [],
        "coordinated": coordinator_cards(user, today)
        if Participant.Role.COORDINATOR in roles else [],
        "school_rows": school_section(user, today),
        "panels": render_home_panels(request),
        "participations": participations,
        "enrolling_programs": Program.objects.visible_to(user)
        .filter(status=Program.Status.ENROLLING).exclude(participants__user_id=user.pk)
        .order_by("name")[:SHOWN],
        "weeks": DEFAULT_WEEKS,
    }
    context["overdue_pairings"] = sum(1 for p in context["pairings"] if p.days_overdue(today))
    if mentor:
        context["overdue_pairings"] += mentor["overdue_pairings"]
        context["overdue_cycles"] = mentor["overdue_cycles"]
    if user.is_district_admin:
        context["district"] = district_section(user, today)
    if context["coordinated"] or context.get("district"):
        context["risk_check"] = at_risk_check(user.district_id)
    return context
