"""check: the reader's events and claims set against the ledger, verdict by verdict."""

from __future__ import annotations

from typing import Any

import pytest

from allies.check import check
from allies.errors import DataError
from allies.ledger import Ledger, _check_coverage, build_ledger, load_ledger

from .conftest import MINI_EVENTS, MINI_FRAMEWORKS

L = load_ledger()


def ev(country: str, action: str, date: str | None, **kw: Any) -> dict[str, Any]:
    d = {
        "designator": "USA",
        "framework": kw.pop("framework", "mnna"),
        "country": country,
        "action": action,
        "date": date,
        "precision": "day" if date else None,
        "date_basis": "stated" if date else None,
        "role": "news",
    }
    d.update(kw)
    return d


def claim(country: str, state: str, framework: str = "mnna") -> dict[str, Any]:
    return {"framework": framework, "country": country, "state": state}


def verdicts(res: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (x["country"], x.get("action") or x.get("state"), x["verdict"])
        for x in (*res["events"], *res["claims"])
    ]


def one(ledger: Ledger, item: dict[str, Any], published: str | None) -> dict[str, Any]:
    kind = "events" if "action" in item else "claims"
    res = check({"published": published, "events": [], "claims": [], kind: [item]}, ledger)
    return dict(res[kind][0])


def test_colombia_article_of_16_march_2022(mini: Ledger) -> None:
    reading = {
        "published": "2022-03-16",
        "events": [
            ev("COL", "designate", None),  # the headline: no date of its own
            ev("COL", "announce_intent", "2022-03-10", intent_of="designate"),
        ],
        "claims": [claim("AFG", "active"), claim("TWN", "active")],
    }
    res = check(reading, mini)
    assert verdicts(res) == [
        ("COL", "designate", "contradicted"),
        ("COL", "announce_intent", "confirmed"),
        ("AFG", "active", "confirmed"),
        ("TWN", "active", "confirmed"),
    ]
    bad = res["events"][0]["ledger"]
    assert bad["state"] == "announced" and bad["since"] == "2022-03-10"
    assert bad["event"]["date"] == "2022-05-23" and bad["event"]["sources"]
    assert bad["fact"] == (
        "on 2022-03-16 the ledger shows the intent only for Colombia (announced 2022-03-10); "
        "designate came on 2022-05-23"
    )
    assert res["summary"]["line"] == "2 news events (1 confirmed, 1 contradicted), " \
        "0 background, 2 claims (all confirmed)"


def test_without_a_publication_date_nothing_resting_on_it_is_confirmed(mini: Ledger) -> None:
    reading = {
        "published": None,
        "events": [
            ev("COL", "designate", None),  # "Colombia has been designated ..."
            ev("COL", "designate", "2022-05-23", date_basis="publication"),  # today's reader
            ev("COL", "announce_intent", "2022-03-10", intent_of="designate"),  # dated: checked
        ],
        "claims": [claim("AFG", "active")],
    }
    res = check(reading, mini)
    assert verdicts(res) == [
        ("COL", "designate", "undated"),
        ("COL", "designate", "undated"),
        ("COL", "announce_intent", "confirmed"),
        ("AFG", "active", "undated"),
    ]
    undated = res["events"][0]
    assert "publication date" in undated["reason"]
    assert undated["ledger"] == {
        "on": None,
        "fact": "the ledger records designate of Colombia on 2022-05-23",
        "event": undated["ledger"]["event"],
    }
    assert res["claims"][0]["ledger"]["fact"] == (
        "Afghanistan's MNNA status was terminated on 2022-09-23"
    )
    assert res["summary"]["undated"] == 3
    assert res["summary"]["line"] == (
        "3 news events (1 confirmed, 2 undated), 0 background, 1 claim (1 undated)"
    )


def test_a_claim_with_its_own_date_needs_no_publication_date(mini: Ledger) -> None:
    dated = {**claim("AFG", "active"), "date": "2015-01-01"}
    assert one(mini, dated, None)["verdict"] == "confirmed"


@pytest.mark.parametrize(
    ("item", "published", "fact"),
    [
        (
            ev("BRA", "accede", "2019", framework="nato", precision="year"),
            "2023-05-01",
            "Brazil has never been a NATO member",
        ),
        (
            ev("PAK", "terminate", "2018", precision="year"),
            "2023-05-01",
            "Pakistan has held MNNA status since 2004-06-16, never terminated",
        ),
        (
            ev("IND", "designate", "2024-12-03"),
            "2024-12-04",
            "India has never held MNNA status",
        ),
        (  # an intent to designate a country that already holds the status
            ev("ISR", "announce_intent", "2010-05", intent_of="designate", precision="month"),
            "2010-06-01",
            "Israel has held MNNA status since 1987, never terminated",
        ),
        (
            claim("AFG", "active"),
            "2023-05-01",
            "Afghanistan's MNNA status was terminated on 2022-09-23",
        ),
        (
            claim("BRA", "active", "nato"),
            "2023-05-01",
            "Brazil has never been a NATO member",
        ),
    ],
)
def test_what_the_complete_record_lacks_is_contradicted(
    item: dict[str, Any], published: str, fact: str
) -> None:
    got = one(L, item, published)
    assert (got["verdict"], got["ledger"]["fact"]) == ("contradicted", fact)


def test_former_allies(mini: Ledger) -> None:
    res = check(
        {
            "published": "2023-01-10",
            "events": [],
            "claims": [claim("AFG", "active"), claim("AFG", "former"), claim("COL", "former")],
        },
        mini,
    )
    assert verdicts(res) == [
        ("AFG", "active", "contradicted"),
        ("AFG", "former", "confirmed"),
        ("COL", "former", "contradicted"),
    ]
    assert [c["ledger"]["fact"] for c in res["claims"]] == [
        "Afghanistan's MNNA status was terminated on 2022-09-23",
        "Afghanistan's MNNA status was terminated on 2022-09-23",
        "Colombia has held MNNA status since 2022-05-23, never terminated",
    ]


def test_dates_within_three_days_confirm_and_others_contradict(mini: Ledger) -> None:
    near = one(mini, ev("COL", "designate", "2022-05-25"), "2022-05-26")
    assert (near["verdict"], near["date_differs_by_days"], near["ledger"]["fact"]) == (
        "confirmed",
        2,
        "ledger records designate of Colombia on 2022-05-23; the text's date 2022-05-25 "
        "differs by 2 days",
    )
    exact = one(mini, ev("COL", "designate", "2022-05-23"), "2022-05-26")
    assert exact["verdict"] == "confirmed" and "date_differs_by_days" not in exact
    for wrong, days in (("2022-05-27", 4), ("2021-05-23", 365)):
        got = one(mini, ev("COL", "designate", wrong), "2022-06-01")
        assert (got["verdict"], got["date_differs_by_days"]) == ("contradicted", days)
        assert got["ledger"]["event"]["date"] == "2022-05-23"


def test_undated_step_counts_as_on_or_before_publication(mini: Ledger) -> None:
    # "Colombia has been designated a major non-NATO ally", no date in the text
    after = one(mini, ev("COL", "designate", None), "2022-08-15")
    assert (after["verdict"], after["ledger"]["fact"]) == (
        "confirmed",
        "ledger records designate of Colombia on 2022-05-23 (the text gives no date; "
        "published 2022-08-15)",
    )
    assert "date_differs_by_days" not in after
    assert one(mini, ev("COL", "designate", None), "2022-03-16")["verdict"] == "contradicted"


@pytest.mark.parametrize(
    ("item", "published", "fact"),
    [
        (  # after the record ends (2026-11-28 in the test data)
            ev("IND", "designate", "2026-12-01"),
            "2026-12-02",
            "the ledger's record of mnna ends on 2026-11-28, before 2026-12-01; India has "
            "never held MNNA status: possible new event, for review",
        ),
        (  # the record ends inside the year the text gives
            ev("IND", "designate", "2026", precision="year"),
            "2026-12-30",
            "the ledger's record of mnna ends on 2026-11-28, before 2026; India has never "
            "held MNNA status: possible new event, for review",
        ),
        (  # intents are recorded only where the sources give them
            ev("IND", "announce_intent", "2024-11-19", intent_of="designate"),
            "2024-11-20",
            "the ledger does not record every announce_intent in mnna (complete for "
            "designate, treat_as, terminate); India has never held MNNA status: possible "
            "new event, for review",
        ),
        (  # a framework the ledger does not claim complete
            ev("VEN", "join", "2020-01-01", framework="rio"),
            "2020-01-02",
            "the ledger does not record every join in rio (complete for nothing); Venezuela "
            "has never been a party to the TIAR: possible new event, for review",
        ),
    ],
)
def test_only_steps_beyond_the_complete_record_are_not_in_ledger(
    mini: Ledger, item: dict[str, Any], published: str, fact: str
) -> None:
    got = one(mini, item, published)
    assert (got["verdict"], got["ledger"]["fact"]) == ("not_in_ledger", fact)


def test_claims_after_the_record_ends(mini: Ledger) -> None:
    kept = one(mini, claim("COL", "active"), "2026-12-05")
    assert (kept["verdict"], kept["ledger"]["on"]) == ("confirmed", "2026-11-28")
    changed = one(mini, claim("COL", "former"), "2026-12-05")
    assert changed["verdict"] == "not_in_ledger"
    assert changed["ledger"]["fact"].endswith(
        "; the ledger's record ends on 2026-11-28, before 2026-12-05: possible change, for "
        "review"
    )


def test_news_and_background_are_counted_apart(mini: Ledger) -> None:
    reading = {
        "published": "2023-04-06",
        "events": [
            ev("FIN", "accede", "2023-04-04", framework="nato"),
            ev("FIN", "accede", "2022-04-04", framework="nato"),
            ev("COL", "designate", "2022-05-23", role="background"),
            ev("AFG", "terminate", "2022-09-23", role="background"),
        ],
        "claims": [claim("COL", "active")],
    }
    res = check(reading, mini)
    assert res["summary"] == {
        "confirmed": 4,
        "contradicted": 1,
        "undated": 0,
        "not_in_ledger": 0,
        "groups": {
            "news": {"confirmed": 1, "contradicted": 1, "undated": 0, "not_in_ledger": 0},
            "background": {"confirmed": 2, "contradicted": 0, "undated": 0, "not_in_ledger": 0},
            "claims": {"confirmed": 1, "contradicted": 0, "undated": 0, "not_in_ledger": 0},
        },
        "line": "2 news events (1 confirmed, 1 contradicted), 2 background (all confirmed), "
        "1 claim (1 confirmed)",
    }


def test_unread_sentences_are_kept(mini: Ledger) -> None:
    unread = [{"text": "NATO and Ukraine talked.", "start": 0, "end": 24}]
    res = check({"published": "2023-01-01", "events": [], "claims": [], "unread": unread}, mini)
    assert res["unread"] == unread
    assert check({"published": None, "events": [], "claims": []}, mini)["unread"] == []


def test_security_guarantee_is_reported(mini: Ledger) -> None:
    got = one(mini, ev("COL", "designate", "2022-05-23"), "2022-06-01")
    assert got["ledger"]["security_guarantee"] == {
        "value": True,
        "via": ["rio"],
        "not_via": ["mnna"],
        "disputed_via": [],
    }


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            'complete_steps = ["accede"]\n',
            "frameworks.toml framework rio: complete_steps: 'accede' is not a treaty action; "
            "use one of ",
        ),
        (
            'complete_steps = ["join"]\n',
            "frameworks.toml framework rio: 'complete_steps' needs 'complete_through', a TOML "
            "date",
        ),
        (
            "complete_through = 2026-01-01\n",
            "frameworks.toml framework rio: 'complete_through' needs 'complete_steps' (what is "
            "complete)",
        ),
    ],
)
def test_coverage_keys_are_validated(extra: str, problem: str) -> None:
    with pytest.raises(DataError) as e:
        build_ledger(MINI_FRAMEWORKS + extra, [("mini.csv", MINI_EVENTS)])
    assert e.value.problems[0].startswith(problem)


def test_coverage_cannot_pass_the_data_versions_day(mini: Ledger) -> None:
    _check_coverage(mini, "2026.11.28")  # through the day the data was compiled: fine
    with pytest.raises(DataError) as e:
        _check_coverage(mini, "2026.11.27")
    assert e.value.problems[0] == (
        "frameworks.toml framework mnna: complete_through 2026-11-28 is after the data "
        "version's date 2026-11-27; the record cannot vouch for later days"
    )
