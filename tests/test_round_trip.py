"""Export the events, edit the file, load it back with --data."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from allies.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def exported(tmp_path: Path) -> Path:
    out = tmp_path / "events.csv"
    assert run("export", "--format", "csv", "-o", str(out))[0] == 0
    return out


def test_unedited_export_loads_as_the_same_ledger(tmp_path: Path) -> None:
    f = exported(tmp_path)
    assert json.loads(run("--data", str(f), "history", "COL", "--json")[1]) == json.loads(
        run("history", "COL", "--json")[1]
    )
    code, out, _ = run("--data", str(f), "validate")
    assert code == 0 and out.startswith("ok: ")


def test_edited_and_added_rows_take_effect(tmp_path: Path) -> None:
    f = exported(tmp_path)
    lines = f.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("mnna-col-designate-2022,"))
    lines[i] = lines[i].replace(",2022-05-23,", ",2022-05-25,")
    lines.append("mine-ind-1,mnna,IND,announce_intent,,2025-02-01,,,,reported,low,,,"
                 "https://e.org/ind,,day,India")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("--data", str(f), "status", "COL", "--on", "2022-05-24", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["statuses"][0]["state"] == "announced"  # the edit moved the day
    code, out, _ = run("--data", str(f), "status", "IND", "--on", "2025-03-01", "--json")
    s = json.loads(out)["statuses"][0]
    assert (s["framework"], s["state"], s["events"][0]["from_user_file"]) == (
        "mnna", "announced", f"{f} line {len(lines)}"
    )


def test_a_bad_edited_row_is_named(tmp_path: Path) -> None:
    f = exported(tmp_path)
    lines = f.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("mnna-col-designate-2022,"))
    lines[i] = lines[i].replace(",2022-05-23,", ",2022-05-32,")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("--data", str(f), "validate")
    assert (code, out) == (1, "")
    assert err == (f"Error: {f} line {i + 1}, column date: bad date '2022-05-32': use "
                   "YYYY-MM-DD, YYYY-MM or YYYY\n")
