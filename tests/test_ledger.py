"""The facts users rely on, from the bundled ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from allies.errors import BadDate, DataError, UnknownCountry, UnknownFramework
from allies.ledger import Ledger, build_ledger, load_ledger

from .conftest import MINI_EVENTS, MINI_FRAMEWORKS

L = load_ledger()


def state(country: str, fw: str, on: str) -> str:
    for s in L.status(country, on)["statuses"]:
        if s["framework"] == fw:
            return s["state"]
    return "none"


@pytest.mark.parametrize(
    "on,want", [("2022-03-09", "none"), ("2022-04-01", "announced"), ("2022-06-01", "active")]
)
def test_colombia_mnna_lifecycle(on: str, want: str) -> None:
    assert state("Colombia", "mnna", on) == want


def test_colombia_announced_since_intent() -> None:
    s = [s for s in L.status("COL", "2022-04-01")["statuses"] if s["framework"] == "mnna"][0]
    assert (s["since"], s["precision"], s["pending"]) == ("2022-03-10", "day", None)
    assert [e["action"] for e in s["events"]] == ["announce_intent"]
    assert all(e["sources"] for e in s["events"])


def test_afghanistan_termination_pending_then_former() -> None:
    s = [s for s in L.status("AFG", "2022-08-01")["statuses"] if s["framework"] == "mnna"][0]
    assert (s["state"], s["pending"]) == ("active", "terminate")
    assert state("Afghanistan", "mnna", "2022-10-01") == "former"


def test_finland_sweden_and_nato_counts() -> None:
    assert state("Finland", "nato", "2022-06-28") == "none"
    assert state("Finland", "nato", "2023-04-03") == "announced"  # invited 2022-06-29
    assert state("Finland", "nato", "2023-04-04") == "active"
    assert state("Sweden", "nato", "2024-03-07") == "active"
    counts = [L.members("nato", d)["count"] for d in ("2023-04-03", "2023-04-04", "2024-03-07")]
    assert counts == [30, 31, 32]


def test_taiwan_treated_as_by_statute() -> None:
    s = [s for s in L.status("Taiwan", "2002-09-30")["statuses"] if s["framework"] == "mnna"][0]
    assert (s["state"], s["since"], s["treated_as"]) == ("active", "2002-09-30", True)
    assert state("Taiwan", "mnna", "2002-09-29") == "none"


def test_mnna_members_today_and_on_the_colombia_article_day() -> None:
    now = L.members("mnna", "2026-11-28")
    names = {m["iso3"] for m in now["members"]}
    assert now["count"] == 22 and "TWN" in names and "AFG" not in names
    assert [m["iso3"] for m in now["members"] if m["treated_as"]] == ["TWN"]
    then = {m["iso3"] for m in L.members("mnna", "2022-03-16")["members"]}
    assert len(then) == 19 and {"AFG", "QAT"} <= then and "COL" not in then


def test_colombia_guarantee_via_rio_not_mnna() -> None:
    g = L.status("Colombia", "2022-06-01")["security_guarantee"]
    assert g == {"value": True, "via": ["rio"], "not_via": ["mnna"], "disputed_via": []}


def test_every_event_has_a_source_and_the_ledger_validates() -> None:
    assert L.validate() == []
    assert all(e.sources for e in L.events)


def test_disagreements_stay_visible() -> None:
    disputed = [e for e in L.events if e.disputed]
    assert len(disputed) >= 10
    assert all(e.alt_dates or e.disputed for e in disputed)


def test_members_is_exactly_active_states() -> None:
    for fw in L.frameworks:
        for day in (
            dt.date(1950, 1, 1),
            dt.date(1990, 6, 1),
            dt.date(2022, 3, 16),
            dt.date(2026, 11, 28),
        ):
            got = {m["iso3"] for m in L.members(fw, day)["members"]}
            want = {
                c for (f, c) in L.timelines if f == fw and L.state_of(fw, c, day).state == "active"
            }
            assert got == want


def test_changes_window() -> None:
    res = L.changes("2022-03-01", "2022-05-31")
    got = [
        (e["country"], e["action"], e["date"]) for e in res["events"] if e["framework"] == "mnna"
    ]
    assert ("COL", "announce_intent", "2022-03-10") in got
    assert ("QAT", "designate", "2022-03-10") in got
    assert ("COL", "designate", "2022-05-23") in got
    assert all("2022-03-01" <= e["date"] <= "2022-05-31" for e in res["events"])


def test_entails_mnna_benefits_with_citations() -> None:
    res = L.entails("Colombia", "2022-06-01")
    fws = {f["framework"]: f for f in res["frameworks"]}
    assert set(fws) == {"mnna", "rio"}
    assert fws["mnna"]["security_guarantee"] is False
    assert all(e["citation"] and e["sources"] for e in fws["mnna"]["entails"])


@pytest.mark.parametrize("bad", ["2022-02-30", "2022-13", "April 1", "22-04"])
def test_bad_dates(bad: str) -> None:
    with pytest.raises(BadDate):
        L.status("COL", bad)


def test_entails_says_which_conditional_benefits_apply() -> None:
    def applies(country: str, on: str) -> dict[str, str]:
        res = L.entails(country, on)
        mnna = [f for f in res["frameworks"] if f["framework"] == "mnna"][0]
        wanted = ("delg", "eda-priority")
        return {e["id"]: e["applies"] for e in mnna["entails"] if e["id"] in wanted}

    # loan guarantees: only MNNAs of 31 March 1995 (Israel yes, Colombia no);
    # EDA priority: named for the Philippines, decided case by case for others
    assert applies("Israel", "2024-01-01") == {"delg": "yes", "eda-priority": "conditional"}
    assert applies("Colombia", "2024-01-01") == {"delg": "no", "eda-priority": "conditional"}
    assert applies("Philippines", "2024-01-01") == {"delg": "no", "eda-priority": "yes"}


@pytest.mark.parametrize("name", ["SEATO", "Manila Pact", "manila"])
def test_framework_aliases(name: str) -> None:
    assert L.members(name, "1960-01-01")["framework"] == "manila"


def test_unknown_framework() -> None:
    with pytest.raises(UnknownFramework) as e:
        L.members("csto")
    assert str(e.value).startswith("unknown framework 'csto'; choose one of: mnna, nato")


def test_unknown_country() -> None:
    with pytest.raises(UnknownCountry):
        L.status("Atlantis")


def test_mini_ledger_uncertain_month(mini: Ledger) -> None:
    m = {x["iso3"]: x for x in mini.members("mnna", "2026-01-15")["members"]}
    assert (m["SAU"]["since"], m["SAU"]["precision"], m["SAU"]["uncertain"]) == (
        "2026-01",
        "month",
        True,
    )
    m2 = {x["iso3"]: x for x in mini.members("mnna", "2026-02-01")["members"]}
    assert m2["SAU"]["uncertain"] is False


@pytest.mark.parametrize(
    "row,problem",
    [
        (
            "x1,mnna,COL,designate,,2022-05-23,,title22,,reported,high,,https://example.org/x,",
            "mini.csv line 13: same designate of COL in mnna on 2022-05-23 as 'a3' "
            "(mini.csv line 4); merge the sources into one row\n"
            "mini.csv line 13: designate of COL in mnna on 2022-05-23 comes while its state "
            "is 'active' (check the lifecycle order)",
        ),
        (
            "x1,nato,FIN,accede,,2024-01-01,,,,reported,high,,https://example.org/x,",
            "mini.csv line 13: accede of FIN in nato on 2024-01-01 comes while its state is "
            "'active' (check the lifecycle order)",
        ),
        (
            "x1,mnna,*,designate,,2024-01-01,,title22,,reported,high,,https://example.org/x,",
            "mini.csv line 13, column country: '*' (the treaty as a whole) cannot designate; "
            "name a country",
        ),
        (
            "Bad Id!,mnna,PER,designate,,2024-01-01,,title22,,reported,high,,https://e.org/x,",
            "mini.csv line 13, column id: 'Bad Id!': use lowercase letters, digits and "
            "dashes, e.g. mnna-col-designate-2022",
        ),
        (
            "x1,mnna,EGY,designate,,1900-01-01,,title22,,reported,high,,https://example.org/x,",
            "mini.csv line 13: designate of EGY in mnna on 1900-01-01 is before mnna existed "
            "(1986-11-14); check the date",
        ),
        (
            "x1,mnna,TWN,notify_congress,designate,2003-08-29,,,,reported,low,,https://example.org/x,",
            "mini.csv line 13: notify_congress of TWN in mnna on 2003-08-29 comes while its "
            "state is 'active' (check the lifecycle order)",
        ),
    ],
)
def test_validation_catches_duplicates_anachronisms_late_notices(row: str, problem: str) -> None:
    with pytest.raises(DataError) as e:
        build_ledger(MINI_FRAMEWORKS, [("mini.csv", MINI_EVENTS + row + "\n")])
    assert e.value.problems == problem.split("\n")


def test_disputes_show_where_they_matter() -> None:
    def flagged(country: str, on: str) -> tuple[list[str], list[str]]:
        st = L.status(country, on)
        events = [d["event"] for s in st["statuses"] for d in s.get("disputed", [])]
        return events, st["security_guarantee"]["disputed_via"]

    # a status dispute (the contested 2019 re-accession) stays visible
    assert flagged("Venezuela", "2024-01-01") == (["rio-ven-join-2019"], ["rio"])
    # a date dispute (6 or 9 May 1955) only matters between the two dates
    assert flagged("Germany", "1955-05-07") == (["nato-deu-accede-1955"], ["nato"])
    assert flagged("Germany", "2024-01-01") == ([], [])


def test_history_periods_start_anew_when_a_withdrawal_becomes_pending() -> None:
    periods = [p for p in L.history("Mexico")["periods"] if p["framework"] == "rio"]
    assert [(p["state"], p["from"], p["until"], p["pending"]) for p in periods] == [
        ("announced", "1947-09-02", "1948-12-03", None),
        ("active", "1948-12-03", "2001-09-07", None),
        ("active", "2001-09-07", "2004-09", "withdraw"),
        ("former", "2004-09", None, None),
    ]


def test_the_guarantor_is_told_apart() -> None:
    usa = L.status("USA", "2020-01-01")["security_guarantee"]
    assert usa["value"] is True and "other parties' commitment" in usa["note"]
    assert "note" not in L.status("COL", "2020-01-01")["security_guarantee"]


def test_members_show_disputes_and_suspended_parties() -> None:
    m = L.members("mnna", "2004-02-01")
    kwt = next(x for x in m["members"] if x["iso3"] == "KWT")
    assert [d["event"] for d in kwt["disputed"]] == ["mnna-kwt-designate-2004"]
    anzus = L.members("anzus", "2000-01-01")
    assert [x["iso3"] for x in anzus["members"]] == ["AUS", "USA"]
    assert [x["iso3"] for x in anzus["suspended"]] == ["NZL"]
    assert L.members("anzus", "1980-01-01")["suspended"] == []


def test_guarantee_caveats_are_dated_and_shown() -> None:
    caveat = """
[[framework.guarantee_caveats]]
since = 2010-01-01
note = "the treaty body was wound up"
sources = ["https://example.org/wound-up"]
"""
    led = build_ledger(MINI_FRAMEWORKS + caveat, [("mini.csv", MINI_EVENTS)])
    assert "caveats" not in led.status("COL", "2009-12-31")["security_guarantee"]
    assert led.status("COL", "2010-01-01")["security_guarantee"]["caveats"] == [
        {"framework": "rio", "note": "the treaty body was wound up"}
    ]
    nzl = L.status("NZL", "2020-01-01")["security_guarantee"]
    assert [c["framework"] for c in nzl["caveats"]] == ["manila"]


def test_misspelt_framework_keys_are_errors() -> None:
    with pytest.raises(DataError) as e:
        build_ledger(MINI_FRAMEWORKS + 'guarante_citation = "x"\n', [("mini.csv", MINI_EVENTS)])
    assert e.value.problems[0].startswith(
        "frameworks.toml framework rio: unknown key 'guarante_citation'; known keys: "
    )


def test_future_days_are_answered_with_a_warning() -> None:
    far = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    for answer in (L.status("COL", far), L.members("nato", far), L.entails("COL", far)):
        assert answer["warnings"] == [
            f"{far} is in the future: the answer assumes nothing changes after today, apart "
            "from steps already recorded with a future date"
        ]
    assert "warnings" not in L.status("COL", dt.date.today().isoformat())
