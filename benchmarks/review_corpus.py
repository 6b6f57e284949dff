"""Write a synthetic news corpus (JSONL) for the review queue: the later real changes
(Saudi Arabia's and Peru's MNNA steps of 2025-26) reported as wire stories syndicated in many
outlets, official releases, background mentions of old steps, and filler.

    .venv/bin/python benchmarks/review_corpus.py OUT.jsonl [--copies 20-100] [--filler 200]
        [--pad-kb 0] [--seed 7]

Every sentence is our own template text. Deterministic for a given seed. Each line:
{"url", "title", "published", "text"}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

# (published, key sentence, official URL or "") per real change: the step as a wire reports it
STORIES = [
    ("2025-11-19", "President Trump announced on Tuesday that the United States intends to "
     "designate Saudi Arabia as a major non-NATO ally.", "https://www.whitehouse.gov/briefings/"
     "saudi-arabia-mnna-intent"),
    ("2025-12-06", "Secretary Rubio announced on Friday that the United States will designate "
     "Peru a major non-NATO ally.", ""),
    ("2025-12-12", "The White House notified Congress on Thursday of its intent to designate "
     "Peru as a major non-NATO ally.", "https://www.state.gov/releases/peru-mnna-notice"),
    ("2026-01-15", "President Trump on Wednesday designated Peru as a major non-NATO ally, the "
     "White House said.", "https://www.federalregister.gov/d/peru-mnna-determination"),
    ("2026-01-28", "Saudi Arabia was designated a major non-NATO ally in January, the Federal "
     "Register shows.", ""),
]
BACKGROUND = [
    "Qatar became a major non-NATO ally in 2022.",
    "Colombia was designated a major non-NATO ally in May 2022.",
    "Finland joined NATO in April 2023, followed by Sweden in March 2024.",
]
OUTLETS = ["dailynews", "herald", "courier", "gazette", "tribune", "post", "times", "observer",
           "chronicle", "ledger", "sentinel", "journal", "express", "standard", "globe"]
FILLER = [
    "Officials said talks on trade and energy would continue next month.",
    "Analysts expect the decision to affect arms sales and joint training.",
    "The ministry welcomed the step in a short statement.",
    "Markets were little changed after the announcement.",
    "Lawmakers from both parties asked for a briefing on the details.",
    "The embassy said the visit had strengthened ties between the two governments.",
    "Shares rose slightly as investors weighed the outlook for the region.",
    "Heavy rain was forecast for the coast later in the week.",
    "The council approved a new budget for roads and schools.",
    "Fans gathered outside the stadium before the final.",
]


def _wire(rng: random.Random, key: str) -> str:
    body = rng.sample(FILLER[:6], 4)
    return " ".join([key, *body])


def _copy(rng: random.Random, text: str, outlet: str) -> str:
    """A syndicated copy: the outlet's own line at the head or tail, sometimes both."""
    head = f"{outlet.title()} staff and wire reports." if rng.random() < 0.5 else ""
    tail = "Read more on our world page." if rng.random() < 0.5 else ""
    return " ".join(filter(None, [head, text, tail]))


def records(copies: tuple[int, int] = (20, 100), filler: int = 200, pad_kb: float = 0.0,
            seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    pad = " ".join(rng.choice(FILLER[6:]) for _ in range(int(pad_kb * 1024 / 60)))
    for n, (pub, key, official) in enumerate(STORIES):
        wire = _wire(rng, key)
        for i in range(rng.randint(*copies)):
            outlet = OUTLETS[i % len(OUTLETS)]
            day = dt.date.fromisoformat(pub) + dt.timedelta(days=rng.choice((0, 0, 0, 1)))
            out.append({"url": f"https://www.{outlet}{i // len(OUTLETS)}.example/world/{n}-{i}",
                        "title": "World briefing", "published": day.isoformat(),
                        "text": _copy(rng, wire, outlet) + (" " + pad if pad else "")})
        # an independent report in other words, and the official release where there is one
        indep = " ".join([rng.choice(FILLER[6:]), key, *rng.sample(FILLER[:6], 2)])
        out.append({"url": f"https://independent.example/{n}", "title": "Report",
                    "published": pub, "text": indep})
        if official:
            out.append({"url": official, "title": "Release", "published": pub, "text": key})
    for i in range(filler):
        text = " ".join(rng.sample(FILLER, 5))
        if i % 10 == 0:
            text += " " + rng.choice(BACKGROUND)
        day = dt.date(2025, 11, 2) + dt.timedelta(days=rng.randrange(100))
        out.append({"url": f"https://local.example/{i}", "title": "Local",
                    "published": day.isoformat(), "text": text + (" " + pad if pad else "")})
    rng.shuffle(out)
    return out


def write(path: str | Path, **kw: Any) -> int:
    """Write the corpus; returns its size in bytes."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(**kw))
    Path(path).write_text(data, "utf-8")
    return len(data.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--copies", default="20-100", help="syndicated copies per story, LO-HI")
    ap.add_argument("--filler", type=int, default=200)
    ap.add_argument("--pad-kb", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    lo, _, hi = a.copies.partition("-")
    size = write(a.out, copies=(int(lo), int(hi or lo)), filler=a.filler, pad_kb=a.pad_kb,
                 seed=a.seed)
    print(f"wrote {a.out}: {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
