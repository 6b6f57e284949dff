"""The compiled reader lexicon (``data/read/lexicon.toml`` + gazetteer roles).

Everything language-specific (trigger phrases, mood cues, blockers, gap and claim shapes)
is data; this module only compiles it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .resources import load_toml

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    framework: str
    action: str
    intent: str | None
    intent_of: str | None
    after: int
    before: int
    gap_after: str
    gap_before: str
    rx: re.Pattern[str]
    mood: str | None
    participle: bool
    implicit: bool
    requires_date: bool = False
    blocker: re.Pattern[str] | None = None
    unhedged: re.Pattern[str] | None = None
    needs_country: bool = False
    adjacent: bool = False
    anaphoric: bool = False
    subject_before: bool = False
    licensed_by: re.Pattern[str] | None = None
    aside_claim: bool = False
    local: bool = False
    dated_after: bool = False
    needs_topic: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """An event (``action`` set) or a claim (``state`` set) found in one sentence; offsets
    are relative to the sentence. ``anchor`` is where the trigger sits (dates near it win)."""

    framework: str
    country: str
    rule: str
    anchor: int
    clause: tuple[int, int]
    action: str | None = None
    intent_of: str | None = None
    state: str | None = None
    span: tuple[int, int] = (0, 0)
    asides: tuple[tuple[int, int], ...] = ()  # relative clauses whose dates are not its own
    local: bool = False  # an antecedent only from its own paragraph


def _trigger(t: dict[str, Any], base_blocker: str) -> Trigger:
    """One trigger; its `blocker` replaces the shared one, its `extra_blocker` extends it."""
    blocker = t.get("blocker")
    if "extra_blocker" in t:
        blocker = f"{base_blocker}|{t['extra_blocker']}"
    return Trigger(
        id=t["id"],
        framework=t["framework"],
        action=t["action"],
        intent=t.get("intent"),
        intent_of=t.get("intent_of"),
        after=int(t.get("after", 80)),
        before=int(t.get("before", 0)),
        gap_after=t.get("gap_after", "object"),
        gap_before=t.get("gap_before", "subject"),
        rx=re.compile(t["pattern"], _I),
        mood=t.get("mood"),
        participle=bool(t.get("participle", True)),
        implicit=bool(t.get("implicit", False)),
        requires_date=bool(t.get("requires_date", False)),
        blocker=re.compile(blocker, _I) if blocker else None,
        unhedged=re.compile(t["unhedged"], _I) if "unhedged" in t else None,
        needs_country=bool(t.get("needs_country", False)),
        adjacent=bool(t.get("adjacent", False)),
        anaphoric=bool(t.get("anaphoric", False)),
        subject_before=bool(t.get("subject_before", False)),
        licensed_by=re.compile(t["licensed_by"], _I) if "licensed_by" in t else None,
        aside_claim=bool(t.get("aside_claim", False)),
        local=bool(t.get("local", False)),
        dated_after=bool(t.get("dated_after", False)),
        needs_topic=bool(t.get("needs_topic", False)),
    )


class Lexicon:
    """The compiled lexicon (one per process)."""

    def __init__(self, lex: dict[str, Any], gaz: dict[str, Any]) -> None:
        self.prefilter: tuple[str, ...] = tuple(lex["prefilter"])
        self.triggers = [_trigger(t, lex["blockers"]["between"]) for t in lex["trigger"]]
        cues = lex["cues"]
        self.clause_break = re.compile(cues["clause_break"], _I)
        self.relative_end = re.compile(cues["relative_end"], _I)
        self.list_marks = frozenset(cues["list_marks"])
        self.list_aside = re.compile(cues["list_aside"], _I)
        self.negation = re.compile(cues["negation"], _I)
        self.hedge = re.compile(cues["hedge"], _I)
        self.intent = re.compile(cues["intent"], _I)
        # an intent cue whose "to" is the one right before the trigger ("plans to add")
        self.intent_to = re.compile(
            f"(?:{cues['intent']})(?:\\s+to)?\\s*(?:be\\s+)?(?:\\w+ly\\s+)?$", _I
        )
        self.speech = re.compile(cues["speech"], _I)
        self.would = re.compile(cues["would"], _I)
        self.decided = re.compile(cues["decided"], _I)
        self.intent_far = re.compile(cues["intent_far"], _I)
        self.undone = re.compile(cues["undone"], _I)
        self.undone_after = re.compile(cues["undone_after"], _I)
        self.mention_quote = re.compile(cues["mention_quote"], _I)
        self.stative = re.compile(cues["stative"], _I)
        self.relative_clause = re.compile(cues["relative_clause"], _I)
        self.relative_all = re.compile(cues["relative_all"], _I)
        self.relative_tail = re.compile(cues["relative_tail"], _I)
        self.relative_chain = re.compile(cues["relative_chain"], _I)
        self.comitative = re.compile(cues["comitative"], _I)
        self.date_barrier = re.compile(cues["date_barrier"])
        self.date_aside = re.compile(cues["date_aside"])
        self.definite_act = re.compile(cues["definite_act"])
        self.not_subject = re.compile(cues["not_subject"], _I)
        self.dated_before = re.compile(cues["dated_before"], _I)
        self.same_date = re.compile(cues["same_date"], _I)
        self.plural_anaphor = re.compile(cues["plural_anaphor"], _I)
        self.plural_actions = frozenset(cues["plural_actions"])
        self.plural_claim = re.compile(cues["plural_claim"], _I)
        self.plural_numbers: dict[str, int] = {
            k.lower(): int(v) for k, v in cues["plural_numbers"].items()
        }
        self.window = int(cues["window"])
        self.apposed = re.compile(cues["apposed"], _I)
        self.aside = re.compile(cues["aside"], _I)
        self.gerund_modal = re.compile(cues["gerund_modal"], _I)
        self.progressive = re.compile(cues["progressive"], _I)
        self.refuted = re.compile(cues["refuted"], _I)
        self.reaction = re.compile(cues["reaction"], _I)
        self.condition = re.compile(r"\b(?:if|unless|whether)\b", _I)
        bl = lex["blockers"]
        self.blocker = re.compile(bl["between"], _I)
        self.historical = re.compile(bl["historical"], _I)
        self.nato_after = re.compile(bl["nato_after"], _I)
        self.gapped = re.compile(lex["gapping"]["between"], _I)
        self.gapped_date = re.compile(lex["gapping"]["before_date"], _I)
        self.gapped_open = re.compile(lex["gapping"]["open"], _I)
        self.gaps = {k: re.compile(v, _I) for k, v in lex["gaps"].items()}
        cl = lex["claims"]
        self.list_intro = re.compile(cl["list_intro"], _I)
        self.prenominal = re.compile(cl["prenominal"], _I)
        self.appositive = re.compile(cl["appositive"], _I)
        self.weak_appositive = re.compile(cl["weak_appositive"], _I)
        self.possessive = re.compile(cl["possessive"], _I)
        self.list_gap = re.compile(cl["list_gap"], _I)
        self.former = re.compile(cl["former"], _I)
        self.holding = re.compile(cl["holding"])
        self.relative = re.compile(cl["relative"], _I)
        self.relative_verb = re.compile(cl["relative_verb"], _I)
        self.held_by = re.compile(cl["held_by"], _I)
        self.holds_it = re.compile(cl["holds_it"], _I)
        self.after = re.compile(cl["after"], _I)
        self.as_verb = re.compile(cl["as_verb"], _I)
        self.as_gap = re.compile(cl["as_gap"], _I)
        self.beside = re.compile(cl["beside"], _I)
        self.not_after = re.compile(cl["not_after"], _I)
        self.clause_end = re.compile(cl["clause_end"])
        self.nato_named = re.compile(cl["nato_named"])
        self.process_after = re.compile(cl["process_after"], _I)
        self.claim_negation = re.compile(cl["negation"], _I)
        self.lost = re.compile(cl["lost"], _I)
        self.bare_member = re.compile(cl["bare_member"], _I)
        self.subject_aside = re.compile(cl["subject_aside"], _I)
        roles = gaz["roles"]
        self.location_before = re.compile(roles["location_before"], _I)
        self.modifier_after = re.compile(roles["modifier_after"], _I)
        self.never_partner = frozenset(gaz["never_partner"])

    def gap_ok(self, kind: str, gap: str) -> bool:
        return kind == "any" or bool(self.gaps[kind].match(gap))

    def blocked(self, text: str, blocker: re.Pattern[str] | None = None) -> bool:
        """True when `text` names another organisation or object of the action; one named
        as history ("all once in the Warsaw Pact", "former Soviet republics") does not count."""
        for m in (blocker or self.blocker).finditer(text):
            if not self.historical.search(text[max(0, m.start() - 36) : m.start()]):
                return True
        return False


@cache
def lexicon() -> Lexicon:
    return Lexicon(load_toml("lexicon.toml"), load_toml("gazetteer.toml"))


def masked(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> str:
    """text[start:end] with each (s, e, mark) span inside it replaced by " mark ". `spans`
    are sorted by start: only those from `start` on are visited (a bisection), so the cost
    does not grow with the sentence's other spans."""
    out, pos = [], start
    for i in range(bisect.bisect_left(spans, (start,)), len(spans)):
        s, e, mark = spans[i]
        if s >= end:
            break
        if e <= end and s >= pos:
            out.append(text[pos:s])
            out.append(f" {mark} ")
            pos = e
    out.append(text[pos:end])
    return "".join(out)
