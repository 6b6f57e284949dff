"""PDFs: a text PDF is read like the text it holds (CLI `read`/`check`, folders, `scan`); a
scanned PDF (no text layer), an encrypted or a broken one is skipped with a one-line reason.

The PDFs are built here with pypdf, from our own sentences."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from allies.cli import cli
from allies.read import read, read_path

LINES = ["On Monday the United States designated Colombia", "a major non-NATO ally."]
TEXT = "\n".join(LINES)


def _writer_with_text(lines: list[str]) -> PdfWriter:
    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    if lines:
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
        )
        ops = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
        stream = DecodedStreamObject()
        stream.set_data(ops.encode("latin-1"))
        page[NameObject("/Contents")] = w._add_object(stream)
    return w


def _pdf(lines: list[str], password: str | None = None) -> bytes:
    w = _writer_with_text(lines)
    if password is not None:
        w.encrypt(password, algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def test_a_text_pdf_is_read_like_its_text(tmp_path: Path) -> None:
    f = tmp_path / "release.pdf"
    f.write_bytes(_pdf(LINES))
    code, out, err = _run("read", str(f), "--published", "2022-05-24", "--json")
    assert (code, err) == (0, "")
    want = read(TEXT, "2022-05-24", path=str(f)).to_dict()
    assert json.loads(out) == want
    assert [(e["country"], e["action"]) for e in want["events"]] == [("COL", "designate")]


def test_check_reads_a_pdf(tmp_path: Path) -> None:
    f = tmp_path / "release.pdf"
    f.write_bytes(_pdf(LINES))
    code, out, _ = _run("check", str(f), "--published", "2022-05-24", "--json")
    assert code == 0
    assert [e["verdict"] for e in json.loads(out)["events"]] == ["confirmed"]


def test_a_pdf_without_its_suffix_is_recognised(tmp_path: Path) -> None:
    f = tmp_path / "download"
    f.write_bytes(_pdf(LINES))
    [res] = list(read_path(f, published="2022-05-24"))
    assert res.reading is not None and res.reading.text == TEXT


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_pdf([]), "PDF with no text layer (a scan?); run OCR on it first, e.g. ocrmypdf"),
        (_pdf(LINES, password="secret"),
         "encrypted PDF (password-protected); save a copy without the password, or copy its "
         "text"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n", "broken PDF"),
    ],
    ids=["scanned", "encrypted", "broken"],
)
def test_unreadable_pdfs_get_a_one_line_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    f = tmp_path / "release.pdf"
    f.write_bytes(data)
    code, out, err = _run("read", str(f))
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {f}: {reason}")
    assert len(err.splitlines()) == 1


def test_a_pdf_that_only_restricts_copying_is_read(tmp_path: Path) -> None:
    f = tmp_path / "release.pdf"
    f.write_bytes(_pdf(LINES, password=""))  # encrypted, with an empty user password
    [res] = list(read_path(f, published="2022-05-24"))
    assert res.reading is not None and res.reading.text == TEXT


def test_folders_and_scan_read_pdfs(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.pdf").write_bytes(_pdf(LINES))
    (news / "b.pdf").write_bytes(_pdf([]))
    code, out, err = _run("read", str(news), "--published", "2022-05-24", "--json")
    assert code == 0
    assert [json.loads(ln)["source"]["path"] for ln in out.splitlines()] == [str(news / "a.pdf")]
    assert f"skipped: {news / 'b.pdf'}: PDF with no text layer" in err
    found = tmp_path / "found.jsonl"
    code, _, err = _run("scan", str(news), "--published", "2022-05-24", "-o", str(found))
    assert code == 0, err
    docs = [json.loads(ln) for ln in found.read_text(encoding="utf-8").splitlines()]
    assert [d["source"]["path"] for d in docs] == [str(news / "a.pdf")]
    assert f"skipped: {news / 'b.pdf'}: PDF with no text layer" in err
