"""Check a reading against the ledger: each event and claim gets a verdict.

The reader knows only the text and the ledger only the record; this is where they meet.
Verdicts, decided in this order:

1. ``undated``: the item cannot be placed in time (its date rests on a publication date that
   is missing), so nothing can be confirmed; ``reason`` says why.
2. ``confirmed`` / ``contradicted``: the ledger has the step within 3 days of the text's date
   (or on or before publication when the text gives no date), or the item falls in a period
   the ledger covers completely (``complete_steps`` through ``complete_through`` in
   frameworks.toml), where a step the ledger lacks did not happen. Contradictions carry the
   ledger's fact and its sources; a wrong day or year carries ``date_differs_by_days``.
3. ``not_in_ledger``: a step dated after the ledger's coverage, or of a kind the ledger does
   not record in full: a possible new event, for review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from .dates import PartialDate, partial_or_none
from .events import Event, brief
from .frameworks import Framework
from .ledger import Ledger, load_ledger
from .state import Snapshot, Timeline

VERDICTS = ("confirmed", "contradicted", "undated", "not_in_ledger")
ROLES = ("news", "background")

# Reader action (+ intent) -> ledger actions that record the same step.
SAME_STEP: dict[tuple[str, str], set[tuple[str, str]]] = {
    ("announce_intent", "designate"): {("announce_intent", ""), ("notify_congress", "designate")},
    ("announce_intent", "terminate"): {
        ("announce_termination", ""),
        ("notify_congress", "terminate"),
    },
    ("notify_congress", "designate"): {("notify_congress", "designate"), ("announce_intent", "")},
    ("notify_congress", "terminate"): {
        ("notify_congress", "terminate"),
        ("announce_termination", ""),
    },
    ("designate", ""): {("designate", ""), ("treat_as", "")},
    ("treat_as", ""): {("treat_as", ""), ("designate", "")},
    ("terminate", ""): {("terminate", "")},
    ("invite", ""): {("invite", "")},
    ("accede", ""): {("accede", ""), ("enter_into_force", ""), ("join", "")},
}
# State the ledger shows once the step has happened.
STATE_AFTER: dict[str, tuple[str, ...]] = {
    "announce_intent": ("announced", "active", "former"),
    "notify_congress": ("announced", "active", "former"),
    "designate": ("active",),
    "treat_as": ("active",),
    "terminate": ("former",),
    "invite": ("announced", "active"),
    "accede": ("active",),
}
# Preliminary steps (intent, notice, invitation), by what they lead to: the states in which
# the step cannot be taken (designating a country that is already a member, ending a status
# it does not hold).
IMPOSSIBLE_IN: dict[str, tuple[str, ...]] = {
    "designate": ("active",),
    "accede": ("active",),
    "terminate": ("none", "announced", "former"),
}
TOLERANCE = dt.timedelta(days=3)  # reporting lag and time zones
NO_PUBLISHED = (
    "its date rests on the publication date, which is unknown (the text gives no date of its "
    "own, or only a relative one such as \"on Tuesday\"); give the article's publication date"
)
NO_PUBLISHED_CLAIM = (
    "a claim is checked on the publication date, which is unknown; give the article's "
    "publication date"
)


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def _near(a: PartialDate, b: PartialDate) -> bool:
    return _shift(a.start, -TOLERANCE) <= b.end and _shift(b.start, -TOLERANCE) <= a.end


def _shift(day: dt.date, by: dt.timedelta) -> dt.date:
    """`day + by`, held at the calendar's ends (0001-01-01, 9999-12-31)."""
    try:
        return day + by
    except OverflowError:
        return dt.date.min if by < dt.timedelta(0) else dt.date.max


def _gap_days(a: PartialDate, b: PartialDate) -> int:
    """Days between two dates' periods (0 when they overlap)."""
    if a.start <= b.end and b.start <= a.end:
        return 0
    return min(abs((a.start - b.end).days), abs((b.start - a.end).days))


def _state_view(ledger: Ledger, fw: str, iso3: str, day: dt.date) -> dict[str, Any]:
    snap = ledger.state_of(fw, iso3, day)
    view: dict[str, Any] = {"on": day.isoformat(), "state": snap.state}
    if snap.since is not None:
        view["since"] = str(snap.since)
        view["precision"] = snap.since.precision
    if snap.pending:
        view["pending"] = snap.pending
    if snap.decided_by is not None:
        view["sources"] = list(snap.decided_by.sources)
    return view


# -- the ledger's fact, in words ----------------------------------------------------------------


def _held(f: Framework) -> tuple[str, str]:
    """The framework's kind of membership: (after "has" / "has never", in the past tense)."""
    if f.kind == "designation":
        return f"held {f.short} status", f"held {f.short} status"
    if f.kind == "alliance":
        return f"been a {f.short} member", f"was a {f.short} member"
    return f"been a party to the {f.short}", f"was a party to the {f.short}"


def _ended(f: Framework, e: Event) -> str:
    if f.kind == "designation":
        return f"its termination on {e.date}"
    if e.effect == "suspend":
        return f"its suspension on {e.date}"
    return f"its withdrawal on {e.date}"


def _next_activation(tl: Timeline | None, day: dt.date) -> Event | None:
    for e in tl.events if tl else []:
        if e.date.start > day and e.effect == "activate":
            return e
    return None


def record_fact(ledger: Ledger, f: Framework, iso3: str, day: dt.date) -> str:
    """What the ledger says of a country's membership on a day, as a sentence a fact-checker
    can quote: "Brazil has never been a NATO member", "Pakistan has held MNNA status since
    2004-06-16, never terminated"."""
    name = _name(ledger, iso3)
    tl = ledger.timelines.get((f.id, iso3))
    snap: Snapshot = tl.at(day)[0] if tl else Snapshot()
    held, was = _held(f)
    later = _next_activation(tl, day)
    if snap.state == "active":
        end = next(
            (e for e in (tl.events if tl else []) if e.date.start > day
             and e.effect in ("end", "suspend")),
            None,
        )
        if end is None:
            never = "never terminated" if f.kind == "designation" else "never withdrawn"
            return f"{name} has {held} since {snap.since}, {never}"
        return f"{name} {was} from {snap.since} until {_ended(f, end)}"
    if snap.state == "former":
        assert snap.decided_by is not None
        what = (
            f"{name}'s {f.short} status was terminated on {snap.since}"
            if f.kind == "designation"
            else f"{name} left the {f.short} on {snap.since}"
        )
        return what + (f"; {later.action} again on {later.date}" if later else "")
    if snap.state == "suspended":
        return f"{name}'s participation in the {f.short} has been suspended since {snap.since}"
    if snap.state == "announced":
        only = {
            "designation": "the intent to designate only",
            "alliance": "an invitation only, not membership",
            "treaty": "a signature only, not membership",
        }[f.kind]
        tail = f"; {later.action} came on {later.date}" if later else ""
        return f"on {day} the ledger shows {only} for {name} (since {snap.since}){tail}"
    if later is not None:
        return f"{name} had not {held} on {day}; {later.action} came on {later.date}"
    return f"{name} has never {held}"


def _name(ledger: Ledger, iso3: str) -> str:
    return ledger.countries.get(iso3).name if iso3 in ledger.countries else iso3


# -- events -------------------------------------------------------------------------------------


def _undated(
    out: dict[str, Any], fact: str, event: Event | None = None, reason: str = NO_PUBLISHED
) -> dict[str, Any]:
    out["verdict"] = "undated"
    out["reason"] = reason
    view: dict[str, Any] = {"on": None, "fact": fact}
    if event is not None:
        view["event"] = brief(event)
    out["ledger"] = view
    return out


def _today_or_through(f: Framework | None) -> dt.date:
    if f is not None and f.complete_through is not None:
        return f.complete_through
    return dt.date.today()


def check_event(
    ledger: Ledger, ev: dict[str, Any], published: PartialDate | None
) -> dict[str, Any]:
    fw, iso3, action = ev["framework"], ev["country"], ev["action"]
    prelim = action in ("announce_intent", "notify_congress", "invite")
    intent = ev.get("intent_of") or (
        "designate" if action in ("announce_intent", "notify_congress") else ""
    )
    out = dict(ev)
    f = ledger.frameworks.get(fw)
    name = _name(ledger, iso3)
    tl = ledger.timelines.get((fw, iso3))
    same = SAME_STEP.get((action, intent if action in ("announce_intent", "notify_congress")
                          else ""), set())
    matches = [
        e
        for e in (tl.events if tl else [])
        if (e.action, e.intent_of) in same or (e.action, "") in same
    ]
    # 1. Can it be placed in time? A date of its own, else on or before publication.
    own = None if ev.get("date_basis") == "publication" else partial_or_none(ev.get("date"))
    if f is None:
        out["verdict"] = "not_in_ledger"
        out["ledger"] = {"on": None, "fact": f"the ledger has no framework {fw!r}: for review"}
        return out
    if own is None and published is None:
        if matches:
            m = next((e for e in matches if e.action == action), matches[0])
            return _undated(out, f"the ledger records {m.action} of {name} on {m.date}", m)
        return _undated(out, record_fact(ledger, f, iso3, _today_or_through(f)))
    date: PartialDate = own or published  # type: ignore[assignment]
    day = date.end
    view = _state_view(ledger, fw, iso3, day)
    step_covered = any(a in f.complete_steps for a, _ in same)
    covered = any(f.covers(a, day) for a, _ in same)
    if own is None:
        # The text dates nothing: the step happened on or before publication.
        limit = _shift(date.end, TOLERANCE)
        near = sorted((e for e in matches if e.date.start <= limit), key=lambda e: e.sort_key)
        near = near[-1:]
    else:
        near = [e for e in matches if _near(date, e.date)]
    if near:
        out["verdict"] = "confirmed"
        fact = f"ledger records {near[0].action} of {name} on {near[0].date}"
        gap = _gap_days(date, near[0].date) if own is not None else 0
        if own is None:
            fact += f" (the text gives no date; published {date})"
        elif gap:
            out["date_differs_by_days"] = gap
            fact += f"; the text's date {date} differs by {gap} day{'s' if gap > 1 else ''}"
        view["event"] = brief(near[0])
    elif matches:
        # The step is on record, at another time: a wrong day or year, or (after the
        # ledger's coverage) possibly the step taken again.
        m = min(matches, key=lambda e: abs((e.date.start - day).days))
        after = STATE_AFTER.get(action, ())
        ahead = f.complete_through is not None and date.end > f.complete_through
        cur = ledger.state_of(fw, iso3, min(day, f.complete_through or day)).state
        if ahead and cur not in after:
            out["verdict"] = "not_in_ledger"
            fact = (
                f"{record_fact(ledger, f, iso3, f.complete_through or day)}; the ledger's "
                f"record ends on {f.complete_through}: possible new event, for review"
            )
        else:
            out["verdict"] = "contradicted"
            if own is not None:
                out["date_differs_by_days"] = _gap_days(date, m.date)
            fact = (
                f"on {day} the ledger shows {_shows(fw, view['state'])} for {name}; "
                f"{m.action} came on {m.date}"
            )
            if view["state"] == "announced" and f.kind == "designation":
                fact = (
                    f"on {day} the ledger shows the intent only for {name} (announced "
                    f"{view['since']}); {m.action} came on {m.date}"
                )
        view["event"] = brief(m)
    elif prelim and own is not None and _impossible(ledger, f, iso3, action, intent, own):
        # an intent to designate a country that already held the status throughout the
        # text's date, an invitation to a member, a notice to end a status it did not hold
        out["verdict"] = "contradicted"
        fact = record_fact(ledger, f, iso3, day)
    elif covered:
        out["verdict"] = "contradicted"
        fact = record_fact(ledger, f, iso3, day)
    elif not step_covered:
        out["verdict"] = "not_in_ledger"
        fact = (
            f"the ledger does not record every {action} in {fw} (complete for "
            f"{', '.join(f.complete_steps) or 'nothing'}); "
            f"{record_fact(ledger, f, iso3, min(day, _today_or_through(f)))}: "
            "possible new event, for review"
        )
    else:
        out["verdict"] = "not_in_ledger"
        fact = (
            f"the ledger's record of {fw} ends on {f.complete_through}, before {date}; "
            f"{record_fact(ledger, f, iso3, _today_or_through(f))}: "
            "possible new event, for review"
        )
    view["fact"] = fact
    view["security_guarantee"] = ledger.status(iso3, day)["security_guarantee"]
    out["ledger"] = view
    return out


def _impossible(
    ledger: Ledger, f: Framework, iso3: str, action: str, intent: str, date: PartialDate
) -> bool:
    """A preliminary step the ledger's complete membership record rules out on every day of
    the text's date."""
    if not f.complete or f.complete_through is None or date.end > f.complete_through:
        return False
    bad = IMPOSSIBLE_IN.get("accede" if action == "invite" else intent, ())
    return all(ledger.state_of(f.id, iso3, d).state in bad for d in (date.start, date.end))


def _shows(fw: str, state: str) -> str:
    return f"no {fw} status" if state == "none" else f"{fw} {state}"


# -- claims -------------------------------------------------------------------------------------


def check_claim(
    ledger: Ledger, cl: dict[str, Any], published: PartialDate | None
) -> dict[str, Any]:
    fw, iso3, state = cl["framework"], cl["country"], cl["state"]
    out = dict(cl)
    f = ledger.frameworks.get(fw)
    if f is None:
        out["verdict"] = "not_in_ledger"
        out["ledger"] = {"on": None, "fact": f"the ledger has no framework {fw!r}: for review"}
        return out
    when = partial_or_none(cl.get("date")) or published
    if when is None:
        fact = record_fact(ledger, f, iso3, _today_or_through(f))
        return _undated(out, fact, reason=NO_PUBLISHED_CLAIM)
    day = when.end
    through = f.complete_through
    ahead = through is not None and day > through
    asked = through if ahead and through is not None else day
    view = _state_view(ledger, fw, iso3, asked)
    fact = record_fact(ledger, f, iso3, asked)
    if view["state"] == state:
        out["verdict"] = "confirmed"
        if ahead:
            fact += f" (the ledger's record ends on {through})"
    elif f.complete and not ahead:
        out["verdict"] = "contradicted"
    else:
        out["verdict"] = "not_in_ledger"
        fact += (
            f"; the ledger's record ends on {through}, before {when}: possible change, for review"
            if ahead
            else f"; the ledger does not claim {fw} complete: for review"
        )
    view["fact"] = fact
    out["ledger"] = view
    return out


# -- the reading --------------------------------------------------------------------------------


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    c = dict.fromkeys(VERDICTS, 0)
    for it in items:
        c[it["verdict"]] += 1
    return c


def _part(n: int, noun: str, counts: dict[str, int]) -> str:
    if n == 0:
        return f"0 {noun}"
    shown = [f"{k}" for k in VERDICTS if counts[k]]
    if len(shown) == 1:
        inner = f"{counts[shown[0]]} {shown[0]}" if n == 1 else f"all {shown[0]}"
    else:
        inner = ", ".join(f"{counts[k]} {k}" for k in VERDICTS if counts[k])
    return f"{n} {noun} ({inner.replace('not_in_ledger', 'not in ledger')})"


def summary(events: list[dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Verdict counts, news and background events apart, and the line every surface shows:
    "2 news events (1 confirmed, 1 contradicted), 5 background (all confirmed), 10 claims
    (all confirmed)"."""
    news = [e for e in events if e.get("role", "news") != "background"]
    background = [e for e in events if e.get("role", "news") == "background"]
    groups = {"news": _counts(news), "background": _counts(background), "claims": _counts(claims)}
    total = _counts([*events, *claims])
    line = ", ".join(
        (
            _part(len(news), "news event" + ("" if len(news) == 1 else "s"), groups["news"]),
            _part(len(background), "background", groups["background"]),
            _part(len(claims), "claim" + ("" if len(claims) == 1 else "s"), groups["claims"]),
        )
    )
    return {**total, "groups": groups, "line": line}


def check(reading: HasToDict | dict[str, Any], ledger: Ledger | None = None) -> dict[str, Any]:
    """Compare a reading (``allies.read.read(...)`` or its dict) with the ledger."""
    ledger = ledger or load_ledger()
    doc = reading if isinstance(reading, dict) else reading.to_dict()
    published = partial_or_none(doc.get("published"))
    out = dict(doc)
    out["events"] = [check_event(ledger, e, published) for e in doc.get("events", [])]
    out["claims"] = [check_claim(ledger, c, published) for c in doc.get("claims", [])]
    out.setdefault("unread", [])
    out["summary"] = summary(out["events"], out["claims"])
    return out
