"""check: the reader's events and claims set against the ledger."""

from __future__ import annotations

from typing import Any

from allies.check import check
from allies.ledger import Ledger


def ev(country: str, action: str, date: str | None, **kw: Any) -> dict[str, Any]:
    d = {
        "designator": "USA",
        "framework": kw.pop("framework", "mnna"),
        "country": country,
        "action": action,
        "date": date,
        "precision": "day" if date else None,
    }
    d.update(kw)
    return d


def verdicts(res: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (x["country"], x.get("action") or x.get("state"), x["verdict"])
        for x in (*res["events"], *res["claims"])
    ]


def test_colombia_article_of_16_march_2022(mini: Ledger) -> None:
    reading = {
        "published": "2022-03-16",
        "events": [
            ev("COL", "announce_intent", "2022-03-10", intent_of="designate"),
            ev("COL", "designate", "2022-03-16"),
        ],
        "claims": [
            {"framework": "mnna", "country": "AFG", "state": "active"},
            {"framework": "mnna", "country": "TWN", "state": "active"},
        ],
    }
    res = check(reading, mini)
    assert verdicts(res) == [
        ("COL", "announce_intent", "confirmed"),
        ("COL", "designate", "contradicted"),
        ("AFG", "active", "confirmed"),
        ("TWN", "active", "confirmed"),
    ]
    bad = res["events"][1]["ledger"]
    assert bad["state"] == "announced" and bad["since"] == "2022-03-10"
    assert bad["event"]["date"] == "2022-05-23" and bad["event"]["sources"]
    assert bad["fact"] == (
        "on 2022-03-16 the ledger shows mnna announced for Colombia; designate came on 2022-05-23"
    )
    assert res["summary"] == {"confirmed": 3, "contradicted": 1, "not_in_ledger": 0}


def test_tolerance_of_a_few_days(mini: Ledger) -> None:
    res = check(
        {"published": "2022-05-25", "events": [ev("COL", "designate", "2022-05-24")], "claims": []},
        mini,
    )
    assert verdicts(res) == [("COL", "designate", "confirmed")]
    assert res["events"][0]["date_differs_by_days"] == 1
    assert res["events"][0]["ledger"]["fact"] == (
        "ledger records designate of Colombia on 2022-05-23; "
        "the text's date 2022-05-24 differs by 1 day"
    )


def test_undated_step_counts_as_on_or_before_publication(mini: Ledger) -> None:
    # "Colombia has been designated a major non-NATO ally", no date in the text
    def one(published: str) -> dict[str, Any]:
        e = ev("COL", "designate", published, date_basis="publication")
        res = check({"published": published, "events": [e], "claims": []}, mini)
        return dict(res["events"][0])

    after = one("2022-08-15")  # months after the designation: true, not a date mismatch
    assert (after["verdict"], after["ledger"]["fact"]) == (
        "confirmed",
        "ledger records designate of Colombia on 2022-05-23 (the text gives no date; "
        "published 2022-08-15)",
    )
    assert "date_differs_by_days" not in after
    before = one("2022-03-16")  # before the designation: the text is ahead of the record
    assert before["verdict"] == "contradicted"


def test_unknown_pair_is_not_in_ledger(mini: Ledger) -> None:
    res = check(
        {
            "published": "2026-11-20",
            "events": [ev("IND", "announce_intent", "2026-11-19", intent_of="designate")],
            "claims": [],
        },
        mini,
    )
    assert verdicts(res) == [("IND", "announce_intent", "not_in_ledger")]


def test_new_step_after_the_ledger_ends_is_not_in_ledger(mini: Ledger) -> None:
    res = check(
        {
            "published": "2026-11-20",
            "events": [ev("COL", "announce_intent", "2026-11-19", intent_of="terminate")],
            "claims": [],
        },
        mini,
    )
    assert verdicts(res) == [("COL", "announce_intent", "not_in_ledger")]


def test_claim_of_former_status(mini: Ledger) -> None:
    res = check(
        {
            "published": "2023-01-10",
            "events": [],
            "claims": [
                {"framework": "mnna", "country": "AFG", "state": "former"},
                {"framework": "mnna", "country": "COL", "state": "former"},
            ],
        },
        mini,
    )
    assert verdicts(res) == [("AFG", "former", "confirmed"), ("COL", "former", "contradicted")]


def test_security_guarantee_is_reported(mini: Ledger) -> None:
    res = check(
        {"published": "2022-06-01", "events": [ev("COL", "designate", "2022-05-23")], "claims": []},
        mini,
    )
    assert res["events"][0]["ledger"]["security_guarantee"] == {
        "value": True,
        "via": ["rio"],
        "not_via": ["mnna"],
        "disputed_via": [],
    }
