"""Derived state: replay a (framework, country)'s events to get its state on a day.

States: ``none``, ``announced`` (intent announced, invited, signed or Congress notified, not yet
effective), ``active``, ``suspended``, ``former``. An active state may carry a ``pending``
termination, withdrawal or suspension that has been announced but has not taken effect.

An event known only to the month or the year counts from the first day of its period; a
state decided by such an event on a day inside its period is flagged ``uncertain``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .dates import PartialDate
from .events import Event

State = Literal["none", "announced", "active", "suspended", "former"]
STATES: tuple[State, ...] = ("none", "announced", "active", "suspended", "former")

# Lifecycle order checks used by validation: which states an effect may apply in.
LEGAL_FROM: dict[str, tuple[State, ...]] = {
    "announce": ("none", "announced", "former"),
    "activate": ("none", "announced", "former", "suspended"),
    "pending:terminate": ("active",),
    "pending:withdraw": ("active", "suspended"),
    "pending:suspend": ("active",),
    "clear": ("active", "suspended"),
    "suspend": ("active",),
    "end": ("active", "suspended", "announced"),
    "info": STATES,
}


@dataclass(frozen=True, slots=True)
class Snapshot:
    state: State = "none"
    since: PartialDate | None = None
    pending: str | None = None  # terminate | withdraw | suspend
    treated_as: bool = False
    decided_by: Event | None = None


EMPTY = Snapshot()


def step(cur: Snapshot, ev: Event) -> Snapshot:
    """Apply one event to a snapshot."""
    eff = ev.effect
    if eff == "info":
        return cur
    if eff == "announce":
        if cur.state in ("none", "former"):
            return Snapshot("announced", ev.date, None, False, ev)
        return cur
    if eff == "activate":
        if cur.state == "active":
            if cur.treated_as and ev.action != "treat_as":
                return replace(cur, treated_as=False)
            return cur
        return Snapshot("active", ev.date, None, ev.action == "treat_as", ev)
    if eff.startswith("pending:"):
        if cur.state in ("active", "suspended"):
            return replace(cur, pending=eff.split(":", 1)[1])
        return cur
    if eff == "clear":
        return replace(cur, pending=None)
    if eff == "suspend":
        return Snapshot("suspended", ev.date, None, cur.treated_as, ev)
    if eff == "end":
        return Snapshot("former", ev.date, None, False, ev)
    raise ValueError(f"unknown effect {eff!r}")  # pragma: no cover - guarded by validation


def timeline_order(events: Sequence[Event]) -> list[tuple[dt.date, Event]]:
    """Events of one (framework, country) in replay order, each with the day it counts from.

    The rule is date order, an imprecise date counting from the first day of its period. One
    exception: a designation under another legal layer known only to the month or year
    (a Title 10 designation "in 1996") whose period holds a day-precise designation of the
    same country (Jordan's Title 22 one of 12 Nov 1996) cannot be ordered against it by its
    date, and counts from that day, after it: it grants no earlier status than the record
    shows."""
    ordered = sorted(events, key=lambda e: e.sort_key)
    precise = [e for e in ordered if e.effect == "activate" and e.date.precision == "day"]
    keyed: list[tuple[dt.date, bool, tuple[dt.date, int, str], Event]] = []
    for e in ordered:
        start, moved = e.date.start, False
        if e.effect == "activate" and e.layer and e.date.precision != "day":
            inside = [p for p in precise
                      if p.layer and p.layer != e.layer and e.date.contains(p.date.start)]
            if inside:
                start, moved = inside[0].date.start, True
        keyed.append((start, moved, e.sort_key, e))
    keyed.sort(key=lambda t: t[:3])
    return [(start, e) for start, _, _, e in keyed]


def replay(events: Sequence[Event], on: dt.date) -> Snapshot:
    """State on `on`: fold `step` over the events that have started by then (reference)."""
    snap = EMPTY
    for start, ev in timeline_order(events):
        if start <= on:
            snap = step(snap, ev)
    return snap


def lifecycle_problems(events: Sequence[Event]) -> list[str]:
    """Events that do not fit the state they apply to (e.g. terminate while not active)."""
    out = []
    snap = EMPTY
    for _, ev in timeline_order(events):
        again = snap.state == "active" and ev.effect == "activate"
        # an active status may be granted again only under another legal layer (the MNNA
        # Title 22 designations of 1996 after the Title 10 ones) or to end a treated-as status
        relayer = bool(ev.layer) and snap.decided_by is not None and (
            snap.decided_by.layer != ev.layer or snap.treated_as
        )
        if (again and not relayer) or (not again and snap.state not in LEGAL_FROM[ev.effect]):
            out.append(
                f"{ev.origin}: {ev.action} of {ev.country} in {ev.framework} on {ev.date} "
                f"comes while its state is {snap.state!r} (check the lifecycle order)"
            )
        snap = step(snap, ev)
    return out


class Timeline:
    """Precomputed snapshots after each event of one (framework, country): O(log n) lookups."""

    __slots__ = ("events", "_starts", "_snaps", "_ends")

    def __init__(self, events: Sequence[Event]) -> None:
        order = timeline_order(events)
        self.events = [e for _, e in order]
        self._starts: list[dt.date] = []
        self._snaps: list[Snapshot] = []
        self._ends: list[dt.date] = []  # latest period end among state-changing events so far
        snap = EMPTY
        # for the uncertainty flag: end of the period of the most recent state-changing event
        # (an event that leaves the snapshot as it was, a re-layer designation, changes nothing)
        last_end = dt.date.min
        for start, ev in order:
            before = snap
            snap = step(snap, ev)
            self._starts.append(start)
            self._snaps.append(snap)
            if ev.effect != "info" and ev.date.precision != "day" and snap is not before:
                last_end = max(last_end, ev.date.end)
            self._ends.append(last_end)

    def at(self, on: dt.date) -> tuple[Snapshot, int]:
        """Snapshot on `on` and the number of events that have started by then."""
        i = bisect.bisect_right(self._starts, on)
        if i == 0:
            return EMPTY, 0
        return self._snaps[i - 1], i

    def uncertain(self, on: dt.date, n: int) -> bool:
        return n > 0 and on < self._ends[n - 1]  # on the last day of the period it has happened

    def periods(self) -> list[tuple[State, PartialDate, PartialDate | None, Snapshot]]:
        """(state, from, until, snapshot) runs, until = start of the next state or None."""
        runs: list[tuple[State, PartialDate, PartialDate | None, Snapshot]] = []
        for ev, snap in zip(self.events, self._snaps, strict=True):
            if snap.since is None:
                continue
            if runs:
                st, fr, _, cur = runs[-1]
                if snap.state == cur.state and snap.since == cur.since:
                    if snap.pending == cur.pending:
                        runs[-1] = (st, fr, None, snap)
                        continue
                    start = ev.date  # a termination or withdrawal became (or stopped being) pending
                else:
                    start = snap.since
                runs[-1] = (st, fr, start, cur)
            else:
                start = snap.since
            runs.append((snap.state, start, None, snap))
        return runs
