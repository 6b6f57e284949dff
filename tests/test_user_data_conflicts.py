"""A `--data` row that conflicts with the bundled data is reported against the user's file
(the row its author can change), not only against the bundled one."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from allies.cli import cli

HEADER = (
    "id,framework,country,action,intent_of,date,alt_dates,layer,instrument,basis,confidence,"
    "disputed,dispute,sources,note\n"
)


def _errors(tmp_path: Path, row: str) -> list[str]:
    f = tmp_path / "mine.csv"
    f.write_text(HEADER + row + "\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["--data", str(f), "status", "finland"], obj={})
    assert r.exit_code == 1
    return r.stderr.splitlines()


def test_the_same_fact_as_a_bundled_row_names_the_users_row(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path, "my-fin,nato,FIN,accede,,2023-04-04,,,,reported,high,,,https://example.org/a,x"
    )
    assert errors[0].startswith(
        f"Error: {tmp_path / 'mine.csv'} line 2: same accede of FIN in nato on 2023-04-04 as "
        "'nato-fin-accede-2023' (events.csv line "
    )
