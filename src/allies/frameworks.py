"""Frameworks (MNNA, NATO, the U.S. collective-defense treaties) and what each entails."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Literal

from .errors import DataError

Kind = Literal["designation", "alliance", "treaty"]

# What each action does to the derived state. "announce": none/former -> announced;
# "activate": -> active; "pending:<x>": active stays active with a pending <x>;
# "clear": clears the pending flag; "suspend": -> suspended; "end": -> former;
# "info": no change.
ACTION_EFFECT: dict[str, str] = {
    "announce_consideration": "info",
    "announce_intent": "announce",
    "notify_congress": "announce",  # or pending:terminate with intent_of=terminate
    "designate": "activate",
    "treat_as": "activate",
    "announce_termination": "pending:terminate",
    "terminate": "end",
    "ceremony": "info",
    "invite": "announce",
    "sign": "announce",
    "ratify": "info",
    "accede": "activate",
    "join": "activate",
    "enter_into_force": "activate",
    "leave_military_command": "info",
    "rejoin_military_command": "info",
    "announce_suspension": "pending:suspend",
    "suspend": "suspend",
    "restore": "activate",
    "announce_withdrawal": "pending:withdraw",
    "denounce": "pending:withdraw",
    "cancel_withdrawal": "clear",
    "withdraw": "end",
    "dissolve_organization": "info",
}

# Same-day order: earlier lifecycle steps first.
ACTION_RANK: dict[str, int] = {
    "announce_consideration": 0,
    "announce_intent": 1,
    "invite": 1,
    "sign": 1,
    "notify_congress": 2,
    "ratify": 2,
    "designate": 3,
    "treat_as": 3,
    "accede": 3,
    "join": 3,
    "enter_into_force": 3,
    "restore": 3,
    "ceremony": 4,
    "leave_military_command": 4,
    "rejoin_military_command": 4,
    "announce_termination": 5,
    "announce_suspension": 5,
    "announce_withdrawal": 5,
    "denounce": 6,
    "cancel_withdrawal": 7,
    "suspend": 8,
    "terminate": 9,
    "withdraw": 9,
    "dissolve_organization": 10,
}

ACTIONS_BY_KIND: dict[str, frozenset[str]] = {
    "designation": frozenset(
        {
            "announce_consideration",
            "announce_intent",
            "notify_congress",
            "designate",
            "treat_as",
            "announce_termination",
            "terminate",
            "ceremony",
        }
    ),
    "alliance": frozenset(
        {
            "invite",
            "sign",
            "ratify",
            "enter_into_force",
            "accede",
            "leave_military_command",
            "rejoin_military_command",
            "announce_withdrawal",
            "withdraw",
            "suspend",
            "restore",
        }
    ),
    "treaty": frozenset(
        {
            "sign",
            "ratify",
            "join",
            "enter_into_force",
            "announce_suspension",
            "suspend",
            "restore",
            "announce_withdrawal",
            "denounce",
            "cancel_withdrawal",
            "withdraw",
            "dissolve_organization",
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Entail:
    id: str
    kind: str  # benefit | obligation | limit
    summary: str
    citation: str
    verified: bool
    sources: tuple[str, ...]
    note: str = ""
    # Conditions narrowing who gets it (docs/data.md "Conditional entails"):
    active_on: dt.date | None = None  # only countries whose status was active on this day
    named: tuple[str, ...] = ()  # countries named by statute; others need `condition`
    condition: str = ""  # the condition in words (required with `named`)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "summary": self.summary,
            "citation": self.citation,
            "verified": self.verified,
            "sources": list(self.sources),
        }
        if self.note:
            d["note"] = self.note
        if self.condition:
            d["condition"] = self.condition
        return d


@dataclass(frozen=True, slots=True)
class GuaranteeTerm:
    """What a treaty article actually commits, in its own words and in plain words."""

    article: str  # "Rio Treaty Art. 20"
    quote: str  # the operative words, verbatim
    plain: str  # what they mean for "must the U.S. defend X?", in our words
    sources: tuple[str, ...]
    verified: bool  # True once the quote was checked against a linked source

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "quote": self.quote,
            "plain": self.plain,
            "sources": list(self.sources),
            "verified": self.verified,
        }


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    name: str
    short: str
    kind: Kind
    designator: str
    legal_basis: str
    security_guarantee: bool
    guarantee_citation: str
    guarantee_sources: tuple[str, ...]
    sources: tuple[str, ...]
    entails: tuple[Entail, ...]
    aliases: tuple[str, ...] = ()
    established: dt.date | None = None  # no event of this framework may come earlier
    # Dated caveats on the guarantee ("SEATO dissolved in 1977; the treaty stays in force"):
    # (since, note, sources); answers on or after `since` carry the note.
    guarantee_caveats: tuple[tuple[dt.date, str, tuple[str, ...]], ...] = ()
    # What the record covers: the steps recorded in full (every designation, accession,
    # termination...) through `complete_through`; empty: the record is not claimed complete.
    complete_steps: tuple[str, ...] = ()
    complete_through: dt.date | None = None
    coverage_note: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.complete_steps) and self.complete_through is not None

    def covers(self, step: str, day: dt.date) -> bool:
        """The record of `step` is complete on `day`: a step of that kind missing from the
        ledger did not happen."""
        return (
            self.complete_through is not None
            and step in self.complete_steps
            and day <= self.complete_through
        )

    def coverage(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "through": str(self.complete_through) if self.complete_through else None,
            "steps": list(self.complete_steps),
            "note": self.coverage_note,
        }
    # What the guarantee commits, article by article (docs/data.md "Guarantee terms").
    guarantee_terms: tuple[GuaranteeTerm, ...] = ()

    def caveats_on(self, day: dt.date) -> list[str]:
        return [note for since, note, _ in self.guarantee_caveats if day >= since]

    @property
    def actions(self) -> frozenset[str]:
        return ACTIONS_BY_KIND[self.kind]

    def to_dict(self, with_entails: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "short": self.short,
            "kind": self.kind,
            "designator": self.designator,
            "legal_basis": self.legal_basis,
            "security_guarantee": {
                "value": self.security_guarantee,
                "citation": self.guarantee_citation,
                "sources": list(self.guarantee_sources),
                "caveats": [
                    {"since": str(since), "note": note, "sources": list(src)}
                    for since, note, src in self.guarantee_caveats
                ],
                "terms": [t.to_dict() for t in self.guarantee_terms],
            },
            "sources": list(self.sources),
            "aliases": list(self.aliases),
            "established": str(self.established) if self.established else None,
            "coverage": self.coverage(),
        }
        if with_entails:
            d["entails"] = [e.to_dict() for e in self.entails]
        return d


FRAMEWORK_KEYS = frozenset({
    "id", "established", "aliases", "name", "short", "kind", "designator", "legal_basis",
    "security_guarantee", "guarantee_citation", "guarantee_sources", "guarantee_caveats",
    "sources", "entails", "complete_steps", "complete_through", "coverage_note",
    "guarantee_terms",
})
ENTAIL_KEYS = frozenset({
    "id", "kind", "summary", "citation", "verified", "sources", "note", "active_on", "named",
    "condition",
})
CAVEAT_KEYS = frozenset({"since", "note", "sources"})
TERM_KEYS = frozenset({"article", "quote", "plain", "sources", "verified"})


def guarantee_terms(frameworks: dict[str, Framework], via: list[str]) -> list[dict[str, Any]]:
    """The terms behind a guarantee that runs `via` these frameworks, each with its
    framework id: what "Security guarantee: yes" actually commits."""
    return [
        {"framework": fid, **t.to_dict()}
        for fid in via
        if fid in frameworks
        for t in frameworks[fid].guarantee_terms
    ]


def _terms(f: dict[str, Any], where: str, problems: list[str]) -> tuple[GuaranteeTerm, ...]:
    raw = f.get("guarantee_terms", [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.append(f"{where}: 'guarantee_terms' must be [[framework.guarantee_terms]] tables")
        return ()
    out = []
    for j, item in enumerate(raw, start=1):
        tw = f"{where} guarantee_terms #{j}"
        problems.extend(_unknown_keys(item, TERM_KEYS, tw))
        ver = item.get("verified")
        if not isinstance(ver, bool):
            problems.append(f"{tw}: verified must be true or false")
        quote = _str(item, "quote", tw, problems)
        if '"' in quote:
            problems.append(f"{tw}: 'quote' holds the words only, without quotation marks")
        out.append(
            GuaranteeTerm(
                article=_str(item, "article", tw, problems),
                quote=quote,
                plain=_str(item, "plain", tw, problems),
                sources=_urls(item, "sources", tw, problems),
                verified=bool(ver),
            )
        )
    if f.get("security_guarantee") is True and not out:
        problems.append(
            f"{where}: a security guarantee needs its [[framework.guarantee_terms]]: the "
            "article's words (quote), what they commit (plain) and sources"
        )
    return tuple(out)


def _unknown_keys(d: dict[str, Any], known: frozenset[str], where: str) -> list[str]:
    """A misspelt key would be silently ignored: name it instead."""
    return [
        f"{where}: unknown key {k!r}; known keys: {', '.join(sorted(known))}"
        for k in d
        if k not in known
    ]


def _str(
    d: dict[str, Any], key: str, where: str, problems: list[str], required: bool = True
) -> str:
    v = d.get(key, "")
    if not isinstance(v, str) or (required and not v.strip()):
        problems.append(f"{where}: '{key}' must be a non-empty string")
        return ""
    return v.strip()


def _urls(d: dict[str, Any], key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    v = d.get(key, [])
    if (
        not isinstance(v, list)
        or not v
        or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in v)
    ):
        problems.append(f"{where}: '{key}' must be a non-empty list of http(s) URLs")
        return ()
    return tuple(v)


def framework_key(name: str) -> str:
    """How framework ids and aliases are compared: case, spaces, dots and dashes ignored."""
    return re.sub(r"[\s.\-_]+", "", name.casefold())


def _date(d: dict[str, Any], key: str, where: str, problems: list[str]) -> dt.date | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, dt.date) or isinstance(v, dt.datetime):
        problems.append(f"{where}: {key!r} must be a TOML date (YYYY-MM-DD, unquoted)")
        return None
    return v


def _aliases(d: dict[str, Any], where: str, problems: list[str]) -> tuple[str, ...]:
    v = d.get("aliases", [])
    if not isinstance(v, list) or not all(isinstance(a, str) and a.strip() for a in v):
        problems.append(f"{where}: 'aliases' must be a list of names")
        return ()
    return tuple(a.strip() for a in v)


def _coverage(f: dict[str, Any], kind: str, where: str, problems: list[str]) -> tuple[str, ...]:
    """`complete_steps`: actions of the framework's kind, given with `complete_through`."""
    v = f.get("complete_steps", [])
    known = ACTIONS_BY_KIND.get(kind, frozenset())
    if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
        problems.append(f"{where}: 'complete_steps' must be a list of actions")
        return ()
    for a in v:
        if a not in known:
            problems.append(
                f"{where}: complete_steps: {a!r} is not a {kind} action; use one of "
                f"{', '.join(sorted(known))}"
            )
    if v and "complete_through" not in f:
        problems.append(f"{where}: 'complete_steps' needs 'complete_through', a TOML date")
    if "complete_through" in f and not v:
        problems.append(f"{where}: 'complete_through' needs 'complete_steps' (what is complete)")
    return tuple(a for a in v if a in known)


def parse_frameworks(text: str, origin: str = "frameworks.toml") -> dict[str, Framework]:
    """Parse and validate frameworks.toml; raise DataError with one line per problem."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DataError([f"{origin}: not valid TOML ({e})"]) from None
    problems: list[str] = []
    out: dict[str, Framework] = {}
    for i, f in enumerate(doc.get("framework", []), start=1):
        where = f"{origin} framework #{i}"
        fid = _str(f, "id", where, problems)
        where = f"{origin} framework {fid or '#' + str(i)}"
        kind = f.get("kind")
        if kind not in ACTIONS_BY_KIND:
            problems.append(f"{where}: kind must be one of {', '.join(ACTIONS_BY_KIND)}")
            kind = "treaty"
        sg = f.get("security_guarantee")
        if not isinstance(sg, bool):
            problems.append(f"{where}: security_guarantee must be true or false")
            sg = False
        entails = []
        seen: set[str] = set()
        for j, item in enumerate(f.get("entails", []), start=1):
            ew = f"{where} entails #{j}"
            eid = _str(item, "id", ew, problems)
            if eid in seen:
                problems.append(f"{ew}: duplicate id {eid!r}")
            seen.add(eid)
            ek = item.get("kind")
            if ek not in ("benefit", "obligation", "limit"):
                problems.append(f"{ew}: kind must be benefit, obligation or limit")
            ver = item.get("verified")
            if not isinstance(ver, bool):
                problems.append(f"{ew}: verified must be true or false")
            active_on = item.get("active_on")
            if active_on is not None and not isinstance(active_on, dt.date):
                problems.append(f"{ew}: active_on must be a TOML date (YYYY-MM-DD, unquoted)")
                active_on = None
            named = item.get("named", [])
            if not isinstance(named, list) or not all(
                isinstance(n, str) and len(n) == 3 and n.isupper() for n in named
            ):
                problems.append(f"{ew}: named must be a list of ISO3 codes")
                named = []
            condition = _str(item, "condition", ew, problems, required=False)
            if (active_on or named) and not condition:
                problems.append(f"{ew}: active_on/named need a 'condition' in words")
            entails.append(
                Entail(
                    id=eid,
                    kind=str(ek),
                    summary=_str(item, "summary", ew, problems),
                    citation=_str(item, "citation", ew, problems),
                    verified=bool(ver),
                    sources=_urls(item, "sources", ew, problems),
                    note=_str(item, "note", ew, problems, required=False),
                    active_on=active_on,
                    named=tuple(named),
                    condition=condition,
                )
            )
        caveats = []
        for j, item in enumerate(f.get("guarantee_caveats", []), start=1):
            cw = f"{where} guarantee_caveats #{j}"
            since = _date(item, "since", cw, problems)
            if since is None:
                if "since" not in item:
                    problems.append(f"{cw}: needs 'since', a TOML date")
                continue
            caveats.append(
                (since, _str(item, "note", cw, problems), _urls(item, "sources", cw, problems))
            )
            problems.extend(_unknown_keys(item, CAVEAT_KEYS, cw))
        problems.extend(_unknown_keys(f, FRAMEWORK_KEYS, where))
        steps = _coverage(f, str(kind), where, problems)
        for j, item in enumerate(f.get("entails", []), start=1):
            problems.extend(_unknown_keys(item, ENTAIL_KEYS, f"{where} entails #{j}"))
        if fid in out:
            problems.append(f"{where}: duplicate framework id")
        out[fid] = Framework(
            id=fid,
            name=_str(f, "name", where, problems),
            short=_str(f, "short", where, problems),
            kind=kind,
            designator=_str(f, "designator", where, problems),
            legal_basis=_str(f, "legal_basis", where, problems),
            security_guarantee=sg,
            guarantee_citation=_str(f, "guarantee_citation", where, problems),
            guarantee_sources=_urls(f, "guarantee_sources", where, problems),
            sources=_urls(f, "sources", where, problems),
            entails=tuple(entails),
            aliases=_aliases(f, where, problems),
            established=_date(f, "established", where, problems),
            guarantee_caveats=tuple(caveats),
            complete_steps=steps,
            complete_through=_date(f, "complete_through", where, problems),
            coverage_note=_str(f, "coverage_note", where, problems, required=False),
            guarantee_terms=_terms(f, where, problems),
        )
    if not out:
        problems.append(f"{origin}: no [[framework]] tables")
    owner: dict[str, str] = {}
    for fw in out.values():
        for name in (fw.id, *fw.aliases):
            k = framework_key(name)
            if owner.setdefault(k, fw.id) != fw.id:
                problems.append(f"{origin}: name {name!r} is used by {owner[k]} and {fw.id}")
    if problems:
        raise DataError(problems)
    return out
