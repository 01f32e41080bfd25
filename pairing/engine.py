"""The matching engine: proposes mentor–mentee pairs, peer pairs and group places for a
program, from plain data.

Every score is explainable: each criterion gives weight × a raw value in [0, 1], and a
proposal carries that breakdown. The whole pool is matched at once, never one person after
another: first as many people as the program's hard rules allow get a partner, then, among
all the ways to do that, the one with the highest total score is chosen. Whoever matches
can therefore trust that nobody was left out to give someone else a slightly better mentor.

Nothing here reads the database; the callers turn participants into `Candidate`s.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linear_sum_assignment


class Criterion(models.TextChoices):
    GRADE_BAND = "grade_band", _("Same grade band")
    SUBJECT = "subject", _("Same subject")
    SCHOOL = "school", _("School")  # same or different school, see Rules.prefer_same_school
    LANGUAGE = "language", _("Shared language")
    EXPERTISE = "expertise", _("Expertise in the mentee's focus areas")
    EXPERIENCE = "experience", _("Useful gap in experience")
    AVAILABILITY = "availability", _("Overlapping availability")
    PREFERENCE = "preference", _("Asked for by the mentee")
    NEW_PARTNER = "new_partner", _("Not paired before")


CRITERIA = tuple(Criterion.values)  # display order
(GRADE_BAND, SUBJECT, SCHOOL, LANGUAGE, EXPERTISE, EXPERIENCE, AVAILABILITY, PREFERENCE,
 NEW_PARTNER) = CRITERIA


class Unmatched(models.TextChoices):
    NO_MENTORS = "no_mentors", _("There are no mentors with open places.")
    OUT_OF_SCOPE = "out_of_scope", _(
        "No mentor is within the program's scope (same school or team).")
    EXCLUDED = "excluded", _("Every mentor within scope is kept apart from this person (an "
                             "exclusion, or the admin of their school).")
    FULL = "full", _("Every compatible mentor is full.")
    NO_PARTNER = "no_partner", _("No compatible partner was left in the pool.")
    PEER_OUT_OF_SCOPE = "peer_out_of_scope", _(
        "No other peer is within the program's scope (same school or team).")
    PEER_EXCLUDED = "peer_excluded", _("Every peer within scope is kept apart from this "
                                       "person (an exclusion, or the admin of their school).")
    # Mentors with open places whom the run gave no mentee.
    NO_MENTEE = "no_mentee", _("No mentee within the program's scope was left for them.")
    MENTOR_EXCLUDED = "mentor_excluded", _(
        "Kept apart from every mentee within scope (an exclusion, or the teachers of the "
        "school they run).")
    OUTSCORED = "outscored", _(
        "Others scored higher: every mentee they could take is proposed with another mentor.")
    NO_GROUP = "no_group", _("Every group is full.")


SCOPES = ("school", "district", "team")
MAX_WEIGHT = 10
# A gap of five years or more counts fully: enough for the mentor to have lived through
# what the mentee is facing now.
EXPERIENCE_YEARS = 5
# OneRoster grade codes by band: a kindergarten teacher learns most from someone who
# teaches early grades too, not from a high-school teacher.
GRADE_BANDS = {
    "PK": 0, "KG": 0, "01": 0, "02": 0,
    "03": 1, "04": 1, "05": 1,
    "06": 2, "07": 2, "08": 2,
    "09": 3, "10": 3, "11": 3, "12": 3,
}
# Rows of the score matrix built at a time: keeps the temporary arrays small when a large
# district matches thousands of teachers at once.
_CHUNK_ROWS = 128


@dataclass(frozen=True)
class Candidate:
    id: int  # participant; unique in one call
    user_id: int  # the person: exclusions and earlier pairings are by person
    school_id: int | None = None
    grades: frozenset[str] = frozenset()  # OneRoster codes "PK", "KG", "01".."12"
    subjects: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()
    focus_areas: frozenset[int] = frozenset()  # mentee: to grow in; mentor: can mentor in
    years: int = 0  # years of teaching experience
    days: frozenset[int] = frozenset()  # weekdays 0-6 available; empty = any
    times: frozenset[str] = frozenset()  # "before", "planning", "lunch", "after"; empty = any
    groups: frozenset[int] = frozenset()  # teams the person belongs to
    preferred: frozenset[int] = frozenset()  # candidate ids of mentors the mentee asked for
    capacity: int = 1  # mentors: open places now (0 allowed)


@dataclass(frozen=True)
class Rules:
    scope: str = "district"  # "school" | "district" | "team"
    prefer_same_school: bool = True  # SCHOOL counts same school if True, different if False
    reverse: bool = False  # reverse mentoring: the mentor is the less experienced one
    excluded: frozenset[tuple[int, int]] = frozenset()  # user pairs never matched, any order
    previous: frozenset[tuple[int, int]] = frozenset()  # user pairs paired before, any order


Weights = Mapping[str, int]  # criterion value -> weight 0..10; a missing criterion weighs 0


@dataclass(frozen=True)
class GroupSlot:
    id: int  # the group (team)
    focus_areas: frozenset[int]
    # Schools of the people already in the group. Under school scope a group takes only
    # people from these schools, so give a new, empty group the school it is for.
    schools: frozenset[int]
    open_places: int


@dataclass(frozen=True)
class Proposal:
    mentor_id: int  # for group places: the group id
    mentee_id: int
    score: float
    breakdown: dict[str, float]  # criterion value -> points; sums to score


@dataclass
class Result:
    proposals: list[Proposal]
    unmatched: dict[int, str]  # candidate id -> Unmatched value
    total: float  # sum of proposal scores
    solve_seconds: float  # time in the solver itself
    # Mentors with open places who got no mentee: candidate id -> Unmatched value.
    idle: dict[int, str] = field(default_factory=dict)


# Scalar reference: one pair at a time, used for the breakdown shown to whoever matches.


def normalized_weights(weights: Weights) -> dict[str, int]:
    """Every criterion with its weight; unknown criteria and weights outside 0..10 are
    refused, so a mistyped setting cannot silently drop out of the score."""
    result = dict.fromkeys(CRITERIA, 0)
    for key, value in weights.items():
        name = str(key)
        if name not in result:
            raise ValueError(f"unknown matching criterion: {name!r}")
        if isinstance(value, bool) or int(value) != value or not 0 <= value <= MAX_WEIGHT:
            raise ValueError(f"weight for {name!r} must be a whole number 0-{MAX_WEIGHT}")
        result[name] = int(value)
    return result


def _bands(grades) -> set[int]:
    return {GRADE_BANDS[g] for g in grades if g in GRADE_BANDS}


def _overlaps_or_open(a: frozenset, b: frozenset) -> bool:
    return not a or not b or bool(a & b)


def _school_raw(school_a, school_b, rules: Rules) -> float:
    if school_a is None or school_b is None:
        return 0.0  # an unknown school is neither the same nor a different one
    return float((school_a == school_b) == rules.prefer_same_school)


def _raw(mentor: Candidate, mentee: Candidate, rules: Rules,
         peers: bool) -> tuple[float, ...]:
    """Raw values in [0, 1], in the order of CRITERIA."""
    gap = mentor.years - mentee.years
    if peers:
        experience = 1.0 - min(abs(gap) / EXPERIENCE_YEARS, 1.0)
        preference = mentor.id in mentee.preferred or mentee.id in mentor.preferred
    else:
        experience = min(max((-gap if rules.reverse else gap) / EXPERIENCE_YEARS, 0.0), 1.0)
        preference = mentor.id in mentee.preferred
    expertise = (len(mentee.focus_areas & mentor.focus_areas) / len(mentee.focus_areas)
                 if mentee.focus_areas else 0.0)
    return (
        float(bool(_bands(mentor.grades) & _bands(mentee.grades))),
        float(bool(mentor.subjects & mentee.subjects)),
        _school_raw(mentor.school_id, mentee.school_id, rules),
        float(bool(mentor.languages & mentee.languages)),
        expertise,
        experience,
        (0.5 * _overlaps_or_open(mentor.days, mentee.days)
         + 0.5 * _overlaps_or_open(mentor.times, mentee.times)),
        float(preference),
        float((mentor.user_id, mentee.user_id) not in rules.previous
              and (mentee.user_id, mentor.user_id) not in rules.previous),
    )


def _breakdown(mentor, mentee, w: dict[str, int], rules: Rules) -> dict[str, float]:
    raw = _raw(mentor, mentee, rules, peers=False)
    return {name: w[name] * value for name, value in zip(CRITERIA, raw, strict=True)}


def _peer_breakdown(a, b, w: dict[str, int], rules: Rules) -> dict[str, float]:
    one, other = _raw(a, b, rules, peers=True), _raw(b, a, rules, peers=True)
    return {name: w[name] * (x + y) / 2 for name, x, y in zip(CRITERIA, one, other,
                                                              strict=True)}


def _group_breakdown(person, group, w: dict[str, int], rules: Rules) -> dict[str, float]:
    points = dict.fromkeys(CRITERIA, 0.0)
    if person.focus_areas:
        points[EXPERTISE] = w[EXPERTISE] * (
            len(person.focus_areas & group.focus_areas) / len(person.focus_areas))
    if person.school_id is not None:
        inside = person.school_id in group.schools
        points[SCHOOL] = w[SCHOOL] * float(inside == rules.prefer_same_school)
    return points


def breakdown(mentor: Candidate, mentee: Candidate, weights: Weights,
              rules: Rules) -> dict[str, float]:
    """Points per criterion for this mentor with this mentee (weight × raw value)."""
    return _breakdown(mentor, mentee, normalized_weights(weights), rules)


def peer_breakdown(a: Candidate, b: Candidate, weights: Weights,
                   rules: Rules) -> dict[str, float]:
    """Points per criterion for two peers: each supports the other, so it is the mean of
    `a` as mentor of `b` and `b` as mentor of `a`; experience counts closeness."""
    return _peer_breakdown(a, b, normalized_weights(weights), rules)


def group_breakdown(person: Candidate, group: GroupSlot, weights: Weights,
                    rules: Rules) -> dict[str, float]:
    """Points per criterion for a person joining a group: only the group's focus (as
    EXPERTISE) and its schools (as SCHOOL) count."""
    return _group_breakdown(person, group, normalized_weights(weights), rules)


def _check_scope(rules: Rules):
    if rules.scope not in SCOPES:
        raise ValueError(f"unknown matching scope: {rules.scope!r}")


def _in_scope(a: Candidate, b: Candidate, rules: Rules) -> bool:
    _check_scope(rules)
    if rules.scope == "school":
        return a.school_id is not None and a.school_id == b.school_id
    if rules.scope == "team":
        return bool(a.groups & b.groups)
    return True


def _is_excluded(a: Candidate, b: Candidate, rules: Rules) -> bool:
    return (a.user_id == b.user_id or (a.user_id, b.user_id) in rules.excluded
            or (b.user_id, a.user_id) in rules.excluded)


def blocked(mentor: Candidate, mentee: Candidate, rules: Rules) -> str | None:
    """The hard rule this pair would break (an Unmatched value), or None if it may be
    proposed. Scope is checked first; the same person at both ends counts as excluded."""
    if not _in_scope(mentor, mentee, rules):
        return Unmatched.OUT_OF_SCOPE.value
    if _is_excluded(mentor, mentee, rules):
        return Unmatched.EXCLUDED.value
    return None


def group_blocked(person: Candidate, group: GroupSlot, rules: Rules) -> str | None:
    """The hard rule a group place would break: under school scope a group takes only
    people from its schools. Team scope is what the groups are, so it adds nothing."""
    _check_scope(rules)
    if rules.scope == "school" and (person.school_id is None
                                    or person.school_id not in group.schools):
        return Unmatched.OUT_OF_SCOPE.value
    return None


# Vectorised scoring: every set becomes a row of 64-bit words over the values seen in this
# call, so an overlap is a bitwise AND and a count is a popcount.


def _bitsets(sets: Sequence[frozenset]) -> np.ndarray:
    vocabulary: dict = {}
    for values in sets:
        for value in values:
            vocabulary.setdefault(value, len(vocabulary))
    words = max(1, -(-len(vocabulary) // 64))
    rows, columns, bits = [], [], []
    for row, values in enumerate(sets):
        for value in values:
            position = vocabulary[value]
            rows.append(row)
            columns.append(position // 64)
            bits.append(position % 64)
    result = np.zeros((len(sets), words), dtype=np.uint64)
    if rows:
        np.bitwise_or.at(result, (np.array(rows), np.array(columns)),
                         np.left_shift(np.uint64(1), np.array(bits, dtype=np.uint64)))
    return result


def _shared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each row of `a` shares a value with each row of `b` (a block of pairs)."""
    result = (a[:, None, 0] & b[None, :, 0]) != 0
    for word in range(1, a.shape[1]):
        result |= (a[:, None, word] & b[None, :, word]) != 0
    return result


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many values each row of `a` has in common with each row of `b`."""
    result = np.bitwise_count(a[:, None, 0] & b[None, :, 0]).astype(np.int32)
    for word in range(1, a.shape[1]):
        result += np.bitwise_count(a[:, None, word] & b[None, :, word])
    return result


@dataclass
class _Encoded:
    """The candidates of one call as arrays; mentees and mentors share the encoding."""

    bands: np.ndarray
    subjects: np.ndarray
    languages: np.ndarray
    focus: np.ndarray
    focus_count: np.ndarray
    school: np.ndarray
    has_school: np.ndarray
    years: np.ndarray
    days: np.ndarray
    any_day: np.ndarray
    times: np.ndarray
    any_time: np.ndarray
    groups: np.ndarray

    @classmethod
    def of(cls, people: Sequence[Candidate]) -> _Encoded:
        bands = np.zeros((len(people), 1), dtype=np.uint64)
        for row, person in enumerate(people):
            bands[row, 0] = sum(1 << band for band in _bands(person.grades))
        focus = _bitsets([p.focus_areas for p in people])
        return cls(
            bands=bands,
            subjects=_bitsets([p.subjects for p in people]),
            languages=_bitsets([p.languages for p in people]),
            focus=focus,
            focus_count=np.bitwise_count(focus).sum(axis=1, dtype=np.int32),
            school=np.array([p.school_id if p.school_id is not None else 0 for p in people],
                            dtype=np.int64),
            has_school=np.array([p.school_id is not None for p in people], dtype=bool),
            years=np.array([p.years for p in people], dtype=np.float64),
            days=_bitsets([p.days for p in people]),
            any_day=np.array([not p.days for p in people], dtype=bool),
            times=_bitsets([p.times for p in people]),
            any_time=np.array([not p.times for p in people], dtype=bool),
            groups=_bitsets([p.groups for p in people]),
        )

    def take(self, rows) -> _Encoded:
        return _Encoded(**{name: value[rows] for name, value in vars(self).items()})


def _pair_cells(row_users: Sequence[int], column_users: Sequence[int],
                pairs) -> tuple[np.ndarray, np.ndarray]:
    """The (row, column) cells of every pair of people named in `pairs`, in either order."""
    rows_of, columns_of = defaultdict(list), defaultdict(list)
    for row, user in enumerate(row_users):
        rows_of[user].append(row)
    for column, user in enumerate(column_users):
        columns_of[user].append(column)
    rows, columns = [], []
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if x in rows_of and y in columns_of:
                for row in rows_of[x]:
                    rows.extend([row] * len(columns_of[y]))
                    columns.extend(columns_of[y])
    return np.array(rows, dtype=np.intp), np.array(columns, dtype=np.intp)


def _cell_mask(shape, cells) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    mask[cells] = True
    return mask


@dataclass
class _PairFacts:
    """Facts about pairs of people that no set encodes: who asked for whom, who must never
    be matched, and who worked together before."""

    preferred: np.ndarray
    excluded: np.ndarray  # includes the same person at both ends
    previous: np.ndarray

    @classmethod
    def of(cls, mentees: Sequence[Candidate], mentors: Sequence[Candidate], rules: Rules,
           peers: bool) -> _PairFacts:
        shape = (len(mentees), len(mentors))
        column_of = {mentor.id: column for column, mentor in enumerate(mentors)}
        rows, columns = [], []
        for row, mentee in enumerate(mentees):
            for wanted in mentee.preferred:
                if wanted in column_of:
                    rows.append(row)
                    columns.append(column_of[wanted])
        preferred = _cell_mask(shape, (np.array(rows, dtype=np.intp),
                                       np.array(columns, dtype=np.intp)))
        if peers:  # asking for each other counts both ways
            preferred |= preferred.T
        row_users = [p.user_id for p in mentees]
        column_users = [p.user_id for p in mentors]
        same = {(u, u) for u in set(row_users) & set(column_users)}
        return cls(
            preferred=preferred,
            excluded=_cell_mask(shape, _pair_cells(row_users, column_users,
                                                   set(rules.excluded) | same)),
            previous=_cell_mask(shape, _pair_cells(row_users, column_users, rules.previous)),
        )


def _scope_block(rows: _Encoded, columns: _Encoded, rules: Rules) -> np.ndarray:
    if rules.scope == "school":
        return ((rows.school[:, None] == columns.school[None, :])
                & rows.has_school[:, None] & columns.has_school[None, :])
    if rules.scope == "team":
        return _shared(rows.groups, columns.groups)
    return np.ones((len(rows.school), len(columns.school)), dtype=bool)


def _score_block(mentees: _Encoded, mentors: _Encoded, facts: _PairFacts, rows: slice,
                 w: dict[str, int], rules: Rules, peers: bool) -> np.ndarray:
    """Scores of the mentees in `rows` with every mentor: the vectorised twin of `_raw`.
    Yes/no criteria add their weight in place, which keeps large districts fast."""
    e = mentees.take(rows)
    t = mentors
    score = np.zeros((len(e.school), len(t.school)))

    def add_where(criterion, yes, share=1.0):
        weight = w[criterion] * share
        if weight:
            np.add(score, weight, out=score, where=yes)

    if w[GRADE_BAND]:
        add_where(GRADE_BAND, _shared(e.bands, t.bands))
    if w[SUBJECT]:
        add_where(SUBJECT, _shared(e.subjects, t.subjects))
    if w[SCHOOL]:
        same = e.school[:, None] == t.school[None, :]
        if not rules.prefer_same_school:
            np.logical_not(same, out=same)
        same &= e.has_school[:, None]
        same &= t.has_school[None, :]
        add_where(SCHOOL, same)
    if w[LANGUAGE]:
        add_where(LANGUAGE, _shared(e.languages, t.languages))
    if w[EXPERTISE]:
        raw = _common(e.focus, t.focus).astype(np.float64)
        raw /= np.maximum(e.focus_count, 1)[:, None]
        raw *= w[EXPERTISE]
        score += raw
    if w[EXPERIENCE]:
        gap = np.subtract.outer(e.years, t.years)  # mentee minus mentor
        if peers or not rules.reverse:
            np.negative(gap, out=gap)
        gap /= EXPERIENCE_YEARS
        if peers:
            np.abs(gap, out=gap)
            np.minimum(gap, 1.0, out=gap)
            np.subtract(1.0, gap, out=gap)
        else:
            np.clip(gap, 0.0, 1.0, out=gap)
        gap *= w[EXPERIENCE]
        score += gap
    if w[AVAILABILITY]:
        days = _shared(e.days, t.days)
        days |= e.any_day[:, None]
        days |= t.any_day[None, :]
        add_where(AVAILABILITY, days, 0.5)
        times = _shared(e.times, t.times)
        times |= e.any_time[:, None]
        times |= t.any_time[None, :]
        add_where(AVAILABILITY, times, 0.5)
    add_where(PREFERENCE, facts.preferred[rows])
    add_where(NEW_PARTNER, ~facts.previous[rows])
    return score


def _allowed_block(mentees: _Encoded, mentors: _Encoded, facts: _PairFacts, rows: slice,
                   rules: Rules) -> np.ndarray:
    return _scope_block(mentees.take(rows), mentors, rules) & ~facts.excluded[rows]


def _chunks(count: int):
    for start in range(0, count, _CHUNK_ROWS):
        yield slice(start, min(start + _CHUNK_ROWS, count))


def _prepare(mentees, mentors, weights, rules, peers):
    _check_scope(rules)
    w = normalized_weights(weights)
    encoded = _Encoded.of(list(mentees) + list(mentors))
    n = len(mentees)
    return (w, encoded.take(slice(0, n)), encoded.take(slice(n, None)),
            _PairFacts.of(mentees, mentors, rules, peers))


def score_matrix(mentees: Sequence[Candidate], mentors: Sequence[Candidate],
                 weights: Weights, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Scores of every mentee (rows) with every mentor (columns), and which pairs the hard
    rules allow (capacity aside)."""
    w, e, t, facts = _prepare(mentees, mentors, weights, rules, peers=False)
    score = np.zeros((len(mentees), len(mentors)))
    allowed = np.zeros((len(mentees), len(mentors)), dtype=bool)
    for rows in _chunks(len(mentees)):
        score[rows] = _score_block(e, t, facts, rows, w, rules, peers=False)
        allowed[rows] = _allowed_block(e, t, facts, rows, rules)
    return score, allowed


def _big(rows: int, w: dict[str, int]) -> float:
    """More than any total score, so one more person matched always outweighs every gain in
    score."""
    return float((rows + 1) * (sum(w.values()) + 1))


@dataclass
class AssignmentCosts:
    """The solver's input: one row per mentee, one column per open place."""

    cost: np.ndarray  # -(big + score) where allowed, 0 where a hard rule blocks
    owner: np.ndarray  # the mentor (index) of each column
    big: float


def assignment_costs(mentees: Sequence[Candidate], mentors: Sequence[Candidate],
                     weights: Weights, rules: Rules) -> AssignmentCosts:
    """The cost matrix `match` solves: a mentor with c open places has c equal columns."""
    w, e, t, facts = _prepare(mentees, mentors, weights, rules, peers=False)
    capacities = np.array([max(int(m.capacity), 0) for m in mentors], dtype=np.intp)
    owner = np.repeat(np.arange(len(mentors), dtype=np.intp), capacities)
    big = _big(len(mentees), w)
    cost = np.empty((len(mentees), len(owner)))
    for rows in _chunks(len(mentees)):
        score = _score_block(e, t, facts, rows, w, rules, peers=False)
        score += big
        np.negative(score, out=score)
        np.copyto(score, 0.0, where=~_allowed_block(e, t, facts, rows, rules))
        # "clip" only skips numpy's bounds buffer: every owner is a valid mentor index.
        np.take(score, owner, axis=1, out=cost[rows], mode="clip")
    return AssignmentCosts(cost=cost, owner=owner, big=big)


def _solve(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    started = time.perf_counter()
    rows, columns = linear_sum_assignment(cost)
    seconds = time.perf_counter() - started
    keep = cost[rows, columns] < 0  # a 0 is a place the hard rules block
    return rows[keep], columns[keep], seconds


def _result(proposals: list[Proposal], unmatched: dict[int, str], seconds: float) -> Result:
    return Result(proposals=proposals, unmatched=unmatched,
                  total=math.fsum(p.score for p in proposals), solve_seconds=seconds)


def _proposal(mentor_id: int, mentee_id: int, points: dict[str, float]) -> Proposal:
    return Proposal(mentor_id=mentor_id, mentee_id=mentee_id, score=sum(points.values()),
                    breakdown=points)


def match(mentees: Sequence[Candidate], mentors: Sequence[Candidate], weights: Weights,
          rules: Rules) -> Result:
    """One mentor for as many mentees as the hard rules allow, with the highest total
    score among those; a mentor takes up to `capacity` mentees."""
    mentees, mentors = list(mentees), list(mentors)
    w = normalized_weights(weights)
    costs = assignment_costs(mentees, mentors, w, rules)
    rows, columns, seconds = _solve(costs.cost) if costs.cost.size else ([], [], 0.0)
    proposals = []
    matched = set()
    for row, column in zip(rows, columns, strict=True):
        mentor, mentee = mentors[costs.owner[column]], mentees[row]
        matched.add(int(row))
        proposals.append(_proposal(mentor.id, mentee.id,
                                   _breakdown(mentor, mentee, w, rules)))
    left = [row for row in range(len(mentees)) if row not in matched]
    result = _result(proposals, _reasons(mentees, mentors, left, rules), seconds)
    busy = {p.mentor_id for p in proposals}
    result.idle = _idle_reasons(mentees, [m for m in mentors
                                          if m.capacity > 0 and m.id not in busy], rules)
    return result


def _idle_reasons(mentees, idle, rules: Rules) -> dict[int, str]:
    """Why each mentor with an open place got no mentee. The matching takes as many
    mentees as the rules allow, so a mentor left with a place and an allowed mentee in
    scope only lost that mentee to someone who scored higher."""
    if not idle:
        return {}
    if not mentees:
        return {m.id: Unmatched.NO_MENTEE.value for m in idle}
    return _why_left(idle, mentees, rules, (Unmatched.NO_MENTEE, Unmatched.MENTOR_EXCLUDED,
                                            Unmatched.OUTSCORED))


def _reasons(mentees, mentors, left: list[int], rules: Rules) -> dict[int, str]:
    """Why each mentee left without a mentor has none, the most basic reason first."""
    if not left:
        return {}
    open_mentors = [m for m in mentors if m.capacity > 0]
    if not open_mentors:
        return {mentees[row].id: Unmatched.NO_MENTORS.value for row in left}
    return _why_left([mentees[row] for row in left], open_mentors, rules,
                     (Unmatched.OUT_OF_SCOPE, Unmatched.EXCLUDED, Unmatched.FULL))


def _why_left(waiting, others, rules: Rules, labels) -> dict[int, str]:
    """For each waiting person, the first of `labels` that holds against `others`: nobody
    within scope; everyone within scope excluded; else the others were taken. Scope and
    exclusions read the same both ways, so either side may be the mentors."""
    no_one_in_scope, all_excluded, taken = labels
    encoded = _Encoded.of(list(waiting) + list(others))
    w, o = encoded.take(slice(0, len(waiting))), encoded.take(slice(len(waiting), None))
    facts = _PairFacts.of(waiting, others, rules, peers=False)
    reasons = {}
    for rows in _chunks(len(waiting)):
        in_scope = _scope_block(w.take(rows), o, rules)
        allowed = in_scope & ~facts.excluded[rows]
        for offset, (scoped, fine) in enumerate(zip(in_scope.any(axis=1), allowed.any(axis=1),
                                                    strict=True)):
            label = taken if fine else all_excluded if scoped else no_one_in_scope
            reasons[waiting[rows.start + offset].id] = label.value
    return reasons


def _integer_scale(people: Sequence[Candidate]) -> int:
    """A factor that turns every peer score into a whole number, so the matching solver
    compares scores exactly: halves (availability, the mean of two directions), fifths
    (experience) and fractions of each person's focus areas."""
    sizes = {len(p.focus_areas) for p in people if p.focus_areas}
    scale = 10 * math.lcm(*sizes) if sizes else 10
    return min(scale, 10**9)  # past this, rounding to a billionth is exact enough


def pair_peers(pool: Sequence[Candidate], weights: Weights, rules: Rules) -> Result:
    """Peers in pairs, each mentoring the other: as many pairs as the hard rules allow, with
    the highest total score among those. `capacity` does not apply to peers.

    The matching of a general pool takes time growing with the cube of the pool (the
    README gives a measured figure), so large peer programs are best matched school by
    school or team by team."""
    pool = list(pool)
    w, e, t, facts = _prepare(pool, pool, weights, rules, peers=True)
    n = len(pool)
    score = np.zeros((n, n))
    allowed = np.zeros((n, n), dtype=bool)
    for rows in _chunks(n):
        score[rows] = _score_block(e, t, facts, rows, w, rules, peers=True)
        allowed[rows] = _allowed_block(e, t, facts, rows, rules)
    score += score.T.copy()
    score *= 0.5
    allowed &= allowed.T
    scale = _integer_scale(pool)
    first, second = np.nonzero(np.triu(allowed, 1))
    # Every edge one point more leaves the choice among equally many pairs unchanged and
    # keeps pairs that score nothing worth making.
    edge_weights = np.rint(score[first, second] * scale).astype(np.int64) + 1
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(zip(first.tolist(), second.tolist(),
                                      edge_weights.tolist(), strict=True))
    # People who can never be paired across (other schools or teams) are matched apart:
    # the same optimum, and much faster for a program of many small schools.
    components = [c for c in nx.connected_components(graph) if len(c) > 1]
    parts = [graph] if len(components) == 1 else [graph.subgraph(c).copy()
                                                    for c in components]
    matching, seconds = set(), 0.0
    for part in parts:
        started = time.perf_counter()
        matching |= nx.max_weight_matching(part, maxcardinality=True)
        seconds += time.perf_counter() - started
    proposals = []
    for a, b in sorted(tuple(sorted(pair)) for pair in matching):
        proposals.append(_proposal(pool[a].id, pool[b].id,
                                   _peer_breakdown(pool[a], pool[b], w, rules)))
    paired = {i for pair in matching for i in pair}
    left = [i for i in range(n) if i not in paired]
    return _result(proposals, _peer_reasons(pool, e, left, allowed, rules), seconds)


def _peer_reasons(pool, encoded: _Encoded, left: list[int], allowed: np.ndarray,
                  rules: Rules) -> dict[int, str]:
    """Why each peer left unpaired has no partner: nobody else in scope, an exclusion with
    everyone in scope, or every peer they may work with is paired with someone else (the
    pairing takes as many pairs as the rules allow)."""
    reasons = {}
    for row in left:
        scoped = _scope_block(encoded.take(slice(row, row + 1)), encoded, rules)[0]
        scoped[row] = False
        if not scoped.any():
            reasons[pool[row].id] = Unmatched.PEER_OUT_OF_SCOPE.value
        elif not allowed[row].any():
            reasons[pool[row].id] = Unmatched.PEER_EXCLUDED.value
        else:
            reasons[pool[row].id] = Unmatched.NO_PARTNER.value
    return reasons


def place_in_groups(people: Sequence[Candidate], groups: Sequence[GroupSlot],
                    weights: Weights, rules: Rules) -> Result:
    """A group for as many people as there are open places, with the highest total score
    among those; a proposal's mentor_id is the group id."""
    people, groups = list(people), list(groups)
    _check_scope(rules)
    w = normalized_weights(weights)
    focus = _bitsets([p.focus_areas for p in people] + [g.focus_areas for g in groups])
    person_focus, group_focus = focus[:len(people)], focus[len(people):]
    counts = np.maximum(np.bitwise_count(person_focus).sum(axis=1), 1).astype(np.float64)
    raw_focus = _common(person_focus, group_focus) / counts[:, None]
    schools = _bitsets([frozenset() if p.school_id is None else frozenset([p.school_id])
                        for p in people] + [g.schools for g in groups])
    inside = _shared(schools[:len(people)], schools[len(people):])
    has_school = np.array([p.school_id is not None for p in people], dtype=bool)
    fits = inside if rules.prefer_same_school else has_school[:, None] & ~inside
    score = (w[EXPERTISE] * raw_focus + w[SCHOOL] * fits)
    allowed = inside if rules.scope == "school" else np.ones_like(inside)
    big = _big(len(people), w)
    per_group = np.where(allowed, -(big + score), 0.0)
    owner = np.repeat(np.arange(len(groups), dtype=np.intp),
                      [max(int(g.open_places), 0) for g in groups])
    cost = per_group[:, owner]
    rows, columns, seconds = _solve(cost) if cost.size else ([], [], 0.0)
    proposals, placed = [], set()
    for row, column in zip(rows, columns, strict=True):
        person, group = people[row], groups[owner[column]]
        placed.add(int(row))
        proposals.append(_proposal(group.id, person.id,
                                   _group_breakdown(person, group, w, rules)))
    unmatched = {p.id: Unmatched.NO_GROUP.value for i, p in enumerate(people)
                 if i not in placed}
    return _result(proposals, unmatched, seconds)
