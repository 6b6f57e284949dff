"""Checked articles for the review tests, made with the reader and the checker (their public
output), never hand-written verdicts."""

from __future__ import annotations

from typing import Any

from allies.check import check
from allies.ledger import load_ledger
from allies.read import read
from allies.read.model import Source

WIRE = ("President Trump on Wednesday designated Vietnam as a major non-NATO ally, the White "
        "House said. Officials said talks on trade and energy would continue next month. "
        "Analysts expect the decision to affect arms sales and joint training.")
OTHER = ("Vietnam became a major non-NATO ally on Wednesday after President Trump designated "
         "Vietnam as a major non-NATO ally in a short ceremony at the White House, where "
         "ministers from Hanoi watched the signing.")


def doc(text: str, url: str, published: str = "2026-03-05") -> dict[str, Any]:
    r = read(text, published)
    r.source = Source(url=url)
    return check(r.to_dict(), load_ledger())


def syndicated(n: int, outlet: str = "wire") -> list[dict[str, Any]]:
    """The same wire story in n outlets (a changed tail line in every other copy)."""
    tail = " Read more on our world page."
    return [doc(WIRE + (tail if i % 2 else ""), f"https://{outlet}{i}.example/story")
            for i in range(n)]
