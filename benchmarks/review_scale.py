"""The review queue at scale: a synthetic corpus (default 1 GB) in which each relevant story
is syndicated 20-100 times, scanned with --check as `allies scan --check` does, then with the
queue (MinHash signatures made in the scan workers, findings imported into a store), in the
same run. Prints articles/s, candidates, the dedup ratio (URLs per independent source) and
the queue's cost as a share of the scan's (goal: at most 10 %).

    .venv/bin/python benchmarks/review_scale.py [--mb 1024] [--workers 2] [--dask]

The corpus is benchmarks/review_corpus.py's, padded with filler text to reach the size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_corpus import records  # noqa: E402

from allies.review import Store  # noqa: E402
from allies.scan import Options, scan  # noqa: E402


def write_big(path: Path, mb: float, seed: int = 7) -> tuple[int, int]:
    """Repeat the corpus (new URLs, shifted seeds) until it reaches `mb` megabytes; returns
    (bytes, articles)."""
    import json

    size = n = 0
    rounds = 0
    with path.open("w", encoding="utf-8") as f:
        while size < mb * 1e6:
            for r in records(copies=(20, 100), filler=3000, pad_kb=4.0, seed=seed + rounds):
                r["url"] = r["url"] + f"?r={rounds}"
                line = json.dumps(r, ensure_ascii=False) + "\n"
                f.write(line)
                size += len(line.encode("utf-8"))
                n += 1
            rounds += 1
    return size, n


def run(path: Path, sign: bool, workers: int, scheduler: str | None,
        store: Path | None) -> tuple[float, float, int, int]:
    """(total seconds, seconds spent importing into the store, articles, docs)."""
    t0 = time.perf_counter()
    _, results = scan([path], workers=workers, scheduler=scheduler,
                      opts=Options(check=True, sign=sign))
    articles = docs = 0
    queue_s = 0.0
    st = Store(store) if store is not None else None
    for r in results:
        articles += r.articles
        docs += len(r.docs)
        if st is not None:
            t = time.perf_counter()
            st.import_docs(r.docs)
            queue_s += time.perf_counter() - t
    if st is not None:
        st.close()
    return time.perf_counter() - t0, queue_s, articles, docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1024.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dask", action="store_true", help="scan on a local Dask cluster")
    a = ap.parse_args(argv)
    sched = "local" if a.dask else None
    with tempfile.TemporaryDirectory(prefix="allies-review-scale-") as tmp:
        corpus = Path(tmp) / "news.jsonl"
        size, n = write_big(corpus, a.mb)
        print(f"corpus: {size / 1e6:.0f} MB, {n} articles", flush=True)
        base, _, arts, docs = run(corpus, False, a.workers, sched, None)
        print(f"scan --check:          {base:7.1f} s, {arts / base:8.0f} articles/s, "
              f"{docs} with findings", flush=True)
        total, imp, arts, docs = run(corpus, True, a.workers, sched, Path(tmp) / "q.sqlite")
        with Store(Path(tmp) / "q.sqlite") as st:
            cands = st.list("all")
        urls = sum(c["urls"] for c in cands)
        sources = sum(c["sources"] for c in cands)
        cost = (total - base) / base
        print(f"scan --check --queue:  {total:7.1f} s, {arts / total:8.0f} articles/s; "
              f"import {imp:.1f} s")
        print(f"candidates {len(cands)}, URLs {urls}, independent sources {sources}, dedup "
              f"ratio {urls / max(sources, 1):.1f} URLs per source")
        print(f"queue cost: {cost:+.1%} of the scan (goal <= 10 %: "
              f"{'met' if cost <= 0.10 else 'not met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
