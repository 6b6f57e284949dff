"""Statuses told in passing (claims, not events), hypotheticals, datelines, the date basis
of events, coreference and the Taiwan statute."""

from __future__ import annotations

import datetime as dt

import pytest

from allies.read import read
from allies.read.dates import date_resolver


def events(text: str, pub: str | None = "2024-05-02") -> list[tuple[str, ...]]:
    return [
        (e.country, e.action, str(e.date) if e.date else "", e.date_basis or "")
        for e in read(text, pub).events
    ]


def claims(text: str, pub: str | None = "2024-05-02") -> list[tuple[str, str, str]]:
    return [(c.framework, c.country, c.state) for c in read(text, pub).claims]


@pytest.mark.parametrize(
    "text, want",
    [
        ("Israel, a major non-NATO ally, received new aid.", [("mnna", "ISR", "active")]),
        (
            "Colombia, which joined the Rio Treaty in 1948, is now a major non-NATO ally.",
            [("mnna", "COL", "active")],
        ),
        (
            "Japan, which already is a major non-NATO ally, gained new access.",
            [("mnna", "JPN", "active")],
        ),
        ("Pakistan is no longer a major non-NATO ally.", [("mnna", "PAK", "former")]),
        ("Pakistan lost its MNNA status.", [("mnna", "PAK", "former")]),
        ("Afghanistan no longer holds the MNNA designation.", [("mnna", "AFG", "former")]),
        (
            "Morocco celebrated today its designation as a major non-NATO ally.",
            [("mnna", "MAR", "active")],
        ),
        (
            "Taiwan is treated as a major non-NATO ally under the 2002 law.",
            [("mnna", "TWN", "active")],
        ),
        ("If Ukraine joins NATO, Russia will respond.", []),
        ("Posts claiming that Brazil was stripped of its MNNA status are false.", []),
    ],
)
def test_status_in_passing_is_a_claim(text: str, want: list[tuple[str, str, str]]) -> None:
    assert events(text) == []
    assert claims(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "Analysts say revoking the status would hurt ties with Pakistan, a major non-NATO ally.",
        "Officials said stripping Pakistan of its major non-NATO ally status could backfire.",
        "Revoking the MNNA status would take an act of the president.",
        "Viral posts falsely claim that Biden revoked Brazil's major non-NATO ally status.",
        "Should Sweden join NATO, Finland would follow.",
    ],
)
def test_hypotheticals_and_refuted_claims_report_nothing(text: str) -> None:
    assert events(text) == []


def test_rescinding_a_designation_is_no_designation() -> None:
    text = "Biden rescinded Afghanistan's designation as a major non-NATO ally on Friday."
    assert events(text, "2022-07-16") == [("AFG", "terminate", "2022-07-15", "relative")]


def test_date_basis() -> None:
    assert events("The U.S. designated Qatar a major non-NATO ally on 10 March 2022.") == [
        ("QAT", "designate", "2022-03-10", "stated")
    ]
    assert events("On Thursday the U.S. designated Qatar a major non-NATO ally.", "2022-03-12") == [
        ("QAT", "designate", "2022-03-10", "relative")
    ]
    # an act the text does not date has no date: the publication day is not its date
    assert events("The U.S. designated Qatar a major non-NATO ally.", "2022-03-12") == [
        ("QAT", "designate", "", "")
    ]
    d = read("The U.S. designated Qatar a major non-NATO ally.").to_dict()
    assert (d["events"][0]["date"], d["events"][0]["date_basis"]) == (None, None)


def test_dateline_is_the_reference_of_relative_dates() -> None:
    text = (
        "Alliance grows\n\nMADRID, July 8 — NATO leaders today invited Poland, Hungary and the "
        "Czech Republic to join the alliance."
    )
    assert {e[2] for e in events(text, "1997-07-10")} == {"1997-07-08"}
    text = "Washington, May 24. The U.S. yesterday designated Kuwait a major non-NATO ally."
    assert events(text, "2004-05-27") == [("KWT", "designate", "2004-05-23", "relative")]
    # A dateline after the publication day is the year before's.
    lines = date_resolver().datelines("BRUSSELS, Dec. 31 — text", dt.date(2004, 1, 2))
    assert lines == [(0, dt.date(2003, 12, 31))]
    # With no publication date only a dateline with its year counts.
    assert date_resolver().datelines("BRUSSELS, Dec. 31 — text", None) == []
    assert date_resolver().datelines("BRUSSELS, 31 December 2003 — text", None) == [
        (0, dt.date(2003, 12, 31))
    ]
    assert date_resolver().datelines("In May, he said — text\nOn March 3 — text", None) == []


def test_anniversary() -> None:
    text = "Fifty years ago today, Greece and Turkey joined NATO."
    assert events(text, "2002-02-18") == [
        ("GRC", "accede", "1952-02-18", "relative"),
        ("TUR", "accede", "1952-02-18", "relative"),
    ]


def test_translated_accession_and_list_designation() -> None:
    text = "Since yesterday Lithuania is a full member of the North Atlantic Alliance."
    assert events(text, "2004-03-30") == [("LTU", "accede", "2004-03-29", "relative")]
    text = (
        "Lithuania's documents of accession were deposited yesterday, making it a member of "
        "the North Atlantic Alliance."
    )
    assert [e[:3] for e in events(text, "2004-03-30")] == [("LTU", "accede", "2004-03-29")]
    text = "Kenya was added to the list of major non-NATO allies."
    assert events(text, "2024-06-26") == [("KEN", "designate", "", "")]


def test_gapped_list_across_semicolons() -> None:
    text = (
        "The major non-NATO ally label is old. The United States designated Egypt and Israel "
        "in 1987; Jordan in 1996; Argentina in 1998."
    )
    got = {(e[0], e[2]) for e in events(text, "2020-01-01")}
    assert got == {("EGY", "1987"), ("ISR", "1987"), ("JOR", "1996"), ("ARG", "1998")}


def test_coreference_stays_in_its_paragraph() -> None:
    one = (
        "The White House said it would name Qatar a major non-NATO ally. "
        "The designation was made official at the end of January."
    )
    assert [e[:3] for e in events(one, "2022-03-15")] == [
        ("QAT", "announce_intent", ""),
        ("QAT", "designate", "2022-01"),
    ]
    two = one.replace("ally. The", "ally.\n\nThe")
    assert [e[1] for e in events(two, "2022-03-15")] == ["announce_intent"]


def test_taiwan_statute_is_treat_as() -> None:
    text = "In 2002 Congress required that Taiwan be treated as a major non-NATO ally."
    assert events(text, "2020-01-01") == [("TWN", "treat_as", "2002", "stated")]
    d = read(text, "2020-01-01").to_dict()
    assert d["events"][0]["action"] == "treat_as"
    # undated: no event
    assert events("The law requires that Taiwan be treated as a major non-NATO ally.") == []
