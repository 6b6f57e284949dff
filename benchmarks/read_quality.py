"""Reader quality on the labelled corpus: precision, recall, F1 and date accuracy.

    .venv/bin/python benchmarks/read_quality.py [--verbose] [FILE.jsonl ...]

Events match on (framework, country, action, intent_of); a matched event's date counts as
right when date and precision are both equal. Claims match on (framework, country, state).
Defaults to tests/read/data/articles.jsonl and should_not_match.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from allies.read import read_record

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "tests/read/data/articles.jsonl", ROOT / "tests/read/data/should_not_match.jsonl"]


def ev_key(e: dict[str, Any]) -> tuple[Any, ...]:
    intent = e.get("intent_of") if e["action"] in ("announce_intent", "notify_congress") else None
    return (e["framework"], e["country"], e["action"], intent)


def cl_key(c: dict[str, Any]) -> tuple[Any, ...]:
    return (c["framework"], c["country"], c["state"])


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    n = etp = efp = efn = ctp = cfp = cfn = dok = dn = 0
    for f in args.files:
        for line in f.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            n += 1
            got = read_record(item).to_dict()
            gold_e = {ev_key(e): e for e in item.get("events", [])}
            got_e = {ev_key(e): e for e in got["events"]}
            gold_c = {cl_key(c) for c in item.get("claims", [])}
            got_c = {cl_key(c) for c in got["claims"]}
            etp += len(gold_e.keys() & got_e.keys())
            efp += len(got_e.keys() - gold_e.keys())
            efn += len(gold_e.keys() - got_e.keys())
            ctp += len(gold_c & got_c)
            cfp += len(got_c - gold_c)
            cfn += len(gold_c - got_c)
            for k in gold_e.keys() & got_e.keys():
                dn += 1
                g, o = gold_e[k], got_e[k]
                ok = (g.get("date"), g.get("precision")) == (o["date"], o["precision"])
                dok += ok
                if not ok and args.verbose:
                    print(
                        f"DATE {item['id']}: {k} want {g.get('date')}/{g.get('precision')}"
                        f" got {o['date']}/{o['precision']}  | {o['evidence']['text'][:140]}"
                    )
            if args.verbose:
                for k in got_e.keys() - gold_e.keys():
                    print(
                        f"FP   {item['id']}: {k} [{got_e[k]['rule']}] | "
                        f"{got_e[k]['evidence']['text'][:160]}"
                    )
                for k in gold_e.keys() - got_e.keys():
                    print(f"FN   {item['id']}: {k}")
                for k in got_c - gold_c:
                    print(f"cFP  {item['id']}: {k}")
                for k in gold_c - got_c:
                    print(f"cFN  {item['id']}: {k}")
    ep, er, ef = prf(etp, efp, efn)
    cp, cr, cf = prf(ctp, cfp, cfn)
    print(f"items: {n}")
    print(
        f"events: precision {ep:.3f}  recall {er:.3f}  F1 {ef:.3f}  (tp {etp}, fp {efp}, fn {efn})"
    )
    print(f"dates:  accuracy {dok / dn if dn else 1.0:.3f}  ({dok}/{dn} matched events)")
    print(
        f"claims: precision {cp:.3f}  recall {cr:.3f}  F1 {cf:.3f}  (tp {ctp}, fp {cfp}, fn {cfn})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
