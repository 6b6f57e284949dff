"""How the reader's time grows with hostile text shapes (long sentences, long lists, many
dates, many quotes, mask-heavy text), and whether it stays linear.

    .venv/bin/python benchmarks/hostile_read.py [--n 250 500 1000 2000 4000 8000] [--limit 20]
                                                [--shape NAME ...] [--profile]

For each shape, N repetitions of a unit are read through `allies.read.read` (publication
date 2022-06-30). It prints, per N: the text's size, the seconds taken, ms per KB and the
ratio to the previous N (a doubling). Once a run of a shape takes more than `--limit`
seconds, its larger N are skipped (marked "skipped"). The baseline measured in the same run
is the "sentences" shape: the same words cut into short sentences, which reads linearly.

Goal (issue "Hardening"): a doubling costs at most x2.3, and 100 KB of any shape reads in
at most 1 s (the 100 KB figure is interpolated from the two runs around it, or
extrapolated from the largest run at the measured growth exponent).

With --profile, the largest run of each superlinear shape is profiled and its hot
functions (by own time) are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import time
from collections.abc import Callable

from allies.read import read

PUBLISHED = "2022-06-30"
COUNTRIES = [
    "Finland", "Sweden", "Norway", "Denmark", "Poland", "Estonia", "Latvia", "Lithuania",
    "Romania", "Bulgaria", "Hungary", "Slovakia", "Slovenia", "Croatia", "Albania",
    "Montenegro", "Greece", "Turkey", "Portugal", "Spain",
]

GOAL_RATIO = 2.3
GOAL_100KB_S = 1.0


def _countries(n: int) -> str:
    return ", ".join(COUNTRIES[i % len(COUNTRIES)] for i in range(n))


SHAPES: dict[str, Callable[[int], str]] = {
    # the reproducer: one sentence, one trigger, N country mentions
    "long_sentence": lambda n: "NATO invited Finland and " * n + "Sweden.",
    # one sentence listing N countries after a membership claim
    "country_list": lambda n: "The members of NATO are " + _countries(n) + ".",
    # N dates between the date and the trigger they could belong to
    "many_dates": lambda n: "On 1 March 2001, on 2 April 2002, " * n
    + "the United States designated Qatar a major non-NATO ally.",
    # N quoted sentences
    "many_quotes": lambda n: '"NATO will admit Sweden," the minister said. ' * n,
    # N units dense in masked spans (countries, dates, framework names, numbers)
    "mask_heavy": lambda n: "Finland, 4 April 1949, NATO, Sweden, MNNA, 12 May 2022; " * n,
    # N quoted country lists inside one paragraph without full stops
    "long_paragraph": lambda n: "NATO said Finland joined on 4 April 2023 and Sweden " * n
    + "joined on 7 March 2024.",
    # baseline: N short sentences (linear)
    "sentences": lambda n: "NATO invited Finland to join. " * n,
}


def run(text: str) -> float:
    t = time.perf_counter()
    read(text, PUBLISHED)
    return time.perf_counter() - t


def at_100kb(points: list[tuple[float, float]]) -> float | None:
    """Seconds for 100 KB: interpolated in log-log space between measured (kb, s) points,
    else extrapolated from the last two points."""
    if len(points) < 2:
        if points:
            kb, s = points[0]
            return s * 100 / kb
        return None
    pts = sorted(points)
    pairs = list(zip(pts, pts[1:], strict=False))
    (k0, s0), (k1, s1) = next(
        (pair for pair in pairs if pair[0][0] <= 100 <= pair[1][0]),
        pairs[-1] if pts[-1][0] < 100 else pairs[0],
    )
    slope = math.log(max(s1, 1e-9) / max(s0, 1e-9)) / math.log(k1 / k0)
    return s0 * (100 / k0) ** slope


def profile(text: str, top: int = 6) -> list[str]:
    prof = cProfile.Profile()
    prof.enable()
    read(text, PUBLISHED)
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, fn), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((tt, ct, f"{file.split('src/')[-1]}:{line} {fn}"))
    rows.sort(reverse=True)
    return [f"    {tt:7.2f} s own, {ct:7.2f} s total  {name}" for tt, ct, name in rows[:top]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000, 8000])
    ap.add_argument("--limit", type=float, default=20.0,
                    help="skip a shape's larger N once a run takes longer (seconds)")
    ap.add_argument("--shape", nargs="+", choices=sorted(SHAPES), help="only these shapes")
    ap.add_argument("--profile", action="store_true", help="profile superlinear shapes")
    args = ap.parse_args(argv)
    read("warm up: NATO invited Finland to join.", PUBLISHED)  # load the data files once
    shapes = args.shape or list(SHAPES)
    print(f"{'shape':<15} {'N':>6} {'KB':>8} {'seconds':>9} {'ms/KB':>8} {'x/doubling':>11}")
    verdicts: list[str] = []
    for name in shapes:
        make = SHAPES[name]
        points: list[tuple[float, float]] = []
        ratios: list[float] = []
        prev: float | None = None
        too_slow = False
        largest_text = ""
        for n in sorted(args.n):
            text = make(n)
            kb = len(text.encode("utf-8")) / 1024
            if too_slow:
                print(f"{name:<15} {n:>6} {kb:>8.1f} {'skipped':>9}")
                continue
            s = run(text)
            points.append((kb, s))
            largest_text = text
            ratio = s / prev if prev else None
            if ratio is not None:
                ratios.append(ratio)
            prev = s
            shown = f"{ratio:>10.2f}x" if ratio is not None else f"{'':>11}"
            print(f"{name:<15} {n:>6} {kb:>8.1f} {s:>9.2f} {1000 * s / kb:>8.2f} {shown}",
                  flush=True)
            too_slow = s > args.limit
        worst = max(ratios) if ratios else float("nan")
        s100 = at_100kb(points)
        ok = (not ratios or worst <= GOAL_RATIO) and s100 is not None and s100 <= GOAL_100KB_S
        verdict = (
            f"{name}: worst doubling x{worst:.2f} (goal <= x{GOAL_RATIO}), 100 KB in "
            f"{s100:.2f} s (goal <= {GOAL_100KB_S:.0f} s): {'MEETS' if ok else 'MISSES'} the goal"
        )
        verdicts.append(verdict)
        if args.profile and ratios and worst > GOAL_RATIO and largest_text:
            print(f"  profile of {name} ({len(largest_text) // 1024} KB), hot functions:")
            for line in profile(largest_text):
                print(line)
    print()
    for v in verdicts:
        print(v)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
