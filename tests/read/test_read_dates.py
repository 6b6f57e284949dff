from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allies.read import resolve_dates

PUB = dt.date(2022, 3, 16)  # a Wednesday


def one(text: str, pub: dt.date | None = PUB) -> tuple[str, str] | None:
    found = [m for m in resolve_dates(text, pub) if m.date is not None]
    assert len(found) <= 1, found
    return (str(found[0].date), found[0].date.precision) if found else None


@pytest.mark.parametrize(
    "text, want",
    [
        ("on 10 March 2022", ("2022-03-10", "day")),
        ("on March 10, 2022,", ("2022-03-10", "day")),
        ("on March 10", ("2022-03-10", "day")),
        ("on 10 March", ("2022-03-10", "day")),
        ("on May 23", ("2021-05-23", "day")),  # after publication → the year before
        ("on Jan. 6, 1998", ("1998-01-06", "day")),
        ("dated 2022-03-10", ("2022-03-10", "day")),
        ("on Thursday", ("2022-03-10", "day")),
        ("on Wednesday", ("2022-03-16", "day")),  # the publication day itself
        ("last Wednesday", ("2022-03-09", "day")),
        ("yesterday", ("2022-03-15", "day")),
        ("today", ("2022-03-16", "day")),
        ("last week", ("2022-03-16", "day")),
        ("last month", ("2022-02", "month")),
        ("earlier this month", ("2022-03", "month")),
        ("in May", ("2021-05", "month")),
        ("in March", ("2022-03", "month")),
        ("in March 2022", ("2022-03", "month")),
        ("in 2019", ("2019", "year")),
        ("last year", ("2021", "year")),
        ("this year", ("2022", "year")),
    ],
)
def test_resolve(text: str, want: tuple[str, str]) -> None:
    assert one(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "he may go",
        "Theresa May said",
        "troops will march",
        "the 31st member",
        "2,000 troops",
        "a 1990s idea",
        "next Thursday",
        "May be",
    ],
)
def test_not_a_date(text: str) -> None:
    assert one(text) is None


def test_relative_needs_publication_date() -> None:
    assert one("on Thursday", None) is None
    assert one("last month", None) is None
    assert one("on 10 March 2022", None) == ("2022-03-10", "day")


def test_month_rollover() -> None:
    assert one("last month", dt.date(2022, 1, 5)) == ("2021-12", "month")


@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)))
def test_explicit_dates_round_trip(d: dt.date) -> None:
    text = f"on {d.day} {d.strftime('%B')} {d.year} and"
    assert one(text) == (d.isoformat(), "day")
    text = f"on {d.strftime('%B')} {d.day}, {d.year}, and"
    assert one(text) == (d.isoformat(), "day")


@given(
    st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)),
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
)
def test_weekday_is_most_recent_on_or_before(pub: dt.date, name: str) -> None:
    got = one(f"on {name}", pub)
    assert got is not None
    day = dt.date.fromisoformat(got[0])
    assert day.strftime("%A") == name
    assert 0 <= (pub - day).days < 7


@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)), st.integers(min_value=1, max_value=12))
def test_in_month_is_at_or_before_publication(pub: dt.date, month: int) -> None:
    name = dt.date(2000, month, 1).strftime("%B")
    got = one(f"in {name}", pub)
    assert got is not None and got[1] == "month"
    start = dt.date.fromisoformat(got[0] + "-01")
    assert start <= pub and (pub - start).days < 366


@pytest.mark.parametrize(
    "text, want",
    [
        ("Fifty years ago today", ("1972-03-16", "day")),
        ("ten years ago yesterday", ("2012-03-15", "day")),
        ("ten years ago this week", ("2012-03-16", "day")),
        ("twenty-five years ago this month", ("1997-03", "month")),
        ("two decades ago", ("2002", "year")),
        ("75 years ago", ("1947", "year")),
        ("six months ago", ("2021-09", "month")),
        ("three days ago", ("2022-03-13", "day")),
    ],
)
def test_counted_back(text: str, want: tuple[str, str]) -> None:
    assert one(text) == want


def test_counted_back_basis_and_leap_day() -> None:
    (m,) = resolve_dates("four years ago today", dt.date(2024, 2, 29))
    assert (str(m.date), m.basis) == ("2020-02-29", "relative")
    (m,) = resolve_dates("a year ago today", dt.date(2024, 2, 29))
    assert str(m.date) == "2023-02-28"
    assert [m.basis for m in resolve_dates("on 10 March 2022 and in May", PUB)] == [
        "stated",
        "stated",
    ]


@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)), st.integers(1, 60))
def test_years_ago_keeps_the_day(pub: dt.date, n: int) -> None:
    got = one(f"{n} years ago today", pub)
    assert got is not None and got[1] == "day"
    day = dt.date.fromisoformat(got[0])
    assert day.year == pub.year - n and day.month == pub.month and day.day <= pub.day


def test_vague_week_phrases_only_bound_the_date_by_publication() -> None:
    from allies.read import read

    [e] = read("Ukraine was designated a major non-NATO ally last week.", "2025-12-01").events
    assert (str(e.date), e.date.precision, e.date_basis) == ("2025-12-01", "day", "publication")


def test_counted_years_after_an_earlier_date() -> None:
    from allies.read import read

    r = read(
        "Poland joined NATO in 1999. Slovakia was admitted to the alliance five years later,"
        " along with Bulgaria.",
        "2020-01-01",
    )
    assert {(e.country, str(e.date)) for e in r.events} == {
        ("POL", "1999"), ("SVK", "2004"), ("BGR", "2004")
    }
