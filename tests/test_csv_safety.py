"""CSV exports: cells a spreadsheet would run as formulas are neutralised, unless asked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from allies.cli import cli
from allies.export import safe_cell

HEAD = (Path(__file__).parent.parent / "src/allies/data/events.csv").read_text(
    encoding="utf-8"
).splitlines()[0]


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def test_formula_starts_get_a_quote() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx")] == [
        "'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx"
    ]
    plain = ("2022-05-23", "a=b", "", 0, 1)
    assert [safe_cell(v) for v in plain] == list(plain)


def hostile_file(tmp_path: Path) -> Path:
    f = tmp_path / "mine.csv"
    f.write_text(
        HEAD + "\n"
        'x-evil,mnna,IND,announce_consideration,,2020-01-14,,,"=HYPERLINK(""http://e.org"")",'
        'reported,high,,,https://e.org/x,"@cmd|\'/c calc\'!A0"\n',
        encoding="utf-8",
    )
    return f


def row_of(text: str, rid: str) -> dict[str, str]:
    return next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == rid)


def test_export_neutralises_cells_from_a_data_file(tmp_path: Path) -> None:
    f = hostile_file(tmp_path)
    code, out, _ = run("--data", str(f), "export")
    assert code == 0
    r = row_of(out, "x-evil")
    assert (r["instrument"], r["note"]) == ("'=HYPERLINK(\"http://e.org\")", "'@cmd|'/c calc'!A0")


def test_raw_cells_keeps_them_for_programs(tmp_path: Path) -> None:
    f = hostile_file(tmp_path)
    code, out, _ = run("--data", str(f), "export", "--raw-cells")
    assert code == 0
    r = row_of(out, "x-evil")
    assert (r["instrument"], r["note"]) == ("=HYPERLINK(\"http://e.org\")", "@cmd|'/c calc'!A0")


def test_neutralised_export_loads_back_unchanged(tmp_path: Path) -> None:
    f = hostile_file(tmp_path)
    out = tmp_path / "export.csv"
    assert run("--data", str(f), "export", "-o", str(out))[0] == 0
    code, js, _ = run("--data", str(out), "history", "IND", "--json")
    assert code == 0
    import json

    ev = next(e for e in json.loads(js)["events"] if e["id"] == "x-evil")
    assert (ev["instrument"], ev["note"]) == ("=HYPERLINK(\"http://e.org\")", "@cmd|'/c calc'!A0")
