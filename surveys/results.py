"""What a survey's results may show without pointing at anyone.

Responses fall into cells by the respondent's role, school and group. The pure functions
here decide which counts may be shown for a threshold T (the program's anonymity
threshold):

- `suppress`: a breakdown hides every cell under T; when the hidden cells could still be
  worked out (only one is hidden, or together they hold fewer than T), the next smallest
  shown cells are hidden too. So the total minus the shown cells never gives a count under
  T, and no single hidden cell can be derived.
- `view_allowed`: a filter (role, school, group, or several) is shown only when it holds at
  least T responses and, for each filter in it, the breakdown it comes from (the other
  filters applied, by that dimension) shows its cell. A view shown therefore always differs
  from every broader view by 0 or at least T responses.
- `allowed` and `breakdown_of`: what a reader reaches. Tables of different views can be
  set side by side (the whole survey by school, the mentors by school: school 1's count in
  each gives school 1's mentees away as the difference), so a reader gets one filter at a
  time, and only the unfiltered view is broken down. `base` holds the filters a reader is
  held to (a school's admin reads their school as the whole).

The database side (`counts_by_cell`) reads one grouped query; everything else works on
its result.
"""

from collections import Counter

from django.db.models import Count

DIMENSIONS = ("role", "school", "group")


def suppress(counts: dict, threshold: int) -> dict:
    """{cell: count or None (hidden)} for a breakdown's `counts` ({cell: count >= 1})."""
    total = sum(counts.values())
    if total < threshold:
        return dict.fromkeys(counts)
    hidden = {cell for cell, n in counts.items() if n < threshold}

    def derivable():
        return hidden and (len(hidden) == 1 or sum(counts[c] for c in hidden) < threshold)

    while derivable():
        shown = sorted((n, str(cell), cell) for cell, n in counts.items() if cell not in hidden)
        if not shown:
            break
        hidden.add(shown[0][2])
    return {cell: None if cell in hidden else n for cell, n in counts.items()}


def _matches(cell, filters):
    return all(cell[DIMENSIONS.index(dim)] == value for dim, value in filters.items())


def count_of(cells: Counter, filters: dict) -> int:
    return sum(n for cell, n in cells.items() if _matches(cell, filters))


def _breakdown_counts(cells, filters, dimension):
    index = DIMENSIONS.index(dimension)
    counts = Counter()
    for cell, n in cells.items():
        if n and _matches(cell, filters):
            counts[cell[index]] += n
    return dict(counts)


def view_allowed(cells: Counter, filters: dict, threshold: int) -> bool:
    """Whether the responses matching `filters` ({dimension: value}) may be shown.

    `cells` counts responses by (role, school, group)."""
    if count_of(cells, filters) < threshold:
        return False
    for dimension, value in filters.items():
        parent = {d: v for d, v in filters.items() if d != dimension}
        if not view_allowed(cells, parent, threshold):
            return False
        shown = suppress(_breakdown_counts(cells, parent, dimension), threshold)
        if shown.get(value) is None:
            return False
    return True


def breakdown(cells: Counter, filters: dict, dimension: str, threshold: int):
    """{value: count or None} of the filtered responses by `dimension`, suppressed; None
    when the filtered view itself may not be shown."""
    if not view_allowed(cells, filters, threshold):
        return None
    return suppress(_breakdown_counts(cells, filters, dimension), threshold)


def allowed(cells: Counter, base: dict, filters: dict, threshold: int) -> bool:
    """Whether the reader held to `base` may see the responses matching `filters` (one
    dimension at most): exactly the rows `breakdown_of` shows, so a filter never shows a
    count its table hides."""
    if len(filters) > 1 or not view_allowed(cells, base, threshold):
        return False
    for dimension, value in filters.items():
        if dimension in base:
            return base[dimension] == value
        return breakdown_of(cells, base, {}, dimension, threshold).get(value) is not None
    return True


def breakdown_of(cells: Counter, base: dict, filters: dict, dimension: str, threshold: int):
    """The breakdown the reader held to `base` sees: only of the unfiltered view; None
    otherwise."""
    if filters or dimension in base:
        return None
    return breakdown(cells, base, dimension, threshold)


def counts_by_cell(responses) -> Counter:
    """One query: the responses counted by (role, school, group)."""
    return Counter({(row["role"], row["school_id"], row["group_id"]): row["n"]
                    for row in responses.values("role", "school_id", "group_id")
                    .annotate(n=Count("pk")).order_by()})


def filter_responses(responses, filters):
    """The queryset of responses matching `filters`; None stands for "none recorded"."""
    lookups = {}
    for dimension, value in filters.items():
        field = dimension if dimension == "role" else f"{dimension}_id"
        lookups[f"{field}__isnull" if value is None else field] = True if value is None \
            else value
    return responses.filter(**lookups)
