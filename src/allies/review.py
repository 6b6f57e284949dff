"""The review queue: findings that the ledger lacks become candidates; a reviewer accepts one
(an event row, with its sources, in the user's events file) or rejects it, and every decision
goes to an audit log.

The store is a SQLite file (WAL, a schema version, migrations). Only ``not_in_ledger`` and
``contradicted`` findings become ``new_event`` candidates; a ``confirmed`` finding whose URL
the ledger's event lacks becomes an ``add_sources`` candidate for that event. Findings group by
(kind, framework, country, action, intent_of) and dates within WINDOW_DAYS of each other;
syndicated copies of one story (near-duplicate texts, see allies.dedup) count as one source.

Writes are atomic: SQLite transactions for the store, temp file + fsync + rename for the
events file, an fsynced append for the audit log. A decision holds the store's write lock
from reading the candidate to committing, so two reviewers never both decide one candidate
and never lose each other's rows in the events file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import dedup
from .dates import PartialDate, partial_or_none
from .errors import AlliesError, DataError
from .events import COLUMNS, RECORDED_COLUMNS

SCHEMA_VERSION = 1
WINDOW_DAYS = 7
STALE_DAYS = 180  # a step dated this long before the article's publication is history
CANDIDATE_VERDICTS = ("not_in_ledger", "contradicted")
KINDS = ("new_event", "add_sources")
STATUSES = ("open", "accepted", "rejected")
PRECISIONS = ("day", "month", "year")
# Official sources: U.S. government and military, NATO, and foreign governments' domains
# (gov.xx, gob.xx, gouv.xx, go.xx) or ministries of foreign affairs (mfa., mofa., foreign.).
OFFICIAL_SUFFIXES = (".gov", ".mil", "nato.int")
OFFICIAL_PARTS = (".gov.", ".gob.", ".gouv.", ".go.", ".govt.")
OFFICIAL_PREFIXES = ("mfa.", "mofa.", "foreign.", "www.mfa.", "www.mofa.", "cancilleria.")

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            framework TEXT NOT NULL,
            country TEXT NOT NULL,
            action TEXT NOT NULL,
            intent_of TEXT NOT NULL DEFAULT '',
            date_lo TEXT,
            date_hi TEXT,
            ledger_event TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open',
            created_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            reason TEXT,
            accepted_event TEXT
        )""",
        "CREATE INDEX candidates_key ON candidates (status, framework, country, action)",
        """CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            fingerprint TEXT NOT NULL UNIQUE,
            verdict TEXT NOT NULL,
            date TEXT,
            precision TEXT,
            published TEXT,
            url TEXT,
            title TEXT,
            evidence TEXT NOT NULL,
            fact TEXT,
            minhash TEXT,
            story INTEGER NOT NULL,
            official INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        )""",
        "CREATE INDEX findings_candidate ON findings (candidate_id)",
    ],
}


class StoreError(AlliesError):
    """The review store cannot be used (corrupt, newer schema, unwritable)."""


class Conflict(AlliesError):
    """Another reviewer decided the candidate first."""


def default_store_path() -> Path:
    """$XDG_DATA_HOME/allies/review.sqlite (default ~/.local/share/allies/review.sqlite)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "allies" / "review.sqlite"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def is_official(url: str | None) -> bool:
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return (
        host.endswith(OFFICIAL_SUFFIXES)
        or any(p in host + "." for p in OFFICIAL_PARTS)
        or host.startswith(OFFICIAL_PREFIXES)
    )


def _stale(date: Any, published: Any) -> bool:
    """A step the queue cannot place in time (no date, no publication date), or dated more
    than STALE_DAYS before the article was published: not news of a change."""
    d, p = partial_or_none(date), partial_or_none(published)
    if d is None:
        return p is None
    return p is not None and (p.start - d.end).days > STALE_DAYS


@dataclass(frozen=True, slots=True)
class Finding:
    """One event a checked article reports, ready for the queue."""

    kind: str
    framework: str
    country: str
    action: str
    intent_of: str
    verdict: str
    date: str | None
    precision: str | None
    published: str | None
    url: str | None
    title: str | None
    evidence: str
    fact: str
    minhash: str
    ledger_event: str
    fingerprint: str

    @property
    def day(self) -> dt.date | None:
        d = partial_or_none(self.date) or partial_or_none(self.published)
        return d.start if d is not None else None


def _queue_kind(ev: Any, url: str | None, published: Any) -> tuple[str, str] | None:
    """(kind, ledger event id) if the queue takes this event of a checked article, else None."""
    if not isinstance(ev, dict) or not all(
        isinstance(ev.get(k), str) for k in ("framework", "country", "action")
    ):
        return None  # not a reader's event
    if ev.get("role", "news") != "news":  # background: history the article recalls
        return None
    if _stale(ev.get("date"), published):
        return None
    verdict = ev.get("verdict")
    if verdict in CANDIDATE_VERDICTS:
        return "new_event", ""
    if verdict == "confirmed" and url:
        known = (ev.get("ledger") or {}).get("event") or {}
        if known.get("id") and url not in known.get("sources", []):
            return "add_sources", str(known["id"])
    return None


def queue_worthy(doc: dict[str, Any]) -> bool:
    """Would the queue take any finding of this checked article? (A scan signs only those.)"""
    src = doc.get("source") if isinstance(doc.get("source"), dict) else {}
    url = (src or {}).get("url") or None
    return any(_queue_kind(ev, url, doc.get("published")) for ev in doc.get("events", []))


def findings_of(doc: dict[str, Any]) -> Iterator[Finding]:
    """The queue-worthy findings of one checked article (a dict from `allies.check` or
    `allies scan --check`). Events told as background (history the article recalls), and
    steps that cannot be placed in time or are dated more than STALE_DAYS before publication,
    are left out: the queue is for news of a change."""
    src = doc.get("source") if isinstance(doc.get("source"), dict) else {}
    assert isinstance(src, dict)
    url = src.get("url") or None
    where = url or f"{src.get('path', '')}:{src.get('line', '')}"
    texts = [str((e.get("evidence") or {}).get("text", "")) for e in doc.get("events", [])
             if isinstance(e, dict) and isinstance(e.get("evidence"), dict)]
    given = doc.get("text_minhash")
    sig = given if isinstance(given, str) and dedup.valid(given) else None
    for ev in doc.get("events", []):
        qk = _queue_kind(ev, url, doc.get("published"))
        if qk is None:
            continue
        kind, ledger_event = qk
        verdict = ev.get("verdict")
        ledger = ev.get("ledger") or {}
        if sig is None:  # no signature from the scan: the evidence sentences stand in
            sig = dedup.signature(" ".join(texts))
        evidence = ev.get("evidence") or {}
        text = str(evidence.get("text", ""))
        key = "\0".join((where, ev["framework"], ev["country"], ev["action"],
                         str(ev.get("intent_of") or ""), str(evidence.get("start", "")), text))
        yield Finding(
            kind=kind,
            framework=str(ev["framework"]),
            country=str(ev["country"]),
            action=str(ev["action"]),
            intent_of=str(ev.get("intent_of") or ""),
            verdict=str(verdict),
            date=ev.get("date"),
            precision=ev.get("precision"),
            published=doc.get("published"),
            url=url,
            title=src.get("title"),
            evidence=text,
            fact=str(ledger.get("fact", "")),
            minhash=sig,
            ledger_event=ledger_event,
            fingerprint=hashlib.sha256(key.encode()).hexdigest()[:32],
        )


# -- the store ------------------------------------------------------------------------------


class Store:
    """A review store (SQLite). Opening creates it, or migrates an older schema."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self.audit_path = self.path.with_name(self.path.name + ".audit.jsonl")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the review store's folder {str(self.path.parent)!r}:"
                             f" {e.strerror}; give --store PATH in a writable folder") from None
        if self.path.is_dir():
            raise StoreError(f"review store {str(self.path)!r} is a folder; give a file path")
        try:
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"review store {str(self.path)!r} is not a usable SQLite file ({e}); move it "
                "aside and run again to start a new store"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot open review store {str(self.path)!r}: {e.strerror}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the store's lock (BEGIN IMMEDIATE)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write() as db:
            has_meta = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone()
            version = 0
            if has_meta:
                row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                version = int(row[0]) if row and str(row[0]).isdigit() else -1
                if version < 0:
                    raise StoreError(f"review store {str(self.path)!r} has no valid schema "
                                     "version; move it aside to start a new store")
            elif db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{str(self.path)!r} is a SQLite file but not a review store; "
                                 "give --store another path")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"review store {str(self.path)!r} has schema version {version}, newer than "
                    f"this allies knows ({SCHEMA_VERSION}); upgrade allies to use it"
                )
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for sql in MIGRATIONS[v]:
                    db.execute(sql)
            if version == 0:
                db.execute("INSERT INTO meta VALUES ('store_id', ?)", (secrets.token_hex(4),))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                       (str(SCHEMA_VERSION),))
        self.store_id = str(
            self.db.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()[0]
        )

    # -- import ---------------------------------------------------------------------------

    def import_docs(self, docs: Iterable[dict[str, Any]],
                    now: dt.datetime | None = None) -> dict[str, int]:
        """Add the findings of checked articles; returns counts (findings seen, new findings,
        duplicates of earlier imports, new candidates)."""
        stamp = iso(now or utc_now())
        counts = {"findings": 0, "added": 0, "already_queued": 0, "new_candidates": 0}
        cands: dict[tuple[str, str, str, str, str, str], list[dict[str, Any]]] = {}
        stories: dict[int, dedup.Stories] = {}
        with self._write() as db:
            for doc in docs:
                for f in findings_of(doc):
                    counts["findings"] += 1
                    if db.execute("SELECT 1 FROM findings WHERE fingerprint=?",
                                  (f.fingerprint,)).fetchone():
                        counts["already_queued"] += 1
                        continue
                    cid, new = self._candidate_for(db, f, cands, stamp)
                    counts["new_candidates"] += new
                    st = stories.get(cid)
                    if st is None:
                        st = stories[cid] = dedup.Stories()
                        for r in db.execute("SELECT story, minhash FROM findings WHERE "
                                            "candidate_id=? AND id=story", (cid,)):
                            st.add_known(r["story"], r["minhash"] or "")
                    story = st.find(f.minhash)
                    cur = db.execute(
                        "INSERT INTO findings (candidate_id, fingerprint, verdict, date, "
                        "precision, published, url, title, evidence, fact, minhash, story, "
                        "official, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (cid, f.fingerprint, f.verdict, f.date, f.precision, f.published,
                         f.url, f.title, f.evidence, f.fact, f.minhash, story or 0,
                         int(is_official(f.url)), stamp),
                    )
                    fid = int(cur.lastrowid or 0)
                    if story is None:
                        db.execute("UPDATE findings SET story=? WHERE id=?", (fid, fid))
                        st.add_known(fid, f.minhash)
                    counts["added"] += 1
        return counts

    def _candidate_for(
        self, db: sqlite3.Connection, f: Finding,
        cache: dict[tuple[str, str, str, str, str, str], list[dict[str, Any]]], stamp: str,
    ) -> tuple[int, int]:
        """The open candidate this finding joins (same key, dates within WINDOW_DAYS), or a
        new one. Returns (id, 1 if new else 0)."""
        key = (f.kind, f.framework, f.country, f.action, f.intent_of, f.ledger_event)
        open_ = cache.get(key)
        if open_ is None:
            open_ = cache[key] = [
                dict(r) for r in db.execute(
                    "SELECT id, date_lo, date_hi FROM candidates WHERE status='open' AND kind=? "
                    "AND framework=? AND country=? AND action=? AND intent_of=? "
                    "AND ledger_event=?", key)
            ]
        day = f.day
        win = dt.timedelta(days=WINDOW_DAYS)
        for c in open_:
            if day is None or c["date_lo"] is None:
                hit = True
            else:
                lo, hi = dt.date.fromisoformat(c["date_lo"]), dt.date.fromisoformat(c["date_hi"])
                hit = lo - win <= day <= hi + win
            if hit:
                if day is not None:
                    lo_s = min(filter(None, (c["date_lo"], day.isoformat())))
                    hi_s = max(filter(None, (c["date_hi"], day.isoformat())))
                    if (lo_s, hi_s) != (c["date_lo"], c["date_hi"]):
                        db.execute("UPDATE candidates SET date_lo=?, date_hi=? WHERE id=?",
                                   (lo_s, hi_s, c["id"]))
                        c["date_lo"], c["date_hi"] = lo_s, hi_s
                return int(c["id"]), 0
        d = day.isoformat() if day else None
        cur = db.execute(
            "INSERT INTO candidates (kind, framework, country, action, intent_of, date_lo, "
            "date_hi, ledger_event, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (*key[:5], d, d, f.ledger_event, stamp),
        )
        cid = int(cur.lastrowid or 0)
        open_.append({"id": cid, "date_lo": d, "date_hi": d})
        return cid, 1

    # -- reading --------------------------------------------------------------------------

    def list(self, status: str | None = "open") -> list[dict[str, Any]]:
        """Candidates (default: open ones), newest evidence first, each with its counts."""
        if status is not None and status not in (*STATUSES, "all"):
            raise AlliesError(f"status {status!r}: use one of {', '.join(STATUSES)} or all")
        where, args = ("", ()) if status in (None, "all") else ("WHERE c.status=?", (status,))
        rows = self.db.execute(
            "SELECT c.*, count(f.id) AS findings, count(DISTINCT f.story) AS sources, "
            "count(DISTINCT f.url) AS urls, max(f.official) AS official "
            f"FROM candidates c LEFT JOIN findings f ON f.candidate_id=c.id {where} "
            "GROUP BY c.id ORDER BY c.date_hi DESC, c.id", args,
        ).fetchall()
        return [_candidate_dict(r) for r in rows]

    def get(self, cid: int) -> dict[str, Any]:
        """One candidate with its findings, grouped into stories (syndicated copies)."""
        rows = [c for c in self.list("all") if c["id"] == cid]
        if not rows:
            raise AlliesError(f"no candidate {cid} in review store {str(self.path)!r}; "
                              "'allies review list' shows the open ones")
        cand = rows[0]
        stories: dict[int, dict[str, Any]] = {}
        for r in self.db.execute("SELECT * FROM findings WHERE candidate_id=? ORDER BY id",
                                 (cid,)):
            s = stories.setdefault(r["story"], {"urls": [], "evidence": [], "dates": [],
                                                "published": [], "official": False,
                                                "fact": r["fact"]})
            for k, v in (("urls", r["url"]), ("evidence", r["evidence"]),
                         ("dates", r["date"]), ("published", r["published"])):
                if v and v not in s[k]:
                    s[k].append(v)
            s["official"] = s["official"] or bool(r["official"])
        cand["stories"] = list(stories.values())
        return cand

    # -- decisions ------------------------------------------------------------------------

    def accept(
        self,
        cid: int,
        events_file: str | os.PathLike[str],
        by: str,
        *,
        date: str | None = None,
        precision: str | None = None,
        instrument: str | None = None,
        note: str | None = None,
        layer: str | None = None,
        now: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Write the candidate as an event row to `events_file` (created if missing), log the
        decision, mark the candidate accepted. Raises Conflict if it is already decided."""
        path = Path(events_file)
        when = now or utc_now()
        with self._write() as db:
            cand = self._open_candidate(db, cid)
            old = _read_text(path)
            marker = f"[review {self.store_id}#{cid}]"
            if marker in old:  # written before an interruption: finish the decision
                row = _row_with(old, marker)
            else:
                row = self._event_row(cand, old, by, when, date=date, precision=precision,
                                      instrument=instrument, note=note, layer=layer,
                                      marker=marker)
                durable_write(path, _with_row(old, row))
            entry = {"at": iso(when), "by": by, "decision": "accept", "candidate": cid,
                     "store": self.store_id, "event": row, "events_file": str(path)}
            append_audit(self.audit_path, entry)
            db.execute("UPDATE candidates SET status='accepted', decided_at=?, decided_by=?, "
                       "accepted_event=? WHERE id=?", (iso(when), by, row["id"], cid))
        return entry

    def reject(self, cid: int, by: str, reason: str,
               now: dt.datetime | None = None) -> dict[str, Any]:
        if not reason.strip():
            raise AlliesError("reject needs --reason: say in a few words why")
        when = now or utc_now()
        with self._write() as db:
            self._open_candidate(db, cid)
            entry = {"at": iso(when), "by": by, "decision": "reject", "candidate": cid,
                     "store": self.store_id, "reason": reason.strip()}
            append_audit(self.audit_path, entry)
            db.execute("UPDATE candidates SET status='rejected', decided_at=?, decided_by=?, "
                       "reason=? WHERE id=?", (iso(when), by, reason.strip(), cid))
        return entry

    def _open_candidate(self, db: sqlite3.Connection, cid: int) -> sqlite3.Row:
        cand = db.execute("SELECT * FROM candidates WHERE id=?", (cid,)).fetchone()
        if cand is None:
            raise AlliesError(f"no candidate {cid} in review store {str(self.path)!r}; "
                              "'allies review list' shows the open ones")
        if cand["status"] != "open":
            raise Conflict(f"candidate {cid} was already {cand['status']} by "
                           f"{cand['decided_by']} at {cand['decided_at']}; nothing changed")
        return cand

    def _event_row(self, cand: sqlite3.Row, old: str, by: str, when: dt.datetime, *,
                   date: str | None, precision: str | None, instrument: str | None,
                   note: str | None, layer: str | None, marker: str) -> dict[str, str]:
        from .ledger import _load

        findings = self.db.execute("SELECT * FROM findings WHERE candidate_id=? ORDER BY id",
                                   (cand["id"],)).fetchall()
        urls: list[str] = []
        for r in sorted(findings, key=lambda r: -r["official"]):
            if r["url"] and r["url"] not in urls:
                urls.append(r["url"])
        if not urls:
            raise AlliesError(f"candidate {cand['id']} has no URL among its findings; an event "
                              "needs at least one source URL")
        official = any(r["official"] for r in findings)
        n_stories = len({r["story"] for r in findings})
        bundled = _load(None)  # the bundled ledger alone (ids to avoid)
        if cand["kind"] == "add_sources":
            raise AlliesError(
                f"candidate {cand['id']} adds sources to {cand['ledger_event']}: add these URLs "
                f"to that row by hand ({' '.join(urls)}), then reject the candidate with "
                "--reason 'sources added'"
            )
        action, intent = cand["action"], cand["intent_of"]
        if action == "announce_intent" and intent == "terminate":
            action, intent = "announce_termination", ""
        elif action == "announce_intent":
            intent = ""
        if date is None:
            votes = Counter(d for r in findings if (d := r["date"] or r["published"]))
            if not votes:
                raise AlliesError(f"candidate {cand['id']} has no date; give --date YYYY-MM-DD")
            date = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        pd = partial_or_none(date)
        if pd is None:
            raise AlliesError(f"--date {date!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
        if precision is not None:
            if precision not in PRECISIONS:
                raise AlliesError(f"--precision {precision!r}: use day, month or year")
            cut = {"day": 10, "month": 7, "year": 4}[precision]
            if len(str(pd)) < cut:
                raise AlliesError(f"--precision {precision} is finer than the date {pd}")
            pd = PartialDate.parse(str(pd)[:cut])
        fw, iso3 = cand["framework"], cand["country"]
        taken = {e.id for e in bundled.events} | set(_ids(old))
        base = f"{fw}-{iso3.lower()}-{action}-{str(pd)[:4]}"
        eid, n = base, 1
        while eid in taken:
            n += 1
            eid = f"{base}-{n}"
        if layer is None and fw == "mnna" and action in ("designate", "terminate"):
            layer = "title22"
        confidence = "high" if official else ("medium" if n_stories >= 2 else "low")
        text_note = " ".join(filter(None, [(note or "").strip(),
                                           f"Accepted from review with {n_stories} independent "
                                           f"source(s). {marker}"]))
        return {
            "id": eid, "framework": fw, "country": iso3, "action": action, "intent_of": intent,
            "date": str(pd), "alt_dates": "", "layer": layer or "",
            "instrument": instrument or "", "basis": "reported", "confidence": confidence,
            "disputed": "", "dispute": "", "sources": " ".join(urls), "note": text_note,
            "recorded_at": iso(when), "recorded_by": by,
        }


def _candidate_dict(r: sqlite3.Row) -> dict[str, Any]:
    d = {k: r[k] for k in r.keys()}  # noqa: SIM118
    d["official"] = bool(d.get("official"))
    return d


# -- files ----------------------------------------------------------------------------------

HEADER = (*COLUMNS, *RECORDED_COLUMNS)


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError:
        raise AlliesError(f"events file {str(path)!r} is not UTF-8 text") from None
    except OSError as e:
        raise AlliesError(f"cannot read events file {str(path)!r}: {e.strerror}") from None


def _rows(text: str) -> list[dict[str, str]]:
    return [dict(r) for r in csv.DictReader(io.StringIO(text))] if text.strip() else []


def _ids(text: str) -> list[str]:
    return [r.get("id") or "" for r in _rows(text)]


def _row_with(text: str, marker: str) -> dict[str, str]:
    return next(r for r in _rows(text) if marker in (r.get("note") or ""))


def _with_row(old: str, row: dict[str, str]) -> str:
    """The events file with one more row: appended as is when the header has the recorded
    columns; otherwise rewritten with them (existing rows keep their values)."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    header = next(csv.reader(io.StringIO(old)), []) if old.strip() else []
    if header and all(c in header for c in HEADER):
        w = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        w.writerow(row)
        text = old + ("" if old.endswith("\n") else "\n") + out.getvalue()
    else:
        w.writeheader()
        for r in _rows(old):
            w.writerow({k: r.get(k, "") for k in HEADER})
        w.writerow(row)
        text = out.getvalue()
    _validate_events_text(text)
    return text


def _validate_events_text(text: str) -> None:
    """The new file must load with the bundled ledger, as `--data` would."""
    from .ledger import _read_data, build_ledger

    try:
        build_ledger(_read_data("frameworks.toml").decode("utf-8"),
                     [("events.csv", _read_data("events.csv").decode("utf-8")),
                      ("your events file", text)], user_origins=frozenset({"your events file"}))
    except DataError as e:
        raise AlliesError("the accepted event would not validate: " + "; ".join(e.problems)
                          + "; give --date/--precision/--layer, or reject it") from None


def durable_write(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename over the target, fsync the folder: a crash
    leaves the old file or the new one, never a mix."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise AlliesError(f"cannot write {str(path)!r}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover (folders that cannot be fsynced)
        pass


def append_audit(path: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line and fsync it before the decision is committed."""
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as e:
        raise AlliesError(f"cannot write audit log {str(path)!r}: {e.strerror}") from None
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_audit(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The audit log's decisions (a torn last line from a crash is left out)."""
    out = []
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        return []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out
