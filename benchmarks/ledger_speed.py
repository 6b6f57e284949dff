"""Ledger speed: in-process status lookups per second, and the wall time of
`allies status colombia` next to `python -c pass` measured in the same run.

Goals: >= 200,000 lookups/s; CLI <= 0.3 s.
Run: .venv/bin/python benchmarks/ledger_speed.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from allies.ledger import load_ledger


def lookups_per_second(n: int = 300_000) -> tuple[float, float]:
    ledger = load_ledger()
    keys = list(ledger.timelines)
    rng = random.Random(42)
    lo, hi = dt.date(1947, 1, 1).toordinal(), dt.date(2026, 11, 28).toordinal()
    queries = [(*rng.choice(keys), dt.date.fromordinal(rng.randint(lo, hi))) for _ in range(n)]
    t = time.perf_counter()
    for fw, c, d in queries:
        ledger.state_of(fw, c, d)
    raw = n / (time.perf_counter() - t)
    countries = sorted({c for _, c in keys})
    m = 20_000
    qs = [(rng.choice(countries), dt.date.fromordinal(rng.randint(lo, hi))) for _ in range(m)]
    t = time.perf_counter()
    for c, d in qs:
        ledger.status(c, d)
    full = m / (time.perf_counter() - t)
    return raw, full


def wall(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    raw, full = lookups_per_second()
    print(f"state_of lookups/s (one framework, one country): {raw:,.0f}   goal >= 200,000")
    print(f"status() answers/s (all frameworks, JSON-ready dict): {full:,.0f}")
    bindir = Path(sys.executable).parent
    allies = str(bindir / "allies")
    env_ok = os.path.exists(allies)
    base = wall([sys.executable, "-c", "pass"])
    print(f"python -c pass:             {base * 1000:7.1f} ms (baseline, same run)")
    if env_ok:
        t = wall([allies, "status", "colombia"])
        print(
            f"allies status colombia:     {t * 1000:7.1f} ms   goal <= 300 ms "
            f"({t - base:+.3f} s over the baseline)"
        )


if __name__ == "__main__":
    main()
