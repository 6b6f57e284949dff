"""Country names and codes.

The base table (names, ISO2/ISO3, COW codes) comes from the ``countrycode`` codelist, read
once per process in one batch; our own ``data/countries.csv`` adds aliases, demonyms, former
names (West Germany) and COW code changes over time.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .errors import DataError, FormerState, UnknownCountry


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    iso2: str | None
    name: str
    cow: int | None = None
    cowc: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    cow_history: tuple[tuple[int, int | None, int | None], ...] = ()  # (code, from_year, to_year)
    note: str = ""

    def cow_in(self, year: int) -> int | None:
        """COW state code in force in `year` (Germany: 260 in 1955-1989, 255 from 1990).

        With a `cow_history`, a year outside every range has no code (the state was not in
        the COW state system: Kenya before 1963, Slovakia before 1993); without one, `cow`.
        """
        if not self.cow_history:
            return self.cow
        for code, lo, hi in self.cow_history:
            if (lo is None or year >= lo) and (hi is None or year <= hi):
                return code
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"iso3": self.iso3, "name": self.name}


def normalize(name: str) -> str:
    """Key used for lookups: casefolded, accents and dots removed, 'the ' dropped."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace(".", "").replace("’", "'").strip()
    s = re.sub(r"\s+", " ", s)
    if s.startswith("the "):
        s = s[4:]
    return s


def _parse_cow_history(text: str, where: str) -> tuple[tuple[int, int | None, int | None], ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        m = re.fullmatch(r"(\d+):(\d{4})?\.\.(\d{4})?", part)
        if not m:
            raise DataError([f"{where}: bad cow_history {part!r}; use CODE:YYYY..YYYY"])
        out.append(
            (
                int(m.group(1)),
                int(m.group(2)) if m.group(2) else None,
                int(m.group(3)) if m.group(3) else None,
            )
        )
    return tuple(out)


_WORD = re.compile(r"[a-z\u00c0-\u024f']+")
# Words of formal state names that say nothing about which state is meant.
GENERIC_WORDS = frozenset(
    "the of and republic state states kingdom federation federal islamic democratic people's "
    "peoples united commonwealth union sultanate emirate principality grand duchy plurinational "
    "bolivarian arab socialist cooperative co-operative independent hashemite oriental "
    "eastern".split()
)


@dataclass(frozen=True)
class FormerEntry:
    """A state that no longer exists and that no ledger event names (West Germany, which one
    does, is an alias of Germany instead)."""

    name: str
    years: str
    successors: tuple[str, ...]
    note: str

    def describe(self, table: Countries) -> str:
        heirs = ", ".join(
            f"{table.by_iso3[s].name} ({s})" for s in self.successors if s in table.by_iso3
        )
        return (
            f"{self.name} ({self.years}), a former state the ledger does not cover "
            f"({self.note}); ask about {heirs}"
        )


def _load_former(table: Countries) -> dict[str, FormerEntry]:
    text = resources.files("allies").joinpath("data/former_states.csv").read_text("utf-8")
    out: dict[str, FormerEntry] = {}
    problems = []
    for lineno, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        successors = tuple(x.strip() for x in (row.get("successors") or "").split(";") if x)
        bad = [s for s in successors if s not in table.by_iso3]
        if bad or not (row.get("name") or "").strip():
            problems.append(f"former_states.csv line {lineno}: needs a name and ISO3 successors"
                            f"{' (unknown: ' + ', '.join(bad) + ')' if bad else ''}")
            continue
        entry = FormerEntry(row["name"].strip(), (row.get("years") or "").strip(), successors,
                            (row.get("note") or "").strip())
        for form in (row["name"], *(row.get("aliases") or "").split(";")):
            if form.strip():
                key = normalize(form)
                if key in table._index:
                    problems.append(f"former_states.csv line {lineno}: {form.strip()!r} is "
                                    "already a country name")
                out[key] = entry
    if problems:
        raise DataError(problems)
    return out


@dataclass
class Countries:
    """All known countries and a resolver from any name, code or demonym to one of them."""

    by_iso3: dict[str, Country]
    _index: dict[str, str] = field(default_factory=dict)
    # former states the ledger does not cover (data/former_states.csv), by normalized name
    former: dict[str, FormerEntry] = field(default_factory=dict)
    _regexes: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    def resolve(self, name: str) -> Country:
        """Resolve a name, ISO2/ISO3 code, alias or demonym; raise UnknownCountry."""
        key = normalize(name)
        iso3 = self._index.get(key)
        if iso3 is None and key in self.former:
            raise FormerState(name, self.former[key].describe(self))
        if iso3 is None and len(key) > 3:
            for rx, code in self._regexes:
                if rx.search(key) and self._only_names_of(code, key, rx.pattern):
                    iso3 = code
                    break
        if iso3 is None:
            former = self.former.get(key)
            if former is not None:
                raise FormerState(name, former.describe(self))
            raise UnknownCountry(name, self.suggest(name))
        return self.by_iso3[iso3]

    def _only_names_of(self, iso3: str, key: str, pattern: str) -> bool:
        """A codelist regex may hit a name inside other words ("xx lao yy", "not colombia",
        "sweden and finland", "n korea"): accept the hit only when every word of the input is
        a word of that country's names, a word of its regex, or a generic word of a state's
        formal name."""
        c = self.by_iso3[iso3]
        known = set()
        for form in (c.name, *c.aliases, *c.demonyms):
            known.update(_WORD.findall(normalize(form)))
        pat = pattern.lower()
        for w in _WORD.findall(key):
            if w in known or w in GENERIC_WORDS or (len(w) >= 4 and w in pat):
                continue
            return False
        return True

    def get(self, iso3: str) -> Country:
        try:
            return self.by_iso3[iso3]
        except KeyError:
            raise UnknownCountry(iso3, self.suggest(iso3)) from None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        key = normalize(name)
        close = difflib.get_close_matches(key, list(self._index), n=8, cutoff=0.75)
        out: list[str] = []
        for c in close:
            nm = self.by_iso3[self._index[c]].name
            if nm not in out:
                out.append(nm)
        return out[:n]

    def surface_forms(self) -> dict[str, str]:
        """Names, aliases and demonyms (not bare codes) → ISO3, for text scanning."""
        out: dict[str, str] = {}
        for c in self.by_iso3.values():
            for form in (c.name, *c.aliases, *c.demonyms):
                if form:
                    out.setdefault(form, c.iso3)
        return out

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.by_iso3

    def __iter__(self) -> Iterator[Country]:
        return iter(self.by_iso3.values())


def _base_rows() -> list[dict[str, Any]]:
    from countrycode import codelist  # one batch read of the shipped codelist

    rows = []
    n = len(codelist["iso3c"])
    for i in range(n):
        iso3 = codelist["iso3c"][i]
        if not iso3:
            continue
        cown = codelist["cown"][i]
        rows.append(
            {
                "iso3": iso3,
                "iso2": codelist["iso2c"][i],
                "name": codelist["country.name.en"][i],
                "cow": int(cown) if cown is not None else None,
                "cowc": codelist["cowc"][i],
                "regex": codelist["country.name.en.regex"][i],
                "iso_name": codelist["iso.name.en"][i],
            }
        )
    return rows


@cache
def load_countries() -> Countries:
    """Load the country table (cached for the life of the process)."""
    base = {r["iso3"]: r for r in _base_rows()}
    extra: dict[str, dict[str, str]] = {}
    text = resources.files("allies").joinpath("data/countries.csv").read_text("utf-8")
    problems = []
    for lineno, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        iso3 = (row.get("iso3") or "").strip()
        if iso3 not in base:
            problems.append(f"countries.csv line {lineno}: iso3 {iso3!r} is not an ISO 3166 code")
            continue
        extra[iso3] = row
    if problems:
        raise DataError(problems)

    by_iso3: dict[str, Country] = {}
    for iso3, r in base.items():
        e = extra.get(iso3, {})
        split = lambda s: tuple(x.strip() for x in (s or "").split(";") if x.strip())  # noqa: E731
        aliases = split(e.get("aliases"))
        if r["iso_name"] and r["iso_name"] not in aliases and r["iso_name"] != r["name"]:
            aliases = (*aliases, r["iso_name"])
        by_iso3[iso3] = Country(
            iso3=iso3,
            iso2=r["iso2"],
            name=(e.get("name") or r["name"]).strip(),
            cow=r["cow"],
            cowc=r["cowc"],
            aliases=aliases,
            demonyms=split(e.get("demonyms")),
            cow_history=_parse_cow_history(e.get("cow_history") or "", f"countries.csv {iso3}"),
            note=(e.get("note") or "").strip(),
        )
    table = Countries(by_iso3)
    index = table._index
    # Precedence: our aliases/names first, then codes, then base names.
    for c in by_iso3.values():
        if c.iso3 in extra:
            for form in (c.name, *c.aliases, *c.demonyms):
                index.setdefault(normalize(form), c.iso3)
    for c in by_iso3.values():
        index.setdefault(normalize(c.iso3), c.iso3)
    for c in by_iso3.values():
        if c.iso2:
            index.setdefault(normalize(c.iso2), c.iso3)
    for c in by_iso3.values():
        for form in (c.name, *c.aliases, *c.demonyms, base[c.iso3]["name"]):
            index.setdefault(normalize(form), c.iso3)
    table._regexes = [
        (re.compile(r["regex"], re.I), iso3) for iso3, r in base.items() if r.get("regex")
    ]
    table.former = _load_former(table)
    return table
