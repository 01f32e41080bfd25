"""Dashboards at district scale: `manage.py seed_scale` makes a district of 50,000 teachers,
600 schools and 25,000 pairings with a school year of activity in a throwaway PostgreSQL
database; the district roll-up is refreshed (timed); then each dashboard and home page is
requested again and again through Django's test client, in-process, as the person it is
for (production settings, so Django keeps no query log).

Printed: how long seeding and the roll-up took; for each page the median and 95th
percentile server time and its number of queries; for the district impact page also:
- the bare SQL behind its figures: the aggregate statements over the activity tables
  (check-ins, cycles, goals, reflections, time, badges, staff lists) that the year's figures
  are counted from, replayed through a plain cursor; the goal compares the page with these;
- the statements the page itself runs (reading the roll-up, the session, the filter's
  choices), replayed the same way: what is left of the page's time is Django's request
  handling and the rendering of some 5,000 table cells;
- the same figures counted live with the roll-up's own code (its SQL and the Python that
  arranges the cells), which is the work the roll-up does in the background.
"""

import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from benchmarks.database import django_environment, throwaway_database

GOAL_P95_MS = 300
GOAL_RATIO = 2
PAGE_BUDGET_S = 30


def run(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks dashboards")
    parser.add_argument("--teachers", type=int, default=50_000)
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--pairings", type=int, default=25_000)
    parser.add_argument("--programs", type=int, default=50)
    parser.add_argument("--runs", type=int, default=30, help="requests of each page")
    parser.add_argument("--database", default="mentorship_bench_dashboards",
                        help="name of the throwaway database (dropped if it exists)")
    parser.add_argument("--existing", metavar="DATABASE_URL",
                        help="measure an already seeded database (migrated, seed_scale run, "
                             "roll-up refreshed, at-risk checked) instead of building a "
                             "throwaway one")
    parser.add_argument("--pages", default="",
                        help="measure only the pages whose label contains this text")
    args = parser.parse_args(argv)

    context = get_context("spawn")
    if args.existing:
        env = {**django_environment(args.existing), "ALLOWED_HOSTS": "testserver",
               "SECURE_SSL_REDIRECT": "false"}
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            result = pool.submit(_measure, env, None, args.runs, args.pages).result()
        _report(result)
        return
    with throwaway_database(args.database) as url:
        env = {**django_environment(url), "ALLOWED_HOSTS": "testserver",
               "SECURE_SSL_REDIRECT": "false"}
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            built = pool.submit(_build, env, args).result()
        print(built["seeded"], flush=True)
        print(f"district roll-up refreshed in {built['rollup']:.1f} s "
              f"({built['rows']:,} cells; goal: under 60 s)", flush=True)
        print(f"at-risk check of every active pairing in {built['check']:.1f} s "
              f"({built['flagged']:,} flagged; runs every minute)", flush=True)
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            result = pool.submit(_measure, env, built["district"], args.runs,
                                 args.pages).result()
    _report(result)


def _setup(env):
    import os

    os.environ.update(env)
    import django

    django.setup()


def _build(env, args):
    _setup(env)
    from io import StringIO

    from django.core.management import call_command

    from dashboards.health import check_at_risk
    from dashboards.models import AtRiskFlag, ImpactFigure
    from dashboards.rollups import refresh_district

    call_command("migrate", verbosity=0, interactive=False)
    out = StringIO()
    started = time.perf_counter()
    call_command("seed_scale", teachers=args.teachers, schools=args.schools,
                 pairings=args.pairings, programs=args.programs, stdout=out)
    seeded = out.getvalue() + f"seed_scale took {time.perf_counter() - started:.1f} s overall"
    from accounts.models import District

    district = District.objects.get(name="Scale district")
    rollup = refresh_district(district)
    check = check_at_risk(district)
    return {"seeded": seeded, "rollup": rollup.seconds, "district": district.pk,
            "rows": ImpactFigure.objects.filter(district=district).count(),
            "check": check.seconds,
            "flagged": AtRiskFlag.objects.filter(district=district).count()}


def _pages(people):
    from django.urls import reverse

    program = people["program"]
    district = reverse("dashboards:district")
    pages = [
        ("district impact (district admin)", people["district_admin"], district),
        ("district impact, one program", people["district_admin"],
         f"{district}?program={program.pk}"),
        ("board report (district admin)", people["district_admin"],
         reverse("dashboards:report")),
        ("district impact (school admin)", people["school_admin"], district),
        ("impact CSV, schools", people["district_admin"],
         reverse("dashboards:district-export", args=["schools"])),
        ("home: mentee", people["mentee"], reverse("home")),
        ("home: mentor", people["mentor"], reverse("home")),
        ("home: coordinator", people["coordinator"], reverse("home")),
        ("home: school admin", people["school_admin"], reverse("home")),
        ("home: district admin", people["district_admin"], reverse("home")),
        ("program health (coordinator)", people["coordinator"],
         reverse("dashboards:program-health", args=[program.pk])),
    ]
    return pages


def _request(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def _measure(env, district_id, runs, only=""):
    _setup(env)
    # Pages name their static files; with no collectstatic here, without the manifest.
    from django.conf import settings
    from django.test.utils import override_settings

    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        return _measure_pages(district_id, runs, only)


def _measure_pages(district_id, runs, only=""):
    from django.db import connection
    from django.test import Client

    from accounts.models import District
    from dashboards.management.commands.seed_scale import seeded_people
    from dashboards.rollups import _YearFigures, school_years

    district = (District.objects.get(pk=district_id) if district_id
                else District.objects.get(name="Scale district"))
    people = seeded_people(district)
    results = []
    district_sql = []
    for label, user, url in _pages(people):
        if user is None or (only not in label
                            and label != "district impact (district admin)"):
            continue
        client = Client()
        client.force_login(user)
        seen = []

        def record(execute, sql, params, many, context, seen=seen):
            seen.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            _request(client, url)
        if label == "district impact (district admin)":
            # Its reads; session writes are not the figures.
            district_sql = [(sql, params) for sql, params in seen
                            if sql.lstrip().upper().startswith("SELECT")]
        _request(client, url)  # warm
        timings = []
        began = time.perf_counter()
        # A slow page is measured at least five times, then for at most 30 s.
        while len(timings) < runs and (len(timings) < 5
                                        or time.perf_counter() - began < PAGE_BUDGET_S):
            started = time.perf_counter()
            _request(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        results.append((label, timings, len(seen)))

    # The same statements the district page ran, through a plain cursor.
    bare = []
    for _round in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in district_sql:
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()
        bare.append((time.perf_counter() - started) * 1000)

    # What the roll-up saves: the year's figures counted live from the activity tables,
    # with the statements that does recorded to replay them bare.
    year = school_years(district)[0]
    counted = []

    def count(execute, sql, params, many, context):
        counted.append((sql, params))
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        figures = _YearFigures(district, year)
        figures.load_activity(figures.load_people())
    live = time.perf_counter() - started
    behind = []
    for _round in range(max(3, runs // 10)):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in counted:
                cursor.execute(sql, params)
                cursor.fetchall()
        behind.append((time.perf_counter() - started) * 1000)
    return {"pages": results, "bare": bare, "live": live, "behind": behind,
            "behind_statements": len(counted)}


def _ms(value):
    return f"{value:8.1f}ms"


def _p95(timings):
    ordered = sorted(timings)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def _report(result):
    width = max(len(label) for label, _t, _q in result["pages"]) + 2
    print(f"{'page':<{width}} {'median':>10} {'p95':>10} {'queries':>8} {'requests':>9}")
    missed = []
    for label, timings, queries in result["pages"]:
        p95 = _p95(timings)
        print(f"{label:<{width}} {_ms(statistics.median(timings))} {_ms(p95)} {queries:>8} "
              f"{len(timings):>9}")
        if p95 > GOAL_P95_MS:
            missed.append(f"{label} ({p95:.0f} ms)")
    district = next(t for label, t, _q in result["pages"]
                    if label == "district impact (district admin)")
    behind = statistics.median(result["behind"])
    print(f"{'bare SQL behind its figures':<{width}} {_ms(behind)} {_ms(_p95(result['behind']))}"
          f"   ({result['behind_statements']} aggregate statements over the activity tables)")
    own = statistics.median(result["bare"])
    print(f"{'statements the page runs':<{width}} {_ms(own)} {_ms(_p95(result['bare']))}"
          f"   (reading the roll-up, through a plain cursor)")
    page = statistics.median(district)
    ratio = page / behind if behind else float("inf")
    print(f"district page / the bare SQL behind its figures: {ratio:.2f}x "
          f"(goal: within {GOAL_RATIO}x: " + ("met" if ratio <= GOAL_RATIO else "missed") + ")")
    print(f"district page / the statements it runs: {page / own if own else float('inf'):.1f}x"
          f" (the rest is request handling and rendering)")
    print(f"the same year's figures counted live with the roll-up's code: "
          f"{result['live']:.2f} s (the task's work, not the page's)")
    print(f"goal: every page under {GOAL_P95_MS} ms at the 95th percentile: "
          + ("met" if not missed else "missed by " + ", ".join(missed)), flush=True)
