"""The record's own history: every event knows when it entered the ledger, and answers can be
given as the ledger stood on a past day (`--as-known-on`, `as_known_on=`)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.errors import DataError
from allies.ledger import load_ledger
from allies.recorded import parse_recorded, release_time

HEADER = ("id,framework,country,action,intent_of,date,alt_dates,layer,instrument,basis,"
          "confidence,disputed,dispute,sources,note,recorded_at,recorded_by\n")
ROW = ("mnna-vnm-designate-2026,mnna,VNM,designate,,2026-03-04,,title22,,reported,medium,,,"
       "https://example.org/vn,,{at},ana\n")


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def bundled_releases() -> dict[str, str]:
    text = resources.files("allies").joinpath("data/recorded.csv").read_text("utf-8")
    return {r["id"]: r["release"] for r in csv.DictReader(text.splitlines())}


def test_every_bundled_event_has_the_release_that_first_had_it() -> None:
    L = load_ledger()
    releases = bundled_releases()
    assert set(releases) == {e.id for e in L.events}
    for e in L.events:
        assert e.recorded_at == release_time(releases[e.id])


def test_as_known_on_keeps_only_what_was_recorded_by_then() -> None:
    L = load_ledger()
    releases = sorted(set(bundled_releases().values()))
    first = release_time(releases[0])
    assert first is not None
    day = first.date()
    assert L.as_known_on(day - dt.timedelta(days=1)).events == []
    then = L.as_known_on(day)
    assert [e.id for e in then.events] == [
        e.id for e in L.events if bundled_releases()[e.id] == releases[0]]
    assert then.info.as_known_on == day.isoformat()
    assert len(L.as_known_on(dt.date.today()).events) == len(L.events)


def test_user_rows_carry_recorded_at_and_by(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text(HEADER + ROW.format(at="2026-03-05T10:00:00Z"), encoding="utf-8")
    L = load_ledger(data)
    [e] = L.timelines[("mnna", "VNM")].events
    assert e.recorded_at == dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC) and e.recorded_by == "ana"
    assert e.to_dict()["recorded_at"] == "2026-03-05T10:00:00Z"
    # on 2026-04-01 the record showed it; as the record stood on 2026-03-04 it did not
    code, out, err = run("--data", str(data), "--as-known-on", "2026-03-04", "status", "VNM",
                         "--on", "2026-04-01", "--json")
    assert code == 0 and json.loads(out)["statuses"] == []
    code, out, _ = run("--data", str(data), "status", "VNM", "--on", "2026-04-01",
                       "--as-known-on", "2026-03-05", "--json")
    assert [s["state"] for s in json.loads(out)["statuses"]] == ["active"]
    code, out, _ = run("--data", str(data), "members", "mnna", "--as-known-on", "2026-03-04",
                       "--on", "2026-04-01", "--json")
    assert "VNM" not in [m["iso3"] for m in json.loads(out)["members"]]


def test_bad_recorded_at_is_named(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text(HEADER + ROW.format(at="yesterday"), encoding="utf-8")
    code, out, err = run("--data", str(data), "validate")
    assert (code, out) == (1, "")
    assert err == (f"Error: {data} line 2, column recorded_at: bad time 'yesterday': use UTC "
                   "ISO 8601, e.g. 2026-12-08T09:30:00Z\n")


def test_bad_as_known_on_is_one_line() -> None:
    code, out, err = run("--as-known-on", "soon", "status", "COL")
    assert (code, out) == (1, "")
    assert err.startswith("Error: ") and err.count("\n") == 1 and "soon" in err


@pytest.mark.parametrize("text, message", [
    ("id,when\n", "recorded.csv line 1: the header must be id,release"),
    ("id,release\nnot-an-event,2026.11.28\n",
     "recorded.csv line 2, column id: 'not-an-event' is not an event of events.csv; "
     "re-run scripts/derive_recorded.py"),
    ("id,release\nx,2026-11-28\n", "recorded.csv line 2, column release: '2026-11-28': use "
                                   "YYYY.MM.DD"),
    ("id,release\nx,2026.11.28\nx,2026.11.29\n",
     "recorded.csv line 3, column id: 'x' is listed twice"),
])
def test_recorded_file_is_validated(text: str, message: str) -> None:
    with pytest.raises(DataError) as e:
        parse_recorded(text, "recorded.csv", ["x"])
    assert e.value.problems == [message]


def test_api_as_known_on(tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from allies.web import create_app

    data = tmp_path / "mine.csv"
    data.write_text(HEADER + ROW.format(at="2026-03-05T10:00:00Z"), encoding="utf-8")
    L = load_ledger(data)
    client = TestClient(create_app(L))
    now = client.get("/api/status/VNM", params={"on": "2026-04-01"}).json()
    then = client.get("/api/status/VNM", params={"on": "2026-04-01",
                                                 "as_known_on": "2026-03-04"}).json()
    assert [s["state"] for s in now["statuses"]] == ["active"] and then["statuses"] == []
    assert then.pop("cite")["permalink"].endswith("/api/status/VNM?on=2026-04-01")
    assert then == L.as_known_on("2026-03-04").status("VNM", "2026-04-01")
    m = client.get("/api/members/mnna", params={"as_known_on": "2026-03-04", "on": "2026-04-01"})
    got = m.json()
    got.pop("cite")
    assert got == L.as_known_on("2026-03-04").members("mnna", "2026-04-01")
    bad = client.get("/api/status/VNM", params={"as_known_on": "later"})
    assert bad.status_code == 400 and bad.json()["ok"] is False
