"""Dates across sentences: an act the text does not date in its own sentence takes the date
that another sentence gives for the same occasion ("Duque met Biden in Washington on March
10 ... After their meeting, Biden announced ...", a headline "NATO invites Montenegro" over a
lead "NATO foreign ministers invited Montenegro on Wednesday ...").

The other sentence must name the event's country and hold an anchor of the act (``anchors``
of the ``[[occasion]]`` rule for its action, in ``data/read/rules.toml``) and exactly one
resolved date that is not vague; the nearest such sentence within ``reach`` characters wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import Rule, alternation


@dataclass(frozen=True)
class OccasionRule:
    id: str
    actions: frozenset[str]
    rx: re.Pattern[str]
    reach: int


def compile_rules(rules: tuple[Rule, ...]) -> list[OccasionRule]:
    out = []
    for r in rules:
        rx = re.compile(r"\b" + alternation(r.patterns), re.IGNORECASE)
        out.append(OccasionRule(r.id, frozenset(r.get("anchors", [])), rx, r.get("reach", 2000)))
    return out


def rule_for(rules: list[OccasionRule], action: str) -> OccasionRule | None:
    return next((r for r in rules if action in r.actions), None)
