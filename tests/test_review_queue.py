"""The review queue: findings become candidates, syndicated copies are one source, a reviewer
accepts (the event lands in the user's events file and in every answer) or rejects, and every
decision is in the audit log."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from allies.cli import cli
from allies.errors import AlliesError
from allies.ledger import load_ledger
from allies.review import Conflict, Store, read_audit
from review_helpers import OTHER, WIRE, doc, syndicated  # noqa: E402


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={}, env=env)
    return r.exit_code, r.stdout, r.stderr


def test_syndicated_copies_are_one_source_with_many_urls(tmp_path: Path) -> None:
    docs = syndicated(30) + [doc(OTHER, "https://www.state.gov/vietnam-mnna")]
    with Store(tmp_path / "q.sqlite") as s:
        counts = s.import_docs(docs)
        [c] = s.list()
        full = s.get(c["id"])
    assert counts["new_candidates"] == 1 and counts["added"] == 31
    assert (c["kind"], c["framework"], c["country"], c["action"]) == (
        "new_event", "mnna", "VNM", "designate")
    assert (c["sources"], c["urls"], c["official"]) == (2, 31, True)
    assert sorted(len(st["urls"]) for st in full["stories"]) == [1, 30]
    assert any(WIRE.split(",")[0] in e for st in full["stories"] for e in st["evidence"])


def test_reimport_is_idempotent_and_far_dates_split(tmp_path: Path) -> None:
    with Store(tmp_path / "q.sqlite") as s:
        s.import_docs(syndicated(3))
        again = s.import_docs(syndicated(3))
        late = doc(WIRE, "https://late.example/a", published="2026-06-12")
        s.import_docs([late])
        cands = s.list()
    assert again == {"findings": 3, "added": 0, "already_queued": 3, "new_candidates": 0}
    assert sorted((c["date_lo"], c["sources"]) for c in cands) == [
        ("2026-03-04", 1), (late["events"][0]["date"], 1)]


def test_confirmed_findings_only_add_new_sources(tmp_path: Path) -> None:
    known = load_ledger().timelines[("mnna", "PER")].events[-1]
    text = "President Trump on Wednesday designated Peru as a major non-NATO ally."
    new = doc(text, "https://news.example/peru", published="2026-01-15")
    old = doc(text, known.sources[0], published="2026-01-15")
    assert new["events"][0]["verdict"] == "confirmed"
    with Store(tmp_path / "q.sqlite") as s:
        s.import_docs([new, old])
        [c] = s.list()
    assert (c["kind"], c["ledger_event"], c["urls"]) == ("add_sources", known.id, 1)


def test_accept_lands_in_events_file_answers_and_audit(tmp_path: Path) -> None:
    store, data = tmp_path / "q.sqlite", tmp_path / "mine.csv"
    with Store(store) as s:
        s.import_docs(syndicated(4) + [doc(OTHER, "https://www.state.gov/vn")])
        [c] = s.list()
    code, out, err = run("--data", str(data), "review", "--store", str(store), "accept",
                         str(c["id"]), "--by", "ana", "--instrument", "PD 2026-09")
    assert (code, err) == (0, "")
    assert out == f"accepted candidate {c['id']}: mnna-vnm-designate-2026 (2026-03-04) " \
                  f"written to {data}\n"
    code, out, _ = run("--data", str(data), "status", "vietnam", "--on", "2026-03-10",
                       "--json")
    [st] = json.loads(out)["statuses"]
    assert (st["framework"], st["state"], st["since"]) == ("mnna", "active", "2026-03-04")
    ev = st["events"][-1]
    assert ev["sources"][0] == "https://www.state.gov/vn" and len(ev["sources"]) == 5
    assert ev["confidence"] == "high" and ev["instrument"] == "PD 2026-09"
    code, out, _ = run("--data", str(data), "members", "mnna", "--on", "2026-03-10", "--json")
    assert "VNM" in [m["iso3"] for m in json.loads(out)["members"]]
    [entry] = read_audit(str(store) + ".audit.jsonl")
    assert (entry["decision"], entry["by"], entry["candidate"]) == ("accept", "ana", c["id"])
    assert entry["event"]["recorded_by"] == "ana" and entry["event"]["recorded_at"].endswith("Z")
    row = load_ledger(data).timelines[("mnna", "VNM")].events[0]
    assert row.user and row.recorded_by == "ana" and row.recorded_at is not None
    # the record's own history: the day before it was recorded, the ledger did not know it
    before = (row.recorded_at.date() - dt.timedelta(days=1)).isoformat()
    code, out, err = run("--data", str(data), "status", "vietnam", "--on", "2026-03-10",
                         "--as-known-on", before, "--json")
    assert code == 0 and json.loads(out)["statuses"] == []
    assert err.startswith(f"note: as the ledger stood on {before}:")


def test_second_decision_is_a_one_line_conflict(tmp_path: Path) -> None:
    store = tmp_path / "q.sqlite"
    with Store(store) as s:
        s.import_docs(syndicated(2))
        [c] = s.list()
    assert run("review", "--store", str(store), "reject", str(c["id"]), "--by", "bo",
               "--reason", "a proposal, not a step") == (0, f"rejected candidate {c['id']}\n", "")
    code, out, err = run("--data", str(tmp_path / "m.csv"), "review", "--store", str(store),
                         "accept", str(c["id"]))
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: candidate {c['id']} was already rejected by bo at ")
    assert err.count("\n") == 1 and not (tmp_path / "m.csv").exists()
    assert [e["decision"] for e in read_audit(str(store) + ".audit.jsonl")] == ["reject"]


def test_two_reviewers_at_once_both_land_or_conflict(tmp_path: Path) -> None:
    store, data = tmp_path / "q.sqlite", tmp_path / "mine.csv"
    with Store(store) as s:
        s.import_docs(syndicated(2))
        s.import_docs([doc(WIRE.replace("Vietnam", "Indonesia"), "https://x.example/id")])
        ids = [c["id"] for c in s.list()]
    assert len(ids) == 2
    results: list[str] = []

    def accept(cid: int, who: str) -> None:
        with Store(store) as s:
            try:
                s.accept(cid, data, who)
                results.append(f"ok {cid}")
            except Conflict:
                results.append(f"conflict {cid}")

    threads = [threading.Thread(target=accept, args=(cid, f"r{i}"))
               for i, cid in enumerate([ids[0], ids[1], ids[0], ids[1]])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted([f"ok {ids[0]}", f"ok {ids[1]}", f"conflict {ids[0]}",
                                      f"conflict {ids[1]}"])
    L = load_ledger(data)
    assert ("mnna", "VNM") in L.timelines and ("mnna", "IDN") in L.timelines


def test_corrupt_and_newer_stores_get_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database, just text" * 100)
    code, out, err = run("review", "--store", str(bad), "list")
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: review store '{bad}' is not a usable SQLite file")
    assert err.count("\n") == 1
    newer = tmp_path / "newer.sqlite"
    Store(newer).close()
    db = sqlite3.connect(newer)
    db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.commit()
    db.close()
    code, out, err = run("review", "--store", str(newer), "list")
    assert (code, err) == (1, f"Error: review store '{newer}' has schema version 99, newer "
                              "than this allies knows (1); upgrade allies to use it\n")


def test_default_store_is_in_the_user_data_folder(tmp_path: Path) -> None:
    code, out, _ = run("review", "list", env={"XDG_DATA_HOME": str(tmp_path)})
    assert (code, out) == (0, "no open candidates\n")
    assert (tmp_path / "allies" / "review.sqlite").is_file()


def test_accept_needs_an_events_file(tmp_path: Path) -> None:
    store = tmp_path / "q.sqlite"
    with Store(store) as s:
        s.import_docs(syndicated(1))
    code, _, err = run("review", "--store", str(store), "accept", "1", env={"ALLIES_DATA": ""})
    assert code == 1 and "give it as 'allies --data FILE review accept ID'" in err
    with Store(store) as s, pytest.raises(AlliesError, match="--reason"):
        s.reject(1, "x", " ")


def test_scan_queue_feeds_the_store(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    lines = [json.dumps({"url": f"https://o{i}.example/s", "published": "2026-03-05",
                         "text": WIRE}) for i in range(5)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "q.sqlite"
    code, out, err = run("scan", str(corpus), "--queue", "--store", str(store),
                         "-o", str(tmp_path / "found.jsonl"))
    assert code == 0, err
    assert err.splitlines()[-1] == (f"queued 5 finding(s) (0 already queued) into 1 new "
                                    f"candidate(s); store {store}")
    found = [json.loads(x) for x in (tmp_path / "found.jsonl").read_text().splitlines()]
    # inside the ledger's complete coverage a designation it lacks is contradicted
    assert all("text_minhash" not in d and d["summary"]["contradicted"] == 1 for d in found)
    code, out, _ = run("review", "--store", str(store), "list", "--json")
    [c] = json.loads(out)
    assert (c["country"], c["sources"], c["urls"]) == ("VNM", 1, 5)
    # the same output, imported again, adds nothing
    code, _, err = run("review", "--store", str(store), "import", str(tmp_path / "found.jsonl"))
    assert code == 0 and err.startswith("queued 0 finding(s) (5 already queued)")


def test_old_or_unplaceable_steps_are_not_news(tmp_path: Path) -> None:
    old = doc("In March 2019 the United States designated Vietnam as a major non-NATO ally.",
              "https://old.example/a", published="2026-03-05")
    undated = doc(WIRE, "https://undated.example/a", published="")
    assert [e["verdict"] for e in old["events"]] == ["contradicted"]
    assert undated["events"] and undated["published"] is None
    with Store(tmp_path / "q.sqlite") as s:
        counts = s.import_docs([old, undated])
    assert counts == {"findings": 0, "added": 0, "already_queued": 0, "new_candidates": 0}


def test_dask_findings_queue_as_one_process(tmp_path: Path) -> None:
    from allies.scan import Options, scan

    corpus = tmp_path / "news.jsonl"
    rows = [{"url": f"https://o{i}.example/s", "published": "2026-03-05",
             "text": WIRE if i % 3 else OTHER} for i in range(12)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    lists = []
    for name, kw in (("one", {}), ("dask", {"scheduler": "local", "workers": 2})):
        _, results = scan([corpus], shard_bytes=800, opts=Options(check=True, sign=True),
                          **kw)  # type: ignore[arg-type]
        with Store(tmp_path / f"{name}.sqlite") as s:
            for r in results:
                s.import_docs(r.docs)
            lists.append([{k: c[k] for k in ("kind", "country", "date_lo", "sources", "urls")}
                          for c in s.list()])
    assert lists[0] == lists[1] == [{"kind": "new_event", "country": "VNM",
                                     "date_lo": "2026-03-04", "sources": 2, "urls": 12}]


@pytest.mark.parametrize("content, message", [
    ("{not json\n", "line 1: broken JSON"),
    ('{"events": 3}\n', "line 1: not an article's findings"),
])
def test_bad_findings_files_are_one_line_errors(tmp_path: Path, content: str,
                                                message: str) -> None:
    bad = tmp_path / "found.jsonl"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run("review", "--store", str(tmp_path / "q.sqlite"), "import", str(bad))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"Error: {bad} {message}")
