"""Matching a program's people: who is in the pool, running the engine, reviewing its
proposals (change, swap, lock, remove) and approving them into pairings."""

from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import DistrictRole, StaffProfile
from programs.calendar import ProgramCalendar
from programs.models import Application, Group, GroupMembership, Participant, Program
from programs.presets import MatchingScope, PairingShape

from .. import engine
from ..models import Exclusion, MatchingRun, MatchingSettings, Pairing, PairingEvent
from ..signals import pairings_approved
from .cadence import next_checkin_due

MENTOR_ROLES = [Participant.Role.MENTOR, Participant.Role.LEAD_MENTOR]
# Someone taken out of a run by hand, rather than left out by the engine: they stay out
# of the run's pool until a matcher returns them.
REMOVED_BY_HAND = "removed"
RETURNED = "returned"
BROKEN_RULE = {engine.Unmatched.OUT_OF_SCOPE: gettext_lazy("outside the program's scope"),
               engine.Unmatched.EXCLUDED: gettext_lazy(
                   "kept apart (an exclusion, or a school's admin and a teacher of their "
                   "school)")}


def places_of(program: Program, mentor: Participant) -> int:
    """How many mentees a mentor takes in this program: one in a one-on-one program, else
    their own capacity or the program's."""
    if program.pairing_shape == PairingShape.ONE_TO_ONE:
        return 1
    return mentor.capacity or program.mentor_capacity


def settings_for(program: Program) -> MatchingSettings:
    """The program's matching settings, or its model's preset when none are saved."""
    try:
        return program.matching_settings
    except MatchingSettings.DoesNotExist:
        return MatchingSettings.preset_for(program)


def save_settings(program: Program, by, *, weights: dict, prefer_same_school: bool,
                  reverse: bool) -> MatchingSettings:
    current = settings_for(program)
    current.weights = {str(c): int(weights.get(str(c), 0)) for c in engine.Criterion}
    current.prefer_same_school = prefer_same_school
    current.reverse = reverse
    current.updated_by = by
    current.save()
    return current


def rules_for(program: Program, matching: MatchingSettings, exclusions=frozenset(),
              previous=frozenset()) -> engine.Rules:
    return engine.Rules(scope=program.matching_scope,
                        prefer_same_school=matching.prefer_same_school,
                        reverse=matching.reverse, excluded=exclusions, previous=previous)


def kinds_for(program: Program, *, group_id=None):
    """The runs a program's pairing shape allows, first the usual one. A team lead pairs
    their team's members with its leads; placing people into teams stays with those who
    manage the program."""
    if group_id is not None:
        return [MatchingRun.Kind.PAIRS]
    shape = program.pairing_shape
    if shape == PairingShape.PEERS:
        return [MatchingRun.Kind.PEERS]
    if shape == PairingShape.TEAMS:
        # Teams place people into groups; members may also pair one-on-one with a lead.
        return [MatchingRun.Kind.GROUPS, MatchingRun.Kind.PAIRS]
    return [MatchingRun.Kind.PAIRS]


@dataclass
class Pool:
    """Everyone a run may match, as the engine sees them, with the people behind them."""

    mentees: list = field(default_factory=list)
    mentors: list = field(default_factory=list)
    participants: dict = field(default_factory=dict)   # participant id -> Participant
    rules: engine.Rules | None = None
    weights: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)          # engine.GroupSlot, for placements

    def candidate(self, participant_id):
        return self._by_id.get(participant_id)

    def __post_init__(self):
        self._by_id = {}

    def index(self):
        self._by_id = {c.id: c for c in [*self.mentees, *self.mentors]}


def _sets(rows):
    found = {}
    for key, value in rows:
        found.setdefault(key, set()).add(value)
    return found


def _candidates(participants, program):
    """Engine candidates for participants, from their application, or their staff profile
    where they joined without applying. A fixed number of queries for any number."""
    ids = [p.pk for p in participants]
    applications = {a.participant_id: a for a in Application.objects.filter(
        participant_id__in=ids)}
    app_ids = [a.pk for a in applications.values()]
    app_subjects = _sets(Application.subjects.through.objects.filter(
        application_id__in=app_ids).values_list("application_id", "subject_id"))
    app_focus = _sets(Application.focus_areas.through.objects.filter(
        application_id__in=app_ids).values_list("application_id", "focusarea_id"))
    preferred = _sets(Application.preferred_mentors.through.objects.filter(
        application_id__in=app_ids).values_list("application_id", "participant_id"))
    user_ids = [p.user_id for p in participants]
    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user_id__in=user_ids)}
    profile_ids = [p.pk for p in profiles.values()]
    profile_subjects = _sets(StaffProfile.subjects.through.objects.filter(
        staffprofile_id__in=profile_ids).values_list("staffprofile_id", "subject_id"))
    profile_focus = _sets(StaffProfile.expertise.through.objects.filter(
        staffprofile_id__in=profile_ids).values_list("staffprofile_id", "focusarea_id"))
    groups = _sets(GroupMembership.objects.filter(group__program=program,
                                                  participant__user_id__in=user_ids)
                   .values_list("participant__user_id", "group_id"))
    found = {}
    for p in participants:
        application = applications.get(p.pk)
        profile = profiles.get(p.user_id)
        if application is not None:
            grades, languages = application.grades, application.languages
            subjects = app_subjects.get(application.pk, set())
            focus = app_focus.get(application.pk, set())
            years = application.years_of_experience
            days, times = application.available_days, application.available_times
            wanted = preferred.get(application.pk, set())
        else:
            grades = profile.grades_taught if profile else []
            languages = profile.languages if profile else []
            subjects = profile_subjects.get(profile.pk, set()) if profile else set()
            focus = profile_focus.get(profile.pk, set()) if profile else set()
            years = profile.years_of_experience if profile else 0
            days, times, wanted = [], [], set()
        found[p.pk] = engine.Candidate(
            id=p.pk, user_id=p.user_id, school_id=p.school_id, grades=frozenset(grades),
            subjects=frozenset(subjects), languages=frozenset(languages),
            focus_areas=frozenset(focus), years=years, days=frozenset(days),
            times=frozenset(times), groups=frozenset(groups.get(p.user_id, set())),
            preferred=frozenset(wanted))
    return found


def _held_elsewhere(run: MatchingRun):
    """Participants already taken: in an open pairing, or proposed in another open run."""
    taken = Pairing.objects.filter(program=run.program).filter(
        Q(status__in=Pairing.OPEN_STATUSES)
        | Q(status=Pairing.Status.PROPOSED, run__state=MatchingRun.State.OPEN)
        & ~Q(run=run))
    return taken


def build_pool(run: MatchingRun, *, include_proposed=False) -> Pool:
    """The people this run matches. Mentees already taken (an open pairing, a proposal of
    another open run, or a locked proposal of this run unless `include_proposed`) are left
    out; mentors keep only their open places."""
    program = run.program
    matching = settings_for(program)
    active = (Participant.objects.filter(program=program).active()
              .select_related("user", "school"))
    if run.school_id:
        active = active.filter(school_id=run.school_id)
    if run.group_id:
        active = active.filter(pk__in=GroupMembership.objects.filter(
            group_id=run.group_id).values("participant_id"))
    taken = _held_elsewhere(run)
    own = Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED)
    # Reviewing a run needs its own proposals' people in the pool; solving it again keeps
    # only the locked ones out.
    own = own.none() if include_proposed else own.filter(locked=True)
    # People taken out by hand stay out until a matcher returns them.
    held_mentees = set(taken.values_list("mentee_id", flat=True)) | set(
        own.values_list("mentee_id", flat=True)) | removed_by_hand(run)
    if run.kind == MatchingRun.Kind.PEERS:
        # A peer is taken on either side of a pair.
        held_mentees |= set(taken.values_list("mentor_id", flat=True)) | set(
            own.values_list("mentor_id", flat=True))
        seekers = list(active.filter(role=Participant.Role.PEER).exclude(pk__in=held_mentees))
        mentors = []
    elif run.kind == MatchingRun.Kind.GROUPS:
        placed = GroupMembership.objects.filter(group__program=program).values("participant")
        seekers = list(active.filter(role__in=[Participant.Role.MENTEE, Participant.Role.PEER])
                       .exclude(pk__in=placed))
        mentors = []
    else:
        seekers = list(active.filter(role=Participant.Role.MENTEE).exclude(pk__in=held_mentees))
        mentors = list(active.filter(role__in=MENTOR_ROLES))
    candidates = _candidates([*seekers, *mentors], program)
    pool = Pool(participants={p.pk: p for p in [*seekers, *mentors]}, weights=matching.weights)
    pool.mentees = [candidates[p.pk] for p in seekers]
    if mentors:
        load = dict(Pairing.objects.filter(mentor__in=mentors).filter(
            Q(status__in=Pairing.OPEN_STATUSES) | Q(status=Pairing.Status.PROPOSED,
                                                   run__state=MatchingRun.State.OPEN))
            .exclude(Q(run=run) & Q(status=Pairing.Status.PROPOSED)
                     & (Q() if include_proposed else Q(locked=False)))
            .values_list("mentor_id").annotate(n=Count("pk")))
        for p in mentors:
            pool.mentors.append(replace(candidates[p.pk], capacity=max(
                0, places_of(program, p) - load.get(p.pk, 0))))
    user_ids = [p.user_id for p in pool.participants.values()]
    exclusions = kept_apart(program, pool.participants.values())
    # Only this program's history counts (with the programs it was copied from): the
    # breakdown must not tell a matcher about pairings in programs they cannot see.
    previous = frozenset(
        Pairing.objects.filter(program_id__in=lineage(program),
                               mentee__user_id__in=user_ids)
        .exclude(status=Pairing.Status.PROPOSED)
        .values_list("mentor__user_id", "mentee__user_id"))
    pool.rules = rules_for(program, matching, exclusions, previous)
    if run.kind == MatchingRun.Kind.GROUPS:
        pool.groups = _group_slots(program, len(pool.mentees))
    pool.index()
    return pool


# Copies of copies are followed this far back; a real lineage is a few school years.
LINEAGE_DEPTH = 50


def lineage(program: Program) -> RawSQL:
    """The ids of this program and the programs it was copied from, back to the first,
    as a subquery (recursive, so the whole lineage costs no query of its own)."""
    table = Program._meta.db_table
    column = Program._meta.get_field("copied_from").column
    return RawSQL(
        f"WITH RECURSIVE lineage (id, parent, depth) AS ("
        f"SELECT id, {column}, 0 FROM {table} WHERE id = %s "
        f"UNION ALL SELECT p.id, p.{column}, l.depth + 1 FROM {table} p "
        f"JOIN lineage l ON p.id = l.parent WHERE l.depth < %s) "
        f"SELECT id FROM lineage", (program.pk, LINEAGE_DEPTH))


def _group_slots(program, newcomers):
    """Groups with room, each filled toward an even size."""
    groups = list(Group.objects.filter(program=program).annotate(
        members=Count("memberships", filter=Q(memberships__is_lead=False)))
        .prefetch_related("focus_areas"))
    if not groups:
        return []
    schools = _sets(GroupMembership.objects.filter(group__in=groups)
                    .exclude(participant__school_id=None)
                    .values_list("group_id", "participant__school_id"))
    placed = sum(g.members for g in groups)
    target = -(-(placed + newcomers) // len(groups))
    return [engine.GroupSlot(id=g.pk, focus_areas=frozenset(f.pk for f in g.focus_areas.all()),
                             schools=frozenset(schools.get(g.pk, set())),
                             open_places=max(0, target - g.members)) for g in groups]


def _lock_program(program_id):
    Program.objects.select_for_update().filter(pk=program_id).first()


def _open_run_of_locked_program(run: MatchingRun) -> MatchingRun:
    """The run, open, with its program locked first (as a run is started): whatever takes a
    mentor's place waits for whatever else does, in this run or another of the program."""
    _lock_program(run.program_id)
    return open_run(MatchingRun.objects.filter(pk=run.pk), run.pk)


@transaction.atomic
def start_run(program: Program, by, *, kind: str, school_id=None,
              group_id=None) -> MatchingRun:
    """Run the matching: reuse the open run of this program (and school, or team) and solve
    again around its locked proposals, or open a new one. A team's run matches the
    members of that team only, in pairs."""
    if kind not in kinds_for(program, group_id=group_id):
        raise ValidationError({"kind": _("This program does not match that way.")})
    if group_id is not None and not Group.objects.filter(program=program,
                                                         pk=group_id).exists():
        raise ValidationError(_("This team is not part of the program."))
    if kind == MatchingRun.Kind.PAIRS and program.matching_scope == MatchingScope.TEAM and \
            not Group.objects.filter(program=program).exists():
        raise ValidationError(_("Make the program's teams first: pairs are formed within "
                                "a team."))
    if kind == MatchingRun.Kind.GROUPS and not Group.objects.filter(program=program).exists():
        raise ValidationError(_("Make the program's teams first: people are placed into "
                                "the program's teams."))
    _lock_program(program.pk)
    run = MatchingRun.objects.filter(program=program, school_id=school_id, group_id=group_id,
                                     state=MatchingRun.State.OPEN).first()
    if run is None:
        run = MatchingRun.objects.create(program=program, school_id=school_id,
                                         group_id=group_id, kind=kind, started_by=by)
    elif run.kind != kind:
        raise ValidationError(_("Approve or discard the matching under review first."))
    solve(run)
    return run


def removed_by_hand(run: MatchingRun) -> set[int]:
    return {int(pk) for pk, reason in run.unmatched.items() if reason == REMOVED_BY_HAND}


def kept_apart(program: Program, participants) -> frozenset:
    """Pairs of people (user ids) never matched in this program: its own exclusions, an
    evaluator recorded in any program of the district, and a school's admins with the
    teachers of their school (they evaluate them), whether the school is the one a teacher
    joined from or the one they teach at now. At most three queries for any number."""
    pairs = set(Exclusion.objects.active().filter(
        Q(program=program) | Q(reason=Exclusion.Reason.EVALUATES,
                               program__district_id=program.district_id))
        .values_list("person_id", "other_id"))
    users = {person.user_id for person in participants}
    admins = DistrictRole.objects.filter(
        role=DistrictRole.Role.SCHOOL_ADMIN, district_id=program.district_id,
        user_id__in=users).values_list("user_id", "school_id")
    teachers_at = {}
    for person in participants:
        if person.school_id:
            teachers_at.setdefault(person.school_id, set()).add(person.user_id)
    for user_id, school_id in StaffProfile.objects.filter(
            user_id__in=users, school_id__isnull=False).values_list("user_id", "school_id"):
        teachers_at.setdefault(school_id, set()).add(user_id)
    for admin, school in admins:
        pairs |= {(admin, teacher) for teacher in teachers_at.get(school, ())
                  if teacher != admin}
    return frozenset(pairs)


def stale_proposals(run: MatchingRun, proposals):
    """The proposals that the rules no longer allow (someone left or changed role, an
    exclusion since, scope), each with the reason. A fixed number of queries: only what the
    hard rules read is loaded."""
    if not proposals:
        return []
    program = run.program
    ids = {i for p in proposals for i in (p.mentor_id, p.mentee_id)}
    people = {p.pk: p for p in Participant.objects.filter(pk__in=ids).active().only(
        "pk", "user_id", "school_id", "role")}
    groups = _sets(GroupMembership.objects.filter(
        group__program=program, participant__user_id__in=[p.user_id for p in people.values()])
        .values_list("participant__user_id", "group_id"))
    rules = rules_for(program, settings_for(program), kept_apart(program, people.values()))
    mentor_roles = [Participant.Role.PEER] if run_is_peers(run) else MENTOR_ROLES

    def candidate(person):
        return engine.Candidate(id=person.pk, user_id=person.user_id, school_id=person.school_id,
                                groups=frozenset(groups.get(person.user_id, ())))

    stale = []
    for proposal in proposals:
        mentor, mentee = people.get(proposal.mentor_id), people.get(proposal.mentee_id)
        if mentor is None or mentee is None or mentor.role not in mentor_roles:
            stale.append((proposal, _("no longer in the program")))
        elif reason := engine.blocked(candidate(mentor), candidate(mentee), rules):
            stale.append((proposal, BROKEN_RULE[reason]))
    return stale


def solve(run: MatchingRun):
    """Replace the run's unlocked proposals with the engine's best answer for the rest;
    a locked proposal the rules no longer allow goes too."""
    Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED, locked=False).delete()
    locked = list(Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED, locked=True))
    Pairing.objects.filter(pk__in=[p.pk for p, _reason in stale_proposals(run, locked)]
                           ).delete()
    pool = build_pool(run)
    if run.kind == MatchingRun.Kind.PEERS:
        result = engine.pair_peers(pool.mentees, pool.weights, pool.rules)
    elif run.kind == MatchingRun.Kind.GROUPS:
        result = engine.place_in_groups(pool.mentees, pool.groups, pool.weights, pool.rules)
    else:
        result = engine.match(pool.mentees, pool.mentors, pool.weights, pool.rules)
    run.solve_seconds = result.solve_seconds
    run.pool_size = len(pool.mentees) + len(pool.mentors)
    kept_out = {str(pk): REMOVED_BY_HAND for pk in removed_by_hand(run)}
    # A mentor who keeps a locked proposal of this run has a mentee.
    with_locked = {p.mentor_id for p in locked}
    idle = {str(k): v for k, v in result.idle.items() if k not in with_locked}
    run.unmatched = {**idle, **{str(k): v for k, v in result.unmatched.items()}, **kept_out}
    run.solved_at = timezone.now()
    if run.kind == MatchingRun.Kind.GROUPS:
        run.placements = [{"participant": p.mentee_id, "group": p.mentor_id, "score": p.score,
                           "breakdown": p.breakdown} for p in result.proposals]
    else:
        Pairing.objects.bulk_create([
            Pairing(program=run.program, run=run, mentor_id=p.mentor_id, mentee_id=p.mentee_id,
                    status=Pairing.Status.PROPOSED, score=p.score, breakdown=p.breakdown)
            for p in result.proposals])
    run.save()
    return result


class ReviewClosed(ValidationError):
    """What was being reviewed is gone: the run was approved or discarded, or the proposal
    removed or approved, by someone else or in another tab."""


RUN_CLOSED = gettext_lazy("This matching has already been approved or discarded.")
PROPOSAL_GONE = gettext_lazy("That proposal is no longer under review.")
NOT_WAITING = gettext_lazy("This person is no longer waiting for a partner.")


def open_run(run_qs, pk):
    run = run_qs.select_for_update().filter(pk=pk, state=MatchingRun.State.OPEN).first()
    if run is None:
        raise ReviewClosed(RUN_CLOSED)
    return run


def _proposal(run, pk):
    proposal = Pairing.objects.select_for_update().filter(
        run=run, pk=pk, status=Pairing.Status.PROPOSED).first()
    if proposal is None:
        raise ReviewClosed(PROPOSAL_GONE)
    return proposal


def _rescore(proposal, pool):
    mentor, mentee = pool.candidate(proposal.mentor_id), pool.candidate(proposal.mentee_id)
    if run_is_peers(proposal.run):
        proposal.breakdown = engine.peer_breakdown(mentor, mentee, pool.weights, pool.rules)
    else:
        proposal.breakdown = engine.breakdown(mentor, mentee, pool.weights, pool.rules)
    proposal.score = sum(proposal.breakdown.values())


def run_is_peers(run):
    return run.kind == MatchingRun.Kind.PEERS


def _check_hard_rules(pool, mentor_id, mentee_id, *, field_name="mentor"):
    mentor, mentee = pool.candidate(mentor_id), pool.candidate(mentee_id)
    if mentor is None or mentee is None:
        raise ValidationError({field_name: _("Choose someone from this matching's pool.")})
    reason = engine.blocked(mentor, mentee, pool.rules)
    if reason:
        raise ValidationError({field_name: _("These two cannot be paired: %(reason)s.")
                               % {"reason": BROKEN_RULE[reason]}})


OWN_PAIR = gettext_lazy("Someone else reviews a pairing you are in.")


def _refuse_own(by, *participant_ids, field_name=None):
    """A matcher never decides on a pair they are in: someone else reviews it."""
    if by is not None and Participant.objects.filter(pk__in=participant_ids,
                                                     user_id=by.pk).exists():
        raise ValidationError({field_name: OWN_PAIR} if field_name else OWN_PAIR)


def _places_left(run, pool, mentor_id):
    mentor = pool.candidate(mentor_id)
    return (mentor.capacity if mentor else 0) - _mentor_load(run).get(mentor_id, 0)


@transaction.atomic
def change_mentor(run: MatchingRun, proposal_pk: int, mentor_id: int, *, by) -> Pairing:
    """Give a proposal another mentor with an open place; the hard rules still hold. The
    changed proposal is locked, so running the matching again keeps it."""
    run = _open_run_of_locked_program(run)
    proposal = _proposal(run, proposal_pk)
    if run_is_peers(run):
        raise ValidationError({"mentor": _("Peers are swapped, not reassigned.")})
    _refuse_own(by, proposal.mentor_id, proposal.mentee_id, mentor_id, field_name="mentor")
    pool = build_pool(run, include_proposed=True)
    if mentor_id not in {m.id for m in pool.mentors}:
        raise ValidationError({"mentor": _("Choose one of this matching's mentors.")})
    _check_hard_rules(pool, mentor_id, proposal.mentee_id)
    if mentor_id != proposal.mentor_id and _places_left(run, pool, mentor_id) < 1:
        raise ValidationError({"mentor": _(
            "This mentor has no open place: swap with one of their mentees instead.")})
    proposal.mentor_id = mentor_id
    proposal.overridden = proposal.locked = True
    proposal.run = run
    _rescore(proposal, pool)
    proposal.save(update_fields=["mentor", "overridden", "locked", "score", "breakdown",
                                 "updated_at"])
    return proposal


@transaction.atomic
def swap(run: MatchingRun, first_pk: int, second_pk: int, *, by):
    """Exchange the mentors (for peers, the second partners) of two proposals; both are
    locked, so running the matching again keeps them."""
    run = _open_run_of_locked_program(run)
    if first_pk == second_pk:
        raise ValidationError({"other": _("Choose another proposal to swap with.")})
    first, second = _proposal(run, first_pk), _proposal(run, second_pk)
    # Either proposal holds all four people before and after the swap.
    _refuse_own(by, first.mentor_id, first.mentee_id, second.mentor_id, second.mentee_id,
                field_name="other")
    if first.locked or second.locked:
        raise ValidationError({"other": _("Unlock both proposals before swapping them.")})
    pool = build_pool(run, include_proposed=True)
    first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
    if run_is_peers(run):
        # Peers: the two second partners change places.
        first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
        first.mentee_id, second.mentee_id = second.mentee_id, first.mentee_id
    for proposal in (first, second):
        _check_hard_rules(pool, proposal.mentor_id, proposal.mentee_id, field_name="other")
        proposal.overridden = proposal.locked = True
        proposal.run = run
        _rescore(proposal, pool)
    # The unique constraint does not cover proposals, so order of saving does not matter.
    for proposal in (first, second):
        proposal.save(update_fields=["mentor", "mentee", "overridden", "locked", "score",
                                     "breakdown", "updated_at"])
    return first, second


@transaction.atomic
def set_locked(run: MatchingRun, proposal_pk: int, locked: bool, *, by) -> Pairing:
    run = open_run(MatchingRun.objects.filter(pk=run.pk), run.pk)
    proposal = _proposal(run, proposal_pk)
    _refuse_own(by, proposal.mentor_id, proposal.mentee_id)
    proposal.locked = locked
    proposal.save(update_fields=["locked", "updated_at"])
    return proposal


@transaction.atomic
def remove_proposal(run: MatchingRun, proposal_pk: int, *, by):
    """Take a proposal out: its mentee (for peers, both) go to the unmatched list and stay
    out of this run's matching until a matcher returns them (a proposal is the engine's
    suggestion, not a pairing anyone worked in, so it is not kept)."""
    run = open_run(MatchingRun.objects.filter(pk=run.pk), run.pk)
    proposal = _proposal(run, proposal_pk)
    _refuse_own(by, proposal.mentor_id, proposal.mentee_id)
    run.unmatched[str(proposal.mentee_id)] = REMOVED_BY_HAND
    if run_is_peers(run):
        run.unmatched[str(proposal.mentor_id)] = REMOVED_BY_HAND
    run.save(update_fields=["unmatched"])
    proposal.delete()


@transaction.atomic
def return_to_matching(run: MatchingRun, participant_id: int, *, by):
    """Someone taken out by hand is considered again the next time the matching runs."""
    run = open_run(MatchingRun.objects.filter(pk=run.pk), run.pk)
    if run.unmatched.get(str(participant_id)) != REMOVED_BY_HAND:
        raise ValidationError(_("This person is not out of the matching."))
    _refuse_own(by, participant_id)
    run.unmatched[str(participant_id)] = RETURNED
    run.save(update_fields=["unmatched"])


def _in_proposals(run):
    """Everyone in a proposal of the run, on either side."""
    taken = set()
    for mentor_id, mentee_id in Pairing.objects.filter(
            run=run, status=Pairing.Status.PROPOSED).values_list("mentor_id", "mentee_id"):
        taken |= {mentor_id, mentee_id}
    return taken


def _mentor_load(run):
    return dict(Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED)
                .values_list("mentor_id").annotate(n=Count("pk")))


def waiting_for_partner(run: MatchingRun, participant_id: int, pool: Pool):
    """The engine's view of someone the run left without a partner, or None when they are
    not waiting (proposed meanwhile, taken out by hand, no longer in the pool)."""
    if run.kind == MatchingRun.Kind.GROUPS or participant_id in _in_proposals(run):
        return None
    person = pool.candidate(participant_id)
    if person is None or person not in pool.mentees:
        return None
    return person


def partners_for(run: MatchingRun, participant_id: int, pool: Pool, limit=25, *, by=None):
    """Who may be proposed by hand with someone left unmatched, best first, each with the
    score breakdown: mentors with an open place (for peers, peers not in a proposal) whom
    the hard rules allow. Never the reader themselves."""
    person = waiting_for_partner(run, participant_id, pool)
    if person is None:
        return []
    me = by.pk if by is not None else None
    options = []
    if run_is_peers(run):
        taken = _in_proposals(run)
        for other in pool.mentees:
            if other.id == person.id or other.id in taken or other.user_id == me or \
                    engine.blocked(other, person, pool.rules):
                continue
            points = engine.peer_breakdown(person, other, pool.weights, pool.rules)
            options.append({"mentor": pool.participants[other.id],
                            "score": sum(points.values()), "breakdown": points})
    else:
        load = _mentor_load(run)
        for mentor in pool.mentors:
            if mentor.capacity - load.get(mentor.id, 0) < 1 or mentor.user_id == me or \
                    engine.blocked(mentor, person, pool.rules):
                continue
            points = engine.breakdown(mentor, person, pool.weights, pool.rules)
            options.append({"mentor": pool.participants[mentor.id],
                            "score": sum(points.values()), "breakdown": points})
    options.sort(key=lambda o: (-o["score"], o["mentor"].user.display_name, o["mentor"].pk))
    return options[:limit]


@transaction.atomic
def propose_pair(run: MatchingRun, participant_id: int, partner_id: int, *, by) -> Pairing:
    """Propose someone the run left unmatched with a partner chosen by hand: a mentor with
    an open place (for peers, another peer not in a proposal) whom the hard rules allow.
    The proposal is locked and marked as changed by hand, so running the matching again
    keeps it. A matcher never proposes a pair they are in."""
    run = _open_run_of_locked_program(run)
    if run.kind == MatchingRun.Kind.GROUPS:
        raise ValidationError(_("Group placements are not proposed by hand."))
    _refuse_own(by, participant_id, partner_id, field_name="mentor")
    pool = build_pool(run, include_proposed=True)
    if waiting_for_partner(run, participant_id, pool) is None:
        raise ReviewClosed(NOT_WAITING)
    peers = run_is_peers(run)
    if peers:
        if partner_id == participant_id or partner_id in _in_proposals(run) or \
                pool.candidate(partner_id) not in pool.mentees:
            raise ValidationError({"mentor": _("Choose a peer who is not in a proposal.")})
    else:
        if partner_id not in {m.id for m in pool.mentors}:
            raise ValidationError({"mentor": _("Choose one of this matching's mentors.")})
    _check_hard_rules(pool, partner_id, participant_id)
    if not peers and _places_left(run, pool, partner_id) < 1:
        raise ValidationError({"mentor": _("This mentor has no open place left.")})
    proposal = Pairing(program=run.program, run=run, mentor_id=partner_id,
                       mentee_id=participant_id, status=Pairing.Status.PROPOSED,
                       locked=True, overridden=True)
    _rescore(proposal, pool)
    proposal.save()
    for pk in (participant_id, partner_id):
        run.unmatched.pop(str(pk), None)
    run.save(update_fields=["unmatched"])
    return proposal


def _over_capacity(run: MatchingRun, proposals) -> list[str]:
    """Names of the mentors this run would take past their places, counting the pairings
    they already have (two runs of a program can propose the same mentor). Peers: anyone
    already in an open pairing. One query."""
    program = run.program
    people = {p.mentor_id: p.mentor for p in proposals}
    if run_is_peers(run):
        people |= {p.mentee_id: p.mentee for p in proposals}
        taken = Pairing.objects.filter(program=program, status__in=Pairing.OPEN_STATUSES)
        # Each part unordered: SQLite refuses an ORDER BY inside a UNION.
        taken = taken.order_by()
        busy = set(taken.filter(mentor_id__in=people).values_list("mentor_id", flat=True)
                   .union(taken.filter(mentee_id__in=people).values_list("mentee_id",
                                                                         flat=True)))
        return sorted(str(people[pk].user) for pk in busy)
    load = dict(Pairing.objects.filter(mentor_id__in=people, status__in=Pairing.OPEN_STATUSES)
                .values_list("mentor_id").annotate(n=Count("pk")))
    for proposal in proposals:
        load[proposal.mentor_id] = load.get(proposal.mentor_id, 0) + 1
    return sorted(str(mentor.user) for pk, mentor in people.items()
                  if load[pk] > places_of(program, mentor))


@transaction.atomic
def approve(run: MatchingRun, by) -> list[Pairing]:
    """Turn the run's proposals into active pairings, each with its first check-in due."""
    run = _open_run_of_locked_program(run)
    if run.kind == MatchingRun.Kind.GROUPS:
        raise ValidationError(_("Group placements are approved as placements."))
    program = run.program
    proposals = list(Pairing.objects.select_for_update(of=("self",)).filter(
        run=run, status=Pairing.Status.PROPOSED).select_related("program", "mentor__user",
                                                                 "mentee__user"))
    if not proposals:
        raise ValidationError(_("There is nothing to approve: run the matching first."))
    if own := [p for p in proposals if p.includes(by)]:
        raise ValidationError(_(
            "Someone else approves a pairing you are in (%(pairs)s): nothing was approved.")
            % {"pairs": "; ".join(f"{p.mentor.user} – {p.mentee.user}" for p in own)})
    if full := _over_capacity(run, proposals):
        raise ValidationError(_(
            "Some mentors were given more mentees than they have places meanwhile "
            "(%(mentors)s): run the matching again.") % {"mentors": "; ".join(full)})
    if stale := stale_proposals(run, proposals):
        raise ValidationError(_(
            "Some proposals no longer fit the rules (%(pairs)s): run the matching again.")
            % {"pairs": "; ".join(f"{p.mentor.user} – {p.mentee.user}: {reason}"
                                  for p, reason in stale)})
    # Every pairing of the run starts today, so their first check-in is due the same day.
    started = max(timezone.localdate(), program.starts_on)
    due = next_checkin_due(proposals[0], started, ProgramCalendar(program))
    ids = [p.pk for p in proposals]
    try:
        with transaction.atomic():
            Pairing.objects.filter(pk__in=ids).update(
                status=Pairing.Status.ACTIVE, started_on=started, next_checkin_due_on=due,
                updated_at=timezone.now())
    except IntegrityError as error:
        raise ValidationError(_("Someone in this matching was paired elsewhere meanwhile: "
                                "run the matching again.")) from error
    for proposal in proposals:
        proposal.status = Pairing.Status.ACTIVE
        proposal.started_on, proposal.next_checkin_due_on = started, due
    now = timezone.now()
    PairingEvent.objects.bulk_create([PairingEvent(pairing=p, kind=PairingEvent.Kind.APPROVED,
                                                   by=by, at=now) for p in proposals])
    run.state = MatchingRun.State.APPROVED
    run.closed_at, run.closed_by = now, by
    run.save(update_fields=["state", "closed_at", "closed_by"])
    transaction.on_commit(lambda: pairings_approved.send(sender=MatchingRun, run=run,
                                                         pairing_ids=ids))
    return proposals


@transaction.atomic
def approve_placements(run: MatchingRun, by) -> int:
    """Add each placed person to their group."""
    run = open_run(MatchingRun.objects.filter(pk=run.pk), run.pk)
    if run.kind != MatchingRun.Kind.GROUPS or not run.placements:
        raise ValidationError(_("There are no placements to approve."))
    placed = set(GroupMembership.objects.filter(group__program=run.program)
                 .values_list("participant_id", flat=True))
    groups = set(Group.objects.filter(program=run.program).values_list("pk", flat=True))
    rows = [GroupMembership(group_id=p["group"], participant_id=p["participant"])
            for p in run.placements if p["participant"] not in placed and p["group"] in groups]
    GroupMembership.objects.bulk_create(rows)
    run.state = MatchingRun.State.APPROVED
    run.closed_at, run.closed_by = timezone.now(), by
    run.save(update_fields=["state", "closed_at", "closed_by"])
    return len(rows)


@transaction.atomic
def discard(run: MatchingRun, by):
    run = open_run(MatchingRun.objects.filter(pk=run.pk), run.pk)
    Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED).delete()
    run.state = MatchingRun.State.DISCARDED
    run.closed_at, run.closed_by = timezone.now(), by
    run.save(update_fields=["state", "closed_at", "closed_by"])


def add_exclusion(program: Program, by, *, person, other, reason: str, note: str = ""):
    if person.pk == other.pk:
        raise ValidationError({"other": _("Choose two different people.")})
    low, high = sorted([person, other], key=lambda u: u.pk)
    with transaction.atomic():
        _lock_program(program.pk)
        if Exclusion.objects.active().filter(program=program, person=low, other=high).exists():
            raise ValidationError({"other": _("These two are already kept apart.")})
        return Exclusion.objects.create(program=program, person=low, other=high,
                                        reason=reason, note=note, created_by=by)


def lift_exclusion(exclusion: Exclusion, by):
    """The two may be matched again; the record stays, with who lifted it and when. Someone
    else lifts an exclusion that names the matcher."""
    if by.pk in (exclusion.person_id, exclusion.other_id):
        raise ValidationError(_("Someone else lifts an exclusion that names you."))
    updated = Exclusion.objects.active().filter(pk=exclusion.pk).update(
        removed_at=timezone.now(), removed_by=by)
    if not updated:
        raise ValidationError(_("This exclusion was already lifted."))


def alternatives(run: MatchingRun, proposal: Pairing, pool: Pool, limit=25, *, by=None):
    """Other mentors for a proposal's mentee, best first: each with its score breakdown,
    whether they have an open place, and whose proposal a swap would exchange with. Never
    the reader themselves, nor a swap with a pair they are in."""
    mentee = pool.candidate(proposal.mentee_id)
    if mentee is None:
        return []  # they left the program or were paired elsewhere since the run
    me = by.pk if by is not None else None
    if run.kind == MatchingRun.Kind.PEERS:
        return _peer_alternatives(run, proposal, pool, limit, me)
    used = {}
    holder = {}
    for other in Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED).exclude(
            pk=proposal.pk).values("pk", "mentor_id", "mentee_id", "locked",
                                   "mentee__user_id"):
        used[other["mentor_id"]] = used.get(other["mentor_id"], 0) + 1
        if not other["locked"] and other["mentee__user_id"] != me:
            holder.setdefault(other["mentor_id"], other)
    options = []
    current = pool.candidate(proposal.mentor_id)
    for mentor in pool.mentors:
        if mentor.id == proposal.mentor_id or mentor.user_id == me or engine.blocked(
                mentor, mentee, pool.rules):
            continue
        points = engine.breakdown(mentor, mentee, pool.weights, pool.rules)
        option = {"mentor": pool.participants[mentor.id], "score": sum(points.values()),
                  "breakdown": points, "open": mentor.capacity - used.get(mentor.id, 0) > 0,
                  "swap": None}
        other = holder.get(mentor.id)
        # A swap works when the other mentee may go to this proposal's mentor.
        if not option["open"] and other and current is not None and not engine.blocked(
                current, pool.candidate(other["mentee_id"]), pool.rules):
            option["swap"] = other["pk"]
        if option["open"] or option["swap"]:
            options.append(option)
    options.sort(key=lambda o: -o["score"])
    return options[:limit]


def _peer_alternatives(run, proposal, pool, limit, me=None):
    """For a peer pair (x, y): each other pair (a, b) it could swap with, giving (x, b) and
    (a, y), scored by the new partner of x."""
    first, second = pool.candidate(proposal.mentor_id), pool.candidate(proposal.mentee_id)
    options = []
    others = Pairing.objects.filter(run=run, status=Pairing.Status.PROPOSED, locked=False
                                    ).exclude(pk=proposal.pk).values("pk", "mentor_id",
                                                                      "mentee_id")
    for other in others:
        a, b = pool.candidate(other["mentor_id"]), pool.candidate(other["mentee_id"])
        if None in (a, b, first, second) or me in (a.user_id, b.user_id) or \
                engine.blocked(first, b, pool.rules) or engine.blocked(a, second, pool.rules):
            continue
        points = engine.peer_breakdown(first, b, pool.weights, pool.rules)
        options.append({"mentor": pool.participants[b.id], "score": sum(points.values()),
                        "breakdown": points, "open": False, "swap": other["pk"]})
    options.sort(key=lambda o: -o["score"])
    return options[:limit]
