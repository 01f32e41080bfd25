"""No results cell shows fewer answers than the threshold, for any filter, and no hidden
cell can be worked out from what is shown."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

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
