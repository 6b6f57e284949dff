"""Role: is an event the development the article reports (``news``), or an earlier change
mentioned in passing (``background``)?

An event is news when its (framework, country) process is one the article leads with (an
event of it in the title or first sentences), or when it is dated within `RECENT` of the
publication day (or after it, or not dated); otherwise it is background. A sentence that
commemorates or recalls (``[[role]]`` rules in ``data/read/rules.toml``: "on the 20th
anniversary of", "years ago") makes its events background whatever their process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .model import Event
from .rules import Rule

LEAD_CHARS = 400  # the title and the lead
RECENT = dt.timedelta(days=400)  # an earlier step of the same process is still news


def assign(events: list[Event], published: dt.date | None, rules: tuple[Rule, ...]) -> list[Event]:
    """The events with their roles."""
    lead = {(e.framework, e.country) for e in events if e.evidence.start < LEAD_CHARS}
    if not lead and events:
        first = min(events, key=lambda e: e.evidence.start)
        lead = {(first.framework, first.country)}
    out = []
    for e in events:
        out.append(replace(e, role=role_of(e, lead, published, rules)))
    return out


def role_of(
    e: Event,
    lead: set[tuple[str, str]],
    published: dt.date | None,
    rules: tuple[Rule, ...],
) -> str:
    if any(r.rx.search(e.evidence.text) for r in rules):
        return "background"
    if (e.framework, e.country) in lead:
        return "news"
    if e.date is None or published is None:
        return "news" if e.date is None else "background"
    earliest = published - RECENT if published > dt.date.min + RECENT else dt.date.min
    return "news" if e.date.end >= earliest else "background"
