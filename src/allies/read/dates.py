"""Date mentions in a sentence, resolved against the publication date.

A small hand resolver (no dateparser): explicit dates ("10 March 2022", "March 10, 2022",
"Jan. 6, 1998", "2022-03-10"), month-day without a year, "in May", "March 2022", years,
weekdays ("on Thursday"), relative phrases ("yesterday", "last month") and counts back
("fifty years ago today"). Names and phrases come from ``data/read/calendar.toml``.
`DateResolver.datelines` finds datelines ("MADRID, July 8 — ..."), whose date is the
reference of the relative dates after them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..dates import PartialDate
from .resources import load_toml


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``text[start:end]``; ``date`` is None when it cannot be resolved
    (a relative date with no publication date, or a future weekday). ``kind`` names the
    shape; "vague" is a relative phrase resolved only approximately ("this week")."""

    start: int
    end: int
    date: PartialDate | None
    kind: str

    @property
    def basis(self) -> str:
        """ "stated" for a calendar date written out, "relative" for one resolved against the
        reference date, "publication" for a vague phrase ("last week", "this week") that only
        says the step came by the publication day (see `model.DateBasis`)."""
        if self.kind == "vague":
            return "publication"
        return "relative" if self.kind in RELATIVE_KINDS else "stated"


RELATIVE_KINDS = frozenset({"wd", "rel", "vague", "ago", "nth", "ana"})


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class DateResolver:
    """Find and resolve every date expression in a piece of text."""

    def __init__(self, calendar: dict[str, Any]) -> None:
        self.months: dict[str, int] = dict(calendar["months"])
        self.weekdays: dict[str, int] = dict(calendar["weekdays"])
        self.relative: dict[str, tuple[str, int]] = {
            r["phrase"].lower(): (r["kind"], int(r["offset"])) for r in calendar["relative"]
        }
        # phrases resolved only approximately ("this week" → the publication day)
        self.vague = frozenset(r["phrase"].lower() for r in calendar["relative"] if r.get("vague"))
        full = [m for m in self.months if len(m) > 4 or m in ("May", "June", "July")]
        mon_all, mon_full = _alt(list(self.months)), _alt(full)
        self.numbers: dict[str, int] = {k.lower(): int(v) for k, v in calendar["numbers"].items()}
        self.ago_units = {k: (str(v[0]), int(v[1])) for k, v in calendar["ago_units"].items()}
        self.ago_when = {
            k: (str(v[0]), int(v[1]), bool(v[2])) for k, v in calendar["ago_when"].items()
        }
        # anaphoric dates ("that year", "the following February"): resolved on an anchor
        self.anaphoric: dict[str, tuple[str, int]] = {
            a["phrase"].lower(): (str(a["unit"]), int(a["offset"]))
            for a in calendar.get("anaphoric", [])
        }
        am = calendar.get("anaphoric_months", {})
        self.ana_before: dict[str, int] = {
            k.lower(): int(v) for k, v in am.get("before", {}).items()
        }
        self.ana_after = [w.lower() for w in am.get("after", [])]
        self.ana_reach = int(am.get("reach", 1500))
        ana_alts = []
        if self.ana_before:
            ana_alts.append(rf"(?P<anb>(?i:{_alt(list(self.ana_before))}))\s+(?P<am1>{mon_full})\b")
        if self.ana_after:
            ana_alts.append(rf"(?P<am2>{mon_full})\s+(?i:{_alt(self.ana_after)})\b")
        if self.anaphoric:
            ana_alts.append(rf"(?P<anp>(?i:{_alt(list(self.anaphoric))}))")
        ana = rf"(?P<ana>\b(?:{'|'.join(ana_alts)}))|" if ana_alts else ""
        tens = [w for w, n in self.numbers.items() if n % 10 == 0 and 20 <= n < 100]
        units = [w for w, n in self.numbers.items() if 1 <= n <= 9 and " " not in w]
        count = rf"\d{{1,3}}|(?:{_alt(tens)})-(?:{_alt(units)})|{_alt(list(self.numbers))}"
        ago = (
            rf"(?P<ago>\b(?P<n>{count})(?:\s+|-)(?P<unit>{_alt(list(self.ago_units))})\s+ago\b"
            rf"(?:\s+(?P<when>{_alt(list(self.ago_when))})\b)?)"
        )
        line = calendar["dateline"]
        self.dateline_rx = re.compile(
            rf"^[ \t]*{line['place']},[ \t]+(?:(?P<m>{mon_all})\.?[ \t]+(?P<d>\d{{1,2}})"
            rf"|(?P<d2>\d{{1,2}})[ \t]+(?P<m2>{mon_all})\.?)(?:,?[ \t]+(?P<y>\d{{4}}))?"
            rf"{line['end']}",
            re.MULTILINE,
        )
        preps = _alt(calendar["month_prepositions"])
        self._month_prep = re.compile(rf"(?:(?<![\w-])(?:{preps})\s+|\bmid-)$")
        self._prev_word = re.compile(r"(\w+)\s+$")
        # "the 6th of this month": a day of a month counted from the reference day
        self.nth_month = {k.lower(): int(v) for k, v in calendar.get("nth_of_month", {}).items()}
        nth = (
            rf"(?P<nth>\bthe\s+(?P<dn>\d{{1,2}})(?:st|nd|rd|th)\s+of\s+"
            rf"(?P<nm>(?i:{_alt(list(self.nth_month))}))\s+month\b)|"
            if self.nth_month
            else ""
        )
        self.rx = re.compile(
            nth + r"(?P<iso>\b(?P<yi>\d{4})-(?P<mi>\d{2})-(?P<di>\d{2})\b)"
            rf"|(?P<dmy>\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{mon_all})\b\.?"
            r"(?:,?\s+(?:of\s+)?(?P<y1>\d{4})\b)?)"
            rf"|(?P<mdy>\b(?P<m2>{mon_all})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?![\d,]\d)"
            r"(?:,?\s+(?P<y2>\d{4})\b)?)"
            rf"|(?P<my>\b(?P<m3>{mon_all})\b\.?,?\s+(?P<y3>\d{{4}})\b)"
            rf"|(?i:{ago})|" + ana + rf"(?P<mon>\b(?P<m4>{mon_full})\b)"
            rf"|(?P<wd>\b(?P<w>{_alt(list(self.weekdays))})\b)"
            rf"|(?P<rel>\b(?i:{_alt(list(self.relative))})\b)"
            r"|(?P<year>(?<![\d$,.-])\b(?P<yy>1[89]\d\d|20\d\d)\b(?!s\b|-\d|,\d|\.\d|%))"
        )

    def __call__(
        self, text: str, published: dt.date | None, context: tuple[str, int] | None = None
    ) -> list[DateMention]:
        """Every date mention of `text`. `context` (the whole text and where `text` starts in
        it) lets an anaphoric date take its anchor from the text before."""
        out: list[DateMention] = []
        for m in self.rx.finditer(text):
            kind = m.lastgroup or ""
            if m.group("ana") is not None:
                kind = "ana"
                try:
                    date = self._anaphoric(m, out, published, context)
                except (OverflowError, ValueError):  # before year 1 or after 9999
                    date = None
                out.append(DateMention(m.start(), m.end(), date, kind))
                continue
            if kind == "mon" and not self._month_prep.search(
                text[max(0, m.start() - 16) : m.start()]
            ):
                continue
            try:
                date = self._resolve(m, kind, text, published)
            except OverflowError:
                date = None  # a relative date outside the calendar ("yesterday" of 0001-01-01)
            except ValueError:  # impossible calendar day such as 31 February
                continue
            if kind == "rel" and m.group().lower() in self.vague:
                kind = "vague"
            elif kind == "ago" and (
                self.ago_units[m.group("unit").lower()][0] == "week"
                or ((w := m.group("when")) and self.ago_when[w.lower()][2])
            ):
                kind = "vague"
            out.append(DateMention(m.start(), m.end(), date, kind))
        return out

    def _resolve(
        self, m: re.Match[str], kind: str, text: str, pub: dt.date | None
    ) -> PartialDate | None:
        g = m.group
        if kind == "iso":
            return PartialDate(dt.date(int(g("yi")), int(g("mi")), int(g("di"))), "day")
        if kind in ("dmy", "mdy"):
            n = "1" if kind == "dmy" else "2"
            month, day, year = self.months[g("m" + n)], int(g("d" + n)), g("y" + n)
            if year:
                return PartialDate(dt.date(int(year), month, day), "day")
            if pub is None:
                return None
            d = dt.date(pub.year, month, day)
            if d > pub:
                d = dt.date(pub.year - 1, month, day)
            return PartialDate(d, "day")
        if kind == "my":
            return PartialDate(dt.date(int(g("y3")), self.months[g("m3")], 1), "month")
        if kind == "year":
            return PartialDate(dt.date(int(g("yy")), 1, 1), "year")
        if pub is None:
            return None
        if kind == "ago":
            return self._ago(m, pub)
        if kind == "nth":
            idx = pub.year * 12 + pub.month - 1 + self.nth_month[g("nm").lower()]
            return PartialDate(dt.date(idx // 12, idx % 12 + 1, int(g("dn"))), "day")
        if kind == "mon":
            month = self.months[g("m4")]
            prev = self._prev_word.search(text[max(0, m.start() - 12) : m.start()])
            last = bool(prev and prev.group(1).lower() == "last")  # "last April" in April
            this_year = month < pub.month or (month == pub.month and not last)
            year = pub.year if this_year else pub.year - 1
            return PartialDate(dt.date(year, month, 1), "month")
        if kind == "wd":
            prev = self._prev_word.search(text[max(0, m.start() - 12) : m.start()])
            word = prev.group(1).lower() if prev else ""
            if word == "next":
                return None
            back = (pub.weekday() - self.weekdays[g("w")]) % 7
            if word == "last" and back == 0:
                back = 7
            return PartialDate(pub - dt.timedelta(days=back), "day")
        rel_kind, offset = self.relative[g("rel").lower()]
        if rel_kind == "day":
            return PartialDate(pub + dt.timedelta(days=offset), "day")
        if rel_kind == "month":
            idx = pub.year * 12 + pub.month - 1 + offset
            return PartialDate(dt.date(idx // 12, idx % 12 + 1, 1), "month")
        return PartialDate(dt.date(pub.year + offset, 1, 1), "year")

    def _anaphoric(
        self,
        m: re.Match[str],
        earlier: list[DateMention],
        pub: dt.date | None,
        context: tuple[str, int] | None,
    ) -> PartialDate | None:
        """ "that year", "the following February": a period of the last stated date before
        it (in its own text, else in the `context` text before it)."""
        anchor = _last_stated(earlier)
        if anchor is None and context is not None:
            whole, at = context
            before = whole[max(0, at - self.ana_reach) : at]
            anchor = _last_stated(self(before, pub)) if before.strip() else None
        if anchor is None:
            return None
        a = anchor.start
        g = m.group
        if g("anb") is not None:  # the following / previous <Month>
            if anchor.precision == "year":
                return None
            month, step = self.months[g("am1")], self.ana_before[g("anb").lower()]
            year = a.year + (step if (month - a.month) * step <= 0 else 0)
            return PartialDate(dt.date(year, month, 1), "month")
        if g("am2") is not None:  # <Month> of that year
            return PartialDate(dt.date(a.year, self.months[g("am2")], 1), "month")
        unit, off = self.anaphoric[g("anp").lower()]
        if unit == "year":
            return PartialDate(dt.date(a.year + off, 1, 1), "year")
        if unit == "month":
            if anchor.precision == "year":
                return None
            idx = a.year * 12 + a.month - 1 + off
            return PartialDate(dt.date(idx // 12, idx % 12 + 1, 1), "month")
        if anchor.precision != "day":
            return None
        return PartialDate(a + dt.timedelta(days=off), "day")

    def _ago(self, m: re.Match[str], pub: dt.date) -> PartialDate:
        """ "fifty years ago today": the count of units back from `pub`."""
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else sum(self.numbers[p] for p in raw.split("-"))
        unit, per = self.ago_units[m.group("unit").lower()]
        n *= per
        when = m.group("when")
        prec, shift, _ = self.ago_when[when.lower()] if when else (unit, 0, False)
        if unit in ("day", "week"):
            return PartialDate(pub - dt.timedelta(days=n - shift), "day")
        day = pub + dt.timedelta(days=shift)
        idx = day.year * 12 + day.month - 1 - (n * 12 if unit == "year" else n)
        year, month = idx // 12, idx % 12 + 1
        if prec == "year":
            return PartialDate(dt.date(year, 1, 1), "year")
        if prec == "month":
            return PartialDate(dt.date(year, month, 1), "month")
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        last = (nxt - dt.timedelta(days=1)).day  # 29 February, fifty years on
        return PartialDate(dt.date(year, month, min(day.day, last)), "day")

    def datelines(self, text: str, published: dt.date | None) -> list[tuple[int, dt.date]]:
        """(offset, date) of each dateline ("MADRID, July 8 — ..."), in text order. A date
        without a year takes the latest year that puts it on or before `published` (with
        no publication date, only datelines with a year count)."""
        out = []
        for m in self.dateline_rx.finditer(text):
            month = self.months[m.group("m") or m.group("m2")]
            day = int(m.group("d") or m.group("d2"))
            try:
                if m.group("y"):
                    d = dt.date(int(m.group("y")), month, day)
                elif published is None:
                    continue
                else:
                    d = dt.date(published.year, month, day)
                    if d > published:
                        d = dt.date(published.year - 1, month, day)
            except ValueError:
                continue
            out.append((m.start(), d))
        return out


def _last_stated(dates: list[DateMention]) -> PartialDate | None:
    """The last date of `dates` that can anchor an anaphoric one (not vague, not anaphoric)."""
    for d in reversed(dates):
        if d.date is not None and d.kind not in ("vague", "ana"):
            return d.date
    return None


@cache
def date_resolver() -> DateResolver:
    """The shared resolver built from ``calendar.toml`` (cached)."""
    return DateResolver(load_toml("calendar.toml"))


def resolve_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Every date expression in `text`, resolved against `published` where needed."""
    return date_resolver()(text, published)
