"""Inputs (files, folders, JSONL, HTML, stdin), bad input, and the JSON shape."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from allies.errors import BadDate, BadInput
from allies.read import read, read_bytes, read_html, read_path, read_record, read_stream

COL = (
    "US Gives Colombia Major Non-NATO Ally Status\n\n"
    "Colombia was recently designated as a major non-NATO ally by the U.S. following a "
    "meeting between the two countries' presidents. After the March 10 meeting, Biden "
    "announced that the U.S. would grant Colombia major non-NATO ally status. MNNAs include "
    "Israel, Australia, New Zealand, Tunisia, Argentina, Brazil, Japan, Kuwait, the "
    "Philippines and, most recently, Qatar."
)
HTML = (
    "<html><head><title>Finland joins</title>"
    '<meta property="article:published_time" content="2023-04-04T10:00:00Z"></head>'
    "<body><nav>Home | World</nav><article><h1>Finland joins NATO</h1>"
    "<p>Finland became the 31st member of NATO on Tuesday, doubling the alliance's border "
    "with Russia.</p><p>The ceremony took place in Brussels at the alliance headquarters, "
    "where foreign ministers gathered for a two-day meeting.</p></article>"
    "<footer>(c) News</footer></body></html>"
)


def test_defining_case_shape() -> None:
    d = read(COL, "2022-03-16").to_dict()
    assert set(d) >= {"published", "events", "claims"}
    assert d["published"] == "2022-03-16"
    got = [(e["action"], e.get("intent_of"), e["date"], e["precision"]) for e in d["events"]]
    assert got == [
        ("designate", None, None, None),
        ("announce_intent", "designate", "2022-03-10", "day"),
    ]
    e = d["events"][1]
    assert set(e) >= {
        "designator",
        "framework",
        "country",
        "action",
        "intent_of",
        "date",
        "precision",
        "evidence",
        "rule",
    }
    assert (e["designator"], e["framework"], e["country"]) == ("USA", "mnna", "COL")
    assert "intent_of" not in d["events"][0]
    ev = e["evidence"]
    assert COL[ev["start"] : ev["end"]] == ev["text"]
    claims = {(c["framework"], c["country"], c["state"]) for c in d["claims"]}
    assert claims == {
        ("mnna", c, "active")
        for c in ["ISR", "AUS", "NZL", "TUN", "ARG", "BRA", "JPN", "KWT", "PHL", "QAT"]
    }
    starts = [x["evidence"]["start"] for x in d["events"]]
    assert starts == sorted(starts)
    json.dumps(d)


def test_no_date_anywhere_gives_null() -> None:
    d = read("The U.S. has designated Qatar a major non-NATO ally.").to_dict()
    assert d["published"] is None
    assert [(e["date"], e["precision"]) for e in d["events"]] == [(None, None)]


def test_list_sentence_gives_one_event_per_country() -> None:
    r = read(
        "NATO invited Bulgaria, Estonia, Latvia, Lithuania, Romania, Slovakia and "
        "Slovenia to join the alliance on Thursday.",
        "2002-11-22",
    )
    assert [(e.country, e.action, str(e.date)) for e in r.events] == [
        (c, "invite", "2002-11-21") for c in ["BGR", "EST", "LTU", "LVA", "ROU", "SVK", "SVN"]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kenya asked for major non-NATO ally status.",
        "A bill would revoke Pakistan's major non-NATO ally status.",
        "India is not a major non-NATO ally.",
        "Georgia could join NATO one day.",
        "The U.S. designated the Houthis a terrorist organization, a NATO official said.",
        "Armenia joined the CSTO in 1994.",
        "Finland joined NATO exercises in the Arctic last month.",
    ],
)
def test_no_event(text: str) -> None:
    assert read(text, "2024-01-10").events == []


def test_html_uses_metadata_date_and_extracted_text() -> None:
    r = read_html(HTML)
    assert str(r.published) == "2023-04-04"
    assert [(e.country, e.action, str(e.date)) for e in r.events] == [
        ("FIN", "accede", "2023-04-04")
    ]
    ev = r.events[0].evidence
    assert r.text[ev.start : ev.end] == ev.text
    assert "Home | World" not in r.text


def test_caller_date_wins_over_metadata() -> None:
    assert str(read_html(HTML, "2023-04-05").published) == "2023-04-05"


def test_fallback_html_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    r = read_html(HTML)
    assert [e.country for e in r.events] == ["FIN"]
    assert "Home | World" not in r.text


def test_read_path_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(COL, "utf-8")
    (tmp_path / "b.html").write_text(HTML, "utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"text": COL, "published": "2022-03-16"}))
    lines = [
        json.dumps({"text": COL, "published": "2022-03-16", "url": "https://x"}),
        "{broken",
        "",
        json.dumps({"html": HTML}),
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(lines), "utf-8")
    (tmp_path / "e.bin").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "f.txt").write_bytes(b"caf\xe9 au lait")
    (tmp_path / "g.txt").write_text("   \n", "utf-8")
    (tmp_path / "h.html").write_text("<html><head><title>x</title></head></html>", "utf-8")
    (tmp_path / ".hidden").write_text(COL, "utf-8")
    res = list(read_path(tmp_path))
    by = [(Path(r.source.path or "").name, r.source.line, r.ok) for r in res]
    assert by == [
        ("a.txt", None, True),
        ("b.html", None, True),
        ("c.json", None, True),
        ("d.jsonl", 1, True),
        ("d.jsonl", 2, False),
        ("d.jsonl", 4, True),
        ("e.bin", None, False),
        ("f.txt", None, False),
        ("g.txt", None, False),
        ("h.html", None, False),
    ]
    skipped = {
        Path(r.source.path or "").name + str(r.source.line or ""): r.skipped
        for r in res
        if not r.ok
    }
    assert "line 2: broken JSON" in (skipped["d.jsonl2"] or "")
    assert "binary" in (skipped["e.bin"] or "")
    assert "not UTF-8" in (skipped["f.txt"] or "")
    assert "empty" in (skipped["g.txt"] or "")
    assert "no body" in (skipped["h.html"] or "")
    for r in res:
        if not r.ok:
            assert "\n" not in (r.skipped or "") and str(tmp_path) in (r.skipped or "")
    assert res[3].reading is not None and res[3].reading.source.url == "https://x"
    assert res[3].to_dict()["source"]["line"] == 1


def test_oversized(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(COL, "utf-8")
    (res,) = list(read_path(f, max_bytes=100))
    assert not res.ok and "oversized" in (res.skipped or "") and "big.txt" in (res.skipped or "")


def test_missing_path() -> None:
    with pytest.raises(BadInput, match="no such file"):
        list(read_path("/nonexistent/allies-read"))


def test_stdin_sniffs_format() -> None:
    (r,) = list(read_stream(io.BytesIO(HTML.encode())))
    assert r.ok and r.reading is not None and r.reading.events[0].country == "FIN"
    (r,) = list(read_stream(io.BytesIO(COL.encode()), published="2022-03-16"))
    assert r.ok and r.reading is not None and len(r.reading.events) == 2
    (r,) = list(read_bytes(b"", "<stdin>"))
    assert r.skipped == "<stdin>: empty input"


def test_bad_arguments() -> None:
    with pytest.raises(BadInput):
        read(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(BadDate):
        read("text", "16/03/2022")
    with pytest.raises(BadInput, match="no non-empty 'text' or 'html'"):
        read_record({"title": "x"})
    with pytest.raises(BadInput, match="no body"):
        read_html("<html><head></head></html>")
    with pytest.raises(BadInput, match="empty"):
        read_html("   ")


def test_irrelevant_text_is_cheap_and_empty() -> None:
    r = read("The council approved the budget on Monday.", "2024-01-01")
    assert r.events == [] and r.claims == []
