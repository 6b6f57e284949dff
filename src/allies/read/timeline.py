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


class Timeline:
    """Find the dated list lines of a text and the events their intro gives them."""

    def __init__(self, conf: dict[str, Any]) -> None:
        self.bullet = re.compile(conf["bullet"], _I)
        self.date_sep = re.compile(conf["date_sep"], _I)
        self.country_sep = re.compile(conf["country_sep"], _I)
        self.list_gap = re.compile(conf["list_gap"], _I)
        self.intro_end = re.compile(conf["intro_end"], _I)
        self.not_intro = re.compile(conf["not_intro"], _I)
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
    ) -> list[TimelineEvent]:
        if "\n" not in text:
            return []
        lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
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
            return []
        out: list[TimelineEvent] = []
        block: list[tuple[int, int, list[tuple[list[Mention], DateMention]]]] = []
        for i, (s, e) in enumerate(lines + [(len(text), len(text))]):
            got = self._item(text, s, e, mentions, dates, published) if i in short else None
            if got is not None:
                block.append((i, s, got))
                continue
            if len(block) >= self.min_lines:
                out.extend(self._block(text, lines, block, mentions))
            block = []
        return out

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
        mentions: list[Mention],
    ) -> list[TimelineEvent]:
        """The events of one block of list lines, given by the intro just before it."""
        first = block[0][0]
        intro = ""
        for j in range(first - 1, max(-1, first - 1 - self.intro_lines), -1):
            s, e = lines[j]
            if text[s:e].strip():
                intro = text[s:e]
                break
        if not intro or not self.intro_end.search(intro) or self.not_intro.search(intro):
            return []
        action = next(((fw, a) for fw, a, rx in self.actions if rx.search(intro)), None)
        if action is None:
            return []
        fw, act = action
        out = []
        for _, _, got in block:
            for group, date in got:
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
