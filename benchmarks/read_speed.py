"""Reader speed on a mixed corpus, next to plain scanning of the same bytes.

    .venv/bin/python benchmarks/read_speed.py [--corpus FILE.jsonl] [--mb 50] [--relevant 0.01]

Reports MB/s and articles/s on one core for `read_path` over the corpus (JSONL parse,
prefilter, full extraction of relevant articles), beside `bytes.count(b"NATO")` and
`grep -c NATO`, and the mean time to fully extract one relevant article.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import write_corpus  # noqa: E402

from allies.read import read, read_path  # noqa: E402


def best_of(n: int, fn):  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="an existing JSONL corpus (else generated)")
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--relevant", type=float, default=0.01)
    ap.add_argument("--mean-kb", type=float, default=4.0, help="mean article size if generated")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    tmp = None
    if args.corpus is None:
        tmp = tempfile.TemporaryDirectory()
        args.corpus = Path(tmp.name) / "corpus.jsonl"
        write_corpus(args.corpus, args.mb, args.relevant, mean_kb=args.mean_kb)
    data = args.corpus.read_bytes()
    mb = len(data) / 1e6
    n_articles = data.count(b"\n")
    read("warm up: NATO invited Finland to join.", "2022-06-29")  # load data files once

    def run_reader() -> tuple[int, int]:
        arts = events = 0
        for r in read_path(args.corpus, max_bytes=len(data) + 1):
            arts += 1
            events += len(r.reading.events) if r.reading else 0
        return arts, events

    t_read, (arts, events) = best_of(args.repeat, run_reader)
    t_count, hits = best_of(args.repeat, lambda: args.corpus.read_bytes().count(b"NATO"))
    grep = shutil.which("grep")
    t_grep = None
    if grep:
        t_grep, _ = best_of(
            args.repeat,
            lambda: subprocess.run(
                [grep, "-c", "NATO", str(args.corpus)], capture_output=True, check=False
            ),
        )

    relevant = [json.loads(line) for line in data.splitlines() if b'"relevant": true' in line]
    per = []
    for rec in relevant[:200]:
        t, _ = best_of(5, lambda rec=rec: read(rec["text"], rec["published"]))
        per.append(t)

    print(
        f"corpus: {args.corpus.name}  {mb:.1f} MB  {n_articles} articles "
        f"(mean {len(data) / max(n_articles, 1) / 1000:.1f} KB)  "
        f"{len(relevant)} relevant ({len(relevant) / max(n_articles, 1):.1%})"
    )
    print(f"{'method':<32}{'seconds':>9}{'MB/s':>10}{'articles/s':>14}")
    rows = [("allies.read.read_path (1 core)", t_read), ('bytes.count(b"NATO")', t_count)]
    if t_grep is not None:
        rows.append(("grep -c NATO (subprocess)", t_grep))
    for name, t in rows:
        print(f"{name:<32}{t:>9.3f}{mb / t:>10.1f}{n_articles / t:>14.0f}")
    print(f"reader: {arts} readings, {events} events; 'NATO' occurs {hits} times")
    if per:
        per.sort()
        print(
            f"full extraction of one relevant article: mean {1000 * sum(per) / len(per):.2f} ms,"
            f" median {1000 * per[len(per) // 2]:.2f} ms, max {1000 * per[-1]:.2f} ms"
            f" (n={len(per)})"
        )
    labelled = Path(__file__).resolve().parent.parent / "tests/read/data/articles.jsonl"
    if labelled.exists():
        recs = [json.loads(x) for x in labelled.read_text("utf-8").splitlines() if x.strip()]
        texts = [(r["text"], r.get("published")) for r in recs if r.get("text")]
        times = sorted(best_of(5, lambda t=t, p=p: read(t, p))[0] for t, p in texts)
        print(
            f"full extraction, labelled articles ({len(times)} text items): mean "
            f"{1000 * sum(times) / len(times):.2f} ms, max {1000 * times[-1]:.2f} ms"
        )
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
