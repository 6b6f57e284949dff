"""Holder lists: countries a sentence names as current holders of a status ("major non-NATO
allies include Japan, Kuwait and the Philippines", "NATO has 26 members, including France",
"Kuwait joins Japan and Jordan as designated major non-NATO allies"). Each listed country is a
claim, not an event; a designation verb that only describes the holders ("countries
designated as major non-NATO allies, including Israel") reports no designation of them.

Rules: ``[[holders]]`` in ``data/read/rules.toml`` (`rules.py`). ``side = "before"``: the
patterns end right before the list (the text between a framework term and the list);
``side = "after"``: they start right after it. ``after``: patterns that must also follow the
list ("as ... allies").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Mention
from .lexicon import Candidate, masked
from .rules import Rule, alternation

# A participle that only describes the holders: "countries designated as ...", "nations that
# have been named ...", "as designated major non-NATO allies".
_DESCRIBING = re.compile(
    r"(?:\b(?:countries|nations|states|allies|members|partners|governments)\s+"
    r"(?:(?:that|which)\s+)?(?:(?:have|has|had|are|were|is)\s+)?"
    r"(?:(?:been|also|already|now|formally|officially|all)\s+)*"
    r"|\bas\s+(?:(?:formally|officially|already)\s+)?)$",
    re.IGNORECASE,
)
_FORMER = re.compile(r"\b(?:former|formerly|no\s+longer|lost|stripped|revoked)\b", re.I)
_REACH = 220  # a term at most this far before the list
# NATO lists name members ("NATO has 26 members, including ..."), not partners or frameworks
# ("NATO's global partners, including ...", "the NATO Plus framework including ...").
_MEMBERS = re.compile(r"\b(?:members?|member\s+states|allies|states|nations|countries)\b", re.I)
_NOT_HOLDERS = re.compile(
    r"\b(?:partners?|partnership|framework|plus|aspirants?|candidates?)\b", re.I
)


@dataclass(frozen=True)
class HolderList:
    """One list read as holders: its rule, framework, state and countries."""

    rule: str
    framework: str
    state: str
    countries: tuple[Mention, ...]


class Holders:
    """``__call__(text, terms, groups, masks) -> list[HolderList]`` for one sentence."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self._before = {
            r.id: re.compile(alternation(r.patterns) + r"\s*[:,]?\s*(?:the\s+)?$", re.I)
            for r in rules
            if r.get("side") == "before"
        }
        self._after = {
            r.id: re.compile(r"^\s*" + alternation(r.patterns), re.I)
            for r in rules
            if r.get("side") == "after"
        }
        self._then = {
            r.id: re.compile(r"^\s*" + alternation(r.get("after")), re.I)
            for r in rules
            if r.get("after")
        }

    def __call__(
        self,
        text: str,
        terms: list[Mention],
        groups: list[list[Mention]],
        masks: list[tuple[int, int, str]],
    ) -> list[HolderList]:
        out = []
        for g in groups:
            found = self._match(text, terms, g, masks)
            if found is not None:
                out.append(found)
        return out

    def _match(
        self,
        text: str,
        terms: list[Mention],
        g: list[Mention],
        masks: list[tuple[int, int, str]],
    ) -> HolderList | None:
        start, end = g[0].start, g[-1].end
        before = [t for t in terms if t.end <= start and start - t.end <= _REACH]
        window = masked(text, max(0, start - 90), start, masks)
        rest = masked(text, end, min(len(text), end + 120), masks)
        for r in self.rules:
            side = r.get("side")
            if side == "before":
                if not self._before[r.id].search(window):
                    continue
                if r.id in self._then:
                    # the term is in what must follow ("as designated major non-NATO allies")
                    if not self._then[r.id].match(rest):
                        continue
                    after = [t for t in terms if t.start >= end and t.start - end <= 120]
                    if not after:
                        continue
                    term = after[0]
                elif not before:
                    continue
                else:
                    term = before[-1]
            else:
                if not self._after[r.id].match(rest):
                    continue
                near = before or [t for t in terms if t.start >= end]
                if not near:
                    continue
                term = before[-1] if before else near[0]
            lo = min(term.start, start)
            between = text[term.end : start] if term.end <= start else text[end : term.start]
            around = text[max(0, lo - 40) : start] if term.end <= start else between
            if _NOT_HOLDERS.search(between) or (
                term.value == "nato" and not _MEMBERS.search(around)
            ):
                continue
            state = r.get("state") or ("former" if _FORMER.search(text[lo:start]) else "active")
            return HolderList(r.id, term.value, state, tuple(g))
        return None


def describing(text: str, anchor: int) -> bool:
    """True when the trigger at `anchor` only describes holders ("countries designated as")."""
    return bool(_DESCRIBING.search(text[max(0, anchor - 60) : anchor]))


def apply(text: str, lists: list[HolderList], cands: list[Candidate]) -> list[Candidate]:
    """The sentence's candidates with the holder lists read: an event of a listed country is
    dropped when its trigger only describes the holders; every listed country with no event
    left becomes a claim (rule ``claim.<rule id>``)."""
    if not lists:
        return cands
    listed = {(h.framework, c.value): h for h in lists for c in h.countries}
    kept = []
    for c in cands:
        h = listed.get((c.framework, c.country))
        if c.action and h is not None and describing(text, c.anchor):
            continue
        kept.append(c)
    events = {(c.framework, c.country) for c in kept if c.action}
    # the list's reading replaces any other claim shape on its countries
    kept = [c for c in kept if c.action or (c.framework, c.country) not in listed]
    claimed: set[tuple[str, str]] = set()
    for h in lists:
        if any((h.framework, c.value) in events for c in h.countries):
            continue  # the list is an act's object ("invited seven countries, including ...")
        for m in h.countries:
            if (h.framework, m.value) in claimed:
                continue
            claimed.add((h.framework, m.value))
            kept.append(
                Candidate(
                    h.framework,
                    m.value,
                    f"claim.{h.rule}",
                    m.start,
                    (0, len(text)),
                    state=h.state,
                )
            )
    return kept
