"""Exports of the ledger: CSV, JSON, SQLite (opens in Datasette as is) and a country-year panel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import AlliesError
from .events import COLUMNS, EXPORT_ONLY, WHOLE
from .ledger import Ledger, disputes_at

FORMATS = ("csv", "json", "sqlite", "panel", "codebook")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage
    return gets a leading ' (OWASP's advice against CSV formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[Any]], raw: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(row if raw else [safe_cell(v) for v in row])
    return buf.getvalue()


def events_csv(ledger: Ledger, raw: bool = False) -> str:
    """Every event in the events.csv format, plus `precision` and `country_name` (which
    `allies --data` accepts and ignores, so an export can be edited and loaded back)."""
    rows = []
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
        rows.append([*row, e.date.precision, name])
    return _csv([*COLUMNS, *EXPORT_ONLY], rows, raw)


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    return {
        "version": ledger.info.to_dict(),
        "frameworks": ledger.frameworks_list(),
        "events": [e.to_dict() for e in ledger.events],
    }


# -- the country-year panel and its codebook ---------------------------------------------------

COW_SOURCE = (
    "Correlates of War Project, State System Membership List v2016 (data/cow_states.csv)"
)
LEDGER_SOURCE = "allies ledger (data/events.csv), state replayed from the dated events"


@dataclass(frozen=True)
class Column:
    """One panel column: its name, type, coding rule and source. `per_framework` columns
    are repeated for each framework (`{fw}` in the name and rule)."""

    name: str
    type: str
    coding: str
    source: str
    per_framework: bool = False


PANEL_COLUMNS: tuple[Column, ...] = (
    Column("iso3", "string", "ISO 3166-1 alpha-3 code; empty for a COW state with none "
           "(the GDR, Czechoslovakia, South Vietnam, the two Yemens before 1990, Zanzibar, "
           "Kosovo). "
           "West Germany (COW 260) is DEU; COW 345 (Yugoslavia, then Serbia) is SRB.",
           COW_SOURCE + "; countrycode codelist"),
    Column("cow", "integer", "COW state code (ccode). With `year` the panel's key: iso3 + "
           "year is not unique (Germany in 1990 has a row as 260 and one as 255).", COW_SOURCE),
    Column("cow_abb", "string", "COW state abbreviation (stateabb).", COW_SOURCE),
    Column("name", "string", "Country name as allies shows it; the COW name for a state "
           "with no ISO3 code.", COW_SOURCE + "; countrycode codelist"),
    Column("year", "integer", "Calendar year. Every year from the first year of any "
           "framework's record to the current year in which the state was a member of the "
           "COW state system on at least one day. States in the system at the end of the "
           "2016 edition are carried forward to the current year.", COW_SOURCE),
    Column("partial", "0/1", "1 for the current year: its values are as of the day of the "
           "export, not 31 December; 0 otherwise.", "export date"),
    Column("is_usa", "0/1", "1 for the United States' own rows (kept, so the panel holds "
           "every COW state-year; for the U.S. a treaty column is 1 while the U.S. is a party "
           "and the MNNA columns are 0); drop them for partner-only analyses.", COW_SOURCE),
    Column("{fw}", "0/1/empty", "1 if the state's status in {name} is active on 31 December "
           "(on the export day in the current year), 0 if not (no status, announced, "
           "suspended or former); empty in years before the framework's first recorded "
           "event ({first}).", LEDGER_SOURCE, per_framework=True),
    Column("{fw}_state", "string/empty", "The state on that day: none, announced, active, "
           "suspended or former; empty as in `{fw}`.", LEDGER_SOURCE, per_framework=True),
    Column("{fw}_any", "0/1/empty", "1 if the status in {name} was active on any day of "
           "the year (the COW/ATOP convention: a membership that ended during the year "
           "counts); empty as in `{fw}`.", LEDGER_SOURCE, per_framework=True),
    Column("disputed", "string", "Space-separated framework columns whose state on that "
           "day rests on a fact the sources disagree on (see the event's `disputed` note).",
           LEDGER_SOURCE),
    Column("uncertain", "string", "Space-separated framework columns whose deciding event "
           "is known only to the month or year and falls in that year, so the state on that "
           "day may not yet have changed.", LEDGER_SOURCE),
)


def column_id(fw: str) -> str:
    """A framework id as a column name that R's read.csv and Stata keep unchanged."""
    return fw.replace("-", "_")


def _first_years(ledger: Ledger) -> dict[str, int | None]:
    return {
        fw: min((e.date.start.year for e in ledger.events if e.framework == fw), default=None)
        for fw in ledger.frameworks
    }


def panel_codebook(ledger: Ledger) -> list[dict[str, str]]:
    """The panel's columns in order, each with its type, coding rule and source: the one
    definition the panel header, `export --format codebook` and docs/codebook.md come from."""
    first = _first_years(ledger)
    out = []
    for col in PANEL_COLUMNS:
        if not col.per_framework:
            out.append({"column": col.name, "type": col.type, "coding": col.coding,
                        "source": col.source})
            continue
        for fw, f in ledger.frameworks.items():
            sub = {"fw": column_id(fw), "name": f"{f.name} ({fw})",
                   "first": first[fw] or "none"}
            out.append({
                "column": col.name.format(**sub), "type": col.type,
                "coding": col.coding.format(**sub), "source": col.source,
            })
    return out


def cite_line(ledger: Ledger) -> str:
    i = ledger.info
    return (
        f"allies: dated, sourced U.S. alliance statuses, data version {i.data_version}, "
        f"content hash {i.content_hash} (allies {i.code_version}). Data CC BY 4.0; COW state "
        "system: Correlates of War Project, State System Membership List v2016."
    )


def codebook_csv(ledger: Ledger, raw: bool = False) -> str:
    rows = [[c["column"], c["type"], c["coding"], c["source"]] for c in panel_codebook(ledger)]
    rows.append(["(cite this)", "", cite_line(ledger), ""])
    return _csv(["column", "type", "coding", "source"], rows, raw)


def codebook_markdown(ledger: Ledger) -> str:
    """docs/codebook.md (a test keeps the file equal to this)."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Codebook: the country-year panel",
        "",
        "`allies export --format panel` writes one row per state and year of the Correlates "
        "of War",
        "state system; `allies export --format codebook` writes this table as CSV. Both come "
        "from one",
        "definition in `allies.export`, and this page is generated from it (a test keeps "
        "them equal).",
        "Column names match `^[a-z][a-z0-9_]*$` and have at most 32 characters, so R's "
        "`read.csv` and",
        "Stata's `import delimited` keep them unchanged.",
        "",
        "| column | type | coding | source |",
        "|---|---|---|---|",
    ]
    for c in panel_codebook(ledger):
        lines.append(f"| `{c['column']}` | {cell(c['type'])} | {cell(c['coding'])} | "
                     f"{cell(c['source'])} |")
    lines += ["", "Cite this:", "", f"> {cite_line(ledger)}", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class CowSpell:
    ccode: int
    abb: str
    name: str
    start: dt.date
    end: dt.date | None  # None: still in the system at the end of the 2016 edition
    iso3: str


@cache
def cow_spells() -> tuple[CowSpell, ...]:
    """The COW state system (v2016) spells from 1945 on, validated on load."""
    from importlib import resources

    from .errors import DataError

    text = resources.files("allies").joinpath("data/cow_states.csv").read_text("utf-8")
    out = []
    problems = []
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["ccode", "stateabb", "statenme", "start", "end", "iso3"]:
        raise DataError([f"cow_states.csv line 1: unexpected header {reader.fieldnames}"])
    for n, r in enumerate(reader, start=2):
        try:
            out.append(CowSpell(
                int(r["ccode"]), r["stateabb"], r["statenme"], dt.date.fromisoformat(r["start"]),
                dt.date.fromisoformat(r["end"]) if r["end"] else None, r["iso3"],
            ))
        except (TypeError, ValueError) as e:
            problems.append(f"cow_states.csv line {n}: {e}")
    if problems:
        raise DataError(problems)
    return tuple(out)


def panel_rows(ledger: Ledger, today: dt.date | None = None) -> tuple[list[str], list[list[Any]]]:
    """Every COW state-year from the first framework year to the current year, with each
    framework's status (see `PANEL_COLUMNS` and docs/codebook.md for the coding)."""
    today = today or dt.date.today()
    fws = list(ledger.frameworks)
    first = _first_years(ledger)
    start = min(y for y in first.values() if y is not None)
    header = [c["column"] for c in panel_codebook(ledger)]
    # active spans per (framework, country): [from, until) with until None = still active
    spans: dict[tuple[str, str], list[tuple[dt.date, dt.date | None]]] = {}
    for key, tl in ledger.timelines.items():
        spans[key] = [
            (fr.start, until.start if until else None)
            for state, fr, until, _ in tl.periods()
            if state == "active"
        ]
    seen: set[tuple[int, int]] = set()
    rows: list[list[Any]] = []
    for sp in sorted(cow_spells(), key=lambda s: (s.ccode, s.start)):
        last = today.year if sp.end is None else min(sp.end.year, today.year)
        name = ledger.countries.get(sp.iso3).name if sp.iso3 else sp.name
        for year in range(max(start, sp.start.year), last + 1):
            if (sp.ccode, year) in seen:
                continue
            seen.add((sp.ccode, year))
            day = min(dt.date(year, 12, 31), today)
            jan1 = dt.date(year, 1, 1)
            vals: list[Any] = []
            states: list[Any] = []
            anys: list[Any] = []
            disputed: list[str] = []
            uncertain: list[str] = []
            for fw in fws:
                lo = first[fw]
                if lo is None or year < lo:
                    vals.append("")
                    states.append("")
                    anys.append("")
                    continue
                tline = ledger.timelines.get((fw, sp.iso3)) if sp.iso3 else None
                if tline is None:
                    vals.append(0)
                    states.append("none")
                    anys.append(0)
                    continue
                snap, n = tline.at(day)
                if snap.state != "none":
                    if disputes_at(tline, snap, n, day):
                        disputed.append(column_id(fw))
                    if tline.uncertain(day, n):
                        uncertain.append(column_id(fw))
                vals.append(1 if snap.state == "active" else 0)
                states.append(snap.state)
                anys.append(int(any(
                    a <= day and (b is None or b > jan1) for a, b in spans.get((fw, sp.iso3), [])
                )))
            rows.append([
                sp.iso3, sp.ccode, sp.abb, name, year, int(year == today.year),
                int(sp.iso3 == "USA"), *vals, *states, *anys,
                " ".join(disputed), " ".join(uncertain),
            ])
    rows.sort(key=lambda r: (r[0] or "~", r[4], r[1]))
    return header, rows


def panel_csv(ledger: Ledger, today: dt.date | None = None, raw: bool = False) -> str:
    header, rows = panel_rows(ledger, today)
    return _csv(header, rows, raw)


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


# temp files: .allies-tmp-<pid>-<random><suffix>, in the target's folder
TEMP_PREFIX = ".allies-tmp-"
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def output_target(path: str | os.PathLike[str], suffix: str = "") -> Path:
    """The file an export to `path` replaces, or a one-line error.

    A regular file (or a new path) is replaced whole. A symlink is written through: the file
    it points to is replaced and the link stays. Anything else (a folder, a FIFO, a device, a
    socket, a link to one of those or a dangling link) is refused."""
    if str(path) in ("", "-"):
        raise AlliesError(f"cannot write {str(path)!r}: give a file name")
    target = Path(path)
    shown_as = str(target)
    if target.is_symlink():
        real = Path(os.path.realpath(target))
        if not real.exists():
            raise AlliesError(f"cannot write {shown_as!r}: it is a symlink to {str(real)!r}, "
                              "which does not exist; give a file path")
        target = real
    try:
        st = target.stat()
    except FileNotFoundError:
        return target
    except OSError as e:
        raise AlliesError(f"cannot write {shown_as!r}: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise AlliesError(f"cannot write {shown_as!r}: it is a folder; give a file path "
                          f"such as {str(Path(path) / ('allies' + (suffix or '.csv')))!r}")
    for test, kind in _KINDS:
        if test(st.st_mode):
            raise AlliesError(f"cannot write {shown_as!r}: it is {kind}, not a regular file; "
                              "give a file path")
    return target


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files that an export killed mid-way left in `folder` (their process is
    gone); a live process's temp file is kept. Returns what was removed."""
    removed: list[Path] = []
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    for p in names:
        pid = p.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if p.is_file() and not p.is_symlink():
                p.unlink()
                removed.append(p)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def temp_beside(path: str | os.PathLike[str], suffix: str = "") -> tuple[Path, int, str]:
    """A temp file in the target's folder (so the final rename is atomic), or a one-line error.
    Temp files that killed runs left there are removed first."""
    target = output_target(path, suffix)
    folder = target.parent
    clean_stale_temps(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=suffix,
                                   dir=folder)
    except OSError as e:
        raise AlliesError(
            f"cannot write {str(path)!r}: {e.strerror}; check that the folder exists and "
            "is writable"
        ) from None
    return target, fd, tmp


def move_into_place(tmp: str, target: Path) -> None:
    """Rename the temp file over the target. An existing file keeps its permission bits; a
    new one gets those a new file would get (mkstemp makes it 0600)."""
    real = output_target(target)
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    try:
        os.replace(tmp, real)
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


def export_text(ledger: Ledger, fmt: str, raw: bool = False) -> str:
    """An export as text. CSV cells that a spreadsheet would run as a formula are neutralised
    (see `safe_cell`) unless `raw`."""
    if fmt == "csv":
        return events_csv(ledger, raw)
    if fmt == "json":
        return json.dumps(ledger_json(ledger), indent=2, ensure_ascii=False) + "\n"
    if fmt == "panel":
        return panel_csv(ledger, raw=raw)
    if fmt == "codebook":
        return codebook_csv(ledger, raw)
    raise AlliesError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
