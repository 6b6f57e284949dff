"""Dependency parses of sentences, as plain values the reader can query.

The only module that imports spaCy, and only on first use: importing ``allies`` or
``allies.read`` does not. The pipeline (tok2vec, morphologizer, lemmatizer, parser) is the
project's own, trained from UD English EWT by ``make model`` and shipped in
``allies/data/parser/`` (CC BY-SA 4.0, see its ``NOTICE.md``). Labels are Universal
Dependencies v2 (``nsubj``, ``obj``, ``xcomp``, ``conj``, ``nsubj:pass`` ...); ``pos`` is the
UPOS tag (``VERB``, ``PROPN`` ...); a sentence's root is labelled ``ROOT`` and is its own
head.

    ps = parse(["Leaders agreed to invite Finland and Sweden."])
    p = ps[0]
    invite = p.find("invite")
    [t.text for t in p.objects(invite)]     # ['Finland', 'Sweden']
    p.tokens[invite].dep                    # 'xcomp'

Every `Parse` is frozen and holds no spaCy object, so parses can be cached, compared and
shared between threads. The pipeline loads once behind a lock; parsing is serialised by the
same lock (spaCy's string store is not safe to grow from two threads at once).
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import AlliesError

__all__ = [
    "CONDITIONALS",
    "NEGATIONS",
    "OBJECT_CONTROL",
    "Clause",
    "Parse",
    "ParserUnavailable",
    "Token",
    "available",
    "load",
    "model_path",
    "parse",
]

#: Dependents that mark a clause as negated ("not", "never", "no" as a determiner...).
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
#: Dependents that mark a clause as conditional.
CONDITIONALS = frozenset({"if", "unless", "whether", "provided", "providing"})

_SUBJECT = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass", "nsubj:outer", "expl"})
_OBJECT = frozenset({"obj", "iobj"})
_CLAUSAL = frozenset({"root", "ROOT", "ccomp", "xcomp", "advcl", "acl", "acl:relcl", "csubj",
                      "csubj:pass", "parataxis"})
# dependents that can carry a scope word for the token they hang on
_MARKERS = frozenset({"aux", "aux:pass", "mark", "advmod", "det", "cc:preconj", "case", "cop",
                      "neg", "discourse"})
_VERBAL = frozenset({"VERB", "AUX"})
# verbs whose object is the subject of their infinitive ("urged Colombia to join"); used when
# the parser labels that infinitive an adverbial clause instead of an open complement
OBJECT_CONTROL = frozenset({"urge", "invite", "ask", "encourage", "press", "persuade", "allow",
                            "permit", "want", "expect", "require", "help", "tell", "force",
                            "enable", "push", "call", "pressure"})


class ParserUnavailable(AlliesError):
    """spaCy or the trained parser is not installed."""

    status = 503


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``idx`` is its character offset in the sentence, ``head`` the index of its
    head token (a root is its own head)."""

    i: int
    text: str
    idx: int
    lemma: str
    pos: str
    morph: str
    dep: str
    head: int

    @property
    def end(self) -> int:
        """Character offset just past the token."""
        return self.idx + len(self.text)

    @property
    def is_root(self) -> bool:
        return self.head == self.i


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause: its head token and the character span of the head's subtree."""

    head: Token
    start: int
    end: int
    text: str


def _words(words: Iterable[str]) -> frozenset[str]:
    if isinstance(words, str):
        words = (words,)
    return frozenset(w.lower() for w in words)


def _says(t: Token, words: frozenset[str]) -> bool:
    return t.lemma.lower() in words or t.text.lower() in words


@dataclass(frozen=True, slots=True)
class Parse:
    """A parsed sentence: its text and tokens, and queries over the tree."""

    text: str
    tokens: tuple[Token, ...]
    _children: tuple[tuple[int, ...], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        kids: list[list[int]] = [[] for _ in self.tokens]
        for t in self.tokens:
            if not t.is_root:
                kids[t.head].append(t.i)
        object.__setattr__(self, "_children", tuple(tuple(k) for k in kids))

    # -- navigation --------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.tokens)

    def token_at(self, offset: int) -> Token | None:
        """The token covering character ``offset`` (None between tokens or out of range)."""
        for t in self.tokens:
            if t.idx <= offset < t.end:
                return t
        return None

    def find(self, word: str, start: int = 0) -> int:
        """Index of the first token at or after ``start`` whose text is ``word`` (case
        folded); -1 if none."""
        w = word.lower()
        for t in self.tokens[start:]:
            if t.text.lower() == w:
                return t.i
        return -1

    def children(self, i: int, deps: Iterable[str] | None = None) -> tuple[Token, ...]:
        """The dependents of token ``i``, in order, optionally only those labelled ``deps``."""
        want = None if deps is None else frozenset(deps)
        return tuple(self.tokens[c] for c in self._children[i]
                     if want is None or self.tokens[c].dep in want)

    def ancestors(self, i: int) -> tuple[Token, ...]:
        """The heads above token ``i``, nearest first, up to the root."""
        out: list[Token] = []
        t = self.tokens[i]
        while not t.is_root and len(out) < len(self.tokens):
            t = self.tokens[t.head]
            out.append(t)
        return tuple(out)

    def subtree(self, i: int) -> tuple[Token, ...]:
        """Token ``i`` and everything below it, in sentence order."""
        seen = {i}
        stack = [i]
        while stack:
            for c in self._children[stack.pop()]:
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        return tuple(self.tokens[j] for j in sorted(seen))

    def span(self, i: int) -> tuple[int, int]:
        """Character span ``(start, end)`` of token ``i``'s subtree."""
        sub = self.subtree(i)
        return min(t.idx for t in sub), max(t.end for t in sub)

    # -- the reader's questions ------------------------------------------------------
    def head_verb(self, i: int) -> Token | None:
        """The nearest verb above token ``i`` (a VERB, or an AUX heading its own clause); for a
        verb, the verb it depends on. None if no verb governs it."""
        for a in self.ancestors(i):
            if a.pos == "VERB" or (a.pos == "AUX" and a.dep not in ("aux", "aux:pass", "cop")):
                return a
        return None

    def conjuncts(self, i: int) -> tuple[Token, ...]:
        """The coordination group of token ``i`` ("Finland and Sweden"): the first conjunct and
        every ``conj`` below it, in order, ``i`` included. A token outside any coordination
        forms a group of one."""
        first = self.tokens[i]
        while first.dep == "conj" and not first.is_root:
            first = self.tokens[first.head]
        group = [first.i]
        stack = [first.i]
        while stack:
            for c in self.children(stack.pop(), ("conj",)):
                group.append(c.i)
                stack.append(c.i)
        return tuple(self.tokens[j] for j in sorted(group))

    def _expand(self, ts: Iterable[Token]) -> tuple[Token, ...]:
        out: dict[int, Token] = {}
        for t in ts:
            for c in self.conjuncts(t.i):
                out[c.i] = c
        return tuple(out[k] for k in sorted(out))

    def subjects(self, verb: int) -> tuple[Token, ...]:
        """The subject(s) of ``verb``, coordination expanded ("Finland and Sweden joined").
        A verb without its own subject takes it from the verb it is coordinated with ("joined
        and signed"), or, as an open complement (``xcomp``: "agreed to invite"), from the
        governing verb's object if it has one ("urged Finland to join"), else its subject. An
        infinitive the parser made an adverbial clause of an object-control verb (`OBJECT_CONTROL`:
        "invited Finland to join") takes that verb's object; other verbs give none."""
        seen: set[int] = set()
        v = verb
        while v not in seen:
            seen.add(v)
            own = self.children(v, _SUBJECT)
            if own:
                return self._expand(own)
            t = self.tokens[v]
            if t.is_root:
                return ()
            if t.dep == "conj":
                v = t.head
            elif t.dep == "xcomp":
                objs = self.children(t.head, _OBJECT)
                if objs:
                    return self._expand(objs)
                v = t.head
            elif (t.dep == "advcl" and self.tokens[t.head].lemma.lower() in OBJECT_CONTROL
                  and any(c.text.lower() == "to" for c in self.children(v, ("mark",)))):
                return self._expand(self.children(t.head, _OBJECT))
            else:
                return ()
        return ()

    def objects(self, verb: int) -> tuple[Token, ...]:
        """The direct and indirect object(s) of ``verb`` (``obj``, ``iobj``), coordination
        expanded ("invite Finland and Sweden")."""
        return self._expand(self.children(verb, _OBJECT))

    def governor(self, i: int, words: Iterable[str]) -> Token | None:
        """The nearest token in ``words`` (lemma or text, case folded) that governs token
        ``i``: token ``i`` itself or one of its heads, or a scope word hanging on one of them
        (an auxiliary, marker, adverb or determiner: "could", "if", "not"). None if none does.
        In "He favoured Brazil joining NATO", "favour" governs "Brazil"."""
        ws = _words(words)
        for t in (self.tokens[i], *self.ancestors(i)):
            if _says(t, ws) and t.i != i:
                return t
            for c in self.children(t.i, _MARKERS):
                if _says(c, ws) and c.i != i:
                    return c
        return None

    def under(self, i: int, words: Iterable[str]) -> bool:
        """Whether token ``i`` lies under a governing word from ``words`` (see `governor`)."""
        return self.governor(i, words) is not None

    def negation(self, i: int) -> Token | None:
        """The negation marker that governs token ``i``, if any ("did not invite X")."""
        return self.governor(i, NEGATIONS)

    def condition(self, i: int) -> Token | None:
        """The conditional marker that governs token ``i``, if any ("if X joins")."""
        return self.governor(i, CONDITIONALS)

    def clause(self, i: int) -> Clause:
        """The smallest clause containing token ``i``: the nearest head (``i`` itself
        included) that is a root or a clausal dependent (ccomp, xcomp, advcl, acl, relative
        clause, parataxis, a coordinated verb), with its subtree's span."""
        for t in (self.tokens[i], *self.ancestors(i)):
            if t.is_root or t.dep in _CLAUSAL or (t.dep == "conj" and t.pos in _VERBAL):
                start, end = self.span(t.i)
                return Clause(t, start, end, self.text[start:end])
        raise AssertionError("unreachable: every token has a root")  # pragma: no cover

    def clause_at(self, offset: int) -> Clause | None:
        """The clause containing character ``offset`` (None if no token covers it)."""
        t = self.token_at(offset)
        return None if t is None else self.clause(t.i)


# -- loading ---------------------------------------------------------------------------

_LOCK = threading.RLock()
_NLP: Any = None


def model_path() -> Path:
    """Where the shipped pipeline lives (``allies/data/parser``)."""
    return Path(str(resources.files("allies").joinpath("data", "parser")))


def available() -> bool:
    """Whether parsing can work here: spaCy importable and the trained pipeline present.
    Does not import spaCy."""
    p = model_path()
    return (importlib.util.find_spec("spacy") is not None
            and (p / "config.cfg").is_file() and (p / "meta.json").is_file())


def load() -> Any:
    """The spaCy pipeline, loaded once per process (thread-safe)."""
    global _NLP
    if _NLP is not None:
        return _NLP
    with _LOCK:
        if _NLP is None:
            if importlib.util.find_spec("spacy") is None:
                raise ParserUnavailable(
                    "the dependency parser needs spaCy, which is not installed; "
                    "install allies with the 'parse' extra (pip install 'allies[parse]')")
            p = model_path()
            if not (p / "config.cfg").is_file():
                raise ParserUnavailable(
                    f"the trained parser is missing from {p}; "
                    "rebuild it with 'make model' from a source checkout")
            import spacy

            try:
                _NLP = spacy.load(p)
            except (OSError, ValueError) as e:
                raise ParserUnavailable(f"the trained parser in {p} does not load: {e}") from None
        return _NLP


def _convert(doc: Any) -> Parse:
    return Parse(doc.text, tuple(
        Token(t.i, t.text, t.idx, t.lemma_, t.pos_, str(t.morph), t.dep_, t.head.i)
        for t in doc))


def parse(sentences: Sequence[str], batch_size: int = 64) -> list[Parse]:
    """Parse each sentence (one `Parse` per input string, in order), batched through the
    pipeline. Raises `ParserUnavailable` if spaCy or the model is missing."""
    if isinstance(sentences, str):
        raise TypeError("parse() takes a sequence of sentences, not one string")
    for s in sentences:
        if not isinstance(s, str):
            raise TypeError(f"parse() takes strings, not {type(s).__name__}")
    nlp = load()
    with _LOCK:
        return [_convert(d) for d in nlp.pipe(sentences, batch_size=batch_size)]
