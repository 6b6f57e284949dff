"""The participants stage checked by the dependency parse: a subject country must be inside
the subject of the trigger's verb, an object country below the trigger."""

from __future__ import annotations

import pytest

from allies.read import syntax
from allies.read.gazetteer import Mention

if not syntax.available():  # pragma: no cover - the test extra installs spaCy
    pytest.skip("spaCy or the shipped parser is missing", allow_module_level=True)

from allies.read.syntax_check import agrees


def _at(text: str, word: str) -> list[Mention]:
    i = text.index(word)
    return [Mention(i, i + len(word), "country", word[:3].upper())]


def test_the_subject_is_the_party_not_the_bystander() -> None:
    text = "Defying Russia, Montenegro joins NATO."
    ts = text.index("joins")
    assert agrees(text, "subject", ts, ts + 5, _at(text, "Montenegro"))
    assert not agrees(text, "subject", ts, ts + 5, _at(text, "Russia"))


def test_the_object_hangs_below_the_trigger() -> None:
    text = "The leaders invited Finland and Sweden to join the alliance."
    ts = text.index("invited")
    assert agrees(text, "object", ts, ts + 7, _at(text, "Finland"))
    assert not agrees(text, "object", ts, ts + 7, [Mention(4, 11, "country", "XXX")])
