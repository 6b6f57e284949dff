from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allies.dates import PartialDate, parse_day
from allies.errors import BadDate


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("2022-05-23", "2022-05-23", "2022-05-23", "day"),
        ("2026-01", "2026-01-01", "2026-01-31", "month"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("1987", "1987-01-01", "1987-12-31", "year"),
    ],
)
def test_partial_dates(text: str, start: str, end: str, precision: str) -> None:
    p = PartialDate.parse(text)
    assert (p.start.isoformat(), p.end.isoformat(), p.precision, str(p)) == (
        start,
        end,
        precision,
        text,
    )


@pytest.mark.parametrize(
    "bad", ["2022-02-30", "2022-13", "22-01-01", "yesterday", "", "2022/01/01"]
)
def test_bad_dates_name_the_input(bad: str) -> None:
    with pytest.raises(BadDate) as e:
        parse_day(bad)
    assert repr(bad) in str(e.value) and "YYYY-MM-DD" in str(e.value)


def test_month_is_not_a_day() -> None:
    with pytest.raises(BadDate):
        parse_day("2022-04")


@given(st.dates())
def test_roundtrip(d: dt.date) -> None:
    assert parse_day(d.isoformat()) == d
    assert PartialDate.parse(str(PartialDate.parse(d.isoformat()))).start == d
