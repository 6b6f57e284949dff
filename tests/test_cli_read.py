"""`allies read` and `allies check`: whole JSON outputs, batches that go on, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from allies.check import check
from allies.cli import cli
from allies.ledger import load_ledger
from allies.read import read

DATA = Path(__file__).parent / "data"
COL = DATA / "colombia-2022-03-16.txt"


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={}, input=input)
    return r.exit_code, r.stdout, r.stderr


def test_check_the_colombia_article() -> None:
    code, out, err = run("check", str(COL), "--published", "2022-03-16", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    text = COL.read_text(encoding="utf-8")
    assert doc == check(read(text, "2022-03-16", path=str(COL)))
    got = [(e["action"], e["date"], e["verdict"]) for e in doc["events"]]
    assert got == [
        ("designate", None, "contradicted"),
        ("announce_intent", "2022-03-10", "confirmed"),
    ]
    designate = doc["events"][0]
    assert "was recently designated" in designate["also_evidence"][0]["text"]
    assert designate["ledger"]["event"]["date"] == "2022-05-23"
    assert designate["ledger"]["event"]["sources"]
    claims = {c["country"]: c["verdict"] for c in doc["claims"]}
    assert claims == {
        c: "confirmed"
        for c in ("ISR", "AUS", "NZL", "TUN", "ARG", "BRA", "JPN", "KWT", "PHL", "QAT")
    }
    for item in (*doc["events"], *doc["claims"]):
        ev = item["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]
    # Without its date, nothing that rests on the date is confirmed.
    code, out, _ = run("check", str(COL), "--json")
    undated = json.loads(out)
    assert code == 0 and undated["published"] is None
    assert {x["verdict"] for x in (*undated["events"], *undated["claims"])} == {"undated"}
    assert undated["summary"]["line"] == (
        "2 news events (all undated), 0 background, 10 claims (all undated)"
    )


def test_read_stdin_equals_file() -> None:
    code, out, _ = run("read", "-", "--published", "2022-03-16", "--json", input=COL.read_bytes())
    assert code == 0
    doc = json.loads(out)
    assert doc["published"] == "2022-03-16"
    assert [e["country"] for e in doc["events"]] == ["COL", "COL"]


def test_folder_goes_on_past_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(COL.read_bytes())
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.txt").write_bytes(b"caf\xe9 not utf-8")
    (tmp_path / "e.jsonl").write_text(
        '{"text": "Finland became the 31st member of NATO on Tuesday.", "published": '
        '"2023-04-06"}\n{broken\n',
        encoding="utf-8",
    )
    code, out, err = run("read", str(tmp_path), "--json", "--published", "2022-03-16")
    assert code == 0
    lines = [json.loads(x) for x in out.splitlines()]
    assert [(d["source"]["path"].rsplit("/", 1)[-1], len(d["events"])) for d in lines] == [
        ("a.txt", 2),
        ("e.jsonl", 1),
    ]
    assert lines[1]["events"][0]["date"] == "2023-04-04"
    skipped = [ln for ln in err.splitlines() if ln.startswith("skipped: ")]
    assert len(skipped) == 4
    assert all(str(tmp_path) in ln for ln in skipped)
    assert err.splitlines()[-1] == (
        "summary: 5 files, 2 article(s) read, 4 skipped, 3 events, 10 claims"
    )


def test_single_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    b = tmp_path / "x.bin"
    b.write_bytes(b"\x00\x01\x02\x03")
    code, out, err = run("read", str(b))
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {b}: ") and err.count("\n") == 1
    e = tmp_path / "empty.txt"
    e.write_bytes(b"")
    code, _, err = run("read", str(e))
    assert code == 1 and err.startswith(f"Error: {e}: ") and err.count("\n") == 1
    code, _, err = run("read", str(tmp_path / "missing.txt"))
    assert (code, err) == (1, f"Error: {tmp_path / 'missing.txt'}: no such file or folder\n")
    code, _, err = run("check", str(COL), "--published", "2022-02-30")
    assert (code, err) == (
        1,
        "Error: bad --published date '2022-02-30': use YYYY-MM-DD, an ISO datetime "
        "(2023-04-05T10:00:00Z) or an e-mail date (Wed, 05 Apr 2023 10:00:00 GMT)\n",
    )


def test_oversized_is_skipped(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"NATO " * 300_000)
    code, _, err = run("read", str(big), "--max-mb", "1")
    assert code == 1 and "oversized" in err and err.count("\n") == 1


def test_every_bad_record_of_one_jsonl_file_is_named(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_text(
        '{"text": "NATO invited\n[1]\n{"text": "NATO invited Sweden to join on 29 June 2022."}\n'
        '{"nope": 1}\n',
        encoding="utf-8",
    )
    code, out, err = run("read", str(f))
    assert code == 0 and "nato invite SWE 2022-06-29 (day)" in out
    assert err.splitlines() == [
        f"skipped: {f} line 1: broken JSON (Unterminated string starting at)",
        f"skipped: {f} line 2: expected a JSON object, got list",
        f"skipped: {f} line 4: no non-empty 'text' or 'html' field",
        "summary: 1 file, 1 article(s) read, 3 skipped, 1 events, 0 claims",
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('[1]\n{"nope": 1}\n', encoding="utf-8")
    assert run("read", str(bad)) == (
        1,
        "",
        f"skipped: {bad} line 1: expected a JSON object, got list\n"
        f"skipped: {bad} line 2: no non-empty 'text' or 'html' field\n"
        f"Error: {bad}: nothing readable (2 records skipped)\n",
    )


def test_check_without_a_date_says_undated_and_how_to_fix_it() -> None:
    code, out, err = run("check", "-", input=b"Saudi Arabia was designated a major non-NATO "
                         b"ally on Tuesday.\n")
    assert (code, err) == (0, "")
    src = load_ledger().timelines[("mnna", "SAU")].events[-1].sources[0]
    assert out == (
        "<stdin> (published unknown): 1 news event (1 undated), 0 background, 0 claims\n"
        "  undated: mnna designate SAU date unknown\n"
        "    text: Saudi Arabia was designated a major non-NATO ally on Tuesday.\n"
        "    why: its date rests on the publication date, which is unknown (the text gives no "
        'date of its own, or only a relative one such as "on Tuesday"); give the article\'s '
        "publication date\n"
        "    ledger: the ledger records designate of Saudi Arabia on 2026-01\n"
        f"    source: {src}\n"
        "  hint: pass --published YYYY-MM-DD (the article's publication date) to check the "
        "undated items\n"
    )


def test_check_contradicts_what_the_ledger_would_have() -> None:
    text = (
        b"Brazil, which joined NATO in 2019, said so.\n"
        b"Pakistan was stripped of its major non-NATO ally status in 2018.\n"
    )
    code, out, _ = run("check", "-", "--published", "2023-05-01", "--json", input=text)
    doc = json.loads(out)
    assert code == 0
    assert [(e["country"], e["verdict"], e["ledger"]["fact"]) for e in doc["events"]] == [
        ("BRA", "contradicted", "Brazil has never been a NATO member"),
        ("PAK", "contradicted", "Pakistan has held MNNA status since 2004-06-16, never terminated"),
    ]
    assert doc["summary"]["line"] == (
        "2 news events (all contradicted), 0 background, 0 claims"
    )


def test_check_shows_the_sentences_it_did_not_understand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import allies.check as checking

    real = checking.check

    def with_unread(reading: Any, ledger: Any = None) -> dict[str, Any]:
        doc = real(reading, ledger)
        doc["unread"] = [{"text": "NATO and [Ukraine] talked about membership.", "start": 0,
                          "end": 42}]
        return doc

    monkeypatch.setattr(checking, "check", with_unread)
    code, out, _ = run("check", "-", "--published", "2023-05-01", input=b"Nothing here.\n")
    assert code == 0
    assert out == (
        "<stdin> (published 2023-05-01): 0 news events, 0 background, 0 claims\n"
        "  not understood: 1 sentence names a framework and a country but gave no event or "
        "claim; check by hand:\n"
        "    NATO and [Ukraine] talked about membership.\n"
    )


def test_frameworks_show_what_the_record_covers() -> None:
    code, out, _ = run("frameworks", "--json")
    assert code == 0
    ledger = load_ledger()
    got = {f["id"]: f["coverage"] for f in json.loads(out)}
    assert got["mnna"] == {
        "complete": True,
        "through": str(ledger.frameworks["mnna"].complete_through),
        "steps": ["designate", "treat_as", "terminate"],
        "note": ledger.frameworks["mnna"].coverage_note,
    }
    assert got["nato"]["steps"] == ["accede", "enter_into_force"]
    code, out, _ = run("frameworks")
    for fid, cov in got.items():
        assert f"  {fid}: {cov['note']}\n" in out
