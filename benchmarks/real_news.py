"""Reader quality on real, hand-labelled news (the corpus rules in LABELLING.md).

    .venv/bin/python benchmarks/real_news.py [--verbose] [DIR ...]

Each DIR holds ``gold.jsonl`` and ``docs/NNN.txt`` (URL, TITLE, PUBLISHED lines, a blank line,
then the text). The reader gets the title, a blank line and the text, with the publication
date when it is known. Scoring follows the corpus rules: events match on (framework, country,
action, intent_of) once per document; a matched event's date is right when it agrees with the
gold at the gold's precision (gold null dates are not scored); claims match on (framework,
country, state). Defaults to every labelled set found under ``../shared/corpus``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allies.read import read_record

sys.path.insert(0, str(Path(__file__).resolve().parent))
from read_quality import cl_key, ev_key, prf  # noqa: E402  (the same matching rules)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def date_ok(gold: dict[str, Any], got: dict[str, Any]) -> bool | None:
    """None when the gold date is null (not scored); else whether ``got`` agrees with the gold
    at the gold's precision."""
    g = gold.get("date")
    if not g:
        return None
    o = got.get("date")
    if not o:
        return False
    n = {"year": 4, "month": 7, "day": 10}[gold["precision"]]
    return len(o) >= n and o[:n] == g[:n]


def load_doc(path: Path) -> dict[str, Any]:
    raw = path.read_text("utf-8")
    head, _, body = raw.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    title = meta.get("TITLE", "unknown")
    pub = meta.get("PUBLISHED", "unknown")
    text = body if title == "unknown" else f"{title}\n\n{body}"
    return {
        "text": text,
        "published": None if pub == "unknown" else pub,
        "url": meta.get("URL"),
    }


def documents(d: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for line in (d / "gold.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            gold = json.loads(line)
            yield gold, load_doc(d / "docs" / f"{gold['doc']}.txt")


@dataclass
class Score:
    docs: int = 0
    etp: int = 0
    efp: int = 0
    efn: int = 0
    ntp: int = 0
    nfn: int = 0
    ctp: int = 0
    cfp: int = 0
    cfn: int = 0
    dok: int = 0
    dn: int = 0
    rok: int = 0
    neg: int = 0
    neg_fired: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, gold: dict[str, Any], got: dict[str, Any], verbose: bool) -> None:
        doc = gold["doc"]
        self.docs += 1
        gold_e = {ev_key(e): e for e in gold.get("events", [])}
        got_e = {ev_key(e): e for e in got["events"]}
        gold_c = {cl_key(c) for c in gold.get("claims", [])}
        got_c = {cl_key(c) for c in got["claims"]}
        both = gold_e.keys() & got_e.keys()
        self.etp += len(both)
        self.efp += len(got_e.keys() - gold_e.keys())
        self.efn += len(gold_e.keys() - got_e.keys())
        for k, g in gold_e.items():
            if g.get("role") == "news":
                if k in got_e:
                    self.ntp += 1
                else:
                    self.nfn += 1
        self.ctp += len(gold_c & got_c)
        self.cfp += len(got_c - gold_c)
        self.cfn += len(gold_c - got_c)
        if not gold_e:
            self.neg += 1
            self.neg_fired += bool(got_e)
        for k in both:
            self.rok += gold_e[k].get("role") == got_e[k].get("role")
            ok = date_ok(gold_e[k], got_e[k])
            if ok is None:
                continue
            self.dn += 1
            self.dok += ok
            if not ok and verbose:
                g, o = gold_e[k], got_e[k]
                self.lines.append(
                    f"DATE {doc}: {k} want {g['date']}/{g['precision']} got "
                    f"{o['date']}/{o['precision']} | {o['evidence']['text'][:150]}"
                )
        if verbose:
            for k in got_e.keys() - gold_e.keys():
                o = got_e[k]
                self.lines.append(f"FP   {doc}: {k} [{o['rule']}] | {o['evidence']['text'][:160]}")
            for k in gold_e.keys() - got_e.keys():
                g = gold_e[k]
                self.lines.append(
                    f"FN   {doc}: {k} ({g.get('role')}) | {g.get('evidence', '')[:160]}"
                )
            for c in sorted(got_c - gold_c):
                self.lines.append(f"cFP  {doc}: {c}")
            for c in sorted(gold_c - got_c):
                self.lines.append(f"cFN  {doc}: {c}")

    def report(self, name: str) -> str:
        ep, er, ef = prf(self.etp, self.efp, self.efn)
        nr = self.ntp / (self.ntp + self.nfn) if self.ntp + self.nfn else 1.0
        cp, cr, cf = prf(self.ctp, self.cfp, self.cfn)
        da = self.dok / self.dn if self.dn else 1.0
        return (
            f"{name}: {self.docs} docs\n"
            f"  events: P {ep:.3f}  R {er:.3f}  F1 {ef:.3f}  (tp {self.etp}, fp {self.efp}, "
            f"fn {self.efn})\n"
            f"  news-event recall {nr:.3f} ({self.ntp}/{self.ntp + self.nfn})\n"
            f"  claims: P {cp:.3f}  R {cr:.3f}  F1 {cf:.3f}  (tp {self.ctp}, fp {self.cfp}, "
            f"fn {self.cfn})\n"
            f"  dates: {da:.3f} ({self.dok}/{self.dn} matched events with a gold date)\n"
            f"  roles: {self.rok / self.etp if self.etp else 1.0:.3f} of matched events\n"
            f"  negatives that fired: {self.neg_fired}/{self.neg} documents without events"
        )


def score_dir(d: Path, verbose: bool = False) -> Score:
    s = Score()
    for gold, doc in documents(d):
        got = read_record(doc).to_dict()
        s.add(gold, got, verbose)
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    ap.add_argument(
        "--parse",
        action="store_true",
        help="check the acts stage's participants with the dependency parse (docs/reader.md)",
    )
    args = ap.parse_args(argv)
    if args.parse:
        from allies.read import syntax_check
        from allies.read.pipeline import reader

        reader().acts.agrees = syntax_check.agrees
    dirs = args.dirs or sorted(p.parent for p in CORPUS.glob("*/gold.jsonl"))
    if not dirs:
        print(f"no labelled sets found (looked in {CORPUS}); pass DIR arguments")
        return 0
    for d in dirs:
        s = score_dir(d, args.verbose)
        for line in s.lines:
            print(line)
        print(s.report(d.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
