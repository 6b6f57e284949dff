"""One Aho-Corasick pass over an article: country names and framework terms, with offsets.

Country forms come from ``allies.countries`` (names, aliases, demonyms) plus
``data/read/gazetteer.toml``; framework terms from ``data/read/lexicon.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from ..countries import load_countries
from .resources import load_toml


@dataclass(frozen=True, slots=True)
class Mention:
    """``kind`` is "country" (value = ISO3), "term" (value = framework id), "cue" (a
    word of an implicit trigger; it only marks a sentence worth reading) or "descriptor"
    (value = the phrase, "the emirate"; `Scanner.resolve` makes it a country or drops it)."""

    start: int
    end: int
    kind: str
    value: str
    demonym: bool = False
    weak: bool = False


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Scanner:
    """Find country and framework-term mentions (whole words, longest match)."""

    def __init__(
        self,
        forms: dict[str, str],
        demonyms: set[str],
        lexicon: dict[str, Any],
        descriptors: dict[str, frozenset[str]] | None = None,
        reach: int = 0,
    ):
        self.auto: Any = ahocorasick.Automaton()
        self.descriptors = descriptors or {}
        self.reach = reach
        entries: dict[str, tuple[str, str, str, bool, bool]] = {}
        for phrase in self.descriptors:
            entries[phrase] = ("descriptor", phrase, "", False, False)
        for form, iso3 in forms.items():
            exact = form.isupper() or "." in form
            entries[form.lower()] = (
                "country",
                iso3,
                form if exact else "",
                form in demonyms,
                False,
            )
        for cue in [*lexicon["implicit_cues"], *_ordinal_cues(lexicon)]:
            entries.setdefault(cue.lower(), ("cue", "", "", False, False))
        for term in lexicon["term"]:
            for phrase in term["phrases"]:
                weak = term["strength"] == "weak"
                entries[phrase.lower()] = ("term", term["framework"], "", False, weak)
        for key, val in entries.items():
            self.auto.add_word(key, (len(key), *val))
        self.auto.make_automaton()

    def __call__(self, text: str) -> list[Mention]:
        low = _lower_same_length(text)
        n = len(text)
        out: list[Mention] = []
        skip_to = 0
        for end_idx, (length, kind, value, exact, demonym, weak) in self.auto.iter_long(low):
            start, end = end_idx - length + 1, end_idx + 1
            if start < skip_to:
                continue
            if (start > 0 and (low[start - 1].isalnum())) or (end < n and low[end].isalnum()):
                continue
            if kind == "descriptor" and _OF_AFTER.match(low, end):
                # "the Kingdom of Morocco": a country form inside it wins
                inner = self._country_at(text, low, low.find(" ", start) + 1)
                if inner is not None:
                    out.append(inner)
                    skip_to = inner.end
                    continue
                if _OF_NAME.match(text, end):
                    continue
            if kind == "country":
                if exact:
                    if text[start:end] != exact:
                        continue
                elif not text[start].isupper():
                    continue
            elif kind == "term" and not value:
                continue  # a shadowing phrase such as "non-NATO partner"
            out.append(Mention(start, end, kind, value, demonym, weak))
        return out

    def _country_at(self, text: str, low: str, pos: int) -> Mention | None:
        """The country form that starts exactly at `pos`, if any."""
        window = low[pos : pos + 80]
        for end_idx, (length, kind, value, exact, demonym, _) in self.auto.iter_long(window):
            start, end = pos + end_idx - length + 1, pos + end_idx + 1
            if start != pos:
                break
            if kind != "country" or (end < len(low) and low[end].isalnum()):
                break
            if (text[start:end] != exact) if exact else not text[start].isupper():
                break
            return Mention(start, end, kind, value, demonym)
        return None

    def resolve(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """A descriptor becomes the country of a kind it allows that is named most often in
        the `reach` characters before it (the nearest on a tie: "North Macedonia joined ...
        after a dispute with Greece ... NATO invited the Balkan country" is North Macedonia);
        with none, or followed by "of", it is dropped."""
        out: list[Mention] = []
        for m in mentions:
            if m.kind != "descriptor":
                out.append(m)
                continue
            if _OF_NAME.match(text, m.end):
                continue  # "the Gulf state of Qatar" names its own country
            kinds = self.descriptors[m.value]
            seen: dict[str, int] = {}  # insertion order: nearest first
            for prev in reversed(out):
                if m.start - prev.end > self.reach:
                    break
                if prev.kind == "country" and prev.value in kinds:
                    seen[prev.value] = seen.get(prev.value, 0) + 1
            if seen:
                best = max(seen, key=lambda v: seen[v])  # max keeps the first (nearest) on a tie
                out.append(Mention(m.start, m.end, "country", best))
        return out


_OF_AFTER = re.compile(r"\s+of\b")
# "the Gulf state of Qatar" (a name after "of"), not "the Adriatic nation of 620,000 people"
_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def _ordinal_cues(lexicon: dict[str, Any]) -> list[str]:
    """ "1st member" ... "40th member", "twenty-ninth member" (see `ordinal_cues`)."""
    nums = [f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
            for n in range(1, 41)]
    words = [*nums, *lexicon.get("ordinal_words", [])]
    return [f"{o} {w}" for o in words for w in lexicon.get("ordinal_cues", [])]


def _clean(form: str) -> str | None:
    if any(c in form for c in "()[]&,"):
        return None
    form = re.sub(r"\s+", " ", form).strip()
    if form.startswith(("The ", "the ")):
        form = form[4:]
    return form if len(form) > 1 else None


@cache
def scanner() -> Scanner:
    """The shared scanner (built once per process)."""
    countries = load_countries()
    extra = load_toml("gazetteer.toml")
    drop = set(extra["drop"]["forms"])
    forms: dict[str, str] = {}
    demonyms: set[str] = set()
    for c in countries:
        demonyms.update(c.demonyms)
    for form, iso3 in countries.surface_forms().items():
        clean = _clean(form)
        if clean and clean not in drop:
            forms.setdefault(clean, iso3)
    for form, iso3 in extra["add"].items():
        forms[form] = iso3
    desc = dict(extra["descriptors"])
    reach = int(desc.pop("reach"))
    kinds = extra["descriptor_kinds"]
    descriptors = {
        phrase.lower(): frozenset(c for k in ks for c in kinds[k]) for phrase, ks in desc.items()
    }
    return Scanner(forms, demonyms, load_toml("lexicon.toml"), descriptors, reach)


@cache
def country_name(iso3: str) -> str | None:
    c = load_countries().by_iso3.get(iso3)
    return c.name if c else None
