"""Exports of the ledger: CSV, JSON, SQLite (opens in Datasette as is) and a country-year panel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from .errors import AlliesError
from .events import COLUMNS, WHOLE
from .ledger import Ledger, disputes_at

FORMATS = ("csv", "json", "sqlite", "panel")


def events_csv(ledger: Ledger) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*COLUMNS, "precision", "country_name"])
    for e in ledger.events:
        d = e.to_dict()
        row = []
        for col in COLUMNS:
            v = d.get(col, "")
            if col == "alt_dates":
                v = ";".join(d.get("alt_dates", []))
            elif col == "sources":
                v = " ".join(e.sources)
            row.append(v)
        name = "" if e.country == WHOLE else ledger.countries.get(e.country).name
        w.writerow([*row, e.date.precision, name])
    return buf.getvalue()


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    return {
        "version": ledger.info.to_dict(),
        "frameworks": ledger.frameworks_list(),
        "events": [e.to_dict() for e in ledger.events],
    }


def panel_rows(ledger: Ledger, today: dt.date | None = None) -> tuple[list[str], list[list[Any]]]:
    """Country-year table per framework: `FW` is 1 when active on 31 December (today for the
    current year), `FW_state` the state that day, and `FW_any` 1 when active on any day of
    the year (the COW/ATOP convention: Mexico's Rio membership counts in 2004, the year it
    ended).

    Cells are 1 (active), 0 (not active) or empty outside coverage: before the framework's
    first event year, or in a year when the country had no COW state code (not yet
    independent, or occupied: Kenya before 1963, Slovakia before 1993, West Germany before
    1955).

    `disputed` lists (space-separated) the frameworks whose state on 31 December rests on a
    fact the sources disagree on (Venezuela's Rio status in 2019); `uncertain` those whose
    deciding event is known only to the month or year and falls in that year.
    """
    today = today or dt.date.today()
    fws = list(ledger.frameworks)
    first = {
        fw: min((e.date.start.year for e in ledger.events if e.framework == fw), default=None)
        for fw in fws
    }
    countries = sorted({c for (_, c) in ledger.timelines})
    start = min(y for y in first.values() if y is not None)
    header = [
        "iso3", "cow", "name", "year", *fws,
        *[f"{fw}_state" for fw in fws], *[f"{fw}_any" for fw in fws], "disputed", "uncertain",
    ]
    # active spans per (framework, country): [from, until) with until None = still active
    spans: dict[tuple[str, str], list[tuple[dt.date, dt.date | None]]] = {}
    for key, tl in ledger.timelines.items():
        spans[key] = [
            (fr.start, until.start if until else None)
            for state, fr, until, _ in tl.periods()
            if state == "active"
        ]
    rows: list[list[Any]] = []
    for iso3 in countries:
        c = ledger.countries.get(iso3)
        for year in range(start, today.year + 1):
            day = min(dt.date(year, 12, 31), today)
            jan1 = dt.date(year, 1, 1)
            vals: list[Any] = []
            states: list[Any] = []
            anys: list[Any] = []
            disputed: list[str] = []
            uncertain: list[str] = []
            cow = c.cow_in(year)
            for fw in fws:
                lo = first[fw]
                if lo is None or year < lo or cow is None:
                    vals.append("")
                    states.append("")
                    anys.append("")
                    continue
                snap = ledger.state_of(fw, iso3, day)
                tline = ledger.timelines.get((fw, iso3))
                if tline is not None and snap.state != "none":
                    _, n = tline.at(day)
                    if disputes_at(tline, snap, n, day):
                        disputed.append(fw)
                    if tline.uncertain(day, n):
                        uncertain.append(fw)
                vals.append(1 if snap.state == "active" else 0)
                states.append(snap.state)
                anys.append(int(any(
                    a <= day and (b is None or b > jan1) for a, b in spans.get((fw, iso3), [])
                )))
            rows.append([
                iso3, "" if cow is None else cow, c.name, year, *vals, *states, *anys,
                " ".join(disputed), " ".join(uncertain),
            ])
    return header, rows


def panel_csv(ledger: Ledger, today: dt.date | None = None) -> str:
    header, rows = panel_rows(ledger, today)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_sqlite(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write a SQLite file atomically (a temp file renamed into place: never half-written)."""
    target, fd, tmp = temp_beside(path, ".sqlite")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        with con:
            con.execute(
                "CREATE TABLE frameworks (id TEXT PRIMARY KEY, name TEXT, short TEXT, kind TEXT, "
                "designator TEXT, legal_basis TEXT, security_guarantee INTEGER, "
                "guarantee_citation TEXT, sources TEXT)"
            )
            con.execute(
                "CREATE TABLE countries (iso3 TEXT PRIMARY KEY, iso2 TEXT, name TEXT, cow INTEGER, "
                "cow_history TEXT)"
            )
            con.execute(
                "CREATE TABLE events (id TEXT PRIMARY KEY, "
                "framework TEXT REFERENCES frameworks(id), country TEXT, action TEXT, "
                "intent_of TEXT, date TEXT, precision TEXT, "
                "alt_dates TEXT, layer TEXT, instrument TEXT, basis TEXT, confidence TEXT, "
                "disputed TEXT, sources TEXT, note TEXT)"
            )
            con.execute(
                "CREATE TABLE entails (framework TEXT REFERENCES frameworks(id), id TEXT, "
                "kind TEXT, summary TEXT, citation TEXT, verified INTEGER, sources TEXT, "
                "condition TEXT, note TEXT)"
            )
            con.execute(
                "CREATE TABLE periods (framework TEXT, country TEXT, state TEXT, "
                "date_from TEXT, date_until TEXT, pending TEXT)"
            )
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            for f in ledger.frameworks.values():
                con.execute(
                    "INSERT INTO frameworks VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        f.id,
                        f.name,
                        f.short,
                        f.kind,
                        f.designator,
                        f.legal_basis,
                        int(f.security_guarantee),
                        f.guarantee_citation,
                        " ".join(f.sources),
                    ),
                )
                for en in f.entails:
                    con.execute(
                        "INSERT INTO entails VALUES (?,?,?,?,?,?,?,?,?)",
                        (
                            f.id,
                            en.id,
                            en.kind,
                            en.summary,
                            en.citation,
                            int(en.verified),
                            " ".join(en.sources),
                            en.condition or None,
                            en.note or None,
                        ),
                    )
            used = {e.country for e in ledger.events if e.country != WHOLE}
            for iso3 in sorted(used):
                c = ledger.countries.get(iso3)
                con.execute(
                    "INSERT INTO countries VALUES (?,?,?,?,?)",
                    (c.iso3, c.iso2, c.name, c.cow, ";".join(
                        f"{code}:{lo or ''}..{hi or ''}" for code, lo, hi in c.cow_history
                    ) or None),
                )
            for ev in ledger.events:
                con.execute(
                    "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        ev.id,
                        ev.framework,
                        ev.country,
                        ev.action,
                        ev.intent_of or None,
                        str(ev.date),
                        ev.date.precision,
                        ";".join(str(a) for a in ev.alt_dates) or None,
                        ev.layer or None,
                        ev.instrument or None,
                        ev.basis,
                        ev.confidence,
                        ev.disputed or None,
                        " ".join(ev.sources),
                        ev.note or None,
                    ),
                )
            for (fw, iso3), tl in ledger.timelines.items():
                for state, fr, until, snap in tl.periods():
                    con.execute(
                        "INSERT INTO periods VALUES (?,?,?,?,?,?)",
                        (fw, iso3, state, str(fr), str(until) if until else None, snap.pending),
                    )
            con.execute("CREATE INDEX events_country ON events(country)")
            con.execute("CREATE INDEX periods_country ON periods(country, framework)")
            for k, v in ledger.info.to_dict().items():
                con.execute(
                    "INSERT INTO meta VALUES (?,?)",
                    (k, v if isinstance(v, str) or v is None else json.dumps(v)),
                )
        con.close()
        move_into_place(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temp_beside(path: str | os.PathLike[str], suffix: str = "") -> tuple[Path, int, str]:
    """A temp file in the target's folder (so the final rename is atomic), or a one-line error."""
    target = Path(path)
    if str(path) in ("", "-"):
        raise AlliesError(f"cannot write {str(path)!r}: give a file name")
    if target.is_dir():
        raise AlliesError(f"cannot write {str(target)!r}: it is a folder; give a file path "
                          f"such as {str(target / ('allies' + (suffix or '.csv')))!r}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".allies-", suffix=suffix, dir=target.parent or ".")
    except OSError as e:
        raise AlliesError(
            f"cannot write {str(target)!r}: {e.strerror}; check that the folder exists and "
            "is writable"
        ) from None
    return target, fd, tmp


def move_into_place(tmp: str, target: Path) -> None:
    """Give the temp file the permissions a new file would get (mkstemp makes it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        os.replace(tmp, target)
    except OSError as e:
        raise AlliesError(f"cannot write {str(target)!r}: {e.strerror}") from None


def atomic_write_text(path: str | os.PathLike[str], text: str, suffix: str = "") -> None:
    """Write text via a temp file renamed into place, so a failure leaves no half-written file.
    `suffix` (".json") is the extension a suggested file name gets."""
    target, fd, tmp = temp_beside(path, suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        move_into_place(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_text(ledger: Ledger, fmt: str) -> str:
    if fmt == "csv":
        return events_csv(ledger)
    if fmt == "json":
        return json.dumps(ledger_json(ledger), indent=2, ensure_ascii=False) + "\n"
    if fmt == "panel":
        return panel_csv(ledger)
    raise AlliesError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
