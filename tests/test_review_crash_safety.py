"""`allies review accept` killed with SIGKILL at random points: the events file is the old one
or the new one, never partial; the audit log holds every decision that reported success; a
rerun finishes the decision without writing the row twice."""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from allies.review import Store, read_audit  # noqa: E402
from review_helpers import syndicated  # noqa: E402

RUNS = 50
BUDGET_S = 180  # the whole test stops killing after this (bounded time)
OLD = ("id,framework,country,action,intent_of,date,alt_dates,layer,instrument,basis,"
       "confidence,disputed,dispute,sources,note,recorded_at,recorded_by\n"
       "mnna-idn-announce_intent-2026,mnna,IDN,announce_intent,,2026-02-01,,,,reported,low,,,"
       "https://example.org/idn,,2026-02-02T00:00:00Z,ana\n")


def accept_cmd(store: Path, data: Path) -> list[str]:
    return [sys.executable, "-m", "allies", "--data", str(data), "review", "--store",
            str(store), "accept", "1", "--by", "kim"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_accept_never_leaves_a_partial_file(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.mkdir()
    with Store(template / "q.sqlite") as s:
        s.import_docs(syndicated(3))
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # one undisturbed run: how long an accept takes, and what the new file is
    clean = tmp_path / "clean"
    shutil.copytree(template, clean)
    (clean / "mine.csv").write_text(OLD, encoding="utf-8")
    t0 = time.monotonic()
    done = subprocess.run(accept_cmd(clean / "q.sqlite", clean / "mine.csv"), env=env,
                          capture_output=True, text=True, timeout=120)
    took = time.monotonic() - t0
    assert done.returncode == 0, done.stderr
    new = (clean / "mine.csv").read_text(encoding="utf-8")
    assert new.startswith(OLD) and new.count("\n") == 3
    rng = random.Random(13)
    start, killed, finished = time.monotonic(), 0, 0
    for i in range(RUNS):
        if time.monotonic() - start > BUDGET_S:
            break
        run = tmp_path / f"run{i}"
        shutil.copytree(template, run)
        data, store = run / "mine.csv", run / "q.sqlite"
        data.write_text(OLD, encoding="utf-8")
        p = subprocess.Popen(accept_cmd(store, data), env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.3 * took, 1.1 * took))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate(timeout=60)
        reported = p.returncode == 0 and out.startswith("accepted candidate 1")
        text = data.read_text(encoding="utf-8")
        assert text in (OLD, new.replace(_row_time(new), _row_time(text)) if text != OLD
                        else OLD), f"run {i}: partial events file"
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) in (1, 2)
        decisions = [e for e in read_audit(str(store) + ".audit.jsonl")
                     if e["decision"] == "accept"]
        if reported:
            finished += 1
            assert len(decisions) == 1 and len(rows) == 2
        else:
            killed += 1
        if i % 5 == 0:  # a rerun finishes the decision, with exactly one new row
            again = subprocess.run(accept_cmd(store, data), env=env, capture_output=True,
                                   text=True, timeout=120)
            assert again.returncode == 0 or "was already accepted" in again.stderr, again.stderr
            rows = list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))
            assert len(rows) == 2
            assert len([e for e in read_audit(str(store) + ".audit.jsonl")
                        if e["decision"] == "accept"]) >= 1
        shutil.rmtree(run)
    print(f"{killed} killed, {finished} finished, {time.monotonic() - start:.0f} s")
    assert killed + finished >= min(RUNS, 20) and killed > 0


def _row_time(text: str) -> str:
    """The accepted row's recorded_at (each run records its own time)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows[-1]["recorded_at"] if len(rows) > 1 else ""
