"""Roster import at district scale: a generated OneRoster set of 50,000 staff across 600
schools (with courses, classes and the teachers' enrollments) is checked and applied into a
throwaway PostgreSQL database, then checked and applied again (which must change nothing).

Measured, for each run, in a fresh process that does nothing but the import:
- wall time of the check (read, validate, compare) and of the apply (the same, and write);
- peak memory: the process's maximum resident set size (getrusage ru_maxrss) at the end,
  next to its size after Django has started and before the import began. PostgreSQL's own
  memory is not included.
"""

import argparse
import os
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from benchmarks.database import django_environment, throwaway_database
from benchmarks.oneroster_data import write_set

DISTRICT = "Benchmark Unified"
GOAL_SECONDS, GOAL_MB = 60, 300


def run(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks roster_import")
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--database", default="mentorship_bench",
                        help="name of the throwaway database (dropped if it exists)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp, throwaway_database(args.database) as url:
        started = time.perf_counter()
        written = write_set(Path(tmp) / "oneroster", staff=args.staff, schools=args.schools)
        size = sum(f.stat().st_size for f in (Path(tmp) / "oneroster").iterdir())
        print(f"generated: {written['staff']:,} staff, {written['schools']:,} schools, "
              f"{written['courses']:,} courses, {written['classes']:,} classes, "
              f"{written['enrollments']:,} enrollments; {size / 2**20:.1f} MB of CSV "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        env = django_environment(url)
        # Each step in a new process, so that one run's peak memory is its own.
        context = get_context("spawn")
        for step, label in [(_prepare, "migrate"), (_measure, "first import"),
                            (_measure, "second import, same set")]:
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                result = pool.submit(step, env, str(Path(tmp) / "oneroster")).result()
            _report(label, result)


def _report(label, result):
    if "migrated_in" in result:
        print(f"{label}: database ready in {result['migrated_in']:.1f} s", flush=True)
        return
    total = result["check_s"] + result["apply_s"]
    peak = result["peak_kb"] / 1024
    print(f"{label}:")
    print(f"  check  {result['check_s']:6.1f} s  {_counts(result['check_counts'])}")
    print(f"  apply  {result['apply_s']:6.1f} s  {_counts(result['apply_counts'])}")
    print(f"  total  {total:6.1f} s (goal: under {GOAL_SECONDS} s)")
    print(f"  peak memory of the importing process (max RSS): {peak:.0f} MB "
          f"(goal: under {GOAL_MB} MB); {result['start_kb'] / 1024:.0f} MB before the "
          f"import began")
    if result["problems"]:
        print(f"  PROBLEMS: {result['problems']}")
    print(flush=True)


def _counts(counts):
    shown = {k: v for k, v in counts.items() if v}
    return ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in shown.items()) or "no changes"


def _setup(env):
    os.environ.update(env)
    import django

    django.setup()


def _prepare(env, _path):
    started = time.perf_counter()
    _setup(env)
    from django.core.management import call_command

    from accounts.models import District

    call_command("migrate", verbosity=0, interactive=False)
    District.objects.create(name=DISTRICT)
    return {"migrated_in": time.perf_counter() - started}


def _measure(env, path):
    _setup(env)
    from accounts.models import District
    from programs.roster.formats import ONEROSTER, reader_for, source_for_path
    from programs.roster.sync import sync_roster

    district = District.objects.get(name=DISTRICT)
    start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timings, counts, problems = {}, {}, []
    for step, apply in [("check", False), ("apply", True)]:
        started = time.perf_counter()
        with source_for_path(path, ONEROSTER) as source:
            outcome = sync_roster(reader=reader_for(ONEROSTER, source, full_sync=True),
                                  district=district, full_sync=True, apply=apply)
        timings[step] = time.perf_counter() - started
        counts[step] = outcome.counts
        problems += [str(p) for p in outcome.problems.kept[:5]]
    return {"check_s": timings["check"], "apply_s": timings["apply"],
            "check_counts": counts["check"], "apply_counts": counts["apply"],
            "problems": problems, "start_kb": start_kb,
            "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
