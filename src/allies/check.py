"""Check a reading against the ledger: each event and claim gets a verdict.

The reader knows only the text and the ledger only the record; this is where they meet.
Verdicts: ``confirmed``, ``contradicted`` (with the ledger's fact and its sources) or
``not_in_ledger`` (a possible new event, for review).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from .dates import PartialDate
from .errors import AlliesError
from .events import brief
from .ledger import Ledger, load_ledger

# Reader action (+ intent) -> ledger actions that record the same step.
SAME_STEP: dict[tuple[str, str], set[tuple[str, str]]] = {
    ("announce_intent", "designate"): {("announce_intent", ""), ("notify_congress", "designate")},
    ("announce_intent", "terminate"): {
        ("announce_termination", ""),
        ("notify_congress", "terminate"),
    },
    ("notify_congress", "designate"): {("notify_congress", "designate"), ("announce_intent", "")},
    ("notify_congress", "terminate"): {
        ("notify_congress", "terminate"),
        ("announce_termination", ""),
    },
    ("designate", ""): {("designate", ""), ("treat_as", "")},
    ("treat_as", ""): {("treat_as", ""), ("designate", "")},
    ("terminate", ""): {("terminate", "")},
    ("invite", ""): {("invite", "")},
    ("accede", ""): {("accede", ""), ("enter_into_force", ""), ("join", "")},
}
# State the ledger must show once the step has happened.
STATE_AFTER: dict[str, tuple[str, ...]] = {
    "announce_intent": ("announced", "active", "former"),
    "notify_congress": ("announced", "active", "former"),
    "designate": ("active",),
    "treat_as": ("active",),
    "terminate": ("former",),
    "invite": ("announced", "active"),
    "accede": ("active",),
}
TOLERANCE = dt.timedelta(days=3)  # reporting lag and time zones


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def _near(a: PartialDate, b: PartialDate) -> bool:
    return a.start - TOLERANCE <= b.end and b.start - TOLERANCE <= a.end


def _gap_days(a: PartialDate, b: PartialDate) -> int:
    """Days between two dates' periods (0 when they overlap)."""
    if a.start <= b.end and b.start <= a.end:
        return 0
    return min(abs((a.start - b.end).days), abs((b.start - a.end).days))


def _shows(fw: str, state: str) -> str:
    return f"no {fw} status" if state == "none" else f"{fw} {state}"


def _day(value: Any) -> PartialDate | None:
    if not value:
        return None
    try:
        return PartialDate.parse(str(value))
    except AlliesError:
        return None


def _state_view(ledger: Ledger, fw: str, iso3: str, day: dt.date) -> dict[str, Any]:
    snap = ledger.state_of(fw, iso3, day)
    view: dict[str, Any] = {"on": day.isoformat(), "state": snap.state}
    if snap.since is not None:
        view["since"] = str(snap.since)
        view["precision"] = snap.since.precision
    if snap.pending:
        view["pending"] = snap.pending
    if snap.decided_by is not None:
        view["sources"] = list(snap.decided_by.sources)
    return view


def check_event(
    ledger: Ledger, ev: dict[str, Any], published: PartialDate | None
) -> dict[str, Any]:
    fw, iso3, action = ev["framework"], ev["country"], ev["action"]
    intent = ev.get("intent_of") or (
        "designate" if action in ("announce_intent", "notify_congress") else ""
    )
    date = _day(ev.get("date")) or published
    day = date.end if date else dt.date.today()
    out = dict(ev)
    view = _state_view(ledger, fw, iso3, day)
    tl = ledger.timelines.get((fw, iso3))
    same = SAME_STEP.get(
        (action, intent if action in ("announce_intent", "notify_congress") else ""), set()
    )
    matches = [
        e
        for e in (tl.events if tl else [])
        if (e.action, e.intent_of) in same or (e.action, "") in same
    ]
    undated = ev.get("date_basis") == "publication" and date is not None
    if undated and date is not None:
        # The text gives no date: the step happened on or before publication.
        limit = date.end + TOLERANCE
        near = sorted((e for e in matches if e.date.start <= limit), key=lambda e: e.sort_key)
        near = near[-1:]
    else:
        near = [e for e in matches if date is None or _near(date, e.date)]
    name = ledger.countries.get(iso3).name if iso3 in ledger.countries else iso3
    if near:
        out["verdict"] = "confirmed"
        fact = f"ledger records {near[0].action} of {name} on {near[0].date}"
        gap = _gap_days(date, near[0].date) if date is not None else 0
        if undated:
            fact += f" (the text gives no date; published {date})"
        elif gap:
            out["date_differs_by_days"] = gap
            fact += f"; the text's date {date} differs by {gap} day{'s' if gap > 1 else ''}"
        view["event"] = brief(near[0])
    elif tl is None:
        out["verdict"] = "not_in_ledger"
        fact = f"ledger has no {fw} record for {name}: possible new event, for review"
    elif matches:
        out["verdict"] = "contradicted"
        m = min(matches, key=lambda e: abs((e.date.start - day).days))
        fact = (
            f"on {day} the ledger shows {_shows(fw, view['state'])} for {name}; "
            f"{m.action} came on {m.date}"
        )
        view["event"] = brief(m)
    elif view["state"] in STATE_AFTER.get(action, ()) and action not in (
        "announce_intent",
        "notify_congress",
    ):
        out["verdict"] = "confirmed"
        fact = f"on {day} the ledger shows {_shows(fw, view['state'])} for {name}"
    elif tl.events and date is not None and date.start > tl.events[-1].date.end:
        out["verdict"] = "not_in_ledger"
        fact = (
            f"ledger's last {fw} event for {name} is {tl.events[-1].action} on "
            f"{tl.events[-1].date}: possible new event, for review"
        )
    else:
        out["verdict"] = "contradicted"
        fact = (
            f"on {day} the ledger shows {_shows(fw, view['state'])} for {name} and no such step"
        )
    view["fact"] = fact
    view["security_guarantee"] = ledger.status(iso3, day)["security_guarantee"]
    out["ledger"] = view
    return out


def check_claim(
    ledger: Ledger, cl: dict[str, Any], published: PartialDate | None
) -> dict[str, Any]:
    fw, iso3, state = cl["framework"], cl["country"], cl["state"]
    day = published.end if published else dt.date.today()
    view = _state_view(ledger, fw, iso3, day)
    name = ledger.countries.get(iso3).name if iso3 in ledger.countries else iso3
    out = dict(cl)
    out["verdict"] = "confirmed" if view["state"] == state else "contradicted"
    since = f" since {view['since']}" if "since" in view else ""
    view["fact"] = f"on {day} the ledger shows {_shows(fw, view['state'])}{since} for {name}"
    out["ledger"] = view
    return out


def check(reading: HasToDict | dict[str, Any], ledger: Ledger | None = None) -> dict[str, Any]:
    """Compare a reading (``allies.read.read(...)`` or its dict) with the ledger."""
    ledger = ledger or load_ledger()
    doc = reading if isinstance(reading, dict) else reading.to_dict()
    published = _day(doc.get("published"))
    out = dict(doc)
    out["events"] = [check_event(ledger, e, published) for e in doc.get("events", [])]
    out["claims"] = [check_claim(ledger, c, published) for c in doc.get("claims", [])]
    counts: dict[str, int] = {"confirmed": 0, "contradicted": 0, "not_in_ledger": 0}
    for item in (*out["events"], *out["claims"]):
        counts[item["verdict"]] += 1
    out["summary"] = counts
    return out
