"""Discourse: phrases that stand for countries named elsewhere in the article.

- a counted group ("the seven countries", "Both nations", "the three candidates") stands for
  the list of exactly that many countries named nearest before it (or, when none is before,
  the first one after it: a headline's "Seven nations join NATO" over a lead that names them);
- a capital ("Helsinki officially became a member", "members agreed Zagreb and Tirana should
  be invited") stands for its country when the article names that country too, unless it
  names a place ("the summit in Madrid", "the
  Bucharest summit").

Rules: ``[[discourse]]`` in ``data/read/rules.toml``, ``kind = "group"`` or ``"capital"``. The
stage adds country mentions at the phrase; the pattern stages read them as they read a name.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from .gazetteer import Mention
from .rules import Rule, alternation

_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
NUMBERS = {
    "both": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


class Discourse:
    """``__call__(text, mentions, groups_of) -> mentions`` with the phrases resolved.

    `groups_of(text, countries)` gives the coordinated lists of country mentions."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.groups = [r for r in rules if r.get("kind") == "group"]
        self.capitals = [r for r in rules if r.get("kind") == "capital"]
        self._pronoun_rx = [
            (r, re.compile(alternation(r.patterns))) for r in rules if r.get("kind") == "pronoun"
        ]
        self._group_rx = [
            (
                r,
                re.compile(
                    r"\b(?:(?:the|these|those|all(?:\s+the)?)\s+)?(?P<n>"
                    + "|".join(NUMBERS)
                    + r"|\d{1,2})\s+(?:(?!(?:and|or|of|to|in)\b)[\w'’-]+\s+){0,3}?"
                    + alternation(r.patterns)
                    + r"\b",
                    re.IGNORECASE,
                ),
            )
            for r in self.groups
        ]
        self._capital_rx = []
        for r in self.capitals:
            forms: dict[str, str] = r.get("forms", {})
            names = sorted(forms, key=len, reverse=True)
            rx = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
            self._capital_rx.append((r, rx, forms, re.compile(alternation(r.patterns), re.I)))

    def __call__(
        self,
        text: str,
        mentions: list[Mention],
        groups_of: Callable[[str, list[Mention]], list[list[Mention]]],
    ) -> list[Mention]:
        added = self.capital_mentions(text, mentions)
        if added:
            mentions = sorted([*mentions, *added], key=lambda m: (m.start, m.end))
        added = self.group_mentions(text, mentions, groups_of)
        if added:
            mentions = sorted([*mentions, *added], key=lambda m: (m.start, m.end))
        added = self.pronoun_mentions(text, mentions)
        if added:
            mentions = sorted([*mentions, *added], key=lambda m: (m.start, m.end))
        return mentions

    def pronoun_mentions(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """A pronoun or plain description ("his country", "the country", a sentence-opening
        "It") stands for the last country named before it, within `reach` characters (the
        U.S., the designator, never counts)."""
        countries = [m for m in mentions if m.kind == "country" and m.value != "USA"]
        ends = [m.end for m in countries]
        out = []
        for r, rx in self._pronoun_rx:
            reach = r.get("reach", 600)
            for m in rx.finditer(text):
                if any(c.start < m.end() and m.start() < c.end for c in countries):
                    continue
                # "After his country was designated ..., Colombian President Ivan Duque":
                # a country named later in the same sentence comes first
                j = bisect.bisect_left([c.start for c in countries], m.end())
                stop = _SENTENCE_END.search(text, m.end(), m.end() + 150)
                limit = stop.start() if stop else m.end() + 150
                if j < len(countries) and countries[j].start < limit:
                    out.append(Mention(m.start(), m.end(), "country", countries[j].value))
                    continue
                i = bisect.bisect_right(ends, m.start()) - 1
                if i < 0 or m.start() - countries[i].end > reach:
                    continue
                out.append(Mention(m.start(), m.end(), "country", countries[i].value))
        return out

    def capital_mentions(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Capitals standing for their countries (never inside another mention), for a
        country the article also names: a capital alone is too often only a place."""
        named = {m.value for m in mentions if m.kind == "country"}
        taken = [(m.start, m.end) for m in mentions]
        starts = [s for s, _ in taken]
        out = []
        for _r, rx, forms, place in self._capital_rx:
            for m in rx.finditer(text):
                i = bisect.bisect_right(starts, m.start()) - 1
                if i >= 0 and taken[i][1] > m.start():
                    continue  # inside a name ("Kuwait City" is a capital, "Kuwait" a country)
                window = (
                    text[max(0, m.start() - 40) : m.start()] + "\x00" + text[m.end() : m.end() + 40]
                )
                if place.search(window) or forms[m.group(1)] not in named:
                    continue
                out.append(Mention(m.start(), m.end(), "country", forms[m.group(1)]))
        return out

    def group_mentions(
        self,
        text: str,
        mentions: list[Mention],
        groups_of: Callable[[str, list[Mention]], list[list[Mention]]],
    ) -> list[Mention]:
        """Counted groups standing for the list of that many countries."""
        found: list[tuple[int, int, int, Rule]] = []
        for r, rx in self._group_rx:
            for m in rx.finditer(text):
                word = m.group("n").lower()
                n = NUMBERS.get(word) or (int(word) if word.isdigit() else 0)
                if n >= 2:
                    found.append((m.start(), m.end(), n, r))
        if not found:
            return []
        countries = [m for m in mentions if m.kind == "country"]
        lists = [g for g in groups_of(text, countries) if len(g) >= 2]
        out: list[Mention] = []
        for s, e, n, r in found:
            if any(c.start < e and s < c.end for c in countries):
                continue
            reach = r.get("reach", 3000)
            before = [g for g in lists if g[-1].end <= s and s - g[-1].end <= reach and len(g) == n]
            after = [
                g for g in lists if g[0].start >= e and g[0].start - e <= reach // 2 and len(g) == n
            ]
            g = before[-1] if before else after[0] if after else None
            if g is None:
                continue
            out.extend(Mention(s, e, "country", c.value) for c in g)
        return out
