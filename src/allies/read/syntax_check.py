"""The participants stage, checked by the dependency parse (`syntax.py`).

`agrees(text, voice, ts, te, group)` asks the parse of the sentence whether the countries the
acts stage chose stand where the rule's voice says: a `subject` country inside the subject of
the trigger's verb (coordination and control followed, `Parse.subjects`), an `object` country
below the trigger ("designating Colombia", "the accession of Poland"). Voices the parse is not
asked about (`after`) agree. Off by default: `Reader(..., syntax=True)` turns it on; the
comparison with and without is in docs/reader.md.
"""

from __future__ import annotations

from functools import lru_cache

from .gazetteer import Mention
from .syntax import Parse, parse


@lru_cache(maxsize=256)
def _parsed(text: str) -> Parse:
    return parse([text])[0]


_NAME_PARTS = frozenset({"flat", "flat:name", "compound", "conj", "appos", "amod", "det"})
_SUBJECTS = frozenset({"nsubj", "nsubj:pass", "nsubj:outer"})
_OBJECTS = frozenset({"obj", "iobj", "obl", "nmod", "nmod:poss", "obl:npmod", "xcomp"})


def _phrase_head(p: Parse, i: int) -> int:
    """The head of the name or list a token belongs to ("Czech" -> "Republic", "Sweden" in
    "Finland and Sweden" -> "Finland")."""
    seen = {i}
    while p.tokens[i].dep in _NAME_PARTS and p.tokens[i].head not in seen:
        i = p.tokens[i].head
        seen.add(i)
    return i


def agrees(text: str, voice: str, ts: int, te: int, group: list[Mention]) -> bool:
    if voice not in ("subject", "object"):
        return True
    p = _parsed(text)
    trig = p.token_at(ts)
    country = p.token_at(group[0].start)
    if trig is None or country is None:
        return True
    t = p.tokens[trig.head] if trig.dep in ("aux", "aux:pass", "cop") else trig
    head = p.tokens[_phrase_head(p, country.i)]
    if voice == "subject":
        verb = t if t.pos in ("VERB", "AUX") else (p.head_verb(t.i) or t)
        if head.dep in _SUBJECTS and head.head == verb.i:
            return True
        return head.i in {s.i for s in p.subjects(verb.i)}
    # object: the name hangs on the trigger as its object, oblique or "of" phrase
    return head.dep in _OBJECTS and head.head in (t.i, trig.i)
