"""The matching engine against exhaustive search on small programs: it matches as many
teachers as the hard rules allow, with the best total score among those, never breaks a
hard rule, and explains every score. No database."""

import itertools
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.engine import (
    Candidate,
    Criterion,
    GroupSlot,
    Rules,
    Unmatched,
    blocked,
    breakdown,
    group_blocked,
    group_breakdown,
    match,
    pair_peers,
    peer_breakdown,
    place_in_groups,
    score_matrix,
)

TOLERANCE = 1e-6
GRADES = ["PK", "KG", "01", "02", "03", "05", "06", "08", "09", "12"]
TIMES = ["before", "planning", "lunch", "after"]


def examples(count):
    return settings(max_examples=count, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# Small vocabularies, so that overlaps, shared schools and repeated people are common.
users = st.integers(1, 6)
schools = st.one_of(st.none(), st.integers(1, 3))


def subset(values, mask):
    return frozenset(v for bit, v in enumerate(values) if mask >> bit & 1)


def small_set(values):
    """A set of the given values; drawn as one number, which keeps the search fast."""
    return st.integers(0, 2 ** len(values) - 1).map(lambda mask: subset(values, mask))


PROFILE = st.tuples(
    users, schools, small_set(["PK", "01", "03", "06", "09", "12"]), small_set([1, 2, 3]),
    small_set(["en", "es", "vi"]), small_set([1, 2, 3, 4]), st.integers(0, 12),
    small_set([0, 1, 2, 4]), small_set(["before", "lunch", "after"]), small_set([1, 2]),
)

ONE = st.just(1)


@st.composite
def candidate(draw, candidate_id, preferable=(), capacity=ONE):
    user, school, grades, subjects, languages, focus, years, days, times, groups = draw(
        PROFILE)
    preferable = list(preferable)
    preferred = (subset(preferable, draw(st.integers(0, 2 ** len(preferable) - 1)))
                 if preferable else frozenset())
    return Candidate(
        id=candidate_id, user_id=user, school_id=school, grades=grades, subjects=subjects,
        languages=languages, focus_areas=focus, years=years, days=days, times=times,
        groups=groups, preferred=preferred, capacity=draw(capacity),
    )


weights_strategy = st.fixed_dictionaries({c: st.integers(0, 10) for c in Criterion.values})


@st.composite
def rules_strategy(draw):
    pair = st.tuples(users, users)
    return Rules(
        scope=draw(st.sampled_from(["school", "district", "team"])),
        prefer_same_school=draw(st.booleans()),
        reverse=draw(st.booleans()),
        excluded=frozenset(draw(st.lists(pair, max_size=4))),
        previous=frozenset(draw(st.lists(pair, max_size=4))),
    )


@st.composite
def program(draw, max_mentees=5, max_mentors=4):
    mentor_ids = range(101, 101 + draw(st.integers(0, max_mentors)))
    mentors = [draw(candidate(i, capacity=st.integers(0, 2))) for i in mentor_ids]
    mentees = [draw(candidate(i, preferable=mentor_ids))
               for i in range(1, 1 + draw(st.integers(0, max_mentees)))]
    return mentees, mentors, draw(weights_strategy), draw(rules_strategy())


@st.composite
def peer_pool(draw, max_size=7):
    ids = range(1, 1 + draw(st.integers(0, max_size)))
    pool = [draw(candidate(i, preferable=ids)) for i in ids]
    return pool, draw(weights_strategy), draw(rules_strategy())


@st.composite
def group_placement(draw):
    people = [draw(candidate(i)) for i in range(1, 1 + draw(st.integers(0, 5)))]
    groups = [GroupSlot(id=g, focus_areas=draw(small_set([1, 2, 3, 4])),
                        schools=draw(small_set([1, 2, 3])),
                        open_places=draw(st.integers(0, 2)))
              for g in range(201, 201 + draw(st.integers(0, 3)))]
    return people, groups, draw(weights_strategy), draw(rules_strategy())


def better(found, best):
    """Lexicographic: more people matched first, then the higher total score."""
    return found[0] > best[0] or (found[0] == best[0] and found[1] > best[1])


def assert_optimal(result, best):
    assert len(result.proposals) == best[0]
    assert math.isclose(result.total, best[1], abs_tol=TOLERANCE)
    assert math.isclose(result.total, sum(p.score for p in result.proposals),
                        abs_tol=TOLERANCE)


def assert_explained(proposal, expected, weights):
    assert proposal.breakdown == expected
    assert list(proposal.breakdown) == list(Criterion.values)
    assert math.isclose(sum(proposal.breakdown.values()), proposal.score, abs_tol=TOLERANCE)
    for name, points in proposal.breakdown.items():
        weight = weights.get(name, 0)
        assert -TOLERANCE <= points <= weight + TOLERANCE
        if weight == 0:
            assert points == 0


def pair_score(mentor, mentee, weights, rules):
    return sum(breakdown(mentor, mentee, weights, rules).values())


# One mentor, one or more mentees.


def best_assignment(mentees, mentors, weights, rules):
    """Every way to give each mentee one mentor or none, within capacities and rules."""
    options = [[(j, pair_score(mentor, mentee, weights, rules))
                for j, mentor in enumerate(mentors)
                if mentor.capacity > 0 and blocked(mentor, mentee, rules) is None]
               for mentee in mentees]
    best = (0, 0.0)

    def search(i, left, count, total):
        nonlocal best
        if i == len(mentees):
            if better((count, total), best):
                best = (count, total)
            return
        search(i + 1, left, count, total)
        for j, score in options[i]:
            if left[j]:
                left[j] -= 1
                search(i + 1, left, count + 1, total + score)
                left[j] += 1

    search(0, [m.capacity for m in mentors], 0, 0.0)
    return best


def expected_reason(mentee, mentors, rules):
    with_places = [m for m in mentors if m.capacity > 0]
    if not with_places:
        return Unmatched.NO_MENTORS
    reasons = [blocked(m, mentee, rules) for m in with_places]
    if all(r == Unmatched.OUT_OF_SCOPE for r in reasons):
        return Unmatched.OUT_OF_SCOPE
    if all(r is not None for r in reasons):
        return Unmatched.EXCLUDED
    return Unmatched.FULL


@examples(200)
@given(program())
def test_match_is_the_lexicographic_optimum_and_keeps_every_rule(instance):
    mentees, mentors, weights, rules = instance
    result = match(mentees, mentors, weights, rules)

    assert_optimal(result, best_assignment(mentees, mentors, weights, rules))
    by_id = {m.id: m for m in mentees + mentors}
    taken = {m.id: 0 for m in mentors}
    for proposal in result.proposals:
        mentor, mentee = by_id[proposal.mentor_id], by_id[proposal.mentee_id]
        assert mentor in mentors and mentee in mentees
        assert blocked(mentor, mentee, rules) is None
        assert mentor.user_id != mentee.user_id
        taken[mentor.id] += 1
        assert_explained(proposal, breakdown(mentor, mentee, weights, rules), weights)
    assert all(taken[m.id] <= m.capacity for m in mentors)
    matched = [p.mentee_id for p in result.proposals]
    assert len(matched) == len(set(matched))
    assert sorted(matched + list(result.unmatched)) == sorted(m.id for m in mentees)
    for mentee in mentees:
        if mentee.id in result.unmatched:
            assert result.unmatched[mentee.id] == expected_reason(mentee, mentors, rules)


@examples(100)
@given(program(max_mentees=6, max_mentors=6))
def test_the_vectorised_scores_are_the_scalar_ones(instance):
    mentees, mentors, weights, rules = instance
    scores, allowed = score_matrix(mentees, mentors, weights, rules)
    assert scores.shape == allowed.shape == (len(mentees), len(mentors))
    for (i, mentee), (j, mentor) in itertools.product(enumerate(mentees), enumerate(mentors)):
        assert math.isclose(scores[i, j], pair_score(mentor, mentee, weights, rules),
                            abs_tol=TOLERANCE)
        assert allowed[i, j] == (blocked(mentor, mentee, rules) is None)


def test_large_vocabularies_score_the_same_as_one_pair_at_a_time():
    """More than 64 subjects, focus areas, languages or teams take several words each."""
    rng = random.Random(7)

    def someone(i, preferable=()):
        return Candidate(
            id=i, user_id=rng.randint(1, 40), school_id=rng.choice([None, *range(100)]),
            grades=frozenset(rng.sample(GRADES, 2)),
            subjects=frozenset(rng.sample(range(300), 4)),
            languages=frozenset(f"lang{k}" for k in rng.sample(range(150), 3)),
            focus_areas=frozenset(rng.sample(range(200), rng.randint(0, 6))),
            years=rng.randint(0, 30), days=frozenset(rng.sample(range(7), rng.randint(0, 3))),
            times=frozenset(rng.sample(TIMES, rng.randint(0, 2))),
            groups=frozenset(rng.sample(range(130), 3)),
            preferred=frozenset(rng.sample(list(preferable), min(3, len(preferable)))),
            capacity=rng.randint(0, 2))

    mentors = [someone(i) for i in range(1000, 1060)]
    mentees = [someone(i, [m.id for m in mentors]) for i in range(60)]
    weights = {c: rng.randint(1, 10) for c in Criterion.values}
    pairs = frozenset((rng.randint(1, 40), rng.randint(1, 40)) for _ in range(30))
    for scope in ["school", "district", "team"]:
        rules = Rules(scope=scope, prefer_same_school=scope != "district", excluded=pairs,
                      previous=frozenset(list(pairs)[:10]))
        scores, allowed = score_matrix(mentees, mentors, weights, rules)
        for (i, mentee), (j, mentor) in itertools.product(enumerate(mentees),
                                                          enumerate(mentors)):
            assert math.isclose(scores[i, j], pair_score(mentor, mentee, weights, rules),
                                abs_tol=TOLERANCE)
            assert allowed[i, j] == (blocked(mentor, mentee, rules) is None)
        result = match(mentees, mentors, weights, rules)
        assert result.proposals or scope != "district"


# Peers: each mentors the other.


def best_peer_matching(pool, weights, rules):
    score = {}
    for a, b in itertools.combinations(range(len(pool)), 2):
        if blocked(pool[a], pool[b], rules) is None:
            score[a, b] = sum(peer_breakdown(pool[a], pool[b], weights, rules).values())
    best = (0, 0.0)

    def search(free, count, total):
        nonlocal best
        if better((count, total), best):
            best = (count, total)
        if not free:
            return
        first, rest = free[0], free[1:]
        search(rest, count, total)  # the first one stays without a partner
        for partner in rest:
            if (first, partner) in score:
                search([p for p in rest if p != partner], count + 1,
                       total + score[first, partner])

    search(list(range(len(pool))), 0, 0.0)
    return best


@examples(150)
@given(peer_pool())
def test_peer_pairs_are_the_lexicographic_optimum_and_keep_every_rule(instance):
    pool, weights, rules = instance
    result = pair_peers(pool, weights, rules)

    assert_optimal(result, best_peer_matching(pool, weights, rules))
    by_id = {p.id: p for p in pool}
    paired = []
    for proposal in result.proposals:
        a, b = by_id[proposal.mentor_id], by_id[proposal.mentee_id]
        assert blocked(a, b, rules) is None and blocked(b, a, rules) is None
        assert a.user_id != b.user_id
        paired += [a.id, b.id]
        expected = peer_breakdown(a, b, weights, rules)
        assert expected == pytest.approx(peer_breakdown(b, a, weights, rules))
        assert_explained(proposal, expected, weights)
    assert len(paired) == len(set(paired))
    assert sorted(paired + list(result.unmatched)) == sorted(by_id)
    # Each peer left over is told the most basic reason.
    for left, reason in result.unmatched.items():
        person = by_id[left]
        others = [p for p in pool if p.id != left]
        scoped = [p for p in others if blocked(p, person, rules) != Unmatched.OUT_OF_SCOPE]
        allowed = [p for p in scoped if blocked(p, person, rules) is None]
        assert reason == (Unmatched.PEER_OUT_OF_SCOPE if not scoped else
                          Unmatched.PEER_EXCLUDED if not allowed else Unmatched.NO_PARTNER)
        assert all(p.id in paired for p in allowed)


# Group placement.


def best_placement(people, groups, weights, rules):
    options = [[None] + [g for g in groups if group_blocked(person, g, rules) is None]
                for person in people]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        chosen = [g for g in choice if g is not None]
        if any(chosen.count(g) > g.open_places for g in groups):
            continue
        total = sum(sum(group_breakdown(person, g, weights, rules).values())
                    for person, g in zip(people, choice, strict=True) if g is not None)
        if better((len(chosen), total), best):
            best = (len(chosen), total)
    return best


@examples(120)
@given(group_placement())
def test_group_places_are_the_lexicographic_optimum_and_keep_every_rule(instance):
    people, groups, weights, rules = instance
    result = place_in_groups(people, groups, weights, rules)

    assert_optimal(result, best_placement(people, groups, weights, rules))
    by_person = {p.id: p for p in people}
    by_group = {g.id: g for g in groups}
    placed = {g.id: 0 for g in groups}
    for proposal in result.proposals:
        person, group = by_person[proposal.mentee_id], by_group[proposal.mentor_id]
        assert group_blocked(person, group, rules) is None
        placed[group.id] += 1
        assert_explained(proposal, group_breakdown(person, group, weights, rules), weights)
        assert set(proposal.breakdown) - {Criterion.EXPERTISE, Criterion.SCHOOL} <= {
            name for name, points in proposal.breakdown.items() if points == 0}
    assert all(placed[g.id] <= g.open_places for g in groups)
    people_placed = [p.mentee_id for p in result.proposals]
    assert len(people_placed) == len(set(people_placed))
    assert sorted(people_placed + list(result.unmatched)) == sorted(by_person)
    assert set(result.unmatched.values()) <= {Unmatched.NO_GROUP}


# Readable examples.

EVERYTHING = dict.fromkeys(Criterion.values, 5)


def teacher(i, **kwargs):
    return Candidate(id=i, user_id=i, **kwargs)


def test_a_preferred_mentor_wins_over_a_slightly_better_scoring_one():
    math_mentor = teacher(101, subjects=frozenset({7}), years=10)
    asked_for = teacher(102, years=10)
    mentee = teacher(1, subjects=frozenset({7}), preferred=frozenset({102}))
    weights = {**EVERYTHING, Criterion.SUBJECT: 3, Criterion.PREFERENCE: 10}

    result = match([mentee], [math_mentor, asked_for], weights, Rules())

    [proposal] = result.proposals
    assert proposal.mentor_id == 102
    assert proposal.breakdown[Criterion.PREFERENCE] == 10
    assert proposal.breakdown[Criterion.SUBJECT] == 0
    # Without the preference counting, the subject match would have won.
    unasked = match([mentee], [math_mentor, asked_for], {**weights, "preference": 0}, Rules())
    assert unasked.proposals[0].mentor_id == 101


def test_reverse_mentoring_makes_the_less_experienced_teacher_mentor():
    veteran = teacher(1, years=25)
    new_teacher = teacher(101, years=2)
    senior = teacher(102, years=30)
    weights = {Criterion.EXPERIENCE: 10}

    usual = match([veteran], [new_teacher, senior], weights, Rules())
    reverse = match([veteran], [new_teacher, senior], weights, Rules(reverse=True))

    assert usual.proposals[0].mentor_id == 102
    assert usual.proposals[0].breakdown[Criterion.EXPERIENCE] == 10
    assert reverse.proposals[0].mentor_id == 101
    assert reverse.proposals[0].breakdown[Criterion.EXPERIENCE] == 10


def test_a_mentor_with_two_places_takes_two_mentees():
    mentor = teacher(101, capacity=2, subjects=frozenset({3}))
    other = teacher(102, capacity=1)
    mentees = [teacher(1, subjects=frozenset({3})), teacher(2, subjects=frozenset({3})),
               teacher(3)]

    result = match(mentees, [mentor, other], {Criterion.SUBJECT: 6}, Rules())

    assert sorted((p.mentor_id, p.mentee_id) for p in result.proposals) == [
        (101, 1), (101, 2), (102, 3)]
    assert result.total == 12
    assert result.unmatched == {}


def test_matching_more_teachers_beats_a_higher_score():
    # The first mentee scores best with the strong mentor, but the second may not work
    # with the other one: both get a mentor only the other way round.
    strong, other = teacher(101, subjects=frozenset({1})), teacher(102)
    first, second = teacher(1, subjects=frozenset({1})), teacher(2)
    rules = Rules(excluded=frozenset({(2, 102)}))

    result = match([first, second], [strong, other], {Criterion.SUBJECT: 10}, rules)

    assert sorted((p.mentor_id, p.mentee_id) for p in result.proposals) == [(101, 2),
                                                                            (102, 1)]
    assert result.total == 0


def test_breakdown_explains_each_criterion():
    mentor = teacher(101, school_id=1, grades=frozenset({"04"}), subjects=frozenset({2}),
                     languages=frozenset({"es"}), focus_areas=frozenset({1, 2}), years=12,
                     days=frozenset({1}), times=frozenset({"after"}))
    mentee = teacher(1, school_id=1, grades=frozenset({"05"}), subjects=frozenset({2, 3}),
                     languages=frozenset({"en"}), focus_areas=frozenset({2, 3, 4}), years=9,
                     days=frozenset({1, 2}), times=frozenset({"lunch"}),
                     preferred=frozenset({101}))
    rules = Rules(previous=frozenset({(101, 1)}))

    points = breakdown(mentor, mentee, dict.fromkeys(Criterion.values, 10), rules)

    assert points == pytest.approx({
        "grade_band": 10, "subject": 10, "school": 10, "language": 0,
        "expertise": 10 / 3, "experience": 6, "availability": 5, "preference": 10,
        "new_partner": 0})
    different = breakdown(mentor, mentee, {"school": 4}, Rules(prefer_same_school=False))
    assert different["school"] == 0


def test_weights_outside_the_scale_or_unknown_criteria_are_refused():
    one = teacher(1)
    with pytest.raises(ValueError):
        breakdown(one, teacher(2), {"subject": 11}, Rules())
    with pytest.raises(ValueError):
        match([one], [teacher(2)], {"charisma": 3}, Rules())
    with pytest.raises(ValueError):
        match([one], [teacher(2)], {}, Rules(scope="region"))


def test_blocked_names_the_rule():
    here, there = teacher(1, school_id=1), teacher(2, school_id=2)
    assert blocked(here, there, Rules(scope="school")) == Unmatched.OUT_OF_SCOPE
    assert blocked(here, there, Rules(excluded=frozenset({(2, 1)}))) == Unmatched.EXCLUDED
    same_person = Candidate(id=3, user_id=1, school_id=1)
    assert blocked(here, same_person, Rules(scope="school")) == Unmatched.EXCLUDED
    assert blocked(here, there, Rules()) is None


# Why someone is left without a partner.


def test_no_mentors_with_open_places():
    result = match([teacher(1)], [teacher(101, capacity=0)], EVERYTHING, Rules())
    assert result.unmatched == {1: Unmatched.NO_MENTORS}
    assert match([teacher(1)], [], EVERYTHING, Rules()).unmatched == {1: Unmatched.NO_MENTORS}


def test_no_mentor_within_scope():
    mentee = teacher(1, school_id=1, groups=frozenset({1}))
    mentors = [teacher(101, school_id=2, groups=frozenset({2})),
               teacher(102, school_id=1, groups=frozenset({3}), capacity=0)]
    for scope in ["school", "team"]:
        result = match([mentee], mentors, EVERYTHING, Rules(scope=scope))
        assert result.unmatched == {1: Unmatched.OUT_OF_SCOPE}


def test_every_mentor_within_scope_excluded():
    mentee = teacher(1, school_id=1)
    mentors = [teacher(101, school_id=1), Candidate(id=102, user_id=1, school_id=1),
               teacher(103, school_id=2)]
    rules = Rules(scope="school", excluded=frozenset({(101, 1)}))
    assert match([mentee], mentors, EVERYTHING, rules).unmatched == {1: Unmatched.EXCLUDED}


def test_every_compatible_mentor_full():
    mentees = [teacher(1, subjects=frozenset({1})), teacher(2)]
    result = match(mentees, [teacher(101, subjects=frozenset({1}))], EVERYTHING, Rules())
    assert [p.mentee_id for p in result.proposals] == [1]
    assert result.unmatched == {2: Unmatched.FULL}


def test_no_partner_left_for_a_peer():
    pool = [teacher(1, years=3), teacher(2, years=4), teacher(3, years=20)]
    result = pair_peers(pool, {Criterion.EXPERIENCE: 10}, Rules())
    assert [(p.mentor_id, p.mentee_id) for p in result.proposals] == [(1, 2)]
    assert result.proposals[0].score == 8
    assert result.unmatched == {3: Unmatched.NO_PARTNER}


def test_every_group_full():
    groups = [GroupSlot(id=201, focus_areas=frozenset({1}), schools=frozenset(),
                        open_places=1),
              GroupSlot(id=202, focus_areas=frozenset(), schools=frozenset(), open_places=0)]
    people = [teacher(1, focus_areas=frozenset({1})), teacher(2)]
    result = place_in_groups(people, groups, EVERYTHING, Rules())
    assert [(p.mentor_id, p.mentee_id) for p in result.proposals] == [(201, 1)]
    assert result.unmatched == {2: Unmatched.NO_GROUP}


def test_more_peer_pairs_beat_one_strong_pair():
    # Ana and Ben would be the best pair, but then Cam and Dee have nobody they may work
    # with; two ordinary pairs it is.
    ana, ben = teacher(1, subjects=frozenset({4})), teacher(2, subjects=frozenset({4}))
    cam, dee = teacher(3), teacher(4)
    rules = Rules(excluded=frozenset({(3, 2), (3, 4), (1, 4)}))

    result = pair_peers([ana, ben, cam, dee], {Criterion.SUBJECT: 10}, rules)

    assert [(p.mentor_id, p.mentee_id) for p in result.proposals] == [(1, 3), (2, 4)]
    assert result.total == 0
    assert result.unmatched == {}
