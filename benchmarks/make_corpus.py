"""Write a synthetic mixed news corpus (JSONL) for the reader's speed benchmark.

    .venv/bin/python benchmarks/make_corpus.py OUT.jsonl [--mb 50] [--relevant 0.01] [--seed 7]
        [--mean-kb 4]

Irrelevant articles are invented filler on varied topics (markets, weather, sport, local
politics, science, food); relevant ones template a few of our own sentences about MNNA
designations and NATO accessions. Deterministic for a given seed. Each line:
{"id", "published", "title", "text", "relevant"}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

TOPICS = {
    "markets": [
        "shares",
        "bond yields",
        "the index",
        "investors",
        "the central bank",
        "quarterly earnings",
        "oil prices",
        "the currency",
        "analysts",
        "inflation",
    ],
    "weather": [
        "heavy rain",
        "the storm",
        "temperatures",
        "forecasters",
        "flood warnings",
        "the coast",
        "wind gusts",
        "a heatwave",
        "snowfall",
        "the river",
    ],
    "sport": [
        "the striker",
        "the coach",
        "the league",
        "fans",
        "the final",
        "the midfield",
        "a penalty",
        "the season",
        "the stadium",
        "the transfer window",
    ],
    "council": [
        "the council",
        "residents",
        "the mayor",
        "the budget",
        "a new bus route",
        "the planning committee",
        "local schools",
        "the library",
        "road repairs",
    ],
    "science": [
        "researchers",
        "the study",
        "a new telescope",
        "the vaccine trial",
        "samples",
        "the laboratory",
        "climate data",
        "the experiment",
        "a rare species",
    ],
    "food": [
        "the chef",
        "the menu",
        "a market stall",
        "seasonal vegetables",
        "the bakery",
        "a family recipe",
        "the harvest",
        "local cheese",
        "street food",
    ],
}
VERBS = [
    "said",
    "reported",
    "expected",
    "announced",
    "warned",
    "welcomed",
    "criticised",
    "questioned",
    "praised",
    "reviewed",
    "postponed",
    "confirmed",
    "celebrated",
]
TAILS = [
    "on Monday",
    "this week",
    "after a long delay",
    "despite objections",
    "for the third year running",
    "in a statement",
    "according to officials",
    "as demand grew",
    "ahead of the holiday weekend",
    "amid growing uncertainty",
]
MNNA_CANDIDATES = [
    "Colombia",
    "Qatar",
    "Kenya",
    "Peru",
    "Brazil",
    "Tunisia",
    "Morocco",
    "Thailand",
    "the Philippines",
    "Argentina",
    "Bahrain",
    "Kuwait",
]
NATO_CANDIDATES = [
    "Finland",
    "Sweden",
    "Montenegro",
    "North Macedonia",
    "Croatia",
    "Albania",
    "Slovenia",
    "Slovakia",
    "Romania",
    "Latvia",
]
RELEVANT = [
    "President {leader} on {weekday} formally designated {mnna} a major non-NATO ally, "
    "officials said.",
    "The White House announced that the United States would designate {mnna} a major "
    "non-NATO ally after talks in Washington on {date}.",
    "{nato} joined NATO on {date}, becoming the alliance's newest member.",
    "NATO invited {nato} to join the alliance at a summit last month.",
    "{mnna2}, a major non-NATO ally, welcomed the decision.",
    "The administration notified Congress on {weekday} of its intent to designate {mnna} "
    "a major non-NATO ally.",
]
LEADERS = ["Biden", "Trump", "Obama", "Bush", "Clinton"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def filler_sentence(rng: random.Random, topic: str) -> str:
    nouns = TOPICS[topic]
    a, b = rng.sample(nouns, 2)
    return f"{a.capitalize()} {rng.choice(VERBS)} {b} {rng.choice(TAILS)}."


def article(rng: random.Random, i: int, relevant: bool, mean_kb: float = 4.0) -> dict[str, object]:
    pub = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
    topic = rng.choice(list(TOPICS))
    n = max(3, round(rng.uniform(0.5, 1.5) * mean_kb * 1000 / 62))  # ~62 chars a sentence
    sents = [filler_sentence(rng, topic) for _ in range(n)]
    if relevant:
        when = pub - dt.timedelta(days=rng.randrange(1, 6))
        for tpl in rng.sample(RELEVANT, rng.randint(2, 4)):
            s = tpl.format(
                leader=rng.choice(LEADERS),
                weekday=rng.choice(WEEKDAYS),
                mnna=rng.choice(MNNA_CANDIDATES),
                mnna2=rng.choice(MNNA_CANDIDATES),
                nato=rng.choice(NATO_CANDIDATES),
                date=f"{when:%B} {when.day}",
            )
            sents.insert(rng.randrange(len(sents) + 1), s)
    paras = [" ".join(sents[k : k + 4]) for k in range(0, len(sents), 4)]
    title = filler_sentence(rng, topic).rstrip(".")
    return {
        "id": f"a{i:07d}",
        "published": pub.isoformat(),
        "title": title,
        "text": "\n\n".join(paras),
        "relevant": relevant,
    }


def write_corpus(
    out: Path, mb: float = 50, relevant: float = 0.01, seed: int = 7, mean_kb: float = 4.0
) -> int:
    """Write about `mb` megabytes of articles averaging `mean_kb` KB of text (a 600-word
    news story is about 4 KB); return the number of articles."""
    rng = random.Random(seed)
    limit, size, n = int(mb * 1_000_000), 0, 0
    with out.open("w", encoding="utf-8") as f:
        while size < limit:
            line = json.dumps(article(rng, n, rng.random() < relevant, mean_kb)) + "\n"
            f.write(line)
            size += len(line.encode())
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=50.0, help="size in MB (default 50)")
    ap.add_argument("--relevant", type=float, default=0.01, help="share relevant (0.01)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mean-kb", type=float, default=4.0, help="mean article size (4 KB)")
    args = ap.parse_args(argv)
    n = write_corpus(args.out, args.mb, args.relevant, args.seed, args.mean_kb)
    print(f"wrote {n} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
