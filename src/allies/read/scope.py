"""Scope: the mood of an act, as medspaCy's ConText assigns it.

A modifier ("could", "the bill", "not", "plans to") opens a scope in one direction (forward,
backward or both) that runs until a terminator (", but", "; ") or ``max_chars``, never past
the sentence. An act inside the scope of a modifier takes its category:

- ``negated``, ``hedge``, ``speculation``, ``request``, ``wish``, ``bill``, ``conditional``,
  ``refuted``: no event;
- ``intent``: the act is announced or planned, not done;
- ``decided``: a decision taken ("agreed to invite"): the act itself.

Rules: ``[[scope]]`` in ``data/read/rules.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .rules import Rule, alternation

BLOCKING = frozenset(
    {"negated", "hedge", "speculation", "request", "wish", "bill", "conditional", "refuted"}
)
_DEFAULT_TERMINATORS = [
    r";",
    r",\s+but\b",
    r"\bbut\b",
    r",\s+while\b",
    r",\s+although\b",
    r",\s+however\b",
    r":\s",
    r",\s+(?:(?:all|each|both|most|some|none)\s+of\s+)?(?:which|whom|who)\b",
    r"\band\s+(?:was|were|has|have|had|is|are)\b",
    r"[\"“”]\s*,?\s*(?:he|she|they|it)\s+said",
]


def _ends(rx: re.Pattern[str], text: str, a: int, b: int) -> bool:
    """A terminator starts between a and b (it may run past b: ", which" at the act)."""
    return any(t.start() < b for t in rx.finditer(text, a, min(len(text), b + 16)))


@dataclass(frozen=True)
class _Modifier:
    rule: Rule
    rx: re.Pattern[str]
    end: re.Pattern[str]


class Scope:
    """``categories(text, start, end)``: the categories whose scope covers text[start:end]."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.mods = []
        for r in rules:
            terms = r.get("terminators") or _DEFAULT_TERMINATORS
            self.mods.append(
                _Modifier(
                    r,
                    re.compile(r"(?<![\w-])" + alternation(r.patterns) + r"(?![\w-])", re.I),
                    re.compile(alternation(terms), re.I),
                )
            )

    def covering(
        self,
        text: str,
        start: int,
        end: int,
        skip: Sequence[tuple[int, int]] = (),
        first_generation: bool = False,
    ) -> list[tuple[str, str]]:
        """(category, rule id) of every modifier whose scope covers the act at start:end.
        A modifier inside a longer one is part of it ("said ... would" is intent, not the
        hedge "would"). Matches inside `skip` spans (dates: "on 6 May") are no modifiers."""
        found: list[tuple[int, int, _Modifier]] = []
        for mod in self.mods:
            if first_generation and mod.rule.get("acts_only"):
                continue
            limit = mod.rule.get("max_chars", 80)
            direction = mod.rule.get("direction")
            lo, hi = max(0, start - limit - 200), min(len(text), end + limit + 200)
            for m in mod.rx.finditer(text, lo, hi):
                if any(a <= m.start() and m.end() <= b for a, b in skip):
                    continue  # "May" in "6 May 1955"
                if m.end() <= start and direction in ("forward", "both"):
                    if start - m.end() > limit or _ends(mod.end, text, m.end(), start):
                        continue
                    found.append((m.start(), m.end(), mod))
                elif m.start() >= end and direction in ("backward", "both"):
                    if m.start() - end > limit or _ends(mod.end, text, end, m.start()):
                        continue
                    found.append((m.start(), m.end(), mod))
        return [
            (mod.rule.get("category"), mod.rule.id)
            for s, e, mod in found
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in found)
        ]

    def mood(
        self,
        text: str,
        start: int,
        end: int,
        skip: Sequence[tuple[int, int]] = (),
        first_generation: bool = False,
    ) -> str | None:
        """done | intent | decided, or None when a blocking modifier covers the act.
        `first_generation`: the act of a first-generation trigger, whose span runs to its
        country ("notice ... that Peru"): rules marked `acts_only` do not apply."""
        cats = {c for c, _ in self.covering(text, start, end, skip, first_generation)}
        if "enacted" in cats:
            cats.discard("bill")  # "signed into law a bill that ...": the law is the act
        if cats & BLOCKING:
            return None
        if "decided" in cats:
            return "decided"
        if "intent" in cats:
            return "intent"
        return "done"
