"""Fuzz the data loader: a user's events file with any content is loaded or refused with
DataError/AlliesError lines naming the file; never another exception."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from allies.errors import AlliesError
from allies.ledger import _read_data, build_ledger

from . import FUZZ

FRAMEWORKS = _read_data("frameworks.toml").decode("utf-8")
BUNDLED = _read_data("events.csv").decode("utf-8")
HEADER = BUNDLED.splitlines()[0].split(",")
ROW = next(csv.reader(io.StringIO(BUNDLED.splitlines()[1])))

values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nato", "mnna", "rio", "FIN", "COL", "XXX", "accede", "designate",
                     "terminate", "2023-04-04", "2023-02-30", "0001-01-01", "9999-12-31",
                     "2023", "2023-04", "high", "low", "https://example.org/x", "", "=1+1"]),
)


def _csv(rows: list[list[str]], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _load(text: str) -> None:
    try:
        build_ledger(FRAMEWORKS, [("events.csv", BUNDLED), ("mine.csv", text)],
                     user_origins=frozenset({"mine.csv"}))
    except AlliesError as e:
        for line in str(e).splitlines():
            assert line.strip()


@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, len(ROW) - 1), values), max_size=6),
    rows=st.integers(1, 3),
    header=st.one_of(st.just(HEADER), st.permutations(HEADER),
                     st.lists(st.sampled_from([*HEADER, "extra"]), max_size=16)),
)
def test_data_loader_on_any_rows(
    fuzz: Any, edits: list[tuple[int, str]], rows: int, header: list[str]
) -> None:
    row = list(ROW)
    row[0] = "fuzz-row"
    for i, v in edits:
        row[i] = v
    fuzz.probe("data loader", _load, _csv([row] * rows, header))


@FUZZ
@example(text="id,framework\ra\rb")  # found by fuzzing: a bare CR made the csv module raise
@given(text=st.text(max_size=300))
def test_data_loader_on_any_text(fuzz: Any, text: str) -> None:
    fuzz.probe("data loader (any text)", _load, text)
