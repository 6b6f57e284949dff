"""The ledger: every status event, and the status of any country in any framework on any day.

>>> from allies import load_ledger
>>> L = load_ledger()
>>> L.status("Colombia", on="2022-04-01")["statuses"][0]["state"]
'announced'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .countries import Countries, Country, load_countries
from .dates import PartialDate, parse_day, parse_period
from .errors import AlliesError, DataError, UnknownFramework
from .events import WHOLE, Event, brief, check_unique, parse_events
from .frameworks import Entail, Framework, framework_key, parse_frameworks
from .state import Snapshot, Timeline, lifecycle_problems
from .version import __version__

DATA_FILES = (
    "manifest.toml", "frameworks.toml", "events.csv", "countries.csv", "former_states.csv"
)
DayLike = str | dt.date | None


def _read_data(name: str) -> bytes:
    return resources.files("allies").joinpath(f"data/{name}").read_bytes()


@dataclass(frozen=True, slots=True)
class DataInfo:
    code_version: str
    data_version: str
    content_hash: str
    last_event: str
    events: int
    license: str
    sources_note: str
    user_data: str | None
    as_known_on: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code_version": self.code_version,
            "data_version": self.data_version,
            "content_hash": self.content_hash,
            "last_event_date": self.last_event,
            "events": self.events,
            "license": self.license,
            "sources_note": self.sources_note,
            "user_data": self.user_data,
            **({"as_known_on": self.as_known_on} if self.as_known_on else {}),
        }


def _with_future_warning(answer: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """An answer about a day after today is the record as it stands: say so in the answer."""
    if day > dt.date.today():
        answer["warnings"] = [
            f"{day} is in the future: the answer assumes nothing changes after today, apart "
            "from steps already recorded with a future date"
        ]
    return answer


def period_day(on: DayLike, what: str = "'on' date") -> tuple[dt.date, PartialDate | None]:
    """The day an answer about `on` is for, and the period when `on` is a month or a year
    (YYYY-MM, YYYY): its last day, or today while the period is still running."""
    p = parse_period(on, what)
    if p.precision == "day":
        return p.start, None
    today = dt.date.today()
    return (today if p.start <= today < p.end else p.end), p


def _with_period(answer: dict[str, Any], p: PartialDate | None, events: list[Event],
                 countries: Countries) -> dict[str, Any]:
    """A month or a year: the answer (the state at the period's end) also says which period
    it is and lists every change inside it."""
    if p is None:
        return answer
    answer["period"] = {"from": p.start.isoformat(), "until": p.end.isoformat(),
                        "precision": p.precision}
    changes = []
    for e in events:
        if p.start <= e.date.start <= p.end:
            d = e.to_dict()
            d["country_name"] = "(whole treaty)" if e.country == WHOLE else countries.get(
                e.country).name
            changes.append(d)
    answer["changes"] = changes
    return answer


def disputes_at(tl: Any, snap: Any, n: int, on: dt.date) -> list[dict[str, Any]]:
    """Sources disagree about an event behind the state on a day (the one that began it, or
    a later one such as an announced withdrawal): the answer itself says so."""
    began = snap.since.start if snap.since is not None else dt.date.min
    return [
        {"event": e.id, "about": e.dispute, "note": e.disputed}
        for e in tl.events[:n]
        if e.disputed_on(on) and (e.date.start >= began or e is snap.decided_by)
    ]


class Ledger:
    """Events indexed by (framework, country), with precomputed timelines."""

    def __init__(
        self,
        events: Iterable[Event],
        frameworks: dict[str, Framework],
        countries: Countries,
        info: DataInfo | None = None,
    ) -> None:
        self.events = sorted(events, key=lambda e: e.sort_key)
        self.frameworks = frameworks
        self.countries = countries
        by_key: dict[tuple[str, str], list[Event]] = defaultdict(list)
        for e in self.events:
            by_key[(e.framework, e.country)].append(e)
        self.timelines: dict[tuple[str, str], Timeline] = {
            k: Timeline(v) for k, v in by_key.items() if k[1] != WHOLE
        }
        self.whole: dict[str, list[Event]] = {fw: by_key.get((fw, WHOLE), []) for fw in frameworks}
        self._by_country: dict[str, list[str]] = defaultdict(list)
        for fw, c in self.timelines:
            self._by_country[c].append(fw)
        order = list(frameworks)
        for fws in self._by_country.values():
            fws.sort(key=order.index)
        self.info = info or DataInfo(__version__, "test", "", "", len(self.events), "", "", None)
        self._framework_names: dict[str, Framework] | None = None

    # -- lookups -------------------------------------------------------------------------------

    def framework(self, fid: str) -> Framework:
        """A framework by id or alias ("SEATO", "Rio Treaty", "North Atlantic Treaty")."""
        f = self.frameworks.get(fid.strip().lower()) if isinstance(fid, str) else None
        if f is None and isinstance(fid, str):
            if self._framework_names is None:
                self._framework_names = {
                    framework_key(n): fw for fw in self.frameworks.values()
                    for n in (fw.id, *fw.aliases)
                }
            f = self._framework_names.get(framework_key(fid))
        if f is None:
            raise UnknownFramework(str(fid), list(self.frameworks))
        return f

    def country(self, name: str | Country) -> Country:
        if isinstance(name, Country):
            return name
        return self.countries.resolve(name)

    def state_of(self, framework: str, iso3: str, on: dt.date) -> Snapshot:
        """Snapshot of one (framework, country) on a day (fast path, no validation)."""
        tl = self.timelines.get((framework, iso3))
        if tl is None:
            return Snapshot()
        return tl.at(on)[0]

    def frameworks_of(self, iso3: str) -> list[str]:
        return self._by_country.get(iso3, [])

    def as_known_on(self, on: DayLike) -> Ledger:
        """The ledger as it stood at the end of a day: only the events recorded by then (each
        event's `recorded_at`; see allies.recorded)."""
        from .recorded import known_on

        day = parse_day(on, "'as_known_on' date")
        events = known_on(self.events, day)
        info = replace(self.info, events=len(events), as_known_on=day.isoformat())
        return Ledger(events, self.frameworks, self.countries, info)

    # -- answers (plain dicts, the shapes of the CLI's --json and the API) ---------------------

    def _status_entry(self, fw: str, iso3: str, on: dt.date) -> dict[str, Any] | None:
        tl = self.timelines[(fw, iso3)]
        snap, n = tl.at(on)
        if snap.state == "none":
            return None
        entry: dict[str, Any] = {"framework": fw, "state": snap.state}
        if snap.since is not None:
            entry["since"] = str(snap.since)
            entry["precision"] = snap.since.precision
        entry["pending"] = snap.pending
        if fw == "mnna" and snap.state == "active":
            entry["treated_as"] = snap.treated_as
        entry["uncertain"] = tl.uncertain(on, n)
        entry["events"] = [brief(e) for e in tl.events[:n]]
        if disputed := disputes_at(tl, snap, n, on):
            entry["disputed"] = disputed
        return entry

    def status(self, country: str | Country, on: DayLike = None) -> dict[str, Any]:
        """Status of a country in every framework on a day (default: today). `on` may be a
        month or a year (YYYY-MM, YYYY): the state at its end, plus `period` and `changes`
        (every event of the country inside it)."""
        c = self.country(country)
        day, period = period_day(on)
        statuses = [
            s for fw in self.frameworks_of(c.iso3) if (s := self._status_entry(fw, c.iso3, day))
        ]
        out = {
            "country": c.to_dict(),
            "on": day.isoformat(),
            "statuses": statuses,
            "security_guarantee": self._guarantee(statuses, c.iso3, day),
        }
        if period is not None:
            mine = [
                e for fw in self.frameworks_of(c.iso3) for e in self.timelines[(fw, c.iso3)].events
            ]
            _with_period(out, period, sorted(mine, key=lambda e: e.sort_key), self.countries)
        return _with_future_warning(out, day)

    def _guarantee(
        self, statuses: list[dict[str, Any]], iso3: str = "", day: dt.date | None = None
    ) -> dict[str, Any]:
        via: list[str] = []
        not_via: list[str] = []
        disputed: list[str] = []
        for s in statuses:
            if s["state"] != "active":
                continue
            (via if self.frameworks[s["framework"]].security_guarantee else not_via).append(
                s["framework"]
            )
            if self.frameworks[s["framework"]].security_guarantee and s.get("disputed"):
                disputed.append(s["framework"])
        # sources disagree on a fact behind the status: the guarantee may not hold that day
        out: dict[str, Any] = {
            "value": bool(via), "via": via, "not_via": not_via, "disputed_via": disputed
        }
        caveats = [
            {"framework": fw, "note": note}
            for fw in via
            for note in (self.frameworks[fw].caveats_on(day) if day else [])
        ]
        if caveats:
            out["caveats"] = caveats
        if iso3 == "USA" and via:
            # the guarantor itself: the mutual treaties bind the other parties to it
            out["note"] = (
                "the treaties are mutual: for the United States this is the other parties' "
                "commitment to it"
            )
        return out

    def members(self, framework: str, on: DayLike = None) -> dict[str, Any]:
        """Countries whose state in `framework` is active on a day, and the parties whose
        participation is suspended (not members in effect, but still parties: New Zealand
        under ANZUS, Cuba under the Rio Treaty)."""
        f = self.framework(framework)
        day, period = period_day(on)
        members = []
        suspended: list[dict[str, Any]] = []
        for (fw, iso3), tl in self.timelines.items():
            if fw != f.id:
                continue
            snap, n = tl.at(day)
            if snap.state == "suspended":
                suspended.append({
                    "iso3": iso3, "name": self.countries.get(iso3).name,
                    "since": str(snap.since) if snap.since is not None else None,
                })
            if snap.state != "active":
                continue
            c = self.countries.get(iso3)
            m: dict[str, Any] = {"iso3": iso3, "name": c.name, "state": snap.state}
            if snap.since is not None:
                m["since"] = str(snap.since)
                m["precision"] = snap.since.precision
            m["pending"] = snap.pending
            if f.id == "mnna":
                m["treated_as"] = snap.treated_as
            m["uncertain"] = tl.uncertain(day, n)
            if disputed := disputes_at(tl, snap, n, day):
                m["disputed"] = disputed
            members.append(m)
        members.sort(key=lambda m: m["name"])
        out = {
            "framework": f.id,
            "on": day.isoformat(),
            "count": len(members),
            "members": members,
            "suspended": sorted(suspended, key=lambda m: m["name"]),
        }
        _with_period(out, period, [e for e in self.events if e.framework == f.id], self.countries)
        return _with_future_warning(out, day)

    def history(self, country: str | Country) -> dict[str, Any]:
        """Every event of a country, and its state periods per framework."""
        c = self.country(country)
        events: list[Event] = []
        periods = []
        for fw in self.frameworks_of(c.iso3):
            tl = self.timelines[(fw, c.iso3)]
            events.extend(tl.events)
            for state, fr, until, snap in tl.periods():
                periods.append(
                    {
                        "framework": fw,
                        "state": state,
                        "from": str(fr),
                        "until": str(until) if until else None,
                        "pending": snap.pending,
                    }
                )
        events.sort(key=lambda e: e.sort_key)
        return {
            "country": c.to_dict(),
            "periods": periods,
            "events": [e.to_dict() for e in events],
        }

    def changes(self, since: DayLike, until: DayLike = None) -> dict[str, Any]:
        """Events whose date (period start) falls between since and until, inclusive. Either
        may be a month or a year (YYYY-MM, YYYY): `since` from its first day, `until` to its
        last."""
        lo = parse_period(since, "'since' date").start
        hi = parse_period(until, "'until' date").end
        if hi < lo and until is None:
            raise AlliesError(
                f"since {lo} is after today ({hi}): nothing has happened yet; give an "
                "earlier since, or an until for recorded future events"
            )
        if hi < lo:
            raise AlliesError(f"until {hi} is before since {lo}; swap them")
        out = []
        for e in self.events:
            if lo <= e.date.start <= hi:
                d = e.to_dict()
                d["country_name"] = (
                    "(whole treaty)" if e.country == WHOLE else self.countries.get(e.country).name
                )
                out.append(d)
        return {"since": lo.isoformat(), "until": hi.isoformat(), "count": len(out), "events": out}

    def entails(self, country: str | Country, on: DayLike = None) -> dict[str, Any]:
        """What the country's active statuses entail on a day, framework by framework."""
        st = self.status(country, on)
        via = []
        for s in st["statuses"]:
            if s["state"] != "active":
                continue
            f = self.frameworks[s["framework"]]
            via.append(
                {
                    "framework": f.id,
                    "name": f.name,
                    "since": s.get("since"),
                    "security_guarantee": f.security_guarantee,
                    "guarantee_citation": f.guarantee_citation,
                    "entails": [self._entail(e, f.id, st["country"]["iso3"]) for e in f.entails],
                }
            )
        out = {
            "country": st["country"],
            "on": st["on"],
            "security_guarantee": st["security_guarantee"],
            "frameworks": via,
        }
        for key in ("period", "changes", "warnings"):
            if key in st:
                out[key] = st[key]
        return out

    def _entail(self, e: Entail, fw: str, iso3: str) -> dict[str, Any]:
        """An entail with `applies`: yes, no, or conditional (a condition we cannot decide)."""
        d = e.to_dict()
        applies = "yes"
        if e.active_on is not None:
            was = self.state_of(fw, iso3, e.active_on).state == "active"
            applies = "yes" if was else "no"
        if e.named and applies == "yes":
            applies = "yes" if iso3 in e.named else "conditional"
        d["applies"] = applies
        return d

    def frameworks_list(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.frameworks.values()]

    def validate(self) -> list[str]:
        """All problems beyond what parsing checks: duplicates and lifecycle order."""
        problems = check_unique(self.events)
        for e in self.events:
            est = self.frameworks[e.framework].established
            if est is not None and e.date.end < est:
                problems.append(
                    f"{e.origin}: {e.action} of {e.country} in {e.framework} on {e.date} is "
                    f"before {e.framework} existed ({est}); check the date"
                )
        for tl in self.timelines.values():
            problems.extend(lifecycle_problems(tl.events))
        return problems


def build_ledger(
    frameworks_text: str,
    events_texts: list[tuple[str, str]],
    countries: Countries | None = None,
    today: dt.date | None = None,
    info: DataInfo | None = None,
    user_origins: frozenset[str] = frozenset(),
) -> Ledger:
    """Build and validate a ledger from data texts (used by tests with small in-memory data).
    Events from a text whose origin is in `user_origins` are marked as the user's own."""
    countries = countries or load_countries()
    frameworks = parse_frameworks(frameworks_text)
    events: list[Event] = []
    problems: list[str] = []
    for origin, text in events_texts:
        try:
            parsed = parse_events(text, origin, frameworks, countries, today)
        except DataError as e:
            problems.extend(e.problems)
            continue
        if origin in user_origins:
            parsed = [replace(e, user=True) for e in parsed]
            events = _merge_user_rows(events, parsed)
        else:
            events.extend(parsed)
    if problems:
        raise DataError(problems)
    ledger = Ledger(events, frameworks, countries, info)
    problems = ledger.validate()
    if problems:
        raise DataError(problems)
    return ledger


def _same_fact(a: Event, b: Event) -> bool:
    return replace(a, origin="", user=False) == replace(b, origin="", user=False)


def _merge_user_rows(events: list[Event], user: list[Event]) -> list[Event]:
    """A user's file may be an edited `allies export`: a row equal to a bundled row (same id,
    same content) is that row and is dropped; a row with a bundled id and other content is
    the user's edit of it and takes its place; other rows are added."""
    by_id = {e.id: i for i, e in enumerate(events)}
    out = list(events)
    added = []
    seen: set[str] = set()
    for e in user:
        i = by_id.get(e.id)
        if i is None or e.id in seen:  # new, or twice in the user's file (validation says so)
            added.append(e)
        elif not _same_fact(out[i], e):
            out[i] = e
        seen.add(e.id)
    return out + added


def _user_data_path(data: str | os.PathLike[str] | None) -> Path | None:
    p = data if data is not None else os.environ.get("ALLIES_DATA") or None
    return Path(p) if p else None


def read_user_file(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise AlliesError(f"cannot read data file {str(path)!r}: {e.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AlliesError(
            f"data file {str(path)!r} is not UTF-8 text; save it as UTF-8 CSV"
        ) from None


def _check_coverage(ledger: Ledger, data_version: str) -> None:
    """A framework cannot be complete past the day its data was compiled (the data version
    ``YYYY.MM.DD``)."""
    try:
        compiled = dt.date(*(int(p) for p in data_version.split(".")))
    except (TypeError, ValueError):
        return
    problems = [
        f"frameworks.toml framework {f.id}: complete_through {f.complete_through} is after the "
        f"data version's date {compiled}; the record cannot vouch for later days"
        for f in ledger.frameworks.values()
        if f.complete_through is not None and f.complete_through > compiled
    ]
    if problems:
        raise DataError(problems)


@cache
def _load(user: str | None) -> Ledger:
    blobs = {n: _read_data(n) for n in DATA_FILES}
    manifest = tomllib.loads(blobs["manifest.toml"].decode("utf-8"))
    texts = [("events.csv", blobs["events.csv"].decode("utf-8"))]
    h = hashlib.sha256()
    for n in DATA_FILES:
        h.update(n.encode() + b"\0" + blobs[n] + b"\0")
    if user:
        utext = read_user_file(Path(user))
        texts.append((user, utext))
        h.update(b"user\0" + utext.encode("utf-8"))
    ledger = build_ledger(
        blobs["frameworks.toml"].decode("utf-8"), texts,
        user_origins=frozenset({user}) if user else frozenset(),
    )
    _check_coverage(ledger, str(manifest.get("data_version", "")))
    ledger = _with_recorded(ledger, str(manifest.get("data_version", "")))
    last = max((e.date for e in ledger.events), default=None)
    ledger.info = DataInfo(
        code_version=__version__,
        data_version=str(manifest.get("data_version", "unknown")),
        content_hash=h.hexdigest()[:16],
        last_event=str(last) if last else "",
        events=len(ledger.events),
        license=str(manifest.get("license", "")),
        sources_note=str(manifest.get("sources_note", "")),
        user_data=user,
    )
    return ledger


def _with_recorded(ledger: Ledger, release: str) -> Ledger:
    """Bundled rows get the time of the data release that first had them (data/recorded.csv;
    a row not listed there takes the current release)."""
    from .recorded import parse_recorded, release_time

    # every id counts as known: a user's row may replace a bundled row under its id
    ids = [e.id for e in ledger.events]
    first = parse_recorded(_read_data("recorded.csv").decode("utf-8"), "recorded.csv", ids)
    now = release_time(release)
    events = [
        e if e.user or e.recorded_at is not None else replace(e, recorded_at=first.get(e.id, now))
        for e in ledger.events
    ]
    return Ledger(events, ledger.frameworks, ledger.countries, ledger.info)


def load_ledger(data: str | os.PathLike[str] | None = None) -> Ledger:
    """The bundled ledger, plus a user events file (`data` or $ALLIES_DATA) if given.

    Cached per process; raises DataError (one line per problem) if anything fails to validate.
    """
    p = _user_data_path(data)
    return _load(str(p) if p else None)


__all__ = ["Ledger", "load_ledger", "build_ledger", "DataInfo", "PartialDate"]
