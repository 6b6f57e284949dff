"""The data behind the pages: plain dicts computed from the ledger (each page's `.json` twin
returns exactly this), plus the map categories and the check page's highlighted text."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from ..ledger import Ledger

# Map categories, highest tier first: a country is coloured by the highest tier it reaches.
CATEGORIES: list[tuple[str, str]] = [
    ("nato", "NATO member"),
    ("treaty", "Treaty ally"),
    ("mnna", "Major Non-NATO Ally"),
    ("announced", "Intent announced"),
    ("former", "Former ally"),
    ("other", "Other status"),
]
CATEGORY_LABEL = dict(CATEGORIES)
STATE_LABEL = {
    "announced": "intent announced",
    "active": "active",
    "suspended": "suspended",
    "former": "former",
}
# What `announced` means depends on the kind of framework.
ANNOUNCED_LABEL = {
    "designation": "intent announced",
    "alliance": "invited or signed, not yet a member",
    "treaty": "signed, not yet a party",
}
LATEST_CHANGES = 12
VERDICT_LABEL = {
    "confirmed": "confirmed",
    "contradicted": "contradicted",
    "not_in_ledger": "not in ledger",
}


def category(ledger: Ledger, states: dict[str, str]) -> str:
    """Highest tier reached: NATO, treaty ally, MNNA, intent announced, former, other."""
    active = [fw for fw, s in states.items() if s == "active"]
    if "nato" in active:
        return "nato"
    if any(ledger.frameworks[fw].kind == "treaty" for fw in active):
        return "treaty"
    if "mnna" in active:
        return "mnna"
    if states.get("mnna") == "announced" or states.get("nato") == "announced":
        return "announced"
    if not active and any(s in ("former", "suspended") for s in states.values()):
        return "former"
    return "other"


def state_label(ledger: Ledger, state: str, fw: str | None = None) -> str:
    if state == "announced" and fw in ledger.frameworks:
        return ANNOUNCED_LABEL[ledger.frameworks[fw].kind]
    return STATE_LABEL.get(state, state)


def status_label(ledger: Ledger, fw: str, state: str) -> str:
    return f"{ledger.frameworks[fw].short}: {state_label(ledger, state, fw)}"


def country_rows(ledger: Ledger, day: dt.date) -> list[dict[str, Any]]:
    """Every country with a status on `day`, its statuses and its map category."""
    rows: list[dict[str, Any]] = []
    for iso3 in sorted({c for _, c in ledger.timelines}):
        statuses = []
        states: dict[str, str] = {}
        for fw in ledger.frameworks_of(iso3):
            snap = ledger.state_of(fw, iso3, day)
            if snap.state == "none":
                continue
            states[fw] = snap.state
            s: dict[str, Any] = {"framework": fw, "state": snap.state}
            s["since"] = str(snap.since) if snap.since else None
            s["pending"] = snap.pending
            statuses.append(s)
        if not statuses:
            continue
        c = ledger.countries.get(iso3)
        row: dict[str, Any] = {
            "iso3": iso3,
            "name": c.name,
            "category": category(ledger, states),
            "statuses": statuses,
        }
        rows.append(row)
    rows.sort(key=lambda r: str(r["name"]))
    return rows


def home_data(ledger: Ledger, day: dt.date) -> dict[str, Any]:
    rows = country_rows(ledger, day)
    counts = {cid: 0 for cid, _ in CATEGORIES}
    for r in rows:
        counts[r["category"]] += 1
    first = ledger.events[0].date.start if ledger.events else day
    ch = ledger.changes(min(first, day), day)
    latest = list(reversed(ch["events"][-LATEST_CHANGES:]))
    return {
        "on": day.isoformat(),
        "categories": [
            {"id": cid, "label": label, "count": counts[cid]} for cid, label in CATEGORIES
        ],
        "countries": rows,
        "changes": latest,
        "data": ledger.info.to_dict(),
    }


def country_data(ledger: Ledger, iso3: str, day: dt.date) -> dict[str, Any]:
    status = ledger.status(iso3, day)
    states = {s["framework"]: s["state"] for s in status["statuses"]}
    return {
        "on": day.isoformat(),
        "category": category(ledger, states) if states else None,
        "status": status,
        "history": ledger.history(iso3),
        "entails": ledger.entails(iso3, day),
        "data": ledger.info.to_dict(),
    }


def year_counts(ledger: Ledger, fid: str, today: dt.date) -> list[dict[str, Any]]:
    """Active members on 31 December of each year (on `today` for the current year)."""
    keys = [iso3 for fw, iso3 in ledger.timelines if fw == fid]
    starts = [e.date.start.year for e in ledger.events if e.framework == fid]
    if not starts:
        return []
    out = []
    for year in range(min(starts), today.year + 1):
        day = today if year == today.year else dt.date(year, 12, 31)
        n = sum(1 for c in keys if ledger.state_of(fid, c, day).state == "active")
        out.append({"year": year, "on": day.isoformat(), "count": n})
    return out


def framework_data(ledger: Ledger, fid: str, day: dt.date, today: dt.date) -> dict[str, Any]:
    f = ledger.framework(fid)
    return {
        "framework": f.to_dict(),
        "members": ledger.members(f.id, day),
        "counts": year_counts(ledger, f.id, today),
        "data": ledger.info.to_dict(),
    }


def bar_chart(counts: list[dict[str, Any]], width: int = 640, height: int = 170) -> dict[str, Any]:
    """Geometry of a small server-side SVG bar chart (one bar per year, decade labels)."""
    if not counts:
        return {"width": width, "height": height, "bars": [], "max": 0, "labels": []}
    top = max(c["count"] for c in counts) or 1
    left, bottom, head = 28, 18, 8
    plot_h = height - bottom - head
    bw = (width - left) / len(counts)
    bars, labels = [], []
    for i, c in enumerate(counts):
        h = round(c["count"] / top * plot_h, 1)
        x = round(left + i * bw, 2)
        bars.append(
            {
                "x": x,
                "y": round(head + plot_h - h, 1),
                "w": round(max(bw - 1, 0.5), 2),
                "h": h,
                "year": c["year"],
                "count": c["count"],
            }
        )
        if c["year"] % 10 == 0:
            labels.append({"x": round(x + bw / 2, 1), "year": c["year"]})
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "max": top,
        "labels": labels,
        "left": left,
        "base": head + plot_h,
        "head": head,
    }


# -- map ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorldMap:
    view_box: str
    paths: dict[str, str]
    points: dict[str, list[float]]
    source: str


@cache
def world_map() -> WorldMap:
    raw = resources.files("allies").joinpath("static/world_paths.json").read_text("utf-8")
    d = json.loads(raw)
    return WorldMap(d["viewBox"], d["paths"], d.get("points", {}), d.get("source", ""))


def map_shapes(ledger: Ledger, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One shape per mapped country: its path (or dot), category, statuses and tooltip."""
    wm = world_map()
    by_iso3 = {r["iso3"]: r for r in rows}
    shapes = []
    for iso3, d in wm.paths.items():
        shapes.append(_shape(ledger, iso3, by_iso3.get(iso3), d=d))
    for iso3, (x, y) in wm.points.items():
        r = by_iso3.get(iso3)
        if r is not None:  # small countries: a dot, only when they have a status
            shapes.append(_shape(ledger, iso3, r, cx=x, cy=y))
    return shapes


def _shape(
    ledger: Ledger,
    iso3: str,
    row: dict[str, Any] | None,
    d: str | None = None,
    cx: float | None = None,
    cy: float | None = None,
) -> dict[str, Any]:
    if row is None:
        name = ledger.countries.get(iso3).name if iso3 in ledger.countries else iso3
        cat, tokens, title = "none", "", f"{name}: no recorded status"
    else:
        name, cat = row["name"], row["category"]
        tokens = " ".join(f"{s['framework']}:{s['state']}" for s in row["statuses"])
        parts = [status_label(ledger, s["framework"], s["state"]) for s in row["statuses"]]
        title = f"{name}: {CATEGORY_LABEL[cat]} ({'; '.join(parts)})"
    return {
        "iso3": iso3,
        "d": d,
        "cx": cx,
        "cy": cy,
        "category": cat,
        "statuses": tokens,
        "title": title,
    }


# -- check page --------------------------------------------------------------------------------


def verdict_items(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Events and claims of a checked reading, numbered, each with its evidence span."""
    items = []
    for kind in ("events", "claims"):
        for it in result.get(kind, []):
            items.append({"kind": kind[:-1], **it})
    items.sort(key=lambda i: (i["evidence"]["start"], i["evidence"]["end"]))
    for n, it in enumerate(items, start=1):
        it["n"] = n
    return items


def highlight(text: str, items: list[dict[str, Any]]) -> tuple[Markup, dict[int, str]]:
    """`text` as HTML with each evidence span in a `<mark id="ev-N">`; every piece escaped.

    Overlapping spans share the first span's mark. Returns the HTML and item n -> mark id.
    """
    out: list[str] = []
    pos = 0
    mark_of: dict[int, str] = {}
    cur_end = -1
    cur_id = ""
    for it in items:
        ev = it["evidence"]
        start, end = int(ev["start"]), int(ev["end"])
        if not (0 <= start < end <= len(text)):
            continue
        if start < cur_end:  # overlaps the previous mark
            mark_of[it["n"]] = cur_id
            continue
        cur_id, cur_end = f"ev-{it['n']}", end
        mark_of[it["n"]] = cur_id
        out.append(str(escape(text[pos:start])))
        cls = f"v-{it.get('verdict', 'none')}"
        out.append(f'<mark id="{cur_id}" class="{cls}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out)), mark_of
