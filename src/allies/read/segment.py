"""Sentence segmentation with character offsets into the input text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .resources import load_toml


@dataclass(frozen=True, slots=True)
class Sentence:
    """``text == source[start:end]`` (trimmed of surrounding whitespace)."""

    start: int
    end: int
    text: str


# A candidate boundary: sentence punctuation, optional closing quotes/brackets, whitespace,
# then something that can open a sentence. A newline ends a sentence unless the next line
# goes on in lower case after a line with no closing punctuation (text wrapped at a fixed
# width: "... invited to join the Alliance at the\nNovember summit" stays one sentence only
# when it reads on: "at the\nsummit in Prague").
_BOUNDARY = re.compile(
    r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])"""
    r"""|(?<![.!?:;"'”’)\]\s])\n(?![ \t]*[a-z])"""
    r"""|(?<=[.!?:;"'”’)\]\s])\n"""
)
_WORD_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]?(\w+)")


class Segmenter:
    """Split text into sentences; abbreviations and initials do not end one."""

    def __init__(self, conf: dict[str, Any]) -> None:
        self.abbrev = frozenset(conf["abbreviations"])
        self.final_abbrev = frozenset(conf["sentence_final_abbreviations"])
        self.starters = frozenset(conf["sentence_starters"])
        self.goes_on = frozenset(w.lower() for w in conf.get("line_goes_on", ()))

    def _is_boundary(self, text: str, m: re.Match[str]) -> bool:
        if m.group() == "\n":
            last = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
            following = text[m.end() : m.end() + 1]
            # a wrapped line: it stops on a word that needs more ("at the November"), and the
            # next line is not blank
            return not (last and last.group(1).lower() in self.goes_on and following.strip())
        if text[m.start()] != ".":
            return True
        before = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
        if not before:
            return True
        word = before.group(1).lstrip("\"'“‘([")
        if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
            return False
        if word in self.abbrev:
            if word in self.final_abbrev:
                nxt = _NEXT_WORD.match(text, m.end())
                return bool(nxt and nxt.group(1) in self.starters)
            return False
        return True

    def __call__(self, text: str) -> list[Sentence]:
        out: list[Sentence] = []
        start = 0
        for m in _BOUNDARY.finditer(text):
            if self._is_boundary(text, m):
                self._add(text, start, m.end(), out)
                start = m.end()
        self._add(text, start, len(text), out)
        return out

    def around(self, text: str, positions: list[int]) -> list[Sentence]:
        """Only the sentences that contain one of `positions` (sorted, each once): the same
        sentences `__call__` gives, without checking every boundary of a long text."""
        cands = [m for m in _BOUNDARY.finditer(text)]
        ends = [m.end() for m in cands]
        valid: dict[int, bool] = {}

        def ok(i: int) -> bool:
            v = valid.get(i)
            if v is None:
                v = valid[i] = self._is_boundary(text, cands[i])
            return v

        out: list[Sentence] = []
        last_end = -1
        for p in sorted(positions):
            if p < last_end:
                continue
            i = bisect.bisect_right(ends, p)  # candidates ending at or before p: [0, i)
            j = i - 1
            while j >= 0 and not ok(j):
                j -= 1
            start = ends[j] if j >= 0 else 0
            k = i
            while k < len(cands) and not ok(k):
                k += 1
            end = ends[k] if k < len(cands) else len(text)
            before = len(out)
            self._add(text, start, end, out)
            if len(out) > before:
                if out[-1].start <= p < out[-1].end:
                    last_end = out[-1].end
                else:  # p sat in whitespace around the sentence
                    out.pop()
        return out

    @staticmethod
    def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
        seg = text[start:end]
        body = seg.strip()
        if body:
            start += len(seg) - len(seg.lstrip())
            out.append(Sentence(start, start + len(body), body))


@cache
def segmenter() -> Segmenter:
    return Segmenter(load_toml("segment.toml"))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with offsets (``text[s.start:s.end] == s.text``)."""
    return segmenter()(text)


MAX_SENTENCE = 600  # characters; longer "sentences" are lists or machine text, not prose
_SOFT_BREAK = re.compile(r";\s+|,\s+|\s+(?:and|or)\s+|\s+")


def bounded(sentences: list[Sentence], limit: int = MAX_SENTENCE) -> list[Sentence]:
    """The sentences with every one longer than `limit` cut into pieces of at most `limit`
    characters, at the last clause mark, comma, conjunction or space before the limit. Each
    stage's cost per sentence is then bounded, so reading stays linear in the text's length
    however it is shaped (one 50 KB sentence, a 300 KB list)."""
    out: list[Sentence] = []
    for sent in sentences:
        if len(sent.text) <= limit:
            out.append(sent)
            continue
        pos = 0
        text = sent.text
        while len(text) - pos > limit:
            cut = pos + limit
            best = None
            for m in _SOFT_BREAK.finditer(text, pos + limit // 2, cut):
                best = m
            end = best.end() if best is not None else cut
            piece = text[pos:end].rstrip()
            if piece:
                out.append(Sentence(sent.start + pos, sent.start + pos + len(piece), piece))
            pos = end
        rest = text[pos:]
        lead = len(rest) - len(rest.lstrip())
        rest = rest.strip()
        if rest:
            out.append(Sentence(sent.start + pos + lead, sent.start + pos + lead + len(rest), rest))
    return out
