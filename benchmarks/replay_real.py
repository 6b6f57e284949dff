"""Replay on the labelled real-news corpora (when present beside the repository): their
``docs/NNN.txt`` files (URL, TITLE, PUBLISHED lines, a blank line, the text) become one JSONL
corpus with urls and publication dates, then `allies.replay.replay` runs at each cut.

    .venv/bin/python benchmarks/replay_real.py [CORPUS_DIR...] [--cut 2025-11-01 --cut ...]

Without CORPUS_DIR it uses ../shared/corpus/*/ relative to the repository, and says so when
there is none. Prints each cut's report line; no article text is stored anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_news import load_doc  # noqa: E402

from allies.replay import replay  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def to_jsonl(dirs: list[Path], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for d in dirs:
            for p in sorted((d / "docs").glob("*.txt")):
                doc = load_doc(p)
                f.write(json.dumps({"url": doc["url"], "published": doc["published"],
                                    "text": doc["text"]}, ensure_ascii=False) + "\n")
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--cut", action="append", default=[])
    ap.add_argument("--window", type=int, default=730)
    a = ap.parse_args(argv)
    dirs = a.dirs or sorted(p.parent for p in (ROOT.parent / "shared" / "corpus").glob("*/docs"))
    if not dirs:
        print("no real-news corpora found; nothing to replay", file=sys.stderr)
        return 0
    cuts = a.cut or ["2022-01-01", "2023-01-01", "2025-11-01"]
    with tempfile.TemporaryDirectory(prefix="allies-replay-real-") as tmp:
        corpus = Path(tmp) / "real.jsonl"
        n = to_jsonl(dirs, corpus)
        print(f"{n} documents from {len(dirs)} corpora")
        for cut in cuts:
            rep = replay([corpus], cut, window=a.window)
            s = rep["summary"]
            late = [c["days_after"] for c in rep["changes"] if c["days_after"] is not None]
            print(f"known through {cut} (+{a.window} days): surfaced {s['surfaced']} of "
                  f"{s['changes']} ({s['recall']:.0%}), days after {late}, "
                  f"{s['false_candidates']} false candidate(s), "
                  f"{s['false_per_true']:.2f} per true one")
            for c in rep["changes"]:
                print(f"  {'+' if c['surfaced'] else '-'} {c['event']} {c['date']}")
            for f in rep["false_candidates"]:
                print(f"  false: {f['framework']} {f['country']} {f['action']} {f['date']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
