"""scan: archives read in shards, on one core, several processes or Dask, same output."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.errors import BadInput
from allies.scan import Options, ShardResult, plan_shards, scan

# Our own sentences: relevant records among filler, and one broken line.
RELEVANT = [
    ("2022-05-24", "On Monday the United States designated Colombia a major non-NATO ally."),
    ("2023-04-05", "Finland became NATO's 31st member on Tuesday."),
    ("2024-03-08", "Sweden joined NATO on Thursday, ending two centuries of non-alignment."),
]
FILLER = "The council met to discuss parking fees and the new library opening hours. " * 3


def _records(n: int = 40) -> list[str]:
    lines = []
    for i in range(n):
        if i == 16:
            lines.append('{"text": "broken')
        elif i % 13 == 5:
            pub, text = RELEVANT[(i // 13) % len(RELEVANT)]
            lines.append(json.dumps({"published": pub, "text": text, "url": f"https://n.example/{i}"}))
        else:
            lines.append(json.dumps({"published": "2022-01-01", "text": FILLER}))
    return lines


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    p = tmp_path / "news.jsonl"
    p.write_text("\n".join(_records()) + "\n", encoding="utf-8")
    return p


def _flat(results: Any) -> tuple[list[dict[str, Any]], list[str], int]:
    docs: list[dict[str, Any]] = []
    skipped: list[str] = []
    n = 0
    for r in results:
        assert isinstance(r, ShardResult)
        docs += r.docs
        skipped += r.skipped
        n += r.articles
    return docs, skipped, n


def test_shards_are_line_aligned_and_keep_line_numbers(corpus: Path) -> None:
    whole_shards, whole = scan([corpus])
    small_shards, small = scan([corpus], shard_bytes=500)
    assert len(whole_shards) == 1 and len(small_shards) > 5
    # every shard but the last ends on a newline and the next starts where it ends
    for a, b in zip(small_shards, small_shards[1:], strict=False):
        assert a.end == b.start
    expected = _flat(whole)
    assert _flat(small) == expected
    docs, skipped, n = expected
    assert skipped == [f"{corpus} line 17: broken JSON (Unterminated string starting at)"]
    assert n == 39
    assert [(d["source"]["line"], d["events"][0]["country"]) for d in docs] == [
        (6, "COL"), (19, "FIN"), (32, "SWE")
    ]


def test_several_processes_give_the_same_output(corpus: Path) -> None:
    _, one = scan([corpus], shard_bytes=500)
    _, two = scan([corpus], shard_bytes=500, workers=2)
    assert _flat(two) == _flat(one)


def test_check_in_workers(corpus: Path) -> None:
    _, res = scan([corpus], opts=Options(check=True), workers=2, shard_bytes=500)
    docs, _, _ = _flat(res)
    assert [(d["events"][0]["country"], d["events"][0]["verdict"]) for d in docs] == [
        ("COL", "confirmed"), ("FIN", "confirmed"), ("SWE", "confirmed")
    ]


def test_gzip_jsonl_and_plain_files(tmp_path: Path, corpus: Path) -> None:
    gz = tmp_path / "more.jsonl.gz"
    gz.write_bytes(gzip.compress(corpus.read_bytes()))
    (tmp_path / "note.txt").write_text(RELEVANT[1][1], encoding="utf-8")
    _, res = scan([tmp_path])
    docs, skipped, n = _flat(res)
    assert [Path(d["source"]["path"]).name for d in docs] == [
        "more.jsonl.gz", "more.jsonl.gz", "more.jsonl.gz",
        "news.jsonl", "news.jsonl", "news.jsonl", "note.txt",
    ]
    assert len(skipped) == 2 and n == 39 + 39 + 1


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def page(body: str) -> bytes:
        return (
            "<html><head><meta property='article:published_time' content='2022-05-24'>"
            f"<title>News</title></head><body><article><p>{body}</p>"
            f"<p>{FILLER}</p></article></body></html>"
        ).encode()

    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        for url, status, ctype, body in [
            ("https://n.example/col", "200 OK", "text/html; charset=utf-8", page(RELEVANT[0][1])),
            ("https://n.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
            ("https://n.example/gone", "404 Not Found", "text/html", page(RELEVANT[1][1])),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(body),
                                       http_headers=headers)
            w.write_record(rec)


def test_warc_pages(tmp_path: Path) -> None:
    p = tmp_path / "crawl.warc.gz"
    _warc(p)
    _, res = scan([p])
    docs, skipped, n = _flat(res)
    assert (n, skipped) == (1, [])  # the image and the 404 are not articles
    assert [(d["source"]["url"], d["published"], e["country"], e["action"], e["date"])
            for d in docs for e in d["events"]] == [
        ("https://n.example/col", "2022-05-24", "COL", "designate", "2022-05-23")
    ]


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file or folder"):
        plan_shards([tmp_path / "missing"])
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a warc file\n")
    _, res = scan([bad])
    assert _flat(res)[1] == [
        f"{bad}: not a WARC file (no WARC/1.x header); scan WARC, JSONL or text files"
    ]
    notgz = tmp_path / "plain.jsonl.gz"
    notgz.write_bytes(b'{"text": "NATO invited Finland to join."}\n')
    _, res = scan([notgz])
    assert _flat(res)[1] == [
        f"{notgz}: not gzip data, or a truncated gzip file; re-compress it or drop the .gz suffix"
    ]


def test_broken_warc_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    _warc(good)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(good.read_bytes()[:300])
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nabc")
    _, res = scan([cut, bad])
    assert _flat(res)[1] == [
        f"{cut}: broken gzip (Compressed file ended before the end-of-stream marker was "
        "reached); records after the break were not read",
        f"{bad}: broken WARC data after 0 response record(s); the rest of the file was not "
        "read",
    ]


def test_dask_local_cluster_gives_the_same_output(corpus: Path) -> None:
    pytest.importorskip("distributed")
    _, one = scan([corpus], shard_bytes=500)
    _, dask = scan([corpus], shard_bytes=500, scheduler="local", workers=1)
    assert _flat(dask) == _flat(one)


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def test_cli_writes_jsonl_and_a_summary(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "found.jsonl"
    code, stdout, err = run("scan", str(corpus), "--shard-mb", "0.001", "-o", str(out))
    assert (code, stdout) == (0, "")
    lines = err.splitlines()
    assert lines[0] == f"skipped: {corpus} line 17: broken JSON (Unterminated string starting at)"
    assert lines[1].startswith(
        "summary: 1 file(s) in 9 shard(s), 39 article(s) read, 3 with findings, 1 skipped, "
        "3 events, 0 claims, 0.0 MB in "
    )
    assert lines[2:] == [f"wrote {out}"]
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["events"][0]["country"] for d in docs] == ["COL", "FIN", "SWE"]


@pytest.mark.parametrize(
    "args,message",
    [
        (("scan", "/nonexistent/x"), "Error: /nonexistent/x: no such file or folder\n"),
        (("scan", ".", "--workers", "0"),
         "Error: Invalid value for '--workers' / '-w': 0 is not in the range x>=1. "
         "(see 'allies scan --help')\n"),
        (("scan", ".", "--dask", "tcp://127.0.0.1:9", "--timeout", "0.5"),
         "Error: cannot reach Dask scheduler 'tcp://127.0.0.1:9' (Timed out trying to connect "
         "to tcp://127.0.0.1:9 after 0.5 s); start one with 'dask scheduler' and 'dask worker "
         "ADDRESS', or use --workers N on this machine\n"),
    ],
)
def test_cli_one_line_errors(args: tuple[str, ...], message: str) -> None:
    assert run(*args) == (1, "", message)


def test_cli_refuses_to_write_over_its_input(corpus: Path) -> None:
    before = corpus.read_bytes()
    assert run("scan", str(corpus), "-o", str(corpus)) == (
        1, "", f"Error: -o {corpus} is one of the inputs; write the results somewhere else\n"
    )
    out = corpus.parent / "sub" / "found.jsonl"
    assert run("scan", str(corpus.parent), "-o", str(out)) == (
        1,
        "",
        f"Error: -o {out} is inside the input folder {corpus.parent}; write the results "
        "somewhere else\n",
    )
    assert corpus.read_bytes() == before
