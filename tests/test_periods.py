"""--on, --since and --until take a month or a year as well as a day."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.errors import BadDate
from allies.ledger import load_ledger

L = load_ledger()


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def test_a_year_is_the_state_at_its_end_plus_its_changes() -> None:
    res = L.status("Colombia", "2022")
    assert res["on"] == "2022-12-31"
    assert res["period"] == {"from": "2022-01-01", "until": "2022-12-31", "precision": "year"}
    assert [(e["date"], e["action"]) for e in res["changes"]] == [
        ("2022-03-10", "announce_intent"), ("2022-04-21", "notify_congress"),
        ("2022-05-23", "designate"),
    ]
    day = L.status("Colombia", "2022-12-31")
    assert res["statuses"] == day["statuses"] and "period" not in day


def test_a_month_for_members_and_entails() -> None:
    res = L.members("nato", "2023-04")
    assert res["on"] == "2023-04-30" and res["count"] == 31
    assert [(e["country"], e["action"]) for e in res["changes"]] == [("FIN", "accede")]
    ent = L.entails("COL", "2022-05")
    assert ent["on"] == "2022-05-31" and ent["period"]["precision"] == "month"
    assert "mnna" in [f["framework"] for f in ent["frameworks"]]


def test_changes_take_periods() -> None:
    res = L.changes("2022", "2022-03")
    assert (res["since"], res["until"]) == ("2022-01-01", "2022-03-31")
    assert res["events"] == L.changes("2022-01-01", "2022-03-31")["events"]


def test_cli_prints_the_changes_under_the_table() -> None:
    code, out, err = run("status", "colombia", "--on", "2022")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("Colombia (COL) on 2022-12-31")
    assert out.endswith(
        "Changes from 2022-01-01 to 2022-12-31:\n"
        "  2022-03-10 mnna announce_intent\n"
        "  2022-04-21 mnna notify_congress (designate)\n"
        "  2022-05-23 mnna designate\n"
    )
    code, out, _ = run("members", "nato", "--on", "2023-04", "--json")
    assert json.loads(out) == L.members("nato", "2023-04")


@pytest.mark.parametrize("args,message", [
    (("status", "COL", "--on", "2022-13"),
     "Error: bad --on date '2022-13': use YYYY-MM-DD (a real calendar day), YYYY-MM or YYYY, "
     "e.g. 2022-04-01\n"),
    (("changes", "--since", "2023", "--until", "2022"),
     "Error: --until 2022-12-31 is before --since 2023-01-01; swap them\n"),
])
def test_cli_errors_name_the_flag(args: tuple[str, ...], message: str) -> None:
    assert run(*args) == (1, "", message)


def test_library_errors_name_the_parameter() -> None:
    with pytest.raises(BadDate) as e:
        L.status("COL", "2022-13")
    assert str(e.value).startswith("bad 'on' date '2022-13'") and "--" not in str(e.value)
    with pytest.raises(Exception) as e2:
        L.changes("2023", "2022")
    assert str(e2.value) == "until 2022-12-31 is before since 2023-01-01; swap them"
