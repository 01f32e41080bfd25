"""Matching at district scale: 5,000 new teachers and 2,500 mentors with two places each,
matched across the district in one go, as the matching engine does it for a program.

The teachers: schools from 600, grades in one band, one or two of 30 subjects, English and
sometimes another language, one to three of 15 focus areas, years of experience, days and
times they are free (some any time), up to three preferred mentors named by two in five
mentees, some pairs that must never be matched and some that were paired before. Every
criterion has a weight above zero. No database.

Measured: the full `match()` (scoring every mentee with every mentor, building the cost
matrix with one column per open place, solving it, explaining each pair) as wall time, with
the processor time beside it (on a busy machine the two differ); its
peak memory, both as traced by tracemalloc during a second call and as the process's
maximum resident size; and, beside it, a bare `linear_sum_assignment` on the same cost
matrix. Printed as well: how many were matched, the total score, and whether the bare
solver's assignment reaches the same total.
"""

import argparse
import math
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter

GOAL_SECONDS = 10
GOAL_BYTES = 1024**3
WEIGHTS = {"grade_band": 4, "subject": 5, "school": 2, "language": 1, "expertise": 4,
           "experience": 3, "availability": 2, "preference": 8, "new_partner": 1}
GRADES = ["PK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
LANGUAGES = ["es", "vi", "zh", "ar", "so", "ht", "pt", "ru"]
TIMES = ["before", "planning", "lunch", "after"]


def run(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks pairing_match")
    parser.add_argument("--mentees", type=int, default=5000, help="teachers to be mentored")
    parser.add_argument("--mentors", type=int, default=2500, help="mentors")
    parser.add_argument("--capacity", type=int, default=2, help="open places per mentor")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from pairing.engine import Rules, assignment_costs, match

    mentees, mentors, rules = _program(args, Rules)
    print(f"program: {len(mentees):,} mentees, {len(mentors):,} mentors with "
          f"{args.capacity} places each, {len(rules.excluded):,} excluded pairs, "
          f"{len(rules.previous):,} earlier pairs, district scope", flush=True)

    rss_before = _max_rss()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = match(mentees, mentors, WEIGHTS, rules)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    rss_after = _max_rss()

    tracemalloc.start()
    match(mentees, mentors, WEIGHTS, rules)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    costs = assignment_costs(mentees, mentors, WEIGHTS, rules)
    started, cpu_started = time.perf_counter(), time.process_time()
    rows, columns = linear_sum_assignment(costs.cost)
    bare_seconds, bare_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    chosen = costs.cost[rows, columns]
    allowed = chosen < 0
    bare_total = float(np.sum(-chosen[allowed] - costs.big))
    bare_matched = int(allowed.sum())

    print(f"matrix: {costs.cost.shape[0]:,} x {costs.cost.shape[1]:,} "
          f"({costs.cost.nbytes / 1024**2:,.0f} MB)")
    print(f"match(): {seconds:6.2f} s in all (CPU {cpu_seconds:.2f} s), of which the solver "
          f"{result.solve_seconds:.2f} s and scoring, building and explaining "
          f"{seconds - result.solve_seconds:.2f} s")
    print(f"bare linear_sum_assignment on the same matrix: {bare_seconds:6.2f} s "
          f"(CPU {bare_cpu:.2f} s)")
    print(f"memory: tracemalloc peak {_mb(traced_peak)}, process max RSS {_mb(rss_after)} "
          f"(before the call {_mb(rss_before)})")
    reasons = Counter(result.unmatched.values())
    print(f"matched: {len(result.proposals):,} of {len(mentees):,} mentees "
          f"({len(costs.owner):,} places); unmatched by reason: {dict(reasons) or 'none'}")
    mean = result.total / max(len(result.proposals), 1)
    print(f"total score: {result.total:,.3f} (mean {mean:.3f} a pair, of at most "
          f"{sum(WEIGHTS.values())})")
    same = bare_matched == len(result.proposals) and math.isclose(
        bare_total, result.total, rel_tol=1e-9, abs_tol=1e-6)
    print(f"bare solver: {bare_matched:,} matched, total {bare_total:,.3f} — "
          f"{'same' if same else 'DIFFERENT'} (difference {abs(bare_total - result.total):.2e})")
    fast = seconds < GOAL_SECONDS
    small = max(traced_peak, rss_after) < GOAL_BYTES
    print(f"goal: under {GOAL_SECONDS} s and under {_mb(GOAL_BYTES)}: "
          f"{'met' if fast and small else 'NOT met'} (time {'ok' if fast else 'too slow'}, "
          f"memory {'ok' if small else 'too much'})", flush=True)


def _program(args, rules_class):
    """Made-up teachers with every criterion in play."""
    from pairing.engine import Candidate

    rng = random.Random(args.seed)

    def teacher(candidate_id, user_id, years, capacity=1, preferred=frozenset()):
        low = rng.randrange(len(GRADES) - 1)
        languages = {"en"} | ({rng.choice(LANGUAGES)} if rng.random() < 0.3 else set())
        return Candidate(
            id=candidate_id, user_id=user_id, school_id=rng.randint(1, 600),
            grades=frozenset(GRADES[low:low + rng.randint(1, 2)]),
            subjects=frozenset(rng.sample(range(1, 31), rng.randint(1, 2))),
            languages=frozenset(languages),
            focus_areas=frozenset(rng.sample(range(1, 16), rng.randint(1, 3))),
            years=years,
            days=frozenset(rng.sample(range(5), rng.randint(1, 3)))
            if rng.random() < 0.8 else frozenset(),
            times=frozenset(rng.sample(TIMES, rng.randint(1, 2)))
            if rng.random() < 0.8 else frozenset(),
            preferred=preferred, capacity=capacity,
        )

    first_mentor = 100_000
    mentor_ids = range(first_mentor, first_mentor + args.mentors)
    mentors = [teacher(i, i, rng.randint(4, 30), capacity=args.capacity) for i in mentor_ids]
    mentees = []
    for i in range(1, args.mentees + 1):
        preferred = (frozenset(rng.sample(mentor_ids, rng.randint(1, 3)))
                     if rng.random() < 0.4 else frozenset())
        mentees.append(teacher(i, i, rng.randint(0, 5), preferred=preferred))
    pairs = [(rng.randint(1, args.mentees), rng.choice(mentor_ids)) for _ in range(2000)]
    rules = rules_class(scope="district", prefer_same_school=True,
                        excluded=frozenset(pairs[:500]), previous=frozenset(pairs[500:]))
    return mentees, mentors, rules


def _max_rss():
    """The process's largest resident size so far, in bytes (Linux counts kilobytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _mb(size):
    return f"{size / 1024**2:,.0f} MB"
