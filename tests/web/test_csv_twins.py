"""Every table page has a CSV twin beside its `.json`, with the same rows, linked from the
page, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from allies.web.respond import csv_text, safe_cell


def rows(resp: Any) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.text[:200]
    assert resp.headers["content-type"] == "text/csv; charset=utf-8"
    assert resp.headers["content-disposition"].startswith('attachment; filename="allies-')
    return list(csv.DictReader(io.StringIO(resp.text)))


def test_country_csv_is_the_periods_table(client: Any, ledger: Any) -> None:
    got = rows(client.get("/country/COL.csv?on=2022-06-01"))
    want = [
        {"iso3": "COL", "framework": p["framework"], "state": p["state"], "from": p["from"],
         "until": p["until"] or "", "pending": p["pending"] or ""}
        for p in ledger.history("COL")["periods"]
    ]
    assert got == want


def test_framework_csv_is_the_members_table(client: Any, ledger: Any) -> None:
    got = rows(client.get("/framework/mnna.csv?on=2022-06-01"))
    members = ledger.members("mnna", "2022-06-01")["members"]
    assert [r["iso3"] for r in got] == [m["iso3"] for m in members]
    for r, m in zip(got, members, strict=True):
        assert r["framework"] == "mnna" and r["on"] == "2022-06-01"
        assert r["name"] == m["name"] and r["since"] == (m.get("since") or "")
        assert r["treated_as"] == ("true" if m.get("treated_as") else "false")


def test_changes_csv_is_the_changes_list(client: Any, ledger: Any) -> None:
    got = rows(client.get("/changes.csv?since=2022-01-01&until=2022-12-31"))
    events = ledger.changes("2022-01-01", "2022-12-31")["events"]
    assert [(r["id"], r["date"], r["country"], r["action"]) for r in got] == [
        (e["id"], e["date"], e["country"], e["action"]) for e in events
    ]
    assert all(r["sources"] for r in got)


def test_home_and_index_csv(client: Any) -> None:
    data = client.get("/index.json?on=2022-06-01").json()
    got = rows(client.get("/index.csv?on=2022-06-01"))
    assert [r["iso3"] for r in got] == [c["iso3"] for c in data["countries"]]
    col = next(r for r in got if r["iso3"] == "COL")
    assert col["category"] == "treaty" and col["also"] == "mnna"
    assert col["statuses"] == "mnna:active; rio:active"
    fws = rows(client.get("/frameworks.csv?on=2022-06-01"))
    index = client.get("/frameworks.json?on=2022-06-01").json()["frameworks"]
    assert [(r["id"], r["members"]) for r in fws] == [(f["id"], str(f["members"])) for f in index]


@pytest.mark.parametrize(
    "page,twin",
    [
        ("/country/COL?on=2022-06-01", "/country/COL.csv?on=2022-06-01"),
        ("/framework/mnna?on=2022-06-01", "/framework/mnna.csv?on=2022-06-01"),
        ("/changes?since=2022-01-01&until=2022-12-31",
         "/changes.csv?since=2022-01-01&amp;until=2022-12-31"),
        ("/?on=2022-06-01", "/index.csv?on=2022-06-01"),
        ("/frameworks?on=2022-06-01", "/frameworks.csv?on=2022-06-01"),
    ],
)
def test_pages_link_their_csv_beside_the_json(client: Any, page: str, twin: str) -> None:
    html = client.get(page).text
    assert f'<a href="{twin}" class="csv-link" download>' in html
    assert client.get(twin.replace("&amp;", "&")).status_code == 200


def test_csv_twins_check_their_parameters(client: Any, assert_error: Any) -> None:
    assert_error(client.get("/country/COL.csv?on=2022-02-30"), 400)
    assert_error(client.get("/framework/mnna.csv?x=1"), 400)
    assert_error(client.get("/changes.csv?since=2023-01-01&until=2022-01-01"), 400)
    r = client.get("/country/colombia.csv?on=2022-06-01", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/country/COL.csv?on=2022-06-01"


def test_cells_that_start_a_formula_are_quoted() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("-2") == "'-2" and safe_cell("@x") == "'@x"
    assert safe_cell(None) == "" and safe_cell(True) == "true" and safe_cell(["a", "b"]) == "a; b"
    assert csv_text(("a", "b"), [("=1", 'say "hi"')]) == 'a,b\r\n\'=1,"say ""hi"""\r\n'
