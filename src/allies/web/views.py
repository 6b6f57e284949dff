"""The data behind the pages: plain dicts computed from the ledger (each page's `.json` twin
returns exactly this), plus the map categories and the check page's highlighted text."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from ..frameworks import guarantee_terms
from ..ledger import Ledger, _with_future_warning

# Map categories, highest tier first: a country is coloured by the highest tier it reaches.
CATEGORIES: list[tuple[str, str]] = [
    ("nato", "NATO member"),
    ("treaty", "Treaty ally"),
    ("mnna", "Major Non-NATO Ally"),
    ("announced", "Intent announced"),
    ("former", "Former or suspended ally"),
    ("other", "Other status"),
]
CATEGORY_LABEL = dict(CATEGORIES)
# Secondary map marks: an MNNA status (active, or intent announced) on a country whose fill
# shows a higher tier (Colombia, a Rio Treaty party, in 2022). Drawn as a pattern overlay.
MARKS: list[tuple[str, str]] = [
    ("mnna", "also MNNA"),
    ("announced", "also MNNA intent announced"),
]
MARK_LABEL = dict(MARKS)
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
RECORD_START = dt.date(1947, 1, 1)
UNIFICATION = dt.date(1990, 10, 3)  # German unification: the GDR joins the Federal Republic
# A country whose shape is smaller than this (map units, 1000 wide) also gets a marker.
SMALL_SHAPE = 12.0
VERDICT_LABEL = {
    "confirmed": "confirmed",
    "contradicted": "contradicted",
    "undated": "undated",
    "not_in_ledger": "not in ledger",
}


def category(ledger: Ledger, states: dict[str, str]) -> str:
    """Highest tier reached: NATO, treaty ally, MNNA, intent announced, former or suspended
    (no active status left), other."""
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


def holds(ledger: Ledger, states: dict[str, str], cat: str) -> list[str]:
    """Every map category the country holds (not only its highest tier), in tier order."""
    out = []
    if states.get("nato") == "active":
        out.append("nato")
    if any(s == "active" and ledger.frameworks[fw].kind == "treaty" for fw, s in states.items()):
        out.append("treaty")
    if states.get("mnna") == "active":
        out.append("mnna")
    if "announced" in (states.get("mnna"), states.get("nato")):
        out.append("announced")
    if any(s in ("former", "suspended") for s in states.values()):
        out.append("former")
    if cat == "other":
        out.append("other")
    return out


def mark(states: dict[str, str], cat: str) -> str | None:
    """The secondary mark: an MNNA status the fill (a higher tier) does not show."""
    m = states.get("mnna")
    if m == "active" and cat != "mnna":
        return "mnna"
    if m == "announced" and cat != "announced":
        return "announced"
    return None


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
        cat = category(ledger, states)
        row: dict[str, Any] = {
            "iso3": iso3,
            "name": c.name,
            "category": cat,
            "statuses": statuses,
            "holds": holds(ledger, states, cat),
            "mark": mark(states, cat),
        }
        rows.append(row)
    rows.sort(key=lambda r: str(r["name"]))
    return rows


def home_data(ledger: Ledger, day: dt.date) -> dict[str, Any]:
    rows = country_rows(ledger, day)
    coloured = {cid: 0 for cid, _ in CATEGORIES}
    holding = {cid: 0 for cid, _ in CATEGORIES}
    marked = {mid: 0 for mid, _ in MARKS}
    for r in rows:
        coloured[r["category"]] += 1
        for h in r["holds"]:
            holding[h] += 1
        if r["mark"]:
            marked[r["mark"]] += 1
    first = ledger.events[0].date.start if ledger.events else day
    ch = ledger.changes(min(first, day), day)
    latest = list(reversed(ch["events"][-LATEST_CHANGES:]))
    return {
        "on": day.isoformat(),
        # count: countries holding the status (a country may hold several);
        # coloured: countries whose fill (highest tier) is this category.
        "categories": [
            {"id": cid, "label": label, "count": holding[cid], "coloured": coloured[cid]}
            for cid, label in CATEGORIES
        ],
        "marks": [{"id": mid, "label": label, "count": marked[mid]} for mid, label in MARKS],
        "countries": rows,
        "changes": latest,
        "notes": map_notes(day),
        "data": ledger.info.to_dict(),
    }


def map_notes(day: dt.date) -> list[str]:
    """What the map cannot show on `day`: the record's start, modern borders, the future."""
    notes = []
    if day < RECORD_START:
        notes.append(
            f"{day} is before 1947, where the record starts: no status before then is recorded, "
            "so the map is empty"
        )
    if day < UNIFICATION:
        notes.append(
            "The map draws today's borders: before 3 October 1990 Germany's shape includes "
            "the former GDR (East Germany), which was never in NATO or any U.S. alliance; "
            "the colour shows West Germany's status"
        )
    notes.extend(_with_future_warning({}, day).get("warnings", []))
    return notes


def frameworks_index(ledger: Ledger, day: dt.date) -> dict[str, Any]:
    """Every framework with its kind, guarantee and member count on `day`."""
    rows = []
    for f in ledger.frameworks.values():
        m = ledger.members(f.id, day)
        rows.append(
            {
                "id": f.id,
                "name": f.name,
                "short": f.short,
                "kind": f.kind,
                "security_guarantee": f.security_guarantee,
                "guarantee_citation": f.guarantee_citation,
                "members": m["count"],
                "suspended": len(m["suspended"]),
                "established": str(f.established) if f.established else None,
                "legal_basis": f.legal_basis,
            }
        )
    return {"on": day.isoformat(), "frameworks": rows, "data": ledger.info.to_dict()}

def country_data(ledger: Ledger, iso3: str, day: dt.date) -> dict[str, Any]:
    status = ledger.status(iso3, day)
    states = {s["framework"]: s["state"] for s in status["statuses"]}
    return {
        "on": day.isoformat(),
        "category": category(ledger, states) if states else None,
        "status": status,
        "history": ledger.history(iso3),
        "entails": ledger.entails(iso3, day),
        # what the guarantee's treaties actually commit, quoted and cited
        "guarantee_terms": guarantee_terms(ledger.frameworks, status["security_guarantee"]["via"]),
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


def map_markers(ledger: Ledger, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A marker for every country drawn as a shape too small to see or tap (Belgium is
    3x2 px on a phone): at the centre of its box, in its category (hidden when none)."""
    by_iso3 = {r["iso3"]: r for r in rows}
    out = []
    for iso3, (x, y) in small_shapes().items():
        out.append(_shape(ledger, iso3, by_iso3.get(iso3), cx=x, cy=y))
    return out


@cache
def small_shapes() -> dict[str, tuple[float, float]]:
    """ISO3 -> centre of the box of each country path smaller than SMALL_SHAPE both ways."""
    out = {}
    for iso3, d in world_map().paths.items():
        x0, y0, x1, y1 = path_box(d)
        if x1 - x0 < SMALL_SHAPE and y1 - y0 < SMALL_SHAPE:
            out[iso3] = (round((x0 + x1) / 2, 1), round((y0 + y1) / 2, 1))
    return out


_PATH_TOKEN = re.compile(r"[MmLlHhVvZz]|-?(?:\d+\.?\d*|\.\d+)")


def path_box(d: str) -> tuple[float, float, float, float]:
    """Bounding box (x0, y0, x1, y1) of an SVG path of M/L/H/V/Z commands, absolute or
    relative (the form scripts/build_map.py writes)."""
    xs: list[float] = []
    ys: list[float] = []
    x = y = sx = sy = 0.0
    cmd = "M"
    nums: list[float] = []

    def flush() -> None:
        nonlocal x, y, sx, sy, cmd
        step = {"M": 2, "L": 2, "H": 1, "V": 1}.get(cmd.upper(), 0)
        rel = cmd.islower()
        first = True
        while step and len(nums) >= step:
            a = nums.pop(0)
            b = nums.pop(0) if step == 2 else 0.0
            if cmd.upper() == "H":
                x = x + a if rel else a
            elif cmd.upper() == "V":
                y = y + a if rel else a
            else:
                x, y = (x + a, y + b) if rel else (a, b)
            if cmd.upper() == "M" and first:
                sx, sy = x, y
                first = False
            xs.append(x)
            ys.append(y)
        nums.clear()

    for tok in _PATH_TOKEN.findall(d):
        if tok.isalpha():
            flush()
            cmd = tok
            if tok in "Zz":
                x, y = sx, sy
        else:
            nums.append(float(tok))
    flush()
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs), max(ys))


def _shape(
    ledger: Ledger,
    iso3: str,
    row: dict[str, Any] | None,
    d: str | None = None,
    cx: float | None = None,
    cy: float | None = None,
) -> dict[str, Any]:
    mk = None
    if row is None:
        name = ledger.countries.get(iso3).name if iso3 in ledger.countries else iso3
        cat, tokens, title = "none", "", f"{name}: no recorded status"
    else:
        name, cat, mk = row["name"], row["category"], row["mark"]
        tokens = " ".join(f"{s['framework']}:{s['state']}" for s in row["statuses"])
        parts = [status_label(ledger, s["framework"], s["state"]) for s in row["statuses"]]
        also = f", {MARK_LABEL[mk]}" if mk else ""
        title = f"{name}: {CATEGORY_LABEL[cat]}{also} ({'; '.join(parts)})"
    return {
        "iso3": iso3,
        "d": d,
        "cx": cx,
        "cy": cy,
        "category": cat,
        "mark": mk,
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


@dataclass
class _Mark:
    start: int
    end: int
    id: str
    cls: str
    items: list[int]


def highlight(text: str, items: list[dict[str, Any]]) -> tuple[Markup, dict[int, dict[str, Any]]]:
    """`text` as HTML with each evidence span in a `<mark>`; every piece escaped.

    An item's main evidence is marked ``ev-N``, each of its `also_evidence` sentences
    ``ev-N-also-K``; each mark is followed by links to the verdicts it supports. A span that
    overlaps an earlier mark shares it. Returns the HTML and, per item n,
    ``{"main": mark id | None, "also": [mark ids]}``.
    """
    spans: list[tuple[int, int, int, int, str]] = []  # start, end, k (0: main), n, verdict
    for it in items:
        verdict = str(it.get("verdict", "none"))
        evs = [it["evidence"], *(it.get("also_evidence") or [])]
        for k, ev in enumerate(evs):
            try:
                start, end = int(ev["start"]), int(ev["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= start < end <= len(text):
                spans.append((start, end, k, it["n"], verdict))
    spans.sort()
    found: dict[int, dict[str, Any]] = {it["n"]: {"main": None, "also": []} for it in items}
    marks: list[_Mark] = []
    for start, end, k, n, verdict in spans:
        if marks and start < marks[-1].end:  # overlaps the previous mark: share it
            m = marks[-1]
        else:
            mid = f"ev-{n}" if k == 0 else f"ev-{n}-also-{k}"
            m = _Mark(start, end, mid, f"v-{verdict}" + (" also" if k else ""), [])
            marks.append(m)
        if n not in m.items:
            m.items.append(n)
        slot = found[n]
        if k == 0 and slot["main"] is None:
            slot["main"] = m.id
        elif m.id != slot["main"] and m.id not in slot["also"]:
            slot["also"].append(m.id)
    out: list[str] = []
    pos = 0
    for m in marks:
        out.append(str(escape(text[pos : m.start])))
        out.append(
            f'<mark id="{m.id}" class="{m.cls}" data-items="{" ".join(map(str, m.items))}">'
            f"{escape(text[m.start : m.end])}</mark>"
        )
        refs = "".join(
            f'<a href="#verdict-{n}" aria-label="verdict {n}">{n}</a>' for n in m.items
        )
        out.append(f'<sup class="vref">{refs}</sup>')
        pos = m.end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out)), found
