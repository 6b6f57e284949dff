"""Pattern stage: from one sentence's mentions to event and claim candidates.

Everything language-specific (trigger phrases, mood cues, blockers, gap and claim shapes)
is in ``data/read/lexicon.toml``; this module only applies it (claims: ``claims.py``).
"""

from __future__ import annotations

import itertools
import re

from .claims import ClaimFinder
from .gazetteer import Mention
from .lexicon import Candidate, Lexicon, Trigger, lexicon, masked

__all__ = ["Candidate", "Lexicon", "SentenceMatcher", "lexicon"]

_I = re.IGNORECASE
MAX_MATCHES = 8
_TO_BEFORE = re.compile(r"\bto\s+(?:\w+ly\s+)?$", _I)
_PASSIVE_TO_BEFORE = re.compile(r"\bto\s+be\s+(?:\w+ly\s+)?$", _I)
_OPEN_QUOTES, _CLOSE_QUOTES = '"“', '"”'


class SentenceMatcher:
    """Apply the lexicon to one sentence: ``__call__(text, mentions, dates, strong)``."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.claims = ClaimFinder(lex)

    def __call__(
        self,
        text: str,
        mentions: list[Mention],
        date_spans: list[tuple[int, int]],
        strong: frozenset[str],
        context: str | None = None,
        topic: str | None = None,
    ) -> list[Candidate]:
        """`context`: the framework of the list line the sentence sits in (its intro or
        heading names it): its triggers may fire with no term, as implicit ones do.
        `topic`: the framework of the last event before the sentence; an implicit trigger
        with no term of its own framework in the sentence fires only in its topic."""
        lex = self.lex
        terms = [m for m in mentions if m.kind == "term" and (not m.weak or m.value in strong)]
        countries = [m for m in mentions if m.kind == "country"]
        masks = sorted(
            [(m.start, m.end, "C") for m in countries] + [(s, e, "D") for s, e in date_spans]
        )
        clauses = self._clauses(text, masks)
        groups = self.groups(text, countries)
        out: list[Candidate] = []
        if text.rstrip("\"'”’ ").endswith("?"):
            return out  # a question reports nothing
        frameworks = {t.value for t in terms}
        unblocked: bool | None = None
        for trig in lex.triggers:
            framed = trig.framework == context
            if (
                trig.framework not in frameworks
                and not (trig.implicit and trig.framework in strong)
                and not framed
            ):
                continue
            if (
                trig.implicit
                and not framed
                and trig.framework not in frameworks
                and (
                    topic != trig.framework
                    if trig.needs_topic
                    else topic not in (None, trig.framework)
                )
            ):
                continue  # "The Philippines and Thailand followed in 2003" after MNNA events
            # at most MAX_MATCHES acts of one trigger per sentence: prose has a few, and the
            # cap keeps a hostile run ("invited A and invited B and ...") linear
            found = list(itertools.islice(trig.rx.finditer(text), MAX_MATCHES))
            if not found:
                continue
            # An implicit trigger may stand without a term only in a sentence that names
            # no other organisation or object (its own blocker, else the shared one).
            bare = trig.implicit or framed
            if bare and trig.licensed_by is not None and trig.licensed_by.search(text):
                pass  # the sentence names the action's object: no blocker applies
            elif bare and trig.blocker is not None:
                bare = not lex.blocked(text, trig.blocker)
            elif bare:
                if unblocked is None:
                    unblocked = not lex.blocked(text)
                bare = unblocked
            if not bare and trig.framework not in frameworks:
                continue
            for m in found:
                out.extend(self._event(text, trig, m, terms, masks, clauses, groups, bare))
        if lex.refuted.search(text):
            # "Posts claiming that ... are false": what it cites is not reported
            out = [c for c in out if c.action is None]
        out.extend(self.claims(text, terms, masks, groups, out, strong))
        return out

    # -- structure -------------------------------------------------------------------
    def _clauses(self, text: str, masks: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """Clause spans. A dash or colon that sets off a bare list of countries is no break
        ("invited seven states - Bulgaria, ... and Slovenia - to join", "invited two
        countries: Finland and Sweden")."""
        breaks = list(self.lex.clause_break.finditer(text))
        skip: set[int] = set()
        for i, m in enumerate(breaks):
            if m.group().strip() not in self.lex.list_marks:
                continue
            end = breaks[i + 1].start() if i + 1 < len(breaks) else len(text)
            if self.lex.list_aside.match(masked(text, m.end(), end, masks)):
                skip.add(i)
                if i + 1 < len(breaks) and breaks[i + 1].group().strip() == m.group().strip():
                    skip.add(i + 1)
        spans, pos = [], 0
        for i, m in enumerate(breaks):
            if i in skip:
                continue
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(text)))
        out = []
        for a, b in spans:
            if self.lex.relative_clause.match(text[a:b]) and (
                resume := self.lex.relative_end.search(text, a, b)
            ):
                out += [(a, resume.start()), (resume.end(), b)]
            else:
                out.append((a, b))
        return out

    def groups(
        self, text: str, countries: list[Mention], roles: bool = True
    ) -> list[list[Mention]]:
        """Countries joined by list punctuation ("Bulgaria, Estonia and Latvia"); a group
        whose head names a place or a modifier is dropped whole (unless not `roles`: an
        antecedent may be a place, "Ministers from Egypt and Jordan met. Both are ...")."""
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
            # A place or agent that heads a relative clause is still that clause's subject
            # ("blocked by Greece, which joined the alliance in 1952").
            if (
                roles
                and lex.location_before.search(text[max(0, g[0].start - 40) : g[0].start])
                and not lex.relative_clause.match(text[g[-1].end :].lstrip(" ,"))
            ):
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
        bare: bool,
    ) -> list[Candidate]:
        ts, te = m.start(), m.end()
        # A trigger inside a term is part of it; a dated noun may sit in a weak one
        # ("the designation of Qatar as ... on Monday").
        if any(t.start <= ts < t.end and not (trig.requires_date and t.weak) for t in terms):
            return []
        term = self._term_for(text, trig, ts, te, terms, masks)
        if term is None and not bare:
            return []
        clause = next((c for c in clauses if c[0] <= ts < c[1]), (0, len(text)))
        dates = [x for x in masks if x[2] == "D"]
        # "The order, signed on Wednesday, fulfils a promise made ... in March": only a date
        # after the trigger dates it (its own clause for the mood cues still).
        dclause = (ts, clause[1]) if trig.dated_after else clause
        # A dated noun's date may sit in the relative clause right after it ("Biden's
        # designation of Kenya as a Major Non-NATO Ally, which he signed on Monday").
        when = self._attached(text, clause, clauses, term, dates) if trig.requires_date else None
        claim = False
        if trig.requires_date and self.lex.reaction.search(text[clause[0] : ts]):
            # "celebrated today its designation as ...": the date is the reaction's; the
            # designation is an event only when its own phrase is dated (a relative clause
            # after it: "hailed the designation, which Bush announced on ...", or a date
            # (between the noun and its term: "its designation last week as"), else a claim
            upto = term.start if term is not None and term.start > ts else te
            claim = not when and not any(ts <= d[0] < upto for d in dates)
        elif (
            trig.requires_date
            and not when
            and not any(dclause[0] <= d[0] < dclause[1] for d in dates)
            and (trig.dated_after or not self._dated_before(text, clause, clauses, dates))
        ):
            return []
        if self._cited(text, ts, te):
            return []
        mood = self._mood(text, trig, m, clause, dates)
        if mood is None:
            return []
        action = trig.action if mood == "done" else trig.intent
        if action is None:
            return []
        if trig.action == "designate" and (
            self.lex.undone.search(text[clause[0] : ts])
            or (trig.requires_date and self.lex.undone_after.search(text[te : clause[1]]))
        ):
            return []
        lo, hi = (ts, max(te, term.end)) if term and not trig.implicit else (ts, te)
        group = (
            []
            if trig.anaphoric
            else self._antecedent(text, groups, clause, ts, te)
            or self._nearest_group(groups, clause, lo, hi, clauses)
        )
        if (
            not group
            and trig.needs_country
            and not (action in self.lex.plural_actions and self.lex.plural_anaphor.match(text))
        ):
            return []  # (a counted plural subject names its countries: "Both countries were")
        if group and trig.subject_before and group[0].start > ts:
            # an intransitive verb has no object: a later group is a gapped conjunct at most
            return self._gapped_candidates(
                text, trig, f"{trig.id}:{mood}", action, (ts, clause), te, [], groups, dates
            )
        if trig.adjacent and (
            not group
            or group[-1].end > ts
            or text[group[-1].end : ts].strip()
            or self.lex.not_subject.search(text[max(0, group[0].start - 30) : group[0].start])
        ):
            # An unnamed subject ("seven more countries followed in 2004, and Albania and
            # Croatia in 2009"): only the gapped conjuncts after it.
            return self._gapped_candidates(
                text, trig, f"{trig.id}:{mood}", action, (ts, clause), te, [], groups, dates
            )
        if (
            group
            and action == trig.action
            and (
                claim
                or (
                    trig.aside_claim
                    and group[-1].end <= ts
                    and self.lex.aside.match(masked(text, group[-1].end, ts, masks))
                )
            )
        ):
            # "Colombia, which joined the Rio Treaty in 1948, is now a major non-NATO ally":
            # the status told past an aside is a standing one (a claim), not the event
            return [
                Candidate(trig.framework, c.value, f"claim.{trig.id}", ts, clause, state="active")
                for c in group
            ]
        if claim:
            return []
        if group:
            group = group + self._comitative(text, groups, clause, group[-1].end)
            lo, hi = min(lo, group[0].start), max(hi, group[-1].end)
        intent_of = trig.intent_of if action in ("announce_intent", "notify_congress") else None
        if trig.action == "notify_congress" and re.search(
            r"\b(?:terminat|revok|rescind|remov|strip|withdr)", text[clause[0] : clause[1]], _I
        ):
            intent_of = "terminate"
        rule = f"{trig.id}:{mood}"
        # Relative clauses before the trigger's clause ("Colombia, which joined the Rio Treaty
        # in 1948, is now ..."): their dates are not the event's.
        asides = tuple(
            c
            for c in clauses
            if c[1] <= clause[0] and self.lex.relative_clause.match(text[c[0] : c[1]])
        )
        # No country in the sentence: country "" asks the pipeline for the antecedent.
        out = [
            Candidate(
                trig.framework,
                c,
                rule,
                ts,
                when or dclause,
                action=action,
                intent_of=intent_of,
                span=(lo, hi),
                asides=asides,
                local=trig.local,
            )
            for c in ([g.value for g in group] if group else [""])
        ]
        if group:
            out.extend(
                self._gapped_candidates(
                    text, trig, rule, action, (ts, clause), max(te, hi), group, groups, dates
                )
            )
        return out

    def _dated_before(
        self,
        text: str,
        clause: tuple[int, int],
        clauses: list[tuple[int, int]],
        dates: list[tuple[int, int, str]],
    ) -> bool:
        """A clause that hangs on the one before it ("dates to 1987, when the Pentagon
        named ...") takes that clause's date."""
        if not self.lex.dated_before.match(text, clause[0]):
            return False
        prev = next((c for c in reversed(clauses) if c[1] <= clause[0]), None)
        return prev is not None and any(prev[0] <= d[0] < prev[1] for d in dates)

    def _gapped_candidates(
        self,
        text: str,
        trig: Trigger,
        rule: str,
        action: str,
        at: tuple[int, tuple[int, int]],
        pos: int,
        group: list[Mention],
        groups: list[list[Mention]],
        dates: list[tuple[int, int, str]],
    ) -> list[Candidate]:
        """Candidates for the gapped conjuncts after `pos` (`at`: the trigger and its clause)."""
        if action not in ("accede", "designate", "terminate"):
            return []
        ts = at[0]
        return [
            Candidate(
                trig.framework,
                c.value,
                f"{rule}:gapped",
                ts,
                span,  # its own date, even across a clause break ("...; Jordan in 1996")
                action=action,
                span=span,
            )
            for g, span in self._gapped(text, pos, group, groups, dates)
            for c in g
        ]

    def _gapped(
        self,
        text: str,
        pos: int,
        group: list[Mention],
        groups: list[list[Mention]],
        dates: list[tuple[int, int, str]],
    ) -> list[tuple[list[Mention], tuple[int, int]]]:
        """Gapped conjuncts after an event whose date follows it: "[Greece and Turkey came]
        in 1952, West Germany in 1955 and Spain in 1982" → (group, span up to its date)."""
        lex, out = self.lex, []
        pos = max(pos, group[-1].end) if group else pos

        def date_after(at: int) -> tuple[int, int, str] | None:
            d = next((d for d in dates if d[0] >= at), None)
            return d if d and lex.gapped_date.match(text[at : d[0]]) else None

        d = date_after(pos)
        if d is None and not group:
            # a list set off after the verb: "the list has grown since: Jordan and New
            # Zealand in 1996; Argentina in 1998; ..."
            g = next((g for g in groups if g[0].start >= pos), None)
            if g is not None and lex.gapped_open.match(text[pos : g[0].start]):
                d = date_after(g[-1].end)
                if d is not None:
                    out.append((g, (g[0].start, d[1])))
        while d is not None:
            pos = d[1]
            g = next((g for g in groups if g[0].start >= pos), None)
            if g is None or not lex.gapped.match(text[pos : g[0].start]):
                break
            d = date_after(g[-1].end)
            if d is not None:
                out.append((g, (g[0].start, d[1])))
        return out

    def _cited(self, text: str, ts: int, te: int) -> bool:
        """The trigger sits in a short quotation cited as words ("a phrase that ...")."""
        q_open = max(text.rfind(q, max(0, ts - 60), ts) for q in _OPEN_QUOTES)
        if q_open < 0:
            return False
        ends = [i for q in _CLOSE_QUOTES if (i := text.find(q, te, te + 60)) >= 0]
        return bool(ends) and bool(self.lex.mention_quote.match(text[min(ends) + 1 :]))

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
            if ts < t.start and t.end <= te:
                best, best_d = t, 0  # the term inside the trigger's own span ("membership of
                continue  # NATO took effect"): its own object
            if t.start >= te and t.start - te <= trig.after:
                gap, d, kind = (te, t.start), t.start - te, trig.gap_after
            elif t.end <= ts and ts - t.end <= trig.before:
                gap, d, kind = (t.end, ts), ts - t.end, trig.gap_before
            else:
                continue
            if (
                t.value == "nato"
                and t.start >= te
                and (
                    lex.nato_after.match(text[t.end : t.end + 30])
                    or lex.nato_named.match(text[t.end : t.end + 30])
                )
            ):
                continue
            if t.end <= ts and lex.apposed.search(
                masked(text, max(0, t.start - 80), t.start, masks)
                + " T "
                + masked(text, t.end, ts, masks)
            ):
                continue  # "Israel, a major non-NATO ally, received": an aside, not the object
            raw = text[gap[0] : gap[1]]
            if (trig.blocker or lex.blocker).search(raw) or not lex.gap_ok(
                kind, masked(text, *gap, masks)
            ):
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
        pre = masked(text, max(clause[0], ts - lex.window), ts, dates)
        word = m.group().split()[0].lower()
        if trig.unhedged is not None and (u := trig.unhedged.search(pre)):
            pre = pre[: u.start()]  # "approved Kuwait's designation": the verb is no hedge
        if lex.negation.search(pre) or lex.hedge.search(pre):
            return None
        if lex.condition.search(text[clause[0] : clause[1]]):
            return None
        if not trig.participle and word.endswith("ing") and pre.rstrip().endswith(","):
            return None
        if word.endswith("ed") and lex.stative.search(pre):
            return None  # a standing status: "are both designated major non-NATO allies"
        if word.endswith("ing") and not pre.strip(" \"'“‘("):
            return None  # a gerund subject: "Becoming an MNNA is a multi-step process."
        if (
            word.endswith("ing")
            and not lex.progressive.search(pre)
            and lex.gerund_modal.search(text, m.end(), clause[1])
        ):
            return None  # a hypothetical: "said stripping Pakistan of the status could ..."
        if trig.mood == "done":
            return "done"
        if lex.decided.search(pre):
            # a decision taken, unless the rest of its clause hedges it ("... is not expected")
            rest = text[m.end() : clause[1]]
            if lex.negation.search(rest) or lex.hedge.search(rest) or lex.intent.search(rest):
                return None
            return "done"
        if lex.intent.search(pre):
            # "will become clear when the department updates its rules to add the kingdom":
            # an infinitive of purpose, not the planned act ("plans to add" is).
            if (
                self._infinitive(pre, word) or _PASSIVE_TO_BEFORE.search(pre)
            ) and not lex.intent_to.search(pre):
                return None
            return "intent"
        woulds = list(lex.would.finditer(pre))
        if woulds:
            before = text[: max(clause[0], ts - lex.window)] + pre[: woulds[-1].start()]
            return "intent" if lex.speech.search(before) else None
        if self._infinitive(pre, word):
            # bare infinitive ("invited to join", "the first to designate"), unless a plan
            # set off by an aside governs it ("pledged in May, when ..., to grant")
            return "intent" if lex.intent_far.search(text, 0, ts) else None
        if _PASSIVE_TO_BEFORE.search(pre):
            return None  # "only allows European states to be invited to join"
        return "done"

    @staticmethod
    def _infinitive(pre: str, word: str) -> bool:
        return bool(_TO_BEFORE.search(pre)) and not word.endswith(("ed", "en"))

    def _antecedent(
        self, text: str, groups: list[list[Mention]], clause: tuple[int, int], ts: int, te: int
    ) -> list[Mention]:
        """A relative clause with no country before its trigger nor right after it (its
        object: "Türkiye, which welcomed Finland"): the group right before its comma
        ("Qatar, which received the status in 2022, ...")."""
        # (the trigger may open it: "Qatar, which Joe Biden designated in 2022, ...")
        if not self.lex.relative_clause.match(text[clause[0] : max(ts, te)]):
            return []
        inside = [g for g in groups if clause[0] <= g[0].start < clause[1]]
        if any(
            g[0].start < ts or text[te : g[0].start].strip().lower() in ("", "the") for g in inside
        ):
            return []
        if self.lex.relative_all.match(text, clause[0]):
            # "…, for Slovakia and Slovenia, and for Bulgaria and Romania on the Black Sea,
            # all of which …": every group chained before the clause
            out: list[Mention] = []
            pos, fit = clause[0], self.lex.relative_tail
            for g in reversed([g for g in groups if g[-1].end <= clause[0]]):
                if not fit.fullmatch(text, g[-1].end, pos):
                    break
                out, pos, fit = g + out, g[0].start, self.lex.relative_chain
            return out
        return next(
            (
                g
                for g in groups
                if g[-1].end <= clause[0] and not text[g[-1].end : clause[0]].strip(" ,")
            ),
            [],
        )

    def _attached(
        self,
        text: str,
        clause: tuple[int, int],
        clauses: list[tuple[int, int]],
        term: Mention | None,
        dates: list[tuple[int, int, str]],
    ) -> tuple[int, int] | None:
        """The dated relative clause right after a noun phrase that ends its clause."""
        if (
            term is None
            or not clause[0] <= term.start < term.end <= clause[1]
            or text[term.end : clause[1]].strip(" ,")
        ):
            return None
        nxt = next((c for c in clauses if c[0] >= clause[1]), None)
        if nxt is None or not self.lex.relative_clause.match(text[nxt[0] : nxt[1]]):
            return None
        return nxt if any(nxt[0] <= d[0] < nxt[1] for d in dates) else None

    def _comitative(
        self, text: str, groups: list[list[Mention]], clause: tuple[int, int], pos: int
    ) -> list[Mention]:
        """Co-actors later in the clause: "... in 1952 together with Turkey"."""
        return [
            c
            for g in groups
            if pos <= g[0].start < clause[1]
            and self.lex.comitative.search(text[max(0, g[0].start - 40) : g[0].start])
            for c in g
        ]

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
