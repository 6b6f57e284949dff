"""Property tests: status on any day equals a replay of the events up to that day."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from allies.dates import PartialDate
from allies.events import Event
from allies.frameworks import ACTIONS_BY_KIND
from allies.ledger import Ledger, load_ledger
from allies.state import Timeline, replay, step

LEDGER = load_ledger()
FRAMEWORKS = LEDGER.frameworks
COUNTRIES = ["COL", "AFG", "FIN", "TWN", "NZL"]


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1947, 1, 1), max_value=dt.date(2026, 11, 28)))
    prec = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}
    return PartialDate.parse(text[prec])


@st.composite
def event_lists(draw: st.DrawFn) -> list[Event]:
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for i in range(n):
        fw = draw(st.sampled_from(sorted(FRAMEWORKS)))
        action = draw(st.sampled_from(sorted(ACTIONS_BY_KIND[FRAMEWORKS[fw].kind])))
        intent = ""
        if action == "notify_congress":
            intent = draw(st.sampled_from(["designate", "terminate"]))
        out.append(
            Event(
                id=f"e{i}",
                framework=fw,
                country=draw(st.sampled_from(COUNTRIES)),
                action=action,
                intent_of=intent,
                date=draw(partial_dates()),
                basis="reported",
                confidence="high",
                sources=("https://example.org/x",),
            )
        )
    return out


@settings(max_examples=200, deadline=None)
@given(
    events=event_lists(), on=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2030, 1, 1))
)
def test_status_equals_replay(events: list[Event], on: dt.date) -> None:
    ledger = Ledger(events, FRAMEWORKS, LEDGER.countries)
    for fw in FRAMEWORKS:
        for c in COUNTRIES:
            mine = [e for e in events if e.framework == fw and e.country == c]
            assert ledger.state_of(fw, c, on) == replay(mine, on)


@settings(max_examples=200, deadline=None)
@given(
    events=event_lists(), on=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2030, 1, 1))
)
def test_members_are_exactly_the_active(events: list[Event], on: dt.date) -> None:
    ledger = Ledger(events, FRAMEWORKS, LEDGER.countries)
    for fw in FRAMEWORKS:
        got = {m["iso3"] for m in ledger.members(fw, on)["members"]}
        want = {
            c
            for c in COUNTRIES
            if replay([e for e in events if e.framework == fw and e.country == c], on).state
            == "active"
        }
        assert got == want


@settings(max_examples=100, deadline=None)
@given(events=event_lists())
def test_timeline_steps_are_a_fold(events: list[Event]) -> None:
    for fw in FRAMEWORKS:
        mine = [e for e in events if e.framework == fw and e.country == "COL"]
        tl = Timeline(mine)
        snap = tl.at(dt.date.max)[0]
        ref = replay(mine, dt.date.max)
        assert snap == ref
        # folding step in sort order is the same thing
        s2 = replay([], dt.date.max)
        for e in sorted(mine, key=lambda e: e.sort_key):
            s2 = step(s2, e)
        assert s2 == snap
