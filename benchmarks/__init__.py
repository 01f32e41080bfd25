"""Benchmarks: measured runs of the product's heavy paths on generated data.

Run them all with `make bench` or `.venv/bin/python -m benchmarks`, or one by name:
`.venv/bin/python -m benchmarks roster_import`. Each benchmark is a module here with a
`run(args)` function, listed in `BENCHMARKS`; it prints what it measured.
"""

BENCHMARKS = {
    "roster_import": "benchmarks.roster_import",
    "resource_search": "benchmarks.resource_search",
    "pairing_match": "benchmarks.pairing_match",
    "pairing_run": "benchmarks.pairing_run",
    "dashboards": "benchmarks.dashboards",
    "notifications": "benchmarks.notifications",
}
