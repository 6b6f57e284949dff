"""A JSONL file reads exactly as its records read one by one (the JSONL loop has its own fast
JSON decoding and text path), whatever the JSON writer escaped."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from allies.read import read_record
from allies.read.inputs import read_bytes


def _both(records: list[dict[str, object]], ensure_ascii: bool = True) -> None:
    data = "\n".join(json.dumps(r, ensure_ascii=ensure_ascii) for r in records).encode()
    got = [r.reading.to_dict(with_text=True) for r in read_bytes(data, "x.jsonl", "jsonl")]
    want = [
        read_record(r, path="x.jsonl", line=i).to_dict(with_text=True)
        for i, r in enumerate(records, start=1)
    ]
    assert got == want


def test_stdlib_only_json_still_reads() -> None:
    # NaN and integers beyond 64 bits are refused by orjson and accepted by the stdlib
    data = b'{"text": "NATO invited Finland to join.", "published": "2022-06-29", "n": NaN}\n'
    data += (
        b'{"text": "NATO invited Sweden to join.", "published": "2022-06-29", "k": 1'
        + b"0" * 30
        + b"}"
    )
    got = [
        [(e.country, e.action) for e in r.reading.events]
        for r in read_bytes(data, "x", "jsonl")
        if r.reading
    ]
    assert got == [[("FIN", "invite")], [("SWE", "invite")]]


def test_broken_and_non_utf8_lines_are_named() -> None:
    data = b'{"text": "ok NATO"\n{"text": "\xff NATO"}\n{"text": "NATO invited Finland."}'
    got = [r.skipped for r in read_bytes(data, "x.jsonl", "jsonl")]
    assert got == [
        "x.jsonl line 1: broken JSON (Expecting ',' delimiter)",
        "x.jsonl line 2: not UTF-8",
        None,
    ]


def test_relevant_irrelevant_and_escaped_records_read_alike() -> None:
    records: list[dict[str, object]] = [
        {"text": "NATO invited Finland to join.", "published": "2022-06-29"},
        {"text": "The harvest was late this year.", "published": "2022-06-29", "url": "u"},
        {"text": "Sweden joined N\u0041TO in Brussels on Thursday.", "published": "2024-03-09"},
        {"text": "Nörth Atlantic allies met; Colombia became a major non-NATO ally on Monday."},
    ]
    _both(records)
    _both(records, ensure_ascii=False)


def test_ascii_letter_written_as_escape_is_still_read() -> None:
    # "\u004eATO" is "NATO" spelled with an escape
    line = b'{"text": "\\u004eATO invited Finland to join.", "published": "2022-06-29"}'
    [r] = list(read_bytes(line, "x.jsonl", "jsonl"))
    assert r.reading is not None
    assert [(e.country, e.action) for e in r.reading.events] == [("FIN", "invite")]


_words = st.sampled_from(
    [
        "NATO",
        "nato",
        "Nato",
        "ally",
        "Finland",
        "joined",
        "İ",
        "é",
        "naTO",
        "north",
        "Atlantic",
        "North Atlantic",
        "mnna",
        "MNNA",
        "n\u00e1to",
        "\u212aenya",
        " ",
        ".",
        "\n",
        "\\",
        '"',
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(_words, min_size=1, max_size=12).map(" ".join).filter(str.strip),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_any_text_reads_alike(texts: list[str], ensure_ascii: bool) -> None:
    _both([{"text": t, "published": "2023-04-04"} for t in texts], ensure_ascii)
