"""Fuzz the reader: any text and publication date gives a Reading whose evidence offsets
fit the text and which serialises as UTF-8 JSON."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import example, given
from hypothesis import strategies as st

from allies.read import read

from . import FUZZ

WORDS = [
    "NATO", "invited", "Finland", "and", "Sweden", "joined", "the", "United States",
    "designated", "Qatar", "a major non-NATO ally", "MNNA", "Rio Treaty", "withdrew",
    "from", "on", "4 April 1949", "March 2022", "last year", "yesterday", "Monday",
    "next month", "two years ago", "\"", "said", ",", ".", "\n", "-", ":", "(", ")",
    "not", "no longer", "member", "members", "Colombia", "Taiwan", "1955", "ANZUS",
]
texts = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
)
ordinary_days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def _check(text: str, published: dt.date | None) -> None:
    r = read(text, published)
    d = r.to_dict(with_text=True)
    json.dumps(d, ensure_ascii=False).encode("utf-8")
    for item in [*d["events"], *d["claims"]]:
        ev = item["evidence"]
        assert r.text[ev["start"] : ev["end"]] == ev["text"]


@FUZZ
@given(text=texts, published=st.one_of(st.none(), ordinary_days))
def test_reader_on_any_text(fuzz: object, text: str, published: dt.date | None) -> None:
    fuzz.probe("reader", _check, text, published)  # type: ignore[attr-defined]


@FUZZ
@example(text="The United States designated Qatar a major non-NATO ally yesterday.",
         published=dt.date(1, 1, 1))
@given(
    text=st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join),
    published=st.one_of(
        st.dates(max_value=dt.date(1, 12, 31)), st.dates(min_value=dt.date(9999, 1, 1))
    ),
)
def test_reader_at_the_calendars_edges(fuzz: object, text: str, published: dt.date) -> None:
    fuzz.probe("reader, extreme dates", _check, text, published)  # type: ignore[attr-defined]
