"""Batches never lose the batch: one pathological record in a JSONL file, one bad file in a
folder or one bad page in a WARC is skipped with a reason naming it (line number, path), the
rest is read, and an output file holds everything that was readable. Subfolders that cannot
be listed are named. This holds for `read`, `check` and `scan`."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from allies.cli import cli

GOOD = [
    ("2022-05-24", "On Monday the United States designated Colombia a major non-NATO ally."),
    ("2023-04-05", "Finland became NATO's 31st member on 4 April 2023."),
]
# A record the reader fails on: the fixture below makes the reader raise on its marker, as
# an unknown bug would (the reader has no known crash to use instead).
MARKER = "zz-reader-crash-zz"
CRASH = {"published": "2022-01-01",
         "text": f"The United States designated Qatar a major non-NATO ally. {MARKER}"}


@pytest.fixture(autouse=True)
def _reader_fails_on_the_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    from allies.read import pipeline

    real = pipeline.Reader.__call__

    def failing(self: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        if MARKER in text:
            raise RuntimeError("simulated reader failure")
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(pipeline.Reader, "__call__", failing)


def _lines() -> tuple[list[str], dict[int, str]]:
    """JSONL lines, and the words the skip reason of each bad line (by number) holds."""
    lines = [
        json.dumps({"published": GOOD[0][0], "text": GOOD[0][1]}),  # 1
        "[" * 5000 + "]" * 5000,  # 2: nested too deeply
        '{"text": "NATO", "n": ' + "9" * 5000 + "}",  # 3: a huge integer
        json.dumps(CRASH),  # 4: the reader fails
        '{"text": 5}',  # 5: wrong type
        '{"text": "NATO invited Finland.", "published": 20220101}',  # 6: read, date unknown
        '{"text": "broken',  # 7: broken JSON
        '{"text": "\\ud800 Finland became NATO\'s 31st member on 4 April 2023."}',  # 8: read
        "[1, 2]",  # 9: not an object
        json.dumps({"published": GOOD[1][0], "text": GOOD[1][1]}),  # 10
    ]
    bad = {2: "nested too deeply", 3: "number", 4: "could not be read", 5: "'text'",
           7: "broken JSON", 9: "expected a JSON object"}
    return lines, bad


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def _skips(err: str) -> list[str]:
    return [ln.removeprefix("skipped: ") for ln in err.splitlines() if ln.startswith("skipped:")]


@pytest.mark.parametrize("command", ["read", "check"])
def test_read_and_check_skip_bad_jsonl_records_and_read_the_rest(
    tmp_path: Path, command: str
) -> None:
    lines, bad = _lines()
    f = tmp_path / "news.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(command, str(f), "--json")
    assert code == 0, err
    docs = [json.loads(ln) for ln in out.splitlines()]
    assert [d["source"]["line"] for d in docs] == [1, 6, 8, 10]
    assert docs[1]["published"] is None  # an unreadable date: read, with its date unknown
    assert docs[2]["events"][0]["evidence"]["text"].startswith("\ufffd Finland")  # replaced
    assert [e["country"] for d in docs for e in d["events"]] == ["COL", "FIN", "FIN", "FIN"]
    skips = _skips(err)
    assert len(skips) == len(bad)
    for (n, words), why in zip(sorted(bad.items()), skips, strict=True):
        assert why.startswith(f"{f} line {n}:"), why
        assert words in why, why
    assert f"4 article(s) read, {len(bad)} skipped" in err
    assert "Traceback" not in err


def test_scan_writes_every_readable_record_despite_bad_ones(tmp_path: Path) -> None:
    lines, bad = _lines()
    f = tmp_path / "news.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "found.jsonl"
    for args in ([], ["--check"], ["--shard-mb", "0.001", "--workers", "2"]):
        code, _, err = _run("scan", str(f), "-o", str(out), *args)
        assert code == 0, err
        docs = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
        assert [d["source"]["line"] for d in docs] == [1, 6, 8, 10], args
        skips = _skips(err)
        assert sorted(int(s.split(" line ")[1].split(":")[0]) for s in skips) == sorted(bad)
        assert "Traceback" not in err


def test_a_long_archive_with_one_bad_line_is_written_whole(tmp_path: Path) -> None:
    good = json.dumps({"published": GOOD[1][0], "text": GOOD[1][1]})
    lines = [good] * 2000
    lines[1234] = json.dumps(CRASH)
    f = tmp_path / "archive.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "found.jsonl"
    code, _, err = _run("scan", str(f), "-o", str(out))
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1999
    assert _skips(err) == [
        f"{f} line 1235: could not be read (RuntimeError: simulated reader failure); "
        "the rest was read"
    ]


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=False)
        for url, text in [("https://n.example/a", GOOD[1][1]), ("https://n.example/b",
                          CRASH["text"]), ("https://n.example/c", GOOD[1][1])]:
            body = f"<html><body><article><p>{text}</p></article></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                       protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                http_headers=headers))


def test_a_bad_warc_page_is_skipped_and_the_others_read(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc"
    _warc(warc)
    out = tmp_path / "found.jsonl"
    code, _, err = _run("scan", str(warc), "--published", "0001-01-01", "-o", str(out))
    assert code == 0, err
    docs = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert [d["source"]["url"] for d in docs] == ["https://n.example/a", "https://n.example/c"]
    [why] = _skips(err)
    assert why.startswith(f"{warc} record 2 (https://n.example/b): could not be read")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """news/: a good article, a crashing record, a broken PDF, and a subfolder that cannot
    be listed (refused by a stand-in for os.scandir, so the test also holds for root)."""
    root = tmp_path / "news"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "hidden.txt").write_text(GOOD[0][1], encoding="utf-8")
    (root / "a.txt").write_text(GOOD[1][1], encoding="utf-8")
    (root / "b.json").write_text(json.dumps(CRASH), encoding="utf-8")
    (root / "c.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    real = os.scandir
    locked = str(root / "locked")

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return root


@pytest.mark.parametrize("command", ["read", "check"])
def test_a_folder_names_its_unreadable_subfolder_and_bad_files(
    folder: Path, command: str
) -> None:
    code, out, err = _run(command, str(folder), "--json")
    assert code == 0, err
    docs = [json.loads(ln) for ln in out.splitlines()]
    assert [d["source"]["path"] for d in docs] == [str(folder / "a.txt")]
    skips = _skips(err)
    assert skips[0] == (
        f"{folder / 'locked'}: unreadable folder (Permission denied); its files were not read"
    )
    assert skips[1].startswith(f"{folder / 'b.json'}: could not be read (RuntimeError")
    assert skips[2].startswith(f"{folder / 'c.pdf'}: broken PDF")
    assert len(skips) == 3


def test_scan_names_an_unreadable_subfolder(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "found.jsonl"
    code, _, err = _run("scan", str(folder), "-o", str(out))
    assert code == 0, err
    assert f"{folder / 'locked'}: unreadable folder" in err
    docs = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert [d["source"]["path"] for d in docs] == [str(folder / "a.txt")]
