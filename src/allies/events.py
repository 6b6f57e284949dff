"""Status events: the rows of events.csv, parsed and validated."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .countries import Countries
from .dates import PartialDate
from .errors import AlliesError, DataError
from .frameworks import ACTION_EFFECT, ACTION_RANK, Framework

COLUMNS = (
    "id",
    "framework",
    "country",
    "action",
    "intent_of",
    "date",
    "alt_dates",
    "layer",
    "instrument",
    "basis",
    "confidence",
    "disputed",
    "dispute",
    "sources",
    "note",
)
# columns `allies export --format csv` adds; a --data file may carry them (they are ignored)
EXPORT_ONLY = ("precision", "country_name")
# Optional, for rows accepted from the review queue: when (UTC) and by whom. The bundled file
# leaves them out; its rows take their data release from data/recorded.csv.
RECORDED_COLUMNS = ("recorded_at", "recorded_by")
DISPUTES = ("date", "status")
ID_RX = re.compile(r"[a-z0-9][a-z0-9_-]*")
WHOLE_ACTIONS = ("sign", "enter_into_force", "dissolve_organization")
REQUIRED = ("id", "framework", "country", "action", "date", "basis", "confidence", "sources")
LAYERS = ("title10", "title22", "statute")
BASES = ("reported", "inferred")
CONFIDENCES = ("high", "medium", "low")
INTENTS = ("designate", "terminate")
WHOLE = "*"  # an event of the treaty as a whole


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    framework: str
    country: str
    action: str
    date: PartialDate
    basis: str
    confidence: str
    sources: tuple[str, ...]
    intent_of: str = ""
    alt_dates: tuple[PartialDate, ...] = ()
    layer: str = ""
    instrument: str = ""
    disputed: str = ""
    dispute: str = ""  # what the sources disagree on: date | status (set when disputed is)
    note: str = ""
    origin: str = ""  # "file line N"
    user: bool = False  # from a user's --data file, not the bundled ledger
    recorded_at: dt.datetime | None = None  # when the row entered the record (UTC)
    recorded_by: str = ""

    def disputed_on(self, day: dt.date) -> bool:
        """Does the disagreement matter for an answer about `day`? A status dispute always
        does; a date dispute only between the earliest and latest dates the sources give."""
        if not self.disputed:
            return False
        if self.dispute != "date":
            return True
        dates = (self.date, *self.alt_dates)
        return min(d.start for d in dates) <= day < max(d.end for d in dates) and len(dates) > 1

    @property
    def effect(self) -> str:
        if self.action == "notify_congress" and self.intent_of == "terminate":
            return "pending:terminate"
        return ACTION_EFFECT[self.action]

    @property
    def sort_key(self) -> tuple[dt.date, int, str]:
        return (self.date.start, ACTION_RANK[self.action], self.id)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "framework": self.framework,
            "country": self.country,
            "action": self.action,
        }
        if self.intent_of:
            d["intent_of"] = self.intent_of
        d["date"] = str(self.date)
        d["precision"] = self.date.precision
        if self.alt_dates:
            d["alt_dates"] = [str(a) for a in self.alt_dates]
        if self.layer:
            d["layer"] = self.layer
        if self.instrument:
            d["instrument"] = self.instrument
        d["basis"] = self.basis
        d["confidence"] = self.confidence
        if self.disputed:
            d["disputed"] = self.disputed
            d["dispute"] = self.dispute
        d["sources"] = list(self.sources)
        if self.note:
            d["note"] = self.note
        if self.user and self.recorded_at is not None:  # bundled rows: see data/recorded.csv
            d["recorded_at"] = self.recorded_at.isoformat().replace("+00:00", "Z")
        if self.recorded_by:
            d["recorded_by"] = self.recorded_by
        if self.user:
            d["from_user_file"] = self.origin
        return d


BRIEF_OMITS = ("framework", "country", "basis", "note", "recorded_at", "recorded_by")


def brief(e: Event) -> dict[str, Any]:
    """An event as shown inside a status answer (its framework and country are implied)."""
    return {k: v for k, v in e.to_dict().items() if k not in BRIEF_OMITS}


def unneutralised(cell: str) -> str:
    """A cell as `allies export` wrote it, back to its text: the ' that export puts before
    a leading = + - @ (so a spreadsheet does not run it) is removed."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]
    return cell


def parse_events(
    text: str,
    origin: str,
    frameworks: dict[str, Framework],
    countries: Countries,
    today: dt.date | None = None,
) -> list[Event]:
    """Parse an events CSV; raise DataError naming file, line and column of each problem."""
    today = today or dt.date.today()
    problems: list[str] = []
    if "\x00" in text:
        raise DataError([f"{origin}: binary data (NUL bytes); an events file is UTF-8 CSV"])
    # bare carriage returns (old Mac line ends) would make the csv module raise: lines end
    # at \r\n, \r or \n alike
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as e:
        raise DataError([f"{origin} line 1: unreadable CSV ({e}); save it as UTF-8 CSV"]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DataError(
            [
                f"{origin} line 1: missing column(s) {', '.join(missing)}; "
                f"the header is: {','.join(COLUMNS)}"
            ]
        )
    unknown = [
        c for c in header if c not in COLUMNS and c not in EXPORT_ONLY and c not in RECORDED_COLUMNS
    ]
    if unknown:
        problems.append(f"{origin} line 1: unknown column(s) {', '.join(unknown)}")
    events: list[Event] = []
    end = 1
    for row in _csv_rows(reader, origin):
        line, end = end + 1, reader.line_num  # a row starts on the line after the last ended
        where = f"{origin} line {line}"
        if None in row:
            problems.append(f"{where}: more fields than columns (unquoted comma?)")
            continue
        runs_on = [k for k, val in row.items() if k and val and "\n" in val]
        if runs_on:
            problems.append(
                f"{where}, column {runs_on[0]}: unterminated quote (the field runs on to line "
                f"{end}); close the quote"
            )
            continue
        v = {k: unneutralised((row.get(k) or "").strip()) for k in COLUMNS}

        def bad(col: str, msg: str) -> None:
            problems.append(f"{where}, column {col}: {msg}")  # noqa: B023

        for col in REQUIRED:
            if not v[col]:
                bad(col, "is empty")
        fw = frameworks.get(v["framework"])
        if v["framework"] and fw is None:
            bad(
                "framework", f"unknown framework {v['framework']!r}; known: {', '.join(frameworks)}"
            )
        if v["country"] and v["country"] != WHOLE and v["country"] not in countries:
            bad("country", f"{v['country']!r} is not an ISO3 code (or * for the whole treaty)")
        if v["action"] and v["action"] not in ACTION_EFFECT:
            bad("action", f"unknown action {v['action']!r}")
        elif fw is not None and v["action"] and v["action"] not in fw.actions:
            bad(
                "action",
                f"{v['action']!r} is not an action of {fw.kind} {fw.id!r}; "
                f"use one of {', '.join(sorted(fw.actions))}",
            )
        if v["action"] == "notify_congress" and v["intent_of"] not in INTENTS:
            bad("intent_of", "notify_congress needs intent_of = designate or terminate")
        elif v["intent_of"] and v["intent_of"] not in INTENTS:
            bad("intent_of", f"{v['intent_of']!r}: use designate or terminate")
        date: PartialDate | None = None
        if v["date"]:
            try:
                date = PartialDate.parse(v["date"])
            except AlliesError:
                bad("date", f"bad date {v['date']!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
        if date is not None and date.start > today:
            bad("date", f"{date} is in the future")
        alts: list[PartialDate] = []
        for a in filter(None, (x.strip() for x in v["alt_dates"].split(";"))):
            try:
                alts.append(PartialDate.parse(a))
            except AlliesError:
                bad("alt_dates", f"bad date {a!r}")
        if v["layer"] and v["layer"] not in LAYERS:
            bad("layer", f"{v['layer']!r}: use one of {', '.join(LAYERS)}")
        if (
            v["framework"] == "mnna"
            and v["country"] != WHOLE
            and not v["layer"]
            and v["action"] in ("designate", "treat_as", "terminate")
        ):
            bad(
                "layer",
                "an MNNA designation or termination needs its layer (title10, title22 or statute)",
            )
        if v["id"] and not ID_RX.fullmatch(v["id"]):
            bad("id", f"{v['id']!r}: use lowercase letters, digits and dashes, e.g. "
                "mnna-col-designate-2022")
        if v["country"] == WHOLE and v["action"] and v["action"] not in WHOLE_ACTIONS:
            bad("country", f"'*' (the treaty as a whole) cannot {v['action']}; name a country")
        if v["dispute"] and v["dispute"] not in DISPUTES:
            bad("dispute", f"{v['dispute']!r}: use date or status")
        if v["dispute"] and not v["disputed"]:
            bad("dispute", "set only with a 'disputed' note saying what sources disagree on")
        if v["basis"] and v["basis"] not in BASES:
            bad("basis", f"{v['basis']!r}: use reported or inferred")
        if v["confidence"] and v["confidence"] not in CONFIDENCES:
            bad("confidence", f"{v['confidence']!r}: use high, medium or low")
        sources = tuple(v["sources"].split())
        for s in sources:
            if not s.startswith(("http://", "https://")):
                bad("sources", f"{s!r} is not an http(s) URL")
        recorded_at = parse_recorded_at(row.get("recorded_at") or "", bad)
        if problems and problems[-1].startswith(where):
            continue
        assert date is not None
        events.append(
            Event(
                id=v["id"],
                framework=v["framework"],
                country=v["country"],
                action=v["action"],
                intent_of=v["intent_of"],
                date=date,
                alt_dates=tuple(alts),
                layer=v["layer"],
                instrument=v["instrument"],
                basis=v["basis"],
                confidence=v["confidence"],
                disputed=v["disputed"],
                dispute=v["dispute"] or (
                    ("date" if alts else "status") if v["disputed"] else ""
                ),
                sources=sources,
                note=v["note"],
                origin=where,
                recorded_at=recorded_at,
                recorded_by=(row.get("recorded_by") or "").strip(),
            )
        )
    if problems:
        raise DataError(problems)
    return events


def _csv_rows(reader: csv.DictReader[str], origin: str) -> Iterator[dict[str, Any]]:
    """The reader's rows; a CSV it cannot parse is a DataError naming the line."""
    try:
        yield from reader
    except csv.Error as e:
        raise DataError(
            [f"{origin} line {reader.line_num}: unreadable CSV ({e}); save it as UTF-8 CSV"]
        ) from None


def parse_recorded_at(text: str, bad: Any) -> dt.datetime | None:
    """`recorded_at`: an ISO 8601 UTC time (2026-12-08T09:30:00Z) or day; empty is allowed."""
    text = text.strip()
    if not text:
        return None
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        bad("recorded_at", f"bad time {text!r}: use UTC ISO 8601, e.g. 2026-12-08T09:30:00Z")
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(dt.UTC)


def check_unique(events: Iterable[Event]) -> list[str]:
    """Duplicate ids, and the same fact (framework, country, action, date) entered twice."""
    seen: dict[str, Event] = {}
    facts: dict[tuple[str, str, str, str, str], Event] = {}
    out = []
    for e in events:
        if e.id in seen:
            row, other = _blamed(e, seen[e.id])
            out.append(f"{row.origin}, column id: duplicate id {e.id!r} (also at {other.origin})")
        else:
            seen[e.id] = e
        key = (e.framework, e.country, e.action, e.intent_of or "", str(e.date))
        first = facts.setdefault(key, e)
        if first is not e:
            row, other = _blamed(e, first)
            out.append(
                f"{row.origin}: same {e.action} of {e.country} in {e.framework} on {e.date} as "
                f"{other.id!r} ({other.origin}); merge the sources into one row"
            )
    return out


def _blamed(later: Event, earlier: Event) -> tuple[Event, Event]:
    """(the row to report, the row it conflicts with): the user's own row (from a --data
    file) when one of the two is, since that is the row its author can change."""
    if earlier.user and not later.user:
        return earlier, later
    return later, earlier
