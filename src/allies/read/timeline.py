"""Timelines and dated lists: lines that pair a date with countries ("- March 2002: Bahrain",
"• 1999: Czech Republic, Hungary, Poland", "- Brazil, July 2019") under an intro line that
says what happened to them ("Governments designated major non-NATO allies ...:", "NATO
enlargement since the Cold War:"). Each line is one event per country, dated by its line.

The shapes (bullet, separators, the intro's action words) are data: ``[timeline]`` in
``data/read/lexicon.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..dates import PartialDate
from .dates import DateMention, DateResolver
from .gazetteer import Mention
from .lexicon import Candidate
from .segment import Sentence

_I = re.IGNORECASE
_LINE = re.compile(r"[^\n]*")


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    cand: Candidate
    sent: Sentence
    date: DateMention


@dataclass(frozen=True, slots=True)
class Context:
    """A list line read in its intro's framework: its sentences may report the framework's
    acts with no term of their own ("- 2019 -- Brazil is designated."), dated by the line
    when they carry no date of their own."""

    start: int
    end: int
    framework: str
    date: DateMention


class Timeline:
    """Find the dated list lines of a text and the events their intro gives them."""

    def __init__(self, conf: dict[str, Any]) -> None:
        self.bullet = re.compile(conf["bullet"], _I)
        self.date_sep = re.compile(conf["date_sep"], _I)
        self.country_sep = re.compile(conf["country_sep"], _I)
        self.list_gap = re.compile(conf["list_gap"], _I)
        self.intro_end = re.compile(conf["intro_end"], _I)
        self.not_intro = re.compile(conf["not_intro"], _I)
        self.heading = re.compile(conf["heading"], _I)
        self.bracket_year = re.compile(conf["bracket_year"], _I)
        self.min_brackets = int(conf["min_brackets"])
        self.bracket_gap = re.compile(conf["bracket_gap"], _I)
        self.min_lines = int(conf["min_lines"])
        self.intro_lines = int(conf["intro_lines"])
        self.max_chars = int(conf["max_chars"])
        self.actions = [
            (a["framework"], a["action"], re.compile(a["pattern"], _I)) for a in conf["action"]
        ]

    def __call__(
        self,
        text: str,
        mentions: list[Mention],
        dates: DateResolver,
        published: dt.date | None,
    ) -> tuple[list[TimelineEvent], list[Context]]:
        """The events of the dated list lines and bracketed-year lists of a text, and the
        list lines to read in their intro's framework."""
        lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
        ctx: list[Context] = []
        out = self._brackets(text, lines, mentions)
        if "\n" not in text:
            return out, ctx
        # only short lines that name a country can be list lines (dates are costly to find)
        at = sorted(m.start for m in mentions if m.kind == "country")
        short: set[int] = set()
        k = 0
        for i, (s, e) in enumerate(lines):
            while k < len(at) and at[k] < s:
                k += 1
            if k < len(at) and at[k] < e and e - s <= self.max_chars:
                short.add(i)
        if len(short) < self.min_lines:
            return out, ctx
        block: list[tuple[int, int, list[tuple[list[Mention], DateMention]]]] = []
        for i, (s, e) in enumerate(lines + [(len(text), len(text))]):
            got = self._item(text, s, e, mentions, dates, published) if i in short else None
            if got is not None:
                block.append((i, s, got))
                continue
            if len(block) >= self.min_lines:
                out.extend(self._block(text, lines, block, ctx))
            block = []
        return out, ctx

    def _item(
        self,
        text: str,
        s: int,
        e: int,
        mentions: list[Mention],
        dates: DateResolver,
        published: dt.date | None,
    ) -> list[tuple[list[Mention], DateMention]] | None:
        """The (countries, date) of one list line, or None when it is not one."""
        b = self.bullet.match(text, s, e)
        if b is None:
            return None
        pos = b.end()
        line = text[pos:e]
        found = [d for d in dates(line, published) if d.date is not None and d.kind != "vague"]
        countries = [m for m in mentions if m.kind == "country" and pos <= m.start < e]
        if not found or not countries:
            return None
        d0 = found[0]
        if d0.start == 0:  # "March 2002: Bahrain"
            sep = self.date_sep.match(line, d0.end)
            if sep is None:
                return None
            group = self._group(text, countries, pos + sep.end())
            if not group:  # a prose line: "1998 -- Argentina is designated, the first ..."
                shifted = DateMention(d0.start + pos, d0.end + pos, d0.date, d0.kind)
                return [([], shifted)]
        else:  # "Brazil, July 2019"
            group = self._group(text, countries, pos)
            if not group or not self.country_sep.fullmatch(text, group[-1].end, pos + d0.start):
                return None
        if not group:
            return None
        shifted = DateMention(d0.start + pos, d0.end + pos, d0.date, d0.kind)
        return [(group, shifted)]

    def _group(self, text: str, countries: list[Mention], at: int) -> list[Mention]:
        """The countries chained by list punctuation from `at` on (the first right at it)."""
        group: list[Mention] = []
        for c in countries:
            if c.start < at:
                continue
            prev = group[-1].end if group else at
            gap = text[prev : c.start]
            if group and not self.list_gap.fullmatch(gap):
                break
            if not group and gap.strip(" \t\"'“‘(").lower() not in ("", "the"):
                break
            group.append(c)
        return [c for c in group if not c.demonym]

    def _block(
        self,
        text: str,
        lines: list[tuple[int, int]],
        block: list[tuple[int, int, list[tuple[list[Mention], DateMention]]]],
        ctx: list[Context],
    ) -> list[TimelineEvent]:
        """The events of one block of list lines, given by the intro just before it (or by
        the intro and the heading above it: "Timeline: how the MNNA list grew / With Kenya's
        addition ..., here is how it got there.")."""
        first = block[0][0]
        intro, at = "", first
        for j in range(first - 1, max(-1, first - 1 - self.intro_lines), -1):
            s, e = lines[j]
            if text[s:e].strip():
                intro, at = text[s:e], j
                break
        if not intro or self.not_intro.search(intro):
            return []
        action = self._action(intro) if self.intro_end.search(intro) else None
        if action is None:
            head = self._heading(text, lines, at)
            title = self._title(text, lines) if at > 0 else None
            head = " ".join(h for h in (title, self._heading(text, lines, at)) if h)
            if not head or self.not_intro.search(head):
                return []
            action = self._action(f"{head} {intro}")
        if action is None:
            return []
        fw, act = action
        out = []
        for i, _, got in block:
            s, e = lines[i]
            ctx.append(Context(s, e, fw, got[0][1]))
            for group, date in got:
                if not group:
                    continue
                line_s = text.rfind("\n", 0, group[0].start) + 1
                line_e = text.find("\n", group[0].start)
                line_e = len(text) if line_e < 0 else line_e
                body = text[line_s:line_e]
                lead = len(body) - len(body.lstrip())
                sent = Sentence(line_s + lead, line_s + len(body.rstrip()), body.strip())
                for c in group:
                    cand = Candidate(
                        fw,
                        c.value,
                        f"timeline.{act}",
                        c.start - sent.start,
                        (0, len(sent.text)),
                        action=act,
                        span=(c.start - sent.start, c.end - sent.start),
                    )
                    out.append(TimelineEvent(cand, sent, date))
        return out

    def _action(self, intro: str) -> tuple[str, str] | None:
        return next(((fw, a) for fw, a, rx in self.actions if rx.search(intro)), None)

    def _heading(self, text: str, lines: list[tuple[int, int]], before: int) -> str | None:
        """The nearest heading (a line with no sentence punctuation) above line `before`."""
        for j in range(before - 1, max(-1, before - 1 - self.intro_lines), -1):
            s, e = lines[j]
            line = text[s:e].strip()
            if line and self.heading.match(line):
                return line
        return None

    def _title(self, text: str, lines: list[tuple[int, int]]) -> str | None:
        """The text's first line when it is a heading (the document's title)."""
        line = text[lines[0][0] : lines[0][1]].strip() if lines else ""
        return line if line and self.heading.match(line) else None

    def _brackets(
        self, text: str, lines: list[tuple[int, int]], mentions: list[Mention]
    ) -> list[TimelineEvent]:
        """Bracketed-year lists ("Greece and Turkey (1952); West Germany (1955); ...") with
        at least `min_brackets` entries, given their action by the text before them in their
        line, else with the line before it, else with the heading above them as well."""
        out: list[TimelineEvent] = []
        countries = [m for m in mentions if m.kind == "country"]
        k = 0
        for i, (s, e) in enumerate(lines):
            items: list[tuple[list[Mention], re.Match[str]]] = []
            chain: list[Mention] = []
            prev = s
            while k < len(countries) and countries[k].start < s:
                k += 1
            j = k
            while j < len(countries) and countries[j].end <= e:
                c = countries[j]
                j += 1
                gap = text[prev : c.start]
                if chain and not self.list_gap.fullmatch(gap):
                    chain = []
                chain.append(c)
                prev = c.end
                b = self.bracket_year.match(text, c.end)
                if b is not None:
                    items.append(([x for x in chain if not x.demonym], b))
                    chain, prev = [], b.end()
            if len(items) < self.min_brackets:
                continue
            lead = text[s : items[0][0][0].start] if items[0][0] else ""
            # the line right above it, in the same paragraph ("Q: Who has joined since?")
            above = text[lines[i - 1][0] : lines[i - 1][1]] if i else ""
            if i and text[lines[i - 1][1] : s].strip(" \t\r") != "\n":
                above = ""
            intro, action = "", None
            for part in (lead, above, self._heading(text, lines, i - 1), self._title(text, lines)):
                intro = f"{part or ''} {intro}"
                action = self._action(intro)
                if action is not None:
                    break
            if action is None or self.not_intro.search(intro):
                continue
            fw, act = action
            sent = Sentence(s, e, text[s:e])
            for group, b in items:
                y = int(b["year"])
                year = PartialDate(dt.date(y, 1, 1), "year")
                date = DateMention(b.start("year"), b.end("year"), year, "year")
                for c in group:
                    cand = Candidate(
                        fw, c.value, f"timeline.bracket.{act}", c.start - s, (0, e - s),
                        action=act, span=(c.start - s, c.end - s),
                    )
                    out.append(TimelineEvent(cand, sent, date))
        return out
