"""The record's own history: when each event entered the ledger, and the ledger as it stood
on a past day ("as known on").

Bundled rows take the data release that first had them, from ``data/recorded.csv`` (derived
once from the data's history by ``scripts/derive_recorded.py``; never from git at run time).
A bundled row missing there (added since the file was last derived) takes the current
release. Rows of a user's events file carry ``recorded_at`` themselves; a user row without it
counts as always known.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable

from .errors import DataError
from .events import Event

RELEASE_RX = re.compile(r"(\d{4})\.(\d{2})\.(\d{2})")
HEADER = ["id", "release"]


def release_time(release: str) -> dt.datetime | None:
    """A data release "2026.11.29" as the start of that day, UTC (None if not that form)."""
    m = RELEASE_RX.fullmatch(release.strip())
    if not m:
        return None
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def parse_recorded(text: str, origin: str, ids: Iterable[str]) -> dict[str, dt.datetime]:
    """Map event id -> the time its release was made; DataError naming line and column for a
    bad header, an unknown or repeated id, or a release not of the form YYYY.MM.DD."""
    known = set(ids)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != HEADER:
        raise DataError([f"{origin} line 1: the header must be {','.join(HEADER)}"])
    out: dict[str, dt.datetime] = {}
    problems: list[str] = []
    for n, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != 2:
            problems.append(f"{origin} line {n}: {len(row)} fields; use id,release")
            continue
        eid, release = row[0].strip(), row[1].strip()
        if eid not in known:
            problems.append(f"{origin} line {n}, column id: {eid!r} is not an event of "
                            "events.csv; re-run scripts/derive_recorded.py")
        elif eid in out:
            problems.append(f"{origin} line {n}, column id: {eid!r} is listed twice")
        t = release_time(release)
        if t is None:
            problems.append(f"{origin} line {n}, column release: {release!r}: use YYYY.MM.DD")
        elif eid in known:
            out[eid] = t
    if problems:
        raise DataError(problems)
    return out


def known_on(events: Iterable[Event], day: dt.date) -> list[Event]:
    """The events the record held at the end of `day` (UTC)."""
    return [e for e in events if e.recorded_at is None or e.recorded_at.date() <= day]
