"""Inputs in other encodings: UTF-16 with a BOM and HTML that declares its charset are read;
other non-UTF-8 text is refused in one line that says how to convert it."""

from __future__ import annotations

import codecs

import pytest

from allies.errors import BadInput
from allies.read.inputs import decode, read_bytes

SENTENCE = "NATO invited Finland to join on 29 June 2022 – Café talk."


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings(codec: str) -> None:
    data = SENTENCE.encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode(data, "x.txt") == SENTENCE


def test_html_declared_charset() -> None:
    page = f'<html><head><meta charset="windows-1252"></head><body><p>{SENTENCE}</p></body></html>'
    [r] = list(read_bytes(page.encode("cp1252"), "x.html", "html"))
    assert r.reading is not None
    assert [(e.country, e.action) for e in r.reading.events] == [("FIN", "invite")]
    assert "Café" in r.reading.text


def test_undeclared_legacy_text_is_refused_with_a_fix() -> None:
    with pytest.raises(BadInput) as e:
        decode(SENTENCE.encode("cp1252"), "x.txt")
    assert str(e.value) == (
        "x.txt: not UTF-8 (bad byte at offset 45); convert it, e.g. iconv -f WINDOWS-1252 "
        "-t UTF-8"
    )
