"""`allies replay`: with the ledger cut at a day, a corpus's findings surface the later real
changes; the report says which, how late, and how many false candidates came with them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.ledger import load_ledger
from allies.replay import READ_FRAMEWORKS, replay

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "review_corpus", ROOT / "benchmarks" / "review_corpus.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("replay") / "news.jsonl"
    corpus_module().write(path, copies=(20, 40), filler=60)
    return path


def test_synthetic_corpus_surfaces_every_later_change(corpus: Path) -> None:
    rep = replay([corpus], "2025-11-01")
    later = [e.id for e in load_ledger().events
             if "2025-11-01" < e.date.start.isoformat() <= "2026-03-01"
             and e.framework in READ_FRAMEWORKS and e.country != "*"]
    assert [c["event"] for c in rep["changes"]] == later and len(later) == 5
    assert all(c["surfaced"] for c in rep["changes"])
    assert all(c["days_after"] is not None and 0 <= c["days_after"] <= 31
               for c in rep["changes"])
    s = rep["summary"]
    assert (s["recall"], s["false_candidates"], s["goals_met"]) == (1.0, 0, True)


def test_cut_after_the_changes_finds_nothing_to_add(corpus: Path) -> None:
    rep = replay([corpus], "2026-02-01")
    assert rep["changes"] == [] and rep["summary"]["candidates"] == 0


def test_replay_cli_report(corpus: Path) -> None:
    r = CliRunner().invoke(cli, ["replay", "--known-through", "2025-11-01", str(corpus)],
                           obj={})
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[-1] == (
        "surfaced 5 of 5 real changes (100%); 0 false candidate(s), 0.00 per true one; goals: "
        ">= 90 % surfaced, <= 1 false per true: met")
    r = CliRunner().invoke(cli, ["replay", "--known-through", "2025-11-01", str(corpus),
                                 "--json"], obj={})
    assert json.loads(r.stdout)["summary"]["surfaced"] == 5


@pytest.mark.skipif(not any(SHARED.glob("*/docs")),
                    reason="no real-news corpora beside the repository")
def test_real_corpora_replay_runs(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "replay_real", ROOT / "benchmarks" / "replay_real.py")
    assert spec is not None and spec.loader is not None
    sys.path.insert(0, str(ROOT / "benchmarks"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    dirs = sorted(p.parent for p in SHARED.glob("*/docs"))
    n = mod.to_jsonl(dirs, tmp_path / "real.jsonl")
    rep = replay([tmp_path / "real.jsonl"], "2022-01-01", window=730)
    assert rep["articles"] == n and rep["summary"]["changes"] > 0
    assert rep["summary"]["candidates"] >= rep["summary"]["surfaced"]


def test_replay_bad_cut_is_one_line(corpus: Path) -> None:
    r = CliRunner().invoke(cli, ["replay", "--known-through", "soon", str(corpus)], obj={})
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1 and "soon" in r.stderr
