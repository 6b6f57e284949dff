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
    """``kind`` is "country" (value = ISO3), "term" (value = framework id) or "cue" (a
    word of an implicit trigger; it only marks a sentence worth reading)."""

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

    def __init__(self, forms: dict[str, str], demonyms: set[str], lexicon: dict[str, Any]):
        self.auto: Any = ahocorasick.Automaton()
        entries: dict[str, tuple[str, str, str, bool, bool]] = {}
        for form, iso3 in forms.items():
            exact = form.isupper() or "." in form
            entries[form.lower()] = (
                "country",
                iso3,
                form if exact else "",
                form in demonyms,
                False,
            )
        for cue in lexicon["implicit_cues"]:
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
        for end_idx, (length, kind, value, exact, demonym, weak) in self.auto.iter_long(low):
            start, end = end_idx - length + 1, end_idx + 1
            if (start > 0 and (low[start - 1].isalnum())) or (end < n and low[end].isalnum()):
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
    return Scanner(forms, demonyms, load_toml("lexicon.toml"))


@cache
def country_name(iso3: str) -> str | None:
    c = load_countries().by_iso3.get(iso3)
    return c.name if c else None
