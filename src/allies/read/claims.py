"""Claim shapes: a status a sentence takes for granted ("Israel, a major non-NATO ally",
"NATO members such as Norway", "the status, which Egypt already holds"). The shapes are
regexes in ``data/read/lexicon.toml`` [claims]; this module applies them."""

from __future__ import annotations

from .gazetteer import Mention
from .lexicon import Candidate, Lexicon, masked


class ClaimFinder:
    """Claims of one sentence: ``__call__(text, terms, masks, groups, events, strong)``."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def __call__(
        self,
        text: str,
        terms: list[Mention],
        masks: list[tuple[int, int, str]],
        groups: list[list[Mention]],
        events: list[Candidate],
        strong: frozenset[str] = frozenset(),
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

        def add(t: Mention, g: list[Mention], rule: str, ctx: str) -> None:
            state = "former" if rule == "lost" or lex.former.search(ctx) else "active"
            for c in g:
                if (t.value, c.value) not in taken:
                    taken.add((t.value, c.value))
                    out.append(
                        Candidate(
                            t.value, c.value, f"claim.{rule}", c.start, (0, len(text)), state=state
                        )
                    )

        for t in terms:
            if text[t.end : t.end + 1] == "-":
                continue  # "NATO-Ukraine Council": a compound modifier
            if lex.process_after.match(text[t.end : t.end + 40]):
                continue  # "Sweden's NATO bid": a process, not the status
            for g in groups:
                if not (0 <= g[0].start - t.end <= 60 or 0 <= t.start - g[-1].end <= 70):
                    continue  # too far for any shape (`_shape`)
                rule = self._shape(text, t, g, masks)
                if rule is None:
                    continue
                gap = (
                    text[g[-1].end : t.start] if g[-1].end <= t.start else text[t.end : g[0].start]
                )
                if lex.claim_negation.search(gap):
                    continue
                ctx = text[max(0, min(t.start, g[0].start) - 25) : max(t.end, g[-1].end)]
                add(t, g, rule, ctx)
        # "..., the other Gulf states that already enjoy it": the nearest term before.
        for g in groups:
            if not lex.holds_it.match(text[g[-1].end :]):
                continue
            before = [t for t in terms if t.end <= g[0].start and g[0].start - t.end <= 150]
            if before:
                t = before[-1]
                add(t, g, "holds-it", text[max(0, g[0].start - 25) : g[-1].end])
        # "puts Saudi Arabia alongside Qatar, Kuwait and Bahrain": the holders after the newcomer
        for g in groups:
            i = next(
                (
                    i
                    for i, c in enumerate(g)
                    if lex.beside.search(masked(text, max(0, c.start - 80), c.start, masks))
                ),
                None,
            )
            near = [t for t in terms if -150 <= g[0].start - t.end and t.start - g[-1].end <= 150]
            if i is not None and near:
                t = min(near, key=lambda t: abs(t.start - g[0].start))
                add(t, g[i:], "beside", text[max(0, g[i].start - 25) : g[-1].end])
        # "Greece, a member since 1952, ...": NATO by the article, with no term in the sentence.
        if "nato" in strong:
            for g in groups:
                if lex.bare_member.match(text[g[-1].end :]):
                    nato = Mention(g[0].start, g[0].start, "term", "nato")
                    add(nato, g, "bare-member", text[max(0, g[0].start - 25) : g[-1].end])
        return out

    def _shape(
        self, text: str, t: Mention, g: list[Mention], masks: list[tuple[int, int, str]]
    ) -> str | None:
        lex = self.lex
        if g[0].start >= t.end and g[0].start - t.end <= 60:
            gap = masked(text, t.end, g[0].start, masks)
            if lex.list_intro.match(gap):
                return "list"
            if lex.after.match(gap) and lex.clause_end.match(text[g[-1].end :]):
                return "after"
            if not t.weak and lex.prenominal.match(gap):
                return "prenominal"
            if lex.relative.match(gap) and lex.relative_verb.match(text[g[-1].end :]):
                return "relative"
            if lex.held_by.match(gap):
                return "held-by"
        elif g[-1].end <= t.start and t.start - g[-1].end <= 70:
            gap = masked(text, g[-1].end, t.start, masks)
            aside = lex.subject_aside.match(gap)
            if aside:  # "Morocco, another North African country, already holds the status"
                gap = gap[aside.end() :]
            after = text[t.end : t.end + 40]
            if (
                t.value == "nato"
                and after[:1] in "'’"
                and (lex.nato_after.match(after) or lex.nato_named.match(after))
            ):
                return None  # "a member of NATO's Partnership for Peace"
            if lex.lost.match(gap):
                return "lost"  # "Pakistan lost its MNNA status": a former status
            if lex.appositive.match(gap) and (not t.weak or lex.weak_appositive.search(gap)):
                return "appositive"
            if lex.holding.match(gap):
                return "holding"
            if lex.as_gap.match(gap) and lex.as_verb.search(
                text[max(0, g[0].start - 30) : g[0].start]
            ):
                return "as"
            if gap.strip() == "," and lex.possessive.match(after):
                return "possessive"
        return None
