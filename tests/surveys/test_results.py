"""No results cell shows fewer answers than the threshold, for any filter, and no hidden
cell can be worked out from what is shown."""

from collections import Counter
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import results as report_views
from surveys.results import DIMENSIONS, breakdown, count_of, suppress, view_allowed

ROLES = ["mentee", "mentor", "peer"]
SCHOOLS = [1, 2, 3, None]
GROUPS = [10, 11, None]

cells_strategy = st.dictionaries(
    st.tuples(st.sampled_from(ROLES), st.sampled_from(SCHOOLS), st.sampled_from(GROUPS)),
    st.integers(min_value=1, max_value=12), max_size=20).map(Counter)
filters_strategy = st.fixed_dictionaries({}, optional={
    "role": st.sampled_from(ROLES), "school": st.sampled_from(SCHOOLS),
    "group": st.sampled_from(GROUPS)})


def broader(filters):
    """Every view obtained by dropping some of the filters."""
    names = list(filters)
    for mask in range(2 ** len(names) - 1):
        yield {name: filters[name] for i, name in enumerate(names) if mask & (1 << i)}


@settings(max_examples=400, deadline=None)
@given(cells=cells_strategy, filters=filters_strategy, threshold=st.integers(3, 8),
       by=st.sampled_from(DIMENSIONS))
def test_no_filter_shows_a_cell_under_the_threshold(cells, filters, threshold, by):
    if not view_allowed(cells, filters, threshold):
        return
    shown_total = count_of(cells, filters)
    assert shown_total >= threshold
    # Against every broader view shown, the difference is nobody or at least T people.
    for parent in broader(filters):
        if view_allowed(cells, parent, threshold):
            difference = count_of(cells, parent) - shown_total
            assert difference == 0 or difference >= threshold
    if by in filters:
        return
    cells_shown = breakdown(cells, filters, by, threshold)
    assert all(n is None or n >= threshold for n in cells_shown.values())
    hidden = [value for value, n in cells_shown.items() if n is None]
    hidden_sum = shown_total - sum(n for n in cells_shown.values() if n is not None)
    # The total minus the shown cells never gives one hidden cell, nor fewer than T.
    assert hidden == [] or (len(hidden) >= 2 and hidden_sum >= threshold)


@settings(max_examples=300, deadline=None)
@given(counts=st.dictionaries(st.sampled_from("abcdefg"), st.integers(1, 15)),
       threshold=st.integers(3, 8))
def test_suppression_never_leaves_one_hidden_cell(counts, threshold):
    shown = suppress(counts, threshold)
    hidden = [cell for cell, n in shown.items() if n is None]
    assert all(n >= threshold for n in shown.values() if n is not None)
    if sum(counts.values()) >= threshold:
        assert len(hidden) != 1
        assert hidden == [] or sum(counts[c] for c in hidden) >= threshold


def test_one_small_school_hides_the_next_smallest_too():
    assert suppress({"Lincoln": 9, "Roosevelt": 6, "Faraway": 2}, 5) == {
        "Lincoln": 9, "Roosevelt": None, "Faraway": None}


def test_a_filter_whose_rest_is_small_is_refused():
    cells = Counter({("mentee", 1, None): 10, ("mentor", 1, None): 2})
    # Mentees alone would give away the two mentors as 12 - 10.
    assert view_allowed(cells, {}, 5)
    assert not view_allowed(cells, {"role": "mentee"}, 5)
    assert not view_allowed(cells, {"role": "mentor"}, 5)


def test_a_small_cross_cell_cannot_be_worked_out_from_two_tables():
    """Three mentees of school 1 are fewer than T: the whole survey by school shows school 1
    (12); the mentors by school would show school 1's nine mentors, and 12 - 9 gives the
    mentees away (their average too). A filtered view is never broken down again, and two
    filters are never combined."""
    cells = Counter({("mentee", 1, None): 3, ("mentor", 1, None): 9,
                     ("mentor", 2, None): 10, ("mentee", 2, None): 10})
    assert breakdown(cells, {}, "school", 5) == {1: 12, 2: 20}
    assert report_views.breakdown_of(cells, {}, {"role": "mentor"}, "school", 5) is None
    assert not report_views.allowed(cells, {}, {"role": "mentor", "school": 1}, 5)
    assert not report_views.allowed(cells, {}, {"role": "mentor", "school": 2}, 5)
    # One filter at a time, and the unfiltered breakdown, stay as they were.
    assert report_views.allowed(cells, {}, {"role": "mentor"}, 5)
    assert report_views.breakdown_of(cells, {}, {}, "school", 5) == {1: 12, 2: 20}
    # A school's admin reads their school as the whole: one filter within it.
    assert report_views.allowed(cells, {"school": 2}, {"role": "mentee"}, 5)
    assert report_views.breakdown_of(cells, {"school": 2}, {}, "role", 5) == {
        "mentee": 10, "mentor": 10}


@settings(max_examples=300, deadline=None)
@given(cells=cells_strategy, threshold=st.integers(3, 8), base=st.sampled_from(
    [{}, {"school": 1}, {"school": 2}]))
def test_every_view_a_reader_can_reach_differs_from_a_wider_one_by_none_or_t(
        cells, threshold, base):
    """Every view reachable (the base, one filter within it, a breakdown row of the base)
    holds T or more people, and is either the whole base or at least T fewer."""
    views = [dict(base)]
    for dimension in DIMENSIONS:
        if dimension in base:
            continue
        rows = report_views.breakdown_of(cells, base, {}, dimension, threshold) or {}
        for value in {cell[DIMENSIONS.index(dimension)] for cell in cells}:
            if report_views.allowed(cells, base, {dimension: value}, threshold):
                views.append({**base, dimension: value})
                assert rows.get(value) == count_of(cells, {**base, dimension: value})
            else:
                assert rows.get(value) is None
    # Two filters at once are never shown: their cross cells could be worked out.
    for a, b in combinations([d for d in DIMENSIONS if d not in base], 2):
        pair = {a: next(iter(cells))[DIMENSIONS.index(a)] if cells else None,
                b: next(iter(cells))[DIMENSIONS.index(b)] if cells else None}
        assert not report_views.allowed(cells, base, pair, threshold)
    if not report_views.allowed(cells, base, {}, threshold):
        return
    whole = count_of(cells, base)
    for view in views:
        n = count_of(cells, view)
        assert n >= threshold
        assert n == whole or whole - n >= threshold
