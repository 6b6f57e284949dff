"""The CLI: whole-output comparisons and one-line errors with exit code 1."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.ledger import load_ledger

GOLDEN = Path(__file__).parent / "golden"
L = load_ledger()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={}, env=env)
    return r.exit_code, r.stdout, r.stderr


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ALLIES_UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_narrow_tables_drop_optional_columns_not_key_facts() -> None:
    code, out, _ = run("status", "COL", "--on", "2022-04-01", env={"COLUMNS": "60"})
    assert code == 0
    assert "│ announced │ 2022-03-10 " in out and "sources" not in out
    code, out, _ = run("history", "AFG", env={"COLUMNS": "60"})
    assert "│ 2022-07-06 " in out and "instrument" not in out


def test_low_confidence_dates_are_marked() -> None:
    code, out, _ = run("status", "PER", "--on", "2000-01-01")
    assert code == 0 and "1948-12-03 (day) ~" in out
    assert "~ low confidence: the date is inferred or thinly sourced" in out
    code, out, _ = run("status", "COL", "--on", "2000-01-01")
    assert "~" not in out


def test_piped_tables_follow_columns() -> None:
    def table_width(out: str) -> int:
        return max(len(line) for line in out.splitlines() if line[:1] in "┏┃┡│└")

    code, out, _ = run("status", "USA", env={"COLUMNS": "70"})
    assert code == 0
    assert table_width(out) <= 70
    code, out, _ = run("status", "USA")
    assert 70 < table_width(out) <= 120


def test_status_json_shape() -> None:
    code, out, _ = run("status", "COL", "--on", "2022-04-01", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc == L.status("COL", "2022-04-01")
    assert doc["country"] == {"iso3": "COL", "name": "Colombia"}
    assert doc["on"] == "2022-04-01"
    mnna = [s for s in doc["statuses"] if s["framework"] == "mnna"][0]
    assert (mnna["state"], mnna["since"]) == ("announced", "2022-03-10")
    assert {"action", "date", "precision", "sources"} <= set(mnna["events"][0])
    assert doc["security_guarantee"]["value"] is True
    assert doc["security_guarantee"]["via"] == ["rio"]


def test_members_json_shape() -> None:
    code, out, _ = run("members", "mnna", "--on", "2026-11-28", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["framework"] == "mnna" and doc["on"] == "2026-11-28"
    assert {"iso3": "ARG", "name": "Argentina", "state": "active"}.items() <= doc["members"][
        0
    ].items()
    assert doc == L.members("mnna", "2026-11-28")


@pytest.mark.parametrize(
    "args,name",
    [
        (("status", "colombia", "--on", "2022-06-01"), "status_colombia_2022-06-01.txt"),
        (("members", "nato", "--on", "2023-04-04"), "members_nato_2023-04-04.txt"),
        (("members", "mnna", "--on", "2026-11-28"), "members_mnna_2026-11-28.txt"),
        (("history", "Afghanistan"), "history_afghanistan.txt"),
        (("changes", "--since", "2022-01-01", "--until", "2022-12-31"), "changes_2022.txt"),
    ],
)
def test_tables(args: tuple[str, ...], name: str) -> None:
    code, out, err = run(*args)
    assert (code, err) == (0, "")
    golden(name, out)


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ("status", "Atlantis"),
            "Error: unknown country 'Atlantis' (use a name, ISO2/ISO3 code or demonym)\n",
        ),
        (
            ("status", "Kolombia"),
            "Error: unknown country 'Kolombia'; did you mean Colombia? "
            "(use a name, ISO2/ISO3 code or demonym)\n",
        ),
        (
            ("status", "COL", "--on", "2022-02-30"),
            "Error: bad --on date '2022-02-30': use YYYY-MM-DD (a real calendar day), "
            "YYYY-MM or YYYY, e.g. 2022-04-01\n",
        ),
        (
            ("members", "csto"),
            "Error: unknown framework 'csto'; choose one of: "
            "mnna, nato, rio, anzus, us-ph, us-jp, us-kr, us-roc, manila\n",
        ),
        (
            ("changes", "--since", "2023-01-01", "--until", "2022-01-01"),
            "Error: --until 2022-01-01 is before --since 2023-01-01; swap them\n",
        ),
        (
            ("export", "--format", "sqlite"),
            "Error: --format sqlite needs -o FILE (a SQLite file is binary, not for stdout)\n",
        ),
        (
            ("export", "--format", "sqlite", "-o", "-"),
            "Error: --format sqlite needs -o FILE (a SQLite file is binary, not for stdout)\n",
        ),
        (
            ("export", "-o", "/"),
            "Error: cannot write '/': it is a folder; give a file path such as '/allies.csv'\n",
        ),
        (
            ("status",),
            "Error: Missing argument 'COUNTRY'. (see 'allies status --help')\n",
        ),
        (
            ("status", "COL", "--bogus"),
            "Error: No such option '--bogus'. (see 'allies status --help')\n",
        ),
        (
            ("frobnicate",),
            "Error: No such command 'frobnicate'. (see 'allies --help')\n",
        ),
        (
            ("read", "-", "--max-mb", "-1"),
            "Error: Invalid value for '--max-mb': '-1': give a finite number of megabytes "
            "above 0 (see 'allies read --help')\n",
        ),
        (
            ("check", "-", "--max-mb", "nan"),
            "Error: Invalid value for '--max-mb': 'nan': give a finite number of megabytes "
            "above 0 (see 'allies check --help')\n",
        ),
        (
            ("changes", "--since", "2999-01-01"),
            f"Error: --since 2999-01-01 is after today ({dt.date.today()}): nothing has "
            "happened yet; give an earlier --since, or --until for recorded future events\n",
        ),
    ],
)
def test_one_line_errors(args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out, err) == (1, "", message)


def test_export_file_is_readable_by_others(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    old = os.umask(0o022)
    try:
        code, _, err = run("export", "-o", str(out))
    finally:
        os.umask(old)
    assert (code, err) == (0, f"wrote {out}\n")
    assert out.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]  # no temp file left


def test_no_arguments_prints_help() -> None:
    code, out, err = run()
    assert (code, err) == (0, "")
    assert out.startswith("Usage: allies [OPTIONS] COMMAND [ARGS]...")


def test_version_names_code_data_hash_and_coverage() -> None:
    code, out, _ = run("--version")
    info = L.info
    assert code == 0
    complete = [f.id for f in L.frameworks.values() if f.complete_through is not None]
    assert complete == list(L.frameworks)  # every bundled framework declares its coverage
    through = {str(f.complete_through) for f in L.frameworks.values()}
    assert through == {info.data_version.replace(".", "-")}  # the data version's day
    assert out == (
        f"allies {info.code_version}, data {info.data_version}, content hash "
        f"{info.content_hash}, {info.events} events, last event {info.last_event}\n"
        f"complete through {through.pop()}: {', '.join(complete)}\n"
    )


def test_validate_ok() -> None:
    code, out, _ = run("validate")
    assert code == 0 and out.startswith(
        f"ok: {len(L.events)} events in {len(L.frameworks)} frameworks"
    )


HEADER = (
    "id,framework,country,action,intent_of,date,alt_dates,layer,instrument,basis,"
    "confidence,disputed,sources,note\n"
)


def test_user_data_file_adds_events(tmp_path: Path) -> None:
    f = tmp_path / "mine.csv"
    f.write_text(
        HEADER + "my-ind-intent,mnna,IND,announce_intent,,2026-11-01,,,,reported,low,,"
        "https://example.org/ind,hypothetical\n",
        encoding="utf-8",
    )
    code, out, _ = run("--data", str(f), "status", "India", "--on", "2026-11-20", "--json")
    assert code == 0
    st = json.loads(out)["statuses"][0]
    assert st["state"] == "announced"
    assert st["events"][0]["from_user_file"] == f"{f} line 2"
    code, out, _ = run("--data", str(f), "status", "India", "--on", "2026-11-20")
    assert f"Includes your own events (--data): my-ind-intent ({f} line 2)" in out
    code, out, _ = run("status", "Colombia", "--json")
    assert "from_user_file" not in out
    code, out, _ = run(
        "status", "India", "--on", "2026-11-20", "--json", env={"ALLIES_DATA": str(f)}
    )
    assert json.loads(out)["statuses"][0]["state"] == "announced"


@pytest.mark.parametrize(
    "row,message",
    [
        (
            "x1,mnna,COL,designate,,2022-02-30,,title22,,reported,high,,https://e.org/x,",
            "column date: bad date '2022-02-30': use YYYY-MM-DD, YYYY-MM or YYYY",
        ),
        (
            "x1,mnna,XXX,announce_intent,,2022-02-01,,,,reported,high,,https://e.org/x,",
            "column country: 'XXX' is not an ISO3 code (or * for the whole treaty)",
        ),
        ("x1,mnna,IND,announce_intent,,2022-02-01,,,,reported,high,,,", "column sources: is empty"),
        (
            "x1,mnna,IND,accede,,2022-02-01,,,,reported,high,,https://e.org/x,",
            "column action: 'accede' is not an action of designation 'mnna'; use one of "
            "announce_consideration, announce_intent, announce_termination, ceremony, designate, "
            "notify_congress, terminate, treat_as",
        ),
        (
            "x1,mnna,IND,announce_intent,,2099-01-01,,,,reported,high,,https://e.org/x,",
            "column date: 2099-01-01 is in the future",
        ),
    ],
)
def test_bad_user_rows_name_file_line_column(tmp_path: Path, row: str, message: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + row + "\n", encoding="utf-8")
    code, out, err = run("--data", str(f), "validate")
    assert (code, out) == (1, "")
    assert err == f"Error: {f} line 2, {message}\n"


def test_lifecycle_order_is_checked(tmp_path: Path) -> None:
    f = tmp_path / "order.csv"
    f.write_text(
        HEADER + "x1,mnna,IND,terminate,,2022-02-01,,title22,,reported,high,,https://e.org/x,\n",
        encoding="utf-8",
    )
    code, _, err = run("--data", str(f), "validate")
    assert code == 1
    assert err == (
        f"Error: {f} line 2: terminate of IND in mnna on 2022-02-01 comes while its "
        "state is 'none' (check the lifecycle order)\n"
    )


def test_binary_and_missing_data_files(tmp_path: Path) -> None:
    b = tmp_path / "bin.csv"
    b.write_bytes(b"\x00\x01\x02\xff")
    code, _, err = run("--data", str(b), "validate")
    assert (code, err) == (1, f"Error: data file '{b}' is not UTF-8 text; save it as UTF-8 CSV\n")
    code, _, err = run("--data", str(tmp_path / "nope.csv"), "validate")
    assert code == 1 and err.startswith(f"Error: cannot read data file '{tmp_path / 'nope.csv'}'")


def test_export_csv_json_panel_sqlite(tmp_path: Path) -> None:
    code, out, _ = run("export", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("id,framework,country,action") and len(lines) == len(L.events) + 1
    code, out, _ = run("export", "--format", "json")
    doc = json.loads(out)
    assert len(doc["events"]) == len(L.events) and doc["version"] == L.info.to_dict()
    db = tmp_path / "allies.sqlite"
    code, _, _ = run("export", "--format", "sqlite", "-o", str(db))
    assert code == 0
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from events").fetchone()[0] == len(L.events)
    assert con.execute(
        "select date from events where country='COL' and framework='mnna' and action='designate'"
    ).fetchone() == ("2022-05-23",)


def test_future_day_is_answered_with_a_warning() -> None:
    code, out, err = run("members", "nato", "--on", "2999-01-01", "--json")
    assert code == 0 and json.loads(out) == L.members("nato", "2999-01-01")
    assert err == (
        "note: --on 2999-01-01 is in the future; the answer assumes nothing changes after today\n"
    )


def test_unterminated_quote_in_a_data_file_is_named(tmp_path: Path) -> None:
    head = (Path(__file__).parent.parent / "src/allies/data/events.csv").read_text(
        encoding="utf-8"
    ).splitlines()[0]
    f = tmp_path / "mine.csv"
    f.write_text(
        head + "\n"
        'x1,mnna,COL,designate,,2022-05-23,,title22,"PD 2022-14,reported,high,,,https://e.org/x,\n'
        "x2,mnna,PER,designate,,2026-01-01,,title22,,reported,high,,,https://e.org/y,\n",
        encoding="utf-8",
    )
    assert run("--data", str(f), "validate") == (
        1,
        "",
        f"Error: {f} line 2, column instrument: unterminated quote (the field runs on to "
        "line 3); close the quote\n",
    )


def test_long_inputs_are_clipped_in_errors() -> None:
    code, out, err = run("status", "x" * 5000, "--on", "2" * 5000)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and len(err) < 200 and "…" in err
