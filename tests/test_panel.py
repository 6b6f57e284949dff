"""The country-year panel: every COW state-year, names R and Stata keep, and a codebook
that cannot drift from it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

from click.testing import CliRunner

from allies.cli import cli
from allies.export import codebook_markdown, cow_spells, panel_rows
from allies.ledger import load_ledger

L = load_ledger()
DOCS = Path(__file__).parent.parent / "docs" / "codebook.md"


def export(*args: str) -> str:
    r = CliRunner().invoke(cli, ["export", *args], obj={})
    assert r.exit_code == 0, r.stderr
    return r.stdout


def panel() -> tuple[list[str], dict[tuple[int, int], dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(export("--format", "panel"))))
    header = rows[0]
    by_key = {}
    for r in rows[1:]:
        d = dict(zip(header, r, strict=True))
        key = (int(d["cow"]), int(d["year"]))
        assert key not in by_key, f"duplicate state-year {key}"
        by_key[key] = d
    return header, by_key


HEADER, ROWS = panel()


def cells(cow: int, year: int, *cols: str) -> tuple[str, ...] | None:
    row = ROWS.get((cow, year))
    return None if row is None else tuple(row[c] for c in cols)


def test_column_names_survive_r_and_stata() -> None:
    assert HEADER[:7] == ["iso3", "cow", "cow_abb", "name", "year", "partial", "is_usa"]
    for name in HEADER:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name) and len(name) <= 32, name
    assert {"us_ph", "us_jp_state", "us_roc_any"} <= set(HEADER)
    assert len(set(HEADER)) == len(HEADER)


def test_every_cow_state_year_is_a_row() -> None:
    today = dt.date.today()
    want = set()
    for sp in cow_spells():
        last = today.year if sp.end is None else sp.end.year
        want |= {(sp.ccode, y) for y in range(max(1947, sp.start.year), last + 1)}
    assert set(ROWS) == want
    assert len({r["iso3"] for r in ROWS.values() if r["iso3"]}) > 180  # not only the 73 in events


def test_zeros_where_a_state_had_no_status() -> None:
    assert cells(750, 1990, "iso3", "nato", "rio", "mnna", "mnna_state") == (
        "IND", "0", "0", "0", "none"
    )
    # a state with no ISO3 code and no event: the GDR
    assert cells(265, 1960, "iso3", "name", "nato", "nato_state") == (
        "", "German Democratic Republic", "0", "none"
    )
    # empty only before a framework's first recorded event
    assert cells(100, 1950, "mnna", "rio") == ("", "1")
    assert cells(100, 2022, "mnna", "rio", "iso3") == ("1", "1", "COL")


def test_rows_follow_state_system_membership() -> None:
    assert cells(501, 1962, "nato") is None  # Kenya became independent in December 1963
    assert cells(501, 1963, "iso3", "nato", "nato_state") == ("KEN", "0", "none")
    assert cells(317, 1992, "nato") is None
    assert cells(317, 2004, "nato", "nato_state") == ("1", "active")
    assert cells(260, 1954, "nato") is None
    assert cells(260, 1955, "iso3", "nato") == ("DEU", "1")
    # 1990: West Germany (260) until 2 October, Germany (255) from 3 October
    assert cells(260, 1990, "iso3", "nato") == ("DEU", "1")
    assert cells(255, 1990, "iso3", "nato") == ("DEU", "1")
    assert cells(260, 1991, "nato") is None


def test_flags_current_year_and_us_rows() -> None:
    year = dt.date.today().year
    assert {r["partial"] for k, r in ROWS.items() if k[1] == year} == {"1"}
    assert {r["partial"] for k, r in ROWS.items() if k[1] < year} == {"0"}
    assert cells(2, 2000, "is_usa", "nato", "mnna") == ("1", "1", "0")
    assert {r["is_usa"] for k, r in ROWS.items() if k[0] != 2} == {"0"}


def test_disputes_uncertainty_and_year_of_exit() -> None:
    assert cells(101, 2019, "rio", "disputed") == ("1", "rio")
    assert cells(100, 1990, "disputed") == ("",)
    assert cells(70, 2004, "rio", "rio_state", "rio_any") == ("0", "former", "1")


def test_codebook_lists_every_panel_column() -> None:
    rows = list(csv.reader(io.StringIO(export("--format", "codebook"))))
    assert rows[0] == ["column", "type", "coding", "source"]
    assert [r[0] for r in rows[1:-1]] == HEADER
    assert all(r[2] and r[3] for r in rows[1:-1])
    cite = rows[-1]
    assert cite[0] == "(cite this)"
    assert L.info.data_version in cite[2] and L.info.content_hash in cite[2]


def test_docs_codebook_is_generated_from_the_same_definition() -> None:
    text = codebook_markdown(L)
    if os.environ.get("ALLIES_UPDATE_GOLDEN"):
        DOCS.write_text(text, encoding="utf-8")
    assert DOCS.read_text(encoding="utf-8") == text, (
        "docs/codebook.md is stale: run ALLIES_UPDATE_GOLDEN=1 pytest tests/test_panel.py"
    )
    for name in HEADER:
        assert f"| `{name}` |" in text


def test_panel_rows_take_the_day() -> None:
    header, rows = panel_rows(L, dt.date(2022, 6, 1))
    last = {r[4] for r in rows}
    assert max(last) == 2022
    col = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "COL" and r[4] == 2022)
    assert (col["mnna"], col["partial"]) == (1, 1)  # designated 23 May 2022
