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
    r"[\"“”]\s*,?\s*(?:he|she|they|it)\s+said",
]


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

    def covering(self, text: str, start: int, end: int) -> list[tuple[str, str]]:
        """(category, rule id) of every modifier whose scope covers the act at start:end.
        A modifier inside a longer one is part of it ("said ... would" is intent, not the
        hedge "would")."""
        found: list[tuple[int, int, _Modifier]] = []
        for mod in self.mods:
            limit = mod.rule.get("max_chars", 80)
            direction = mod.rule.get("direction")
            lo, hi = max(0, start - limit - 200), min(len(text), end + limit + 200)
            for m in mod.rx.finditer(text, lo, hi):
                if m.end() <= start and direction in ("forward", "both"):
                    if start - m.end() > limit or mod.end.search(text, m.end(), start):
                        continue
                    found.append((m.start(), m.end(), mod))
                elif m.start() >= end and direction in ("backward", "both"):
                    if m.start() - end > limit or mod.end.search(text, end, m.start()):
                        continue
                    found.append((m.start(), m.end(), mod))
        return [
            (mod.rule.get("category"), mod.rule.id)
            for s, e, mod in found
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in found)
        ]

    def mood(self, text: str, start: int, end: int) -> str | None:
        """done | intent, or None when a blocking modifier covers the act."""
        cats = {c for c, _ in self.covering(text, start, end)}
        if cats & BLOCKING:
            return None
        if "decided" in cats:
            return "decided"
        if "intent" in cats:
            return "intent"
        return "done"
