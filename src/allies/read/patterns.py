"""Pattern stage: from one sentence's mentions to event and claim candidates.

Everything language-specific (trigger phrases, mood cues, blockers, gap and claim shapes)
is in ``data/read/lexicon.toml``; this module only applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .gazetteer import Mention
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


class Lexicon:
    """The compiled lexicon (one per process)."""

    def __init__(self, lex: dict[str, Any], gaz: dict[str, Any]) -> None:
        self.prefilter: tuple[str, ...] = tuple(lex["prefilter"])
        self.triggers = [
            Trigger(
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
            )
            for t in lex["trigger"]
        ]
        cues = lex["cues"]
        self.clause_break = re.compile(cues["clause_break"], _I)
        self.negation = re.compile(cues["negation"], _I)
        self.hedge = re.compile(cues["hedge"], _I)
        self.intent = re.compile(cues["intent"], _I)
        self.speech = re.compile(cues["speech"], _I)
        self.would = re.compile(cues["would"], _I)
        self.window = int(cues["window"])
        self.condition = re.compile(r"\b(?:if|unless|whether)\b", _I)
        self.blocker = re.compile(lex["blockers"]["between"], _I)
        self.nato_after = re.compile(lex["blockers"]["nato_after"], _I)
        self.gaps = {k: re.compile(v, _I) for k, v in lex["gaps"].items()}
        cl = lex["claims"]
        self.list_intro = re.compile(cl["list_intro"], _I)
        self.prenominal = re.compile(cl["prenominal"], _I)
        self.appositive = re.compile(cl["appositive"], _I)
        self.list_gap = re.compile(cl["list_gap"], _I)
        self.former = re.compile(cl["former"], _I)
        self.holding = re.compile(cl["holding"])
        self.after = re.compile(cl["after"], _I)
        self.not_after = re.compile(cl["not_after"], _I)
        self.clause_end = re.compile(r"^\s*(?:[.;:,!?)\]—–]|$)")
        self.claim_negation = re.compile(cl["negation"], _I)
        roles = gaz["roles"]
        self.location_before = re.compile(roles["location_before"], _I)
        self.modifier_after = re.compile(roles["modifier_after"], _I)
        self.never_partner = frozenset(gaz["never_partner"])

    def gap_ok(self, kind: str, gap: str) -> bool:
        return kind == "any" or bool(self.gaps[kind].match(gap))


@cache
def lexicon() -> Lexicon:
    return Lexicon(load_toml("lexicon.toml"), load_toml("gazetteer.toml"))


def _masked(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> str:
    """text[start:end] with each (s, e, mark) span inside it replaced by " mark "."""
    out, pos = [], start
    for s, e, mark in spans:
        if s >= start and e <= end:
            out.append(text[pos:s])
            out.append(f" {mark} ")
            pos = e
    out.append(text[pos:end])
    return "".join(out)


class SentenceMatcher:
    """Apply the lexicon to one sentence: ``__call__(text, mentions, dates, strong)``."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def __call__(
        self,
        text: str,
        mentions: list[Mention],
        date_spans: list[tuple[int, int]],
        strong: frozenset[str],
    ) -> list[Candidate]:
        lex = self.lex
        terms = [m for m in mentions if m.kind == "term" and (not m.weak or m.value in strong)]
        countries = [m for m in mentions if m.kind == "country"]
        masks = sorted(
            [(m.start, m.end, "C") for m in countries] + [(s, e, "D") for s, e in date_spans]
        )
        clauses = self._clauses(text)
        groups = self._groups(text, countries)
        out: list[Candidate] = []
        if text.rstrip("\"'”’ ").endswith("?"):
            return out  # a question reports nothing
        frameworks = {t.value for t in terms}
        implicit_ok = not lex.blocker.search(text)
        for trig in lex.triggers:
            if trig.framework not in frameworks and not (
                trig.implicit and implicit_ok and trig.framework in strong
            ):
                continue
            for m in trig.rx.finditer(text):
                out.extend(self._event(text, trig, m, terms, masks, clauses, groups))
        out.extend(self._claims(text, terms, masks, groups, out))
        return out

    # -- structure -------------------------------------------------------------------
    def _clauses(self, text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for m in self.lex.clause_break.finditer(text):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(text)))
        return spans

    def _groups(self, text: str, countries: list[Mention]) -> list[list[Mention]]:
        """Countries joined by list punctuation ("Bulgaria, Estonia and Latvia"); a group
        whose head names a place or a modifier is dropped whole."""
        lex, groups = self.lex, []
        cur: list[Mention] = []
        for c in countries:
            if cur and lex.list_gap.match(text[cur[-1].end : c.start]):
                cur.append(c)
                continue
            if cur:
                groups.append(cur)
            cur = [c]
        if cur:
            groups.append(cur)
        kept = []
        for g in groups:
            if lex.location_before.search(text[max(0, g[0].start - 40) : g[0].start]):
                continue
            members = [
                c
                for c in g
                if not c.demonym
                and c.value not in lex.never_partner
                and not lex.modifier_after.match(text[c.end : c.end + 40])
            ]
            if members:
                kept.append(members)
        return kept

    # -- events ----------------------------------------------------------------------
    def _event(
        self,
        text: str,
        trig: Trigger,
        m: re.Match[str],
        terms: list[Mention],
        masks: list[tuple[int, int, str]],
        clauses: list[tuple[int, int]],
        groups: list[list[Mention]],
    ) -> list[Candidate]:
        ts, te = m.start(), m.end()
        if any(t.start <= ts < t.end for t in terms):
            return []
        term = self._term_for(text, trig, ts, te, terms, masks)
        if term is None and not trig.implicit:
            return []
        clause = next((c for c in clauses if c[0] <= ts < c[1]), (0, len(text)))
        mood = self._mood(text, trig, m, clause, [x for x in masks if x[2] == "D"])
        if mood is None:
            return []
        action = trig.action if mood == "done" else trig.intent
        if action is None:
            return []
        lo, hi = (ts, max(te, term.end)) if term and not trig.implicit else (ts, te)
        group = self._nearest_group(groups, clause, lo, hi, clauses)
        if group:
            lo, hi = min(lo, group[0].start), max(hi, group[-1].end)
        intent_of = trig.intent_of if action in ("announce_intent", "notify_congress") else None
        if trig.action == "notify_congress" and re.search(
            r"\b(?:terminat|revok|rescind|remov|strip|withdr)", text[clause[0] : clause[1]], _I
        ):
            intent_of = "terminate"
        rule = f"{trig.id}:{mood}"
        # No country in the sentence: country "" asks the pipeline for the antecedent.
        return [
            Candidate(
                trig.framework,
                c,
                rule,
                ts,
                clause,
                action=action,
                intent_of=intent_of,
                span=(lo, hi),
            )
            for c in ([g.value for g in group] if group else [""])
        ]

    def _term_for(
        self,
        text: str,
        trig: Trigger,
        ts: int,
        te: int,
        terms: list[Mention],
        masks: list[tuple[int, int, str]],
    ) -> Mention | None:
        lex, best, best_d = self.lex, None, 10**9
        for t in terms:
            if t.value != trig.framework:
                continue
            if t.start >= te and t.start - te <= trig.after:
                gap, d, kind = (te, t.start), t.start - te, trig.gap_after
            elif t.end <= ts and ts - t.end <= trig.before:
                gap, d, kind = (t.end, ts), ts - t.end, trig.gap_before
            else:
                continue
            if (
                t.value == "nato"
                and t.start >= te
                and lex.nato_after.match(text[t.end : t.end + 30])
            ):
                continue
            raw = text[gap[0] : gap[1]]
            if lex.blocker.search(raw) or not lex.gap_ok(kind, _masked(text, *gap, masks)):
                continue
            if d < best_d:
                best, best_d = t, d
        return best

    def _mood(
        self,
        text: str,
        trig: Trigger,
        m: re.Match[str],
        clause: tuple[int, int],
        dates: list[tuple[int, int, str]],
    ) -> str | None:
        """done | intent, or None (negated, hedged, infinitive, background participle).
        Dates are masked first: "On 23 May" is not the modal "may"."""
        lex, ts = self.lex, m.start()
        pre = _masked(text, max(clause[0], ts - lex.window), ts, dates)
        word = m.group().split()[0].lower()
        if lex.negation.search(pre) or lex.hedge.search(pre):
            return None
        if lex.condition.search(text[clause[0] : clause[1]]):
            return None
        if not trig.participle and word.endswith("ing") and pre.rstrip().endswith(","):
            return None
        if word.endswith("ing") and not pre.strip(" \"'“‘("):
            return None  # a gerund subject: "Becoming an MNNA is a multi-step process."
        if trig.mood == "done":
            return "done"
        if lex.intent.search(pre):
            return "intent"
        woulds = list(lex.would.finditer(pre))
        if woulds:
            before = text[: max(clause[0], ts - lex.window)] + pre[: woulds[-1].start()]
            return "intent" if lex.speech.search(before) else None
        if re.search(r"\bto\s+(?:\w+ly\s+)?$", pre, _I) and not word.endswith(("ed", "en")):
            return None  # bare infinitive ("invited to join", "the first to designate")
        return "done"

    @staticmethod
    def _nearest_group(
        groups: list[list[Mention]],
        clause: tuple[int, int],
        lo: int,
        hi: int,
        clauses: list[tuple[int, int]],
    ) -> list[Mention]:
        def dist(g: list[Mention]) -> int:
            s, e = g[0].start, g[-1].end
            return 0 if s < hi and e > lo else (lo - e if e <= lo else s - hi)

        inside = [g for g in groups if clause[0] <= g[0].start < clause[1]]
        if inside:
            return min(inside, key=dist)
        before = [g for g in groups if g[-1].end <= clause[0]]
        return before[-1] if before else []

    # -- claims ----------------------------------------------------------------------
    def _claims(
        self,
        text: str,
        terms: list[Mention],
        masks: list[tuple[int, int, str]],
        groups: list[list[Mention]],
        events: list[Candidate],
    ) -> list[Candidate]:
        lex, out = self.lex, []
        taken = {(e.framework, e.country) for e in events}
        if text.rstrip("\"'”’ ").endswith("?"):
            return []
        groups = [
            g
            for g in groups
            if not lex.not_after.search(text[max(0, g[0].start - 30) : g[0].start])
        ]
        for t in terms:
            if text[t.end : t.end + 1] == "-":
                continue  # "NATO-Ukraine Council": a compound modifier
            for g in groups:
                rule = self._claim_shape(text, t, g, masks)
                if rule is None:
                    continue
                gap = (
                    text[g[-1].end : t.start] if g[-1].end <= t.start else text[t.end : g[0].start]
                )
                ctx = text[max(0, min(t.start, g[0].start) - 25) : max(t.end, g[-1].end)]
                if lex.claim_negation.search(gap):
                    continue
                state = "former" if lex.former.search(ctx) else "active"
                for c in g:
                    if (t.value, c.value) not in taken:
                        taken.add((t.value, c.value))
                        out.append(
                            Candidate(
                                t.value,
                                c.value,
                                f"claim.{rule}",
                                c.start,
                                (0, len(text)),
                                state=state,
                            )
                        )
        return out

    def _claim_shape(
        self, text: str, t: Mention, g: list[Mention], masks: list[tuple[int, int, str]]
    ) -> str | None:
        lex = self.lex
        if g[0].start >= t.end and g[0].start - t.end <= 60:
            gap = _masked(text, t.end, g[0].start, masks)
            if lex.list_intro.match(gap):
                return "list"
            if lex.after.match(gap) and lex.clause_end.match(text[g[-1].end :]):
                return "after"
            if not t.weak and lex.prenominal.match(gap):
                return "prenominal"
        elif g[-1].end <= t.start and t.start - g[-1].end <= 70:
            gap = _masked(text, g[-1].end, t.start, masks)
            if not t.weak and lex.appositive.match(gap):
                return "appositive"
            if lex.holding.match(gap):
                return "holding"
        return None
