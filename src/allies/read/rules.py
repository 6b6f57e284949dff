"""Reader rules as checked records.

A rule is a unit: an ``id``, its ``patterns`` (a list of regex alternatives, never one long
line), its own ``examples`` (sentences it must fire on) and ``counter_examples`` (sentences it
must not fire on), kept beside it in ``data/read/rules.toml``. Each stage declares the keys
its rules may carry; an unknown key is refused when the file loads, as spaCy validates Matcher
patterns and medspaCy's ``ConTextRule.from_dict`` refuses unknown keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import DataError
from .resources import load_toml

COMMON = frozenset({"id", "patterns", "examples", "counter_examples", "note"})
# Stage → the extra keys its rules may carry (with their types).
STAGE_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    # a list of countries that names current holders of a status (claims, not events)
    "holders": {"side": str, "after": list, "state": str},
    # the mood of an act: a modifier opens a scope in one direction, up to a terminator
    "scope": {
        "category": str,
        "direction": str,
        "max_chars": int,
        "terminators": list,
        "acts_only": bool,
    },
    # a phrase that stands for countries named elsewhere (capitals, groups, pronouns)
    "discourse": {"kind": str, "forms": dict, "reach": int},
    # second-generation triggers: the act, its voice, its intent form
    "act": {"framework": str, "action": str, "intent": str, "intent_of": str, "voice": str,
            "needs": list, "term": str, "term_reach": int, "blockers": list, "not_before": list,
            "decided": str},
    # a date that another sentence gives for the same occasion
    "occasion": {"reach": int, "anchors": list},
    # background: an act mentioned in passing, not the development reported
    "role": {"role": str},
}
CATEGORIES = frozenset(
    {"negated", "hedge", "request", "bill", "speculation", "wish", "conditional", "refuted",
     "intent", "decided", "enacted"}
)
DIRECTIONS = frozenset({"forward", "backward", "both"})


@dataclass(frozen=True)
class Rule:
    """One checked rule of one stage."""

    id: str
    stage: str
    patterns: tuple[str, ...]
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    rx: re.Pattern[str] = field(default=re.compile(r"(?!)"), compare=False, repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


def alternation(patterns: tuple[str, ...] | list[str]) -> str:
    """The patterns as one non-capturing alternation."""
    return "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


def _check(stage: str, raw: Mapping[str, Any], where: str) -> list[str]:
    errors = []
    allowed = COMMON | STAGE_KEYS[stage].keys()
    for k in raw:
        if k not in allowed:
            errors.append(f"{where}: unknown key '{k}' (allowed: {', '.join(sorted(allowed))})")
    if not isinstance(raw.get("id"), str) or not raw.get("id"):
        errors.append(f"{where}: 'id' must be a non-empty string")
    pats = raw.get("patterns")
    if not isinstance(pats, list) or not pats or not all(isinstance(p, str) for p in pats):
        errors.append(f"{where}: 'patterns' must be a non-empty list of strings")
    for key in ("examples", "counter_examples"):
        v = raw.get(key, [])
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            errors.append(f"{where}: '{key}' must be a list of sentences")
    if not raw.get("examples"):
        errors.append(f"{where}: a rule needs at least one example")
    for k, typ in STAGE_KEYS[stage].items():
        if k in raw and not isinstance(raw[k], typ):
            errors.append(f"{where}: '{k}' has the wrong type")
    if stage == "act" and raw.get("voice") not in ("subject", "object", "either", "after"):
        errors.append(f"{where}: 'voice' must be subject, object, either or after")
    if stage == "act" and raw.get("term", "any") not in ("any", "after", "before"):
        errors.append(f"{where}: 'term' must be any, after or before")
    if stage == "scope":
        if raw.get("category") not in CATEGORIES:
            errors.append(f"{where}: 'category' must be one of {', '.join(sorted(CATEGORIES))}")
        if raw.get("direction") not in DIRECTIONS:
            errors.append(f"{where}: 'direction' must be one of {', '.join(sorted(DIRECTIONS))}")
    return errors


def parse_rules(doc: Mapping[str, Any], name: str = "rules.toml") -> dict[str, tuple[Rule, ...]]:
    """Validate and compile every stage's rules; raise DataError listing every problem."""
    errors: list[str] = []
    out: dict[str, tuple[Rule, ...]] = {}
    seen: set[str] = set()
    for stage in doc:
        if stage not in STAGE_KEYS:
            errors.append(f"{name}: unknown stage '{stage}' (known: {', '.join(STAGE_KEYS)})")
    for stage in STAGE_KEYS:
        rules = []
        for i, raw in enumerate(doc.get(stage, [])):
            where = f"{name} [[{stage}]] #{i + 1} ({raw.get('id', '?')})"
            errs = _check(stage, raw, where)
            if raw.get("id") in seen:
                errs.append(f"{where}: duplicate id")
            seen.add(raw.get("id", ""))
            if errs:
                errors.extend(errs)
                continue
            try:
                rx = re.compile(alternation(raw["patterns"]), re.IGNORECASE)
            except re.error as e:
                errors.append(f"{where}: bad pattern ({e})")
                continue
            params = {k: v for k, v in raw.items() if k not in COMMON}
            rules.append(
                Rule(
                    raw["id"],
                    stage,
                    tuple(raw["patterns"]),
                    tuple(raw.get("examples", ())),
                    tuple(raw.get("counter_examples", ())),
                    params,
                    rx,
                )
            )
        out[stage] = tuple(rules)
    if errors:
        raise DataError(errors)
    return out


@cache
def rules() -> dict[str, tuple[Rule, ...]]:
    """The bundled rules (``data/read/rules.toml``), validated once per process."""
    return parse_rules(load_toml("rules.toml"))
