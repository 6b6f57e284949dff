"""Fuzz the input layer: any bytes, as any kind of input (text, HTML, JSON, JSONL, PDF, or
sniffed), give readings or one-line skip reasons naming the input; never an exception."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from pypdf import PdfWriter

from allies.errors import BadInput
from allies.read.inputs import pdf_text, read_bytes

from . import FUZZ

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(st.text(max_size=120), json_values),
        "html": st.one_of(st.text(max_size=120).map(lambda t: f"<html><body><p>{t}</p>"),
                          json_values),
        "published": st.one_of(st.text(max_size=12), json_values,
                               st.dates().map(lambda d: d.isoformat())),
        "url": json_values,
        "title": json_values,
    },
)
jsonl = st.lists(
    st.one_of(records.map(json.dumps), json_values.map(json.dumps), st.text(max_size=40)),
    max_size=6,
).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))
blobs = st.one_of(st.binary(max_size=400), jsonl,
                  st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))


def _read_all(data: bytes, kind: str | None) -> None:
    for res in read_bytes(data, "in.put", kind, 4096):
        if res.reading is None:
            assert res.skipped and "\n" not in res.skipped
            assert res.skipped.startswith("in.put")
        else:
            json.dumps(res.reading.to_dict(), ensure_ascii=False).encode("utf-8")


@FUZZ
# found by fuzzing: a JSONL record's bad date was skipped without naming the file and line
@example(data=b'{"text":"!","published":" "}', kind=None)
@given(data=blobs, kind=st.sampled_from([None, "text", "html", "json", "jsonl", "pdf"]))
def test_input_layer_on_any_bytes(fuzz: Any, data: bytes, kind: str | None) -> None:
    fuzz.probe(f"inputs ({kind or 'sniffed'})", _read_all, data, kind)


def _pdf() -> bytes:
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.add_metadata({"/Title": "NATO"})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


PDF = _pdf()


@FUZZ
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(PDF) - 1), st.integers(0, 255)), max_size=8),
    keep=st.integers(8, len(PDF)),
)
def test_pdf_reader_on_damaged_pdfs(fuzz: Any, cuts: list[tuple[int, int]], keep: int) -> None:
    data = bytearray(PDF[:keep])
    for at, byte in cuts:
        if at < len(data):
            data[at] = byte
    fuzz.probe("inputs (damaged PDF)", pdf_text, bytes(data), "in.pdf", allowed=(BadInput,))
