"""Archive reading at scale: one process, several processes and Dask, side by side with plain
scanning of the same bytes, in the same run.

    .venv/bin/python benchmarks/scan_speed.py [--mb 200] [--relevant 0.01] [--workers 2]

Writes a synthetic mixed JSONL corpus (benchmarks/make_corpus.py), then reads it with
`allies.scan.scan`: in this process, in N local processes, and on a Dask cluster of N
workers reached by its TCP address (a LocalCluster on 127.0.0.1, the same code path as a
remote `dask scheduler`). Every run must find the same articles. Prints MB/s for each.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import write_corpus  # noqa: E402

from allies.scan import scan  # noqa: E402


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def run_scan(path: Path, **kw):  # type: ignore[no-untyped-def]
    _, results = scan([path], **kw)
    docs = []
    for r in results:
        docs.extend((d["source"].get("line"), len(d["events"]), len(d["claims"])) for d in r.docs)
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=200.0)
    ap.add_argument("--relevant", type=float, default=0.01)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--shard-mb", type=float, default=16.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "corpus.jsonl"
        write_corpus(path, mb=args.mb, relevant=args.relevant, seed=7)
        size = path.stat().st_size
        mb = size / 1e6
        t_count, n = timed(lambda: path.read_bytes().count(b"NATO"))
        shard = int(args.shard_mb * 1024 * 1024)
        rows = [("read file + bytes.count(b'NATO')", t_count, None)]
        t1, base = timed(lambda: run_scan(path, shard_bytes=shard))
        rows.append(("scan, 1 process", t1, base))
        tn, many = timed(lambda: run_scan(path, shard_bytes=shard, workers=args.workers))
        rows.append((f"scan, {args.workers} processes", tn, many))
        from distributed import LocalCluster

        t_boot = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            boot = time.perf_counter() - t_boot
            td, dk = timed(lambda: run_scan(path, shard_bytes=shard, workers=args.workers,
                                            scheduler=cluster.scheduler_address))
        rows.append((f"scan, Dask {args.workers} workers (tcp, after {boot:.1f} s start)",
                     td, dk))
        print(f"corpus: {mb:.1f} MB, {args.relevant:.0%} relevant, {os.cpu_count()} cores "
              f"(os.cpu_count), shards of {args.shard_mb:g} MB")
        print(f"{'run':58} {'seconds':>8} {'MB/s':>8} {'articles found':>15}")
        for name, t, docs in rows:
            found = "" if docs is None else str(len(docs))
            print(f"{name:58} {t:8.2f} {mb / t:8.1f} {found:>15}")
        same = base == many == dk
        print(f"same findings in every run: {'yes' if same else 'NO'}; "
              f"speed-up {args.workers} processes vs 1: {t1 / tn:.2f}x, Dask vs 1: {t1 / td:.2f}x")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
