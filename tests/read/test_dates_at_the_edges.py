"""Any publication date from 0001-01-01 to 9999-12-31 works with every relative phrase: a
date that would fall outside the calendar is null, never an exception (read and check)."""

from __future__ import annotations

import json

import pytest

from allies.check import check
from allies.read import read

PHRASES = [
    "last year",
    "next year",
    "on Tuesday",
    "last month",
    "yesterday",
    "tomorrow",
    "this week",
    "last week",
    "50 years ago",
    "in March",
    "earlier this year",
    "two days ago",
    "next month",
    "that year",
    "the following year",
    "a decade ago",
    "last summer",
    "on March 10",
    "today",
    "later this month",
    "in two weeks",
    "a year earlier",
]


@pytest.mark.parametrize("published", ["0001-01-01", "0001-12-31", "9999-01-01", "9999-12-31"])
def test_relative_dates_at_the_calendar_edges(published: str) -> None:
    for phrase in PHRASES:
        text = (
            f"WASHINGTON, Jan. 2 - The United States designated Qatar a major non-NATO ally"
            f" {phrase}. Finland joined NATO {phrase}. Israel, a major non-NATO ally, said so."
        )
        reading = read(text, published)
        assert {e.country for e in reading.events} == {"QAT", "FIN"}, phrase
        json.dumps(check(reading))
    assert read("Finland joined NATO yesterday.", "0001-01-01").events[0].date is None
