"""What the reader returns: typed, JSON-ready records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..dates import PartialDate

Framework = Literal["mnna", "nato"]
Action = Literal[
    "announce_intent", "notify_congress", "designate", "treat_as", "terminate", "invite", "accede"
]
State = Literal["active", "former"]
# How an event's date was found: "stated" (a calendar date written in the text: "10 March
# 2022", "in May", "1996"), "relative" (resolved against the publication or dateline date:
# "yesterday", "on Monday", "fifty years ago today"), "publication" (no date in the text: the
# publication date, read as "on or before publication").
DateBasis = Literal["stated", "relative", "publication"]
# "news": the development the article reports, or a step of that same process it narrates;
# "background": an earlier change mentioned in passing ("Spain joined in 1982").
Role = Literal["news", "background"]
DESIGNATORS: dict[str, str] = {"mnna": "USA", "nato": "NATO"}
INTENT_ACTIONS = frozenset({"announce_intent", "notify_congress"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence that reports an event: ``reading.text[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Event:
    """A status event the text reports (as the text tells it, right or wrong)."""

    framework: str
    country: str
    action: str
    date: PartialDate | None
    evidence: Evidence
    rule: str
    intent_of: str | None = None
    country_name: str | None = None
    also: tuple[Evidence, ...] = ()  # other sentences reporting the same event
    date_basis: str | None = None  # see DateBasis; None when there is no date
    role: str = "news"  # see Role

    @property
    def designator(self) -> str:
        return DESIGNATORS.get(self.framework, "USA")

    def key(self) -> tuple[str, str, str, str | None]:
        return (self.framework, self.country, self.action, self.intent_of)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "designator": self.designator,
            "framework": self.framework,
            "country": self.country,
        }
        if self.country_name:
            d["country_name"] = self.country_name
        d["action"] = self.action
        if self.action in INTENT_ACTIONS:
            d["intent_of"] = self.intent_of
        d["date"] = str(self.date) if self.date else None
        d["precision"] = self.date.precision if self.date else None
        d["date_basis"] = self.date_basis if self.date else None
        d["role"] = self.role
        d["evidence"] = self.evidence.to_dict()
        if self.also:
            d["also_evidence"] = [a.to_dict() for a in self.also]
        d["rule"] = self.rule
        return d


@dataclass(frozen=True, slots=True)
class Claim:
    """A status the text takes for granted ("Israel, a major non-NATO ally"): not an event."""

    framework: str
    country: str
    state: str
    evidence: Evidence
    rule: str = ""
    country_name: str | None = None

    def key(self) -> tuple[str, str, str]:
        return (self.framework, self.country, self.state)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"framework": self.framework, "country": self.country}
        if self.country_name:
            d["country_name"] = self.country_name
        d["state"] = self.state
        d["evidence"] = self.evidence.to_dict()
        if self.rule:
            d["rule"] = self.rule
        return d


@dataclass(frozen=True, slots=True)
class Source:
    """Where a reading came from (all optional)."""

    path: str | None = None
    url: str | None = None
    title: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k in ("path", "url", "title", "line") if (v := getattr(self, k))}


@dataclass(slots=True)
class Reading:
    """Everything read from one text: the text itself (for HTML, the extracted text that the
    evidence offsets point into), its publication date, events and claims."""

    text: str
    published: PartialDate | None = None
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    # Sentences that name a framework and a country but gave neither an event nor a claim:
    # what the reader saw and did not understand (silence is not "nothing to check").
    unread: list[Evidence] = field(default_factory=list)

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "published": str(self.published) if self.published else None,
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "unread": [u.to_dict() for u in self.unread],
        }
        src = self.source.to_dict()
        if src:
            d["source"] = src
        if with_text:
            d["text"] = self.text
        return d


@dataclass(frozen=True, slots=True)
class ReadResult:
    """One input of `read_path`: a Reading, or the reason it was skipped."""

    source: Source
    reading: Reading | None = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.reading is not None

    def to_dict(self) -> dict[str, Any]:
        if self.reading is not None:
            return self.reading.to_dict()
        return {"source": self.source.to_dict(), "skipped": self.skipped}
