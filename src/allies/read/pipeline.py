"""The reader pipeline: prefilter → segment → find mentions → match patterns → resolve
dates → build events. Each stage is a small callable; `Reader` wires them together."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from ..dates import PartialDate
from ..errors import BadDate, BadInput
from . import holders, occasion, roles
from .acts import Acts
from .dates import DateMention, DateResolver, date_resolver
from .discourse import Discourse
from .gazetteer import Mention, Scanner, country_name, scanner
from .model import Claim, Event, Evidence, Reading, Source
from .patterns import Candidate, SentenceMatcher, lexicon
from .resources import load_toml
from .rules import rules
from .scope import Scope
from .segment import Segmenter, Sentence, bounded, segmenter
from .timeline import Timeline

ANTECEDENT_CHARS = 400
MAX_ALSO = 5  # more sentences repeating one event add nothing for a reader


class Prefilter:
    """True when the text may be relevant (contains a framework keyword)."""

    def __init__(self, keywords: tuple[str, ...]) -> None:
        self.keywords = tuple(k.lower() for k in keywords)

    def __call__(self, text: str) -> bool:
        low = text.lower()
        for k in self.keywords:
            if k in low:
                return True
        return False


@dataclass(frozen=True, slots=True)
class SentenceParts:
    """One sentence's framework terms, coordinated country groups and masks (countries " C ",
    dates " D "), shared by the acts and holders stages."""

    terms: list[Mention]
    groups: list[list[Mention]]
    masks: list[tuple[int, int, str]]


class DatePicker:
    """The date of an event and its basis (`model.DateBasis`): the date in its own sentence
    nearest the trigger (its own clause first; a date with no `barrier` between it and the
    trigger before one across a barrier: "designated Brazil late Wednesday, fulfilling a
    promise he made in March"; never one in a relative clause set off before it: "Colombia,
    which joined the Rio Treaty in 1948, is now ..."), else None: the publication day is not
    the act's date (a checker reads an undated act as "on or before publication")."""

    def __init__(self, barrier: re.Pattern[str], aside: re.Pattern[str]) -> None:
        self.barrier = barrier
        self.aside = aside
        self.crossed = False  # the last date picked stands across a barrier (a weaker date)
        self.aside_only = False  # the sentence's only dates sat in an aside after the act

    def __call__(
        self, cand: Candidate, dates: list[DateMention], published: dt.date | None, text: str = ""
    ) -> tuple[PartialDate | None, str | None]:
        self.crossed = False
        usable = [
            d
            for d in dates
            if d.date is not None and not any(a <= d.start < b for a, b in cand.asides)
        ]
        s, e = cand.span
        at = cand.anchor if s <= cand.anchor < e else s  # a gapped conjunct: its span
        # A date after the act behind a participial or relative opener belongs to that
        # aside ("signed the determination ..., fulfilling a promise he made in January").
        self.aside_only = False
        kept = [d for d in usable if d.start < e or not self.aside.search(text[at : d.start])]
        if usable and not kept:
            self.aside_only = True
        usable = kept
        if usable:
            lo, hi = cand.clause
            own = [d for d in usable if lo <= d.start < hi] or usable

            def key(d: DateMention) -> tuple[bool, int]:
                between = text[d.end : at] if d.end <= at else text[at : d.start]
                dist = s - d.end if d.end <= s else d.start - e if d.start >= e else 0
                return bool(self.barrier.search(between)), dist

            best = min(own, key=key)
            self.crossed = key(best)[0]
            return best.date, best.basis
        return None, None  # the text does not date the act: not the publication day


def _at(ev: Evidence) -> int:
    return ev.start


class EventBuilder:
    """Candidates → Events and Claims: one per key (the first with the most explicit date
    wins: a resolved date over a vague one, "this week", over none), sorted by evidence
    start."""

    def __call__(
        self, found: list[tuple[Candidate, Sentence, tuple[PartialDate | None, str | None], int]]
    ) -> tuple[list[Event], list[Claim]]:
        events: dict[tuple[str, str, str, str | None], tuple[Event, int]] = {}
        claims: dict[tuple[str, str], Claim] = {}
        # notify_congress already says the intent: an announce_intent after it in the same
        # sentence is the notice's content ("a letter ... wrote that he intends to ..."),
        # unless it is dated apart ("..., fulfilling a promise made in March").
        notify_at = {
            (c.framework, c.country, s.start): (c.anchor, d)
            for c, s, (d, _), _ in found
            if c.action == "notify_congress"
        }
        for cand, sent, (date, basis), explicit in found:
            if cand.action == "announce_intent":
                at, when = notify_at.get((cand.framework, cand.country, sent.start), (10**9, None))
                if cand.anchor > at and date == when:
                    continue
            ev = Evidence(sent.text, sent.start, sent.end)
            name = country_name(cand.country)
            if cand.action is None:
                assert cand.state is not None
                claims.setdefault(
                    (cand.framework, cand.country),
                    Claim(cand.framework, cand.country, cand.state, ev, cand.rule, name),
                )
                continue
            e = Event(
                cand.framework,
                cand.country,
                cand.action,
                date,
                ev,
                cand.rule,
                cand.intent_of,
                name,
                date_basis=basis,
            )
            old = events.get(e.key())
            if old is None:
                events[e.key()] = (e, explicit)
            elif explicit > old[1]:
                also = (*old[0].also, old[0].evidence)
                also = tuple(sorted(set(also), key=_at))[:MAX_ALSO]
                events[e.key()] = (replace(e, also=also), explicit)
            elif len(old[0].also) < MAX_ALSO and ev != old[0].evidence and ev not in old[0].also:
                also = tuple(sorted({*old[0].also, ev}, key=_at))
                events[e.key()] = (replace(old[0], also=also), old[1])
        keys = {(e.framework, e.country) for e, _ in events.values()}
        out = [e for e, _ in events.values()]
        out.sort(key=lambda e: (e.evidence.start, e.framework, e.country, e.action))
        cl = [c for c in claims.values() if (c.framework, c.country) not in keys]
        cl.sort(key=lambda c: (c.evidence.start, c.framework, c.country))
        return out, cl


class Reader:
    """Read one text into a `Reading`."""

    def __init__(
        self,
        prefilter: Prefilter,
        segment: Segmenter,
        scan: Scanner,
        match: SentenceMatcher,
        dates: DateResolver,
        timeline: Timeline | None = None,
    ) -> None:
        self.timeline = timeline
        self.prefilter = prefilter
        self.segment = segment
        self.scan = scan
        self.match = match
        self.dates = dates
        self.pick_date = DatePicker(match.lex.date_barrier, match.lex.date_aside)
        self.build = EventBuilder()
        self.holders = holders.Holders(rules()["holders"])
        self.discourse = Discourse(rules()["discourse"])
        self.role_rules = rules()["role"]
        self.occasions = occasion.compile_rules(rules()["occasion"])
        self.scope = Scope(rules()["scope"])
        self.acts = Acts(rules()["act"], self.scope, match._cited)

    def __call__(
        self, text: str, published: dt.date | None = None, source: Source | None = None
    ) -> Reading:
        reading = Reading(
            text, PartialDate(published, "day") if published else None, source=source or Source()
        )
        if not self.prefilter(text):
            return reading
        mentions = self.scan(text)
        strong = frozenset(m.value for m in mentions if m.kind == "term" and not m.weak)
        if not strong:
            return reading
        mentions = self.scan.resolve(text, mentions)
        mentions = self.discourse(
            text, mentions, lambda t, cs: self.match.groups(t, cs, roles=False)
        )
        starts = [m.start for m in mentions]
        # Sentences worth reading hold a framework term or an implicit-trigger cue.
        keys = [m.start for m in mentions if m.kind != "country"]
        found: list[tuple[Candidate, Sentence, tuple[PartialDate | None, str | None], int]] = []
        # (sentence end, framework, country, an undoing: terminate or its intent)
        recent: list[tuple[int, str, str, bool]] = []
        # Datelines ("MADRID, July 8 — ..."): relative dates after one resolve against it.
        lines = self.dates.datelines(text, published)
        line_at = [p for p, _ in lines]
        last_date: tuple[PartialDate | None, str | None] = (None, None)
        # The one date of the last sentence read that reported no event ("NATO leaders asked
        # seven countries to join on Thursday."): a definite act noun right after it ("The
        # invitations went to ...", within 200 characters) with no date of its own is that act
        # (`[cues] definite_act`).
        unnamed: tuple[int, tuple[PartialDate | None, str | None]] | None = None
        # Dated list lines under an intro ("- March 2002: Bahrain"): events of their own,
        # antecedents for the sentences after them.
        listed, contexts = (
            self.timeline(text, mentions, self.dates, published) if self.timeline else ([], [])
        )
        ctx_at = [c.start for c in contexts]
        for t in listed:
            found.append((t.cand, t.sent, (t.date.date, t.date.basis), 2))
        nxt = 0
        unread: list[Evidence] = []
        # Only sentences with a mention (country, framework term or implicit-trigger cue).
        for sent in bounded(self.segment.around(text, keys)):
            while nxt < len(listed) and listed[nxt].sent.end <= sent.start:
                t = listed[nxt]
                recent.append((t.sent.end, t.cand.framework, t.cand.country, False))
                nxt += 1
            lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
            local = [
                _shift(m, sent.start)
                for m in mentions[lo:hi]
                if m.end <= sent.end and m.kind != "cue"
            ]
            k = bisect.bisect_right(line_at, sent.start)
            ref = lines[k - 1][1] if k else published
            # A list line read in its intro's framework ("- 1998 -- Argentina is designated"):
            # its year is the reference ("... by determination in November": that year's).
            c = bisect.bisect_right(ctx_at, sent.start)
            ctx = contexts[c - 1] if c and sent.start < contexts[c - 1].end else None
            if ctx is not None and ctx.date.date is not None:
                end = ctx.date.date.end
                ref = end if ref is None or end < ref else ref
            dates = self.dates(sent.text, ref, (text, sent.start))
            spans = [(d.start, d.end) for d in dates]
            topic = recent[-1][1] if recent else None
            cands = self.match(
                sent.text, local, spans, strong, ctx.framework if ctx else None, topic
            )
            if not any(c.country for c in cands):
                cands += self._plural_claims(text, sent, local, mentions, starts)
            cands = [c for c in cands if self._in_scope(sent.text, c, spans)]
            # second-generation acts add countries the first generation did not read
            parts = self._parts(sent.text, local, spans, strong)
            had = {(c.framework, c.country) for c in cands if c.action}
            cands += [
                c for c in self._acts(sent.text, parts) if (c.framework, c.country) not in had
            ]
            cands = self._holders(sent.text, parts, cands)
            if not any(c.country for c in cands) and _names_both(local, strong):
                unread.append(Evidence(sent.text, sent.start, sent.end))
            for cand in self._resolved(text, sent, cands, recent):
                if cand.action:
                    undo = cand.action == "terminate" or cand.intent_of == "terminate"
                    recent.append((sent.end, cand.framework, cand.country, undo))
                date = (
                    self.pick_date(cand, dates, published, sent.text)
                    if cand.action
                    else (None, None)
                )
                explicit = 0 if cand.action and self.pick_date.aside_only else _explicitness(dates)
                if cand.action and ctx is not None and not explicit:
                    date, explicit = (ctx.date.date, ctx.date.basis), 2  # the line's date
                elif cand.action and not explicit and last_date[0] is not None:
                    if self.match.lex.same_date.search(sent.text):
                        # "Poland and Hungary joined at the same ceremony": the last date
                        date, explicit = last_date, 1
                if (
                    cand.action
                    and not explicit
                    and unnamed is not None
                    and sent.start - unnamed[0] <= 200
                    and self.match.lex.definite_act.match(sent.text)
                ):
                    date, explicit = unnamed[1], 1
                if cand.action and explicit == 2:
                    last_date = date
                if cand.action and self.pick_date.crossed:
                    # "on a visit on Saturday, said ... had designated": the date is the
                    # visit's; another sentence that dates the event itself wins
                    explicit = min(explicit, 1)
                found.append((cand, sent, date, explicit))
            resolved = [d for d in dates if d.date is not None and d.kind != "vague"]
            if not any(c.action for c in cands) and len(resolved) == 1:
                unnamed = (sent.end, (resolved[0].date, resolved[0].basis))
            elif any(c.action for c in cands):
                unnamed = None
        events, reading.claims = self.build(found)
        told = {e.evidence.start for e in events} | {c.evidence.start for c in reading.claims}
        told |= {a.start for e in events for a in e.also}
        reading.unread = [u for u in unread if u.start not in told]
        events = self._occasions(text, events, mentions, published, lines)
        reading.events = roles.assign(events, published, self.role_rules)
        return reading

    def _occasions(
        self,
        text: str,
        events: list[Event],
        mentions: list[Mention],
        published: dt.date | None,
        lines: list[tuple[int, dt.date]],
    ) -> list[Event]:
        """Undated events dated by another sentence about the same occasion (`occasion.py`)."""
        undated = [
            e for e in events if e.date is None and occasion.rule_for(self.occasions, e.action)
        ]
        if not undated:
            return events
        at: dict[str, list[int]] = {}
        for m in mentions:
            if m.kind == "country":
                at.setdefault(m.value, []).append(m.start)
        positions = sorted({p for e in undated for p in at.get(e.country, [])})
        sents = bounded(self.segment.around(text, positions)) if positions else []
        line_at = [p for p, _ in lines]
        found: dict[int, list[DateMention]] = {}

        def dates_of(sent: Sentence) -> list[DateMention]:
            if sent.start not in found:
                k = bisect.bisect_right(line_at, sent.start)
                ref = lines[k - 1][1] if k else published
                found[sent.start] = [
                    d
                    for d in self.dates(sent.text, ref, (text, sent.start))
                    if d.date is not None and d.kind != "vague"
                ]
            return found[sent.start]

        # a sentence that reports another act of the country dates that act, not this one
        acts: dict[int, set[tuple[str, str]]] = {}
        for e in events:
            for ev in (e.evidence, *e.also):
                acts.setdefault(ev.start, set()).add((e.country, e.action))
        out = []
        for e in events:
            rule = occasion.rule_for(self.occasions, e.action) if e.date is None else None
            best: tuple[int, DateMention] | None = None
            for sent in sents if rule is not None else []:
                dist = abs(sent.start - e.evidence.start)
                if sent.start == e.evidence.start or dist > rule.reach:  # type: ignore[union-attr]
                    continue
                if not any(sent.start <= p < sent.end for p in at.get(e.country, [])):
                    continue
                if any(c == e.country and a != e.action for c, a in acts.get(sent.start, ())):
                    continue
                if not rule.rx.search(sent.text):  # type: ignore[union-attr]
                    continue
                one = _one_date(dates_of(sent))
                if one is not None and (best is None or dist < best[0]):
                    best = (dist, one)
            if best is not None:
                e = replace(e, date=best[1].date, date_basis=best[1].basis)
            out.append(e)
        return out

    def _in_scope(self, text: str, cand: Candidate, dates: list[tuple[int, int]]) -> bool:
        """False for an event whose act a blocking modifier covers (`scope.py`): the scope
        stage decides the mood of every trigger's act, first-generation ones too."""
        if not cand.action:
            return True
        end = max(cand.anchor + 1, cand.span[1])
        return self.scope.mood(text, cand.anchor, end, dates, first_generation=True) is not None

    def _parts(
        self,
        text: str,
        local: list[Mention],
        spans: list[tuple[int, int]],
        strong: frozenset[str],
    ) -> SentenceParts:
        """What the acts and holders stages read in one sentence, worked out once."""
        terms = [m for m in local if m.kind == "term" and (not m.weak or m.value in strong)]
        countries = [m for m in local if m.kind == "country"]
        if not terms or not countries:
            return SentenceParts(terms, [], [])
        masks = sorted(
            [(m.start, m.end, "C") for m in countries] + [(s, e, "D") for s, e in spans]
        )
        return SentenceParts(terms, self.match.groups(text, countries), masks)

    def _acts(self, text: str, parts: SentenceParts) -> list[Candidate]:
        """The second-generation trigger stage (`acts.py`) on one sentence."""
        if not parts.groups:
            return []
        return self.acts(text, parts.terms, parts.groups, parts.masks)

    def _holders(self, text: str, parts: SentenceParts, cands: list[Candidate]) -> list[Candidate]:
        """The holder-list stage (`holders.py`) on one sentence's candidates."""
        if not parts.groups:
            return cands
        lists = self.holders(text, parts.terms, parts.groups, parts.masks)
        return holders.apply(text, lists, cands)

    def _plural_claims(
        self,
        text: str,
        sent: Sentence,
        local: list[Mention],
        mentions: list[Mention],
        starts: list[int],
    ) -> list[Candidate]:
        """ "All four are designated major non-NATO allies": claims for the last group of
        exactly that many countries named before it in its paragraph (`[cues] plural_claim`)."""
        lex = self.match.lex
        m = lex.plural_claim.match(sent.text)
        if m is None:
            return []
        term = next(
            (
                t
                for t in local
                if t.kind == "term"
                and m.end() <= t.start
                and sent.text[m.end() : t.start].strip().lower() in ("", "the")
            ),
            None,
        )
        if term is None:
            return []
        lo = max(0, sent.start - ANTECEDENT_CHARS, text.rfind("\n", 0, sent.start) + 1)
        before = [
            _shift(c, lo)
            for c in mentions[
                bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, sent.start)
            ]
            if c.kind == "country"
        ]
        n = lex.plural_numbers[m["n"].lower()]
        group = next(
            (
                g
                for g in reversed(self.match.groups(text[lo : sent.start], before, roles=False))
                if len(g) == n
            ),
            [],
        )
        return [
            Candidate(term.value, c.value, "claim.plural", 0, (0, len(sent.text)), state="active")
            for c in group
        ]

    def _resolved(
        self,
        text: str,
        sent: Sentence,
        cands: list[Candidate],
        recent: list[tuple[int, str, str, bool]],
    ) -> list[Candidate]:
        """Candidates with their countries: one with none takes the antecedent, the one
        country of this framework's events in the preceding text (at most ANTECEDENT_CHARS
        back), or for a counted plural subject ("Both countries were invited") that many."""
        out = []
        for cand in cands:
            if not (cand.action and not cand.country):
                out.append(cand)
                continue
            near = [
                (c, undo)
                for e, f, c, undo in recent
                if f == cand.framework
                and sent.start - e <= ANTECEDENT_CHARS
                and not (cand.local and "\n" in text[e : sent.start])
            ]
            names = list(dict.fromkeys(c for c, _ in near))
            if len(names) != 1:
                lex = self.match.lex
                m = lex.plural_anaphor.match(sent.text)
                if (
                    m is None
                    or cand.action not in lex.plural_actions
                    or lex.plural_numbers[m["n"].lower()] != len(names)
                ):
                    continue
                out.extend(replace(cand, country=c) for c in names)
                continue
            cand = replace(cand, country=names[0])
            if cand.intent_of and near[-1][1]:
                # "told Congress he planned to take the step": the step undone before
                cand = replace(cand, intent_of="terminate")
            out.append(cand)
        return out


def _one_date(dates: list[DateMention]) -> DateMention | None:
    """The one date a sentence gives: its only distinct date, or its only calendar date
    ("on Tuesday, April 4, 2023")."""
    if len({d.date for d in dates}) == 1:
        return dates[0]
    stated = [d for d in dates if d.basis == "stated"]
    return stated[0] if len(stated) == 1 else None


def _names_both(local: list[Mention], strong: frozenset[str]) -> bool:
    """A sentence that names a framework (a strong term, or a weak one of a framework the
    article names) and a country (not a demonym, not the U.S.)."""
    term = any(m.kind == "term" and (not m.weak or m.value in strong) for m in local)
    return term and any(m.kind == "country" and not m.demonym and m.value != "USA" for m in local)


def _explicitness(dates: list[DateMention]) -> int:
    """2: the sentence has a resolved date; 1: only a vague one ("this week"); 0: none."""
    kinds = {d.kind for d in dates if d.date is not None}
    return 0 if not kinds else 1 if kinds == {"vague"} else 2


def _shift(m: Mention, by: int) -> Mention:
    return Mention(m.start - by, m.end - by, m.kind, m.value, m.demonym, m.weak)


@cache
def reader() -> Reader:
    """The shared reader (data loaded and compiled once per process)."""
    lex = lexicon()
    return Reader(
        Prefilter(lex.prefilter),
        segmenter(),
        scanner(),
        SentenceMatcher(lex),
        date_resolver(),
        Timeline(load_toml("lexicon.toml")["timeline"]),
    )


def as_day(published: str | dt.date | None, what: str = "publication date") -> dt.date | None:
    """A publication date from a date, an ISO string (a timestamp's day is used) or None."""
    if published is None or published == "":
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if not isinstance(published, str):
        raise BadInput(f"{what}: expected YYYY-MM-DD, got {type(published).__name__}")
    s = published.strip()[:10]
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise BadDate(published, what) from None


def read(
    text: str,
    published: str | dt.date | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
    path: str | None = None,
) -> Reading:
    """Read plain text and return the events and claims it reports.

    Relative dates resolve against `published`; evidence offsets index into `text`.
    Raises BadInput for a non-string, BadDate for a malformed publication date.
    """
    if not isinstance(text, str):
        raise BadInput(f"read() needs text as str, got {type(text).__name__}")
    return reader()(text, as_day(published), Source(path=path, url=url, title=title))
