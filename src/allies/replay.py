"""Replay: measure the queue's freshness on real history.

The ledger is cut at a day (events dated after it hidden), as if it had been kept current
until then; a corpus is read and checked against the cut ledger and its findings queued in a
throwaway store. The report says which later real changes (the hidden events the reader can
read: MNNA and NATO steps dated within `window` days after the cut) the queue surfaced, how
many days after the event each first appeared (its earliest publication date in the
corpus), and how many false candidates (matching no real change) came with them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .check import SAME_STEP, check
from .dates import PartialDate, parse_day
from .errors import AlliesError
from .events import WHOLE, Event
from .ledger import Ledger, load_ledger
from .review import Store
from .scan import Options, scan

READ_FRAMEWORKS = ("mnna", "nato")  # what the news reader extracts
MATCH_DAYS = 10  # a candidate matches a change when their dates are this close
GOAL_RECALL = 0.9
GOAL_FALSE_PER_TRUE = 1.0


def cut(ledger: Ledger, day: dt.date) -> Ledger:
    """The ledger with the events dated after `day` hidden."""
    return Ledger([e for e in ledger.events if e.date.start <= day], ledger.frameworks,
                  ledger.countries, ledger.info)


def _ledger_steps(action: str, intent: str) -> set[str]:
    key = (action, intent if action in ("announce_intent", "notify_congress") else "")
    return {a for a, _ in SAME_STEP.get(key, {(action, "")})} | {action}


def _matches(c: dict[str, Any], e: Event) -> bool:
    if (c["framework"], c["country"]) != (e.framework, e.country):
        return False
    intent = c["intent_of"] or ("designate" if c["action"] in ("announce_intent",
                                                              "notify_congress") else "")
    if e.action not in _ledger_steps(c["action"], intent):
        return False
    if c["date_lo"] is None:
        return True
    slack = dt.timedelta(days=MATCH_DAYS)
    lo, hi = dt.date.fromisoformat(c["date_lo"]), dt.date.fromisoformat(c["date_hi"])
    return lo - slack <= e.date.end and e.date.start - slack <= hi


def _exact(c: dict[str, Any], e: Event) -> bool:
    """The candidate names the very step (not a related one, as an intent for a notice)."""
    if c["action"] == "announce_intent" and c["intent_of"] == "terminate":
        return e.action == "announce_termination"
    return c["action"] == e.action


def replay(
    paths: Sequence[str | os.PathLike[str]],
    known_through: str | dt.date,
    *,
    data: str | None = None,
    window: int = 120,
    workers: int = 1,
    store_path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Run a replay; returns the report (a plain dict, the shape of `allies replay --json`)."""
    day = parse_day(known_through, "--known-through date")
    full = load_ledger(data)
    past = cut(full, day)
    end = day + dt.timedelta(days=window)
    hidden = [e for e in full.events
              if day < e.date.start and e.country != WHOLE and e.framework in READ_FRAMEWORKS]
    changes = [e for e in hidden if e.date.start <= end]
    shards, results = scan(paths, workers=workers, opts=Options(sign=True))
    articles = 0
    docs: list[dict[str, Any]] = []
    for r in results:
        articles += r.articles
        docs.extend(check(d, past) for d in r.docs)
    with tempfile.TemporaryDirectory(prefix="allies-replay-") as tmp:
        with Store(store_path or Path(tmp) / "replay.sqlite") as store:
            store.import_docs(_after(docs, day))
            cands = [c for c in store.list("all") if c["kind"] == "new_event"]
            first_seen = {c["id"]: _first_published(store, c["id"]) for c in cands}
    return report(day, window, articles, changes, cands, first_seen, hidden)


def _after(docs: Iterable[dict[str, Any]], day: dt.date) -> Iterable[dict[str, Any]]:
    """What a queue kept since the cut would have seen: articles published after it; of an
    undated article, only the steps it dates after the cut."""
    cut_day = day.isoformat()
    for d in docs:
        pub = d.get("published")
        if pub:
            if str(pub)[:10] > cut_day:
                yield d
            continue
        events = [e for e in d.get("events", [])
                  if isinstance(e, dict) and str(e.get("date") or "")[:10] > cut_day]
        if events:
            yield {**d, "events": events}


def _first_published(store: Store, cid: int) -> str | None:
    row = store.db.execute(
        "SELECT min(coalesce(published, date)) FROM findings WHERE candidate_id=?", (cid,)
    ).fetchone()
    return row[0] if row else None


def _partial(value: str | None) -> PartialDate | None:
    try:
        return PartialDate.parse(value[:10]) if value else None
    except AlliesError:
        return None


def report(day: dt.date, window: int, articles: int, changes: list[Event],
           cands: list[dict[str, Any]], first_seen: dict[int, str | None],
           hidden: list[Event] | None = None) -> dict[str, Any]:
    """Changes within the window count for recall; a candidate matching any hidden real
    change (even one after the window) is not false."""
    used: set[int] = {c["id"] for c in cands for e in (hidden or []) if _matches(c, e)}
    rows = []
    for e in changes:
        hits = [c for c in cands if _matches(c, e)]
        used.update(c["id"] for c in hits)
        exact = [c for c in hits if _exact(c, e)]
        hits = exact or hits
        seen = sorted(d.start for c in hits if (d := _partial(first_seen.get(c["id"]))))
        days = (seen[0] - e.date.start).days if seen else None
        rows.append({"event": e.id, "date": str(e.date), "surfaced": bool(hits),
                     "candidate": hits[0]["id"] if hits else None, "days_after": days})
    false = [
        {"id": c["id"], "framework": c["framework"], "country": c["country"],
         "action": c["action"], "date": c["date_lo"], "sources": c["sources"]}
        for c in cands if c["id"] not in used
    ]
    surfaced = sum(1 for r in rows if r["surfaced"])
    recall = surfaced / len(rows) if rows else 1.0
    per_true = len(false) / surfaced if surfaced else float(len(false))
    return {
        "known_through": day.isoformat(),
        "window_days": window,
        "articles": articles,
        "changes": rows,
        "false_candidates": false,
        "summary": {
            "changes": len(rows), "surfaced": surfaced, "recall": recall,
            "candidates": len(cands), "false_candidates": len(false),
            "false_per_true": per_true,
            "goals_met": recall >= GOAL_RECALL and per_true <= GOAL_FALSE_PER_TRUE,
        },
    }
