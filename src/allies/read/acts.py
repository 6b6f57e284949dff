"""Acts: the second-generation trigger stage.

Each ``[[act]]`` rule (``data/read/rules.toml``) names a framework, the action it reports
when done (and, optionally, when announced: ``intent``), the ``voice`` that says where its
country stands, and its trigger patterns:

- ``subject``: the country group right before the trigger ("Montenegro officially became
  NATO's 29th member", "Bahrain, which was designated in 2002");
- ``object``: the country group right after it ("designating Colombia as ...", "the accession
  today of Poland, Hungary and the Czech Republic");
- ``either``: the group before, else the one after.

Its mood comes from the scope stage (`scope.py`); its participants are only the countries in
those positions, never a bystander ("Defying Russia, Montenegro joins NATO"). A sentence
needs a term of the rule's framework; ``needs`` adds patterns the sentence must hold.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .gazetteer import Mention
from .lexicon import Candidate, masked
from .rules import Rule, alternation
from .scope import Scope

MAX_MATCHES = 8  # acts of one rule per sentence (see patterns.MAX_MATCHES)
# What may stand between a subject group and its trigger (countries masked " C ", dates " D ").
_SUBJECT_GAP = re.compile(
    r"^(?:\s|,|\bC\b|\bD\b|[\"“”'‘’]|\((?:[^()]{0,40})\)|\b(?:has|have|had|was|were|is|are|"
    r"been|being|be|will|formally|officially|finally|also|then|later|now|both|all|each|"
    r"together|thus|effectively|ultimately|eventually|which|who|that|in|on|at|last|this|"
    r"year|month|week|recently|just|already|itself|themselves|jointly|subsequently|"
    r"soon|quickly|today|yesterday|along|with)\b)*$",
    re.I,
)
_OBJECT_GAP = re.compile(
    r"^(?:\s|,|\bD\b|[\"“”'‘’]|\b(?:the|its|their|to|of|as|today|formally|officially|now|"
    r"also|on|in|at|last|this|both|all|each|governments?\s+of|countries\s+of|nations\s+of|"
    r"following|two|three|four|five|six|seven|new|former|communist|candidates?)\b|:)*$",
    re.I,
)
# Between a country and the status it is given: "designating Colombia as a major ...",
# "granted Doha the special status", "make the country a major ...".
_GIVEN = re.compile(
    r"^\s*(?:['’]s\s+(?:(?:status|designation|standing|title)\s+)?)?(?:as\s+)?(?:of\s+)?"
    r"(?:(?:a|an|the|its|their|to)\s+)?(?:(?:status|designation|title|label|rank|"
    r"category)\s+(?:of\s+)?(?:a\s+|an\s+)?)?(?:(?:formal|official|new|so-called|coveted|"
    r"special|u\.s\.|us|american)\s+|[\"“'‘])*$"
    # "making Kenya the first country south of the Sahara to hold ... status"
    r"|^\s*the\s+(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th)|latest|newest|last)\s+"
    r"(?:[\w-]+\s+){0,6}?to\s+(?:hold|earn|receive|get|gain|have|enjoy)\s+(?:the\s+)?$",
    re.I,
)
_COMITATIVE = re.compile(
    r"(?:along|together)\s+with\s+(?:the\s+)?$|as\s+well\s+as\s+(?:the\s+)?$", re.I
)
_CLAUSE_END = re.compile(r"[;:]|\.\s|\b(?:while|whereas|but)\b")
# A group after one of these is a bystander, not the act's party.
_BYSTANDER = re.compile(
    r"\b(?:alongside|like|unlike|after|behind|defying|despite|including|such\s+as|besides|"
    r"than|against|between|among|from|over|toward|towards|versus|vs\.?|rival|neighbou?ring"
    r"|neighbou?r)\s+(?:the\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class Act:
    rule: Rule
    rx: re.Pattern[str]
    needs: re.Pattern[str] | None
    blockers: re.Pattern[str] | None
    not_before: re.Pattern[str] | None


def _opt(r: Rule, key: str, fmt: str = "{}") -> re.Pattern[str] | None:
    pats = r.get(key)
    return re.compile(fmt.format(alternation(pats)), re.I) if pats else None


class Acts:
    """``__call__(text, terms, groups, masks) -> list[Candidate]`` for one sentence."""

    def __init__(
        self,
        rules: tuple[Rule, ...],
        scope: Scope,
        cited: Callable[[str, int, int], bool] = lambda text, ts, te: False,
        agrees: Callable[[str, str, int, int, list[Mention]], bool] | None = None,
    ) -> None:
        self.scope = scope
        self.cited = cited  # a trigger inside a quotation cited as words
        # optional syntactic check of the participants (`syntax_check.agrees`): the parse
        # must confirm the country stands where the voice says (see docs/reader.md)
        self.agrees = agrees
        self.acts = [
            Act(
                r,
                re.compile(r"(?<![\w-])" + alternation(r.patterns) + r"(?![\w-])", re.I),
                _opt(r, "needs"),
                _opt(r, "blockers", r"[^.;]{{0,60}}?\b{}"),
                _opt(r, "not_before", r"{}\s*$"),
            )
            for r in rules
        ]

    def __call__(
        self,
        text: str,
        terms: list[Mention],
        groups: list[list[Mention]],
        masks: list[tuple[int, int, str]],
    ) -> list[Candidate]:
        if text.rstrip("\"'”’ ").endswith("?"):
            return []
        frameworks = {t.value for t in terms}
        out: list[Candidate] = []
        seen: set[tuple[str, str, str]] = set()
        for act in self.acts:
            r = act.rule
            if r.get("framework") not in frameworks:
                continue
            if act.needs is not None and not act.needs.search(text):
                continue
            for m in itertools.islice(act.rx.finditer(text), MAX_MATCHES):
                ts, te = m.span()
                if any(t.start <= ts < t.end for t in terms):
                    continue  # the trigger is part of a term ("designation" in a name)
                where = r.get("term", "any")
                reach = r.get("term_reach", 160)
                own = [t for t in terms if t.value == r.get("framework")]
                if where == "after" and not any(
                    t.start >= ts and t.start - te <= reach for t in own
                ):
                    continue
                if where == "before" and not any(t.end <= ts and ts - t.end <= reach for t in own):
                    continue
                if act.blockers is not None and act.blockers.match(text, te):
                    continue
                if act.not_before is not None and act.not_before.search(text[max(0, ts - 80) : ts]):
                    continue
                if self.cited(text, ts, te):
                    continue
                if m.group().lower().endswith("ing") and not text[:ts].strip(" \"'“‘("):
                    continue  # a gerund subject: "Designating Taiwan as ... was changed"
                group = self._participants(text, r.get("voice"), ts, te, groups, masks)
                if not group:
                    continue
                if self.agrees is not None and not self.agrees(
                    text, r.get("voice"), ts, te, group
                ):
                    continue
                if (
                    r.get("voice") == "object"
                    and where == "after"
                    and not any(
                        t.start >= group[-1].end
                        and _GIVEN.match(masked(text, group[-1].end, t.start, masks))
                        for t in own
                    )
                ):
                    continue  # the status must be what is given: "made Jordan a ... ally"
                dates = [(a, b) for a, b, k in masks if k == "D"]
                mood = self.scope.mood(text, ts, max(te, group[-1].end), dates)
                if mood is None:
                    continue
                if (
                    group[0].start > te
                    and self.scope.mood(text, group[0].start, group[-1].end, dates) is None
                ):
                    continue  # "told Congress ... had no plans to designate Ukraine"
                if mood == "decided":
                    mood = "done" if r.get("decided") == "done" else "intent"
                if mood == "intent":
                    action = r.get("intent")
                    if not action:
                        continue
                else:
                    action = r.get("action")
                for c in group:
                    key = (r.get("framework"), c.value, action)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(
                        Candidate(
                            r.get("framework"),
                            c.value,
                            f"{r.id}:{'intent' if mood == 'intent' else 'done'}",
                            ts,
                            (0, len(text)),
                            action=action,
                            intent_of=r.get("intent_of") if action in _INTENTS else None,
                            span=(min(ts, c.start), max(te, c.end)),
                        )
                    )
        return out

    def _participants(
        self,
        text: str,
        voice: str,
        ts: int,
        te: int,
        groups: list[list[Mention]],
        masks: list[tuple[int, int, str]],
    ) -> list[Mention]:
        if voice in ("subject", "either"):
            before = [g for g in groups if g[-1].end <= ts and ts - g[-1].end <= 90]
            if before:
                g = before[-1]
                # "Defying Russia, Montenegro joins": the bystander is no part of the subject
                while g and _BYSTANDER.search(text[max(0, g[0].start - 30) : g[0].start]):
                    g = g[1:]
                if g and _SUBJECT_GAP.match(masked(text, g[-1].end, ts, masks)):
                    # "Slovakia was accepted ..., along with Bulgaria, Estonia and Latvia"
                    along = [
                        h
                        for h in groups
                        if h[0].start >= te
                        and h[0].start - te <= 120
                        and _COMITATIVE.search(text[max(te, h[0].start - 30) : h[0].start])
                        and not _CLAUSE_END.search(text, te, h[0].start)
                    ]
                    return g + along[0] if along else g
        if voice in ("object", "either"):
            after = [g for g in groups if g[0].start >= te and g[0].start - te <= 70]
            if after:
                g = after[0]
                if _OBJECT_GAP.match(masked(text, te, g[0].start, masks)):
                    return g
        if voice == "after":
            after = [
                g
                for g in groups
                if g[0].start >= te
                and g[0].start - te <= 160
                and not _BYSTANDER.search(text[max(0, g[0].start - 30) : g[0].start])
            ]
            if after:
                return after[0]
        return []


_INTENTS = frozenset({"announce_intent", "notify_congress"})
