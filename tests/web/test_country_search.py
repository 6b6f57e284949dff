"""Find a country from every page: the search box resolves names, codes and demonyms as the
CLI does, suggests countries, and a miss gets "Did you mean" links."""

from __future__ import annotations

import re
from typing import Any

import pytest

PAGES = ["/", "/country/COL", "/framework/nato", "/frameworks", "/changes", "/check", "/api/docs"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_search_form(client: Any, url: str) -> None:
    page = client.get(url).text
    form = re.search(r'<form class="search" method="get" action="/search"[^>]*>(.*?)</form>',
                     page, re.S)
    assert form, url
    assert 'name="q"' in form.group(1) and 'list="q-list"' in form.group(1)
    assert '<datalist id="q-list">' in form.group(1)
    assert '<script src="/static/site.js" defer></script>' in page


@pytest.mark.parametrize("q", ["Colombia", "colombian", "COL", "co", "  colombia ", "Korea, South",
                               "south korean", "Türkiye", "UK", "the netherlands"])
def test_search_resolves_as_the_cli_does(client: Any, ledger: Any, q: str) -> None:
    r = client.get("/search", params={"q": q}, follow_redirects=False)
    try:
        iso3 = ledger.country(q.strip()).iso3
    except Exception:
        assert r.status_code == 404
        return
    assert r.status_code == 302
    assert r.headers["location"] == f"/country/{iso3}"


def test_search_keeps_the_date(client: Any) -> None:
    r = client.get("/search?q=colombia&on=2022-04-01", follow_redirects=False)
    assert r.headers["location"] == "/country/COL?on=2022-04-01"


def test_a_miss_is_a_404_with_did_you_mean_links(client: Any) -> None:
    for url in ("/search?q=Colmbia", "/country/Colmbia"):
        r = client.get(url)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        m = re.search(r'<p class="didyoumean" id="didyoumean">(.*?)</p>', r.text)
        assert m, url
        assert m.group(1) == 'Did you mean <a href="/country/COL">Colombia</a>?'


def test_a_miss_without_suggestions_has_no_did_you_mean(client: Any) -> None:
    r = client.get("/country/Qqqzzz")
    assert r.status_code == 404 and "Qqqzzz" in r.text and "didyoumean" not in r.text


def test_json_errors_keep_their_shape(client: Any, assert_error: Any) -> None:
    body = assert_error(client.get("/api/status/Colmbia"), 404)
    assert "Colombia" in body["error"]
    assert_error(client.get("/country/Colmbia.json"), 404)


def test_empty_search_says_what_to_type(client: Any) -> None:
    r = client.get("/search?q=")
    assert r.status_code == 400 and "type a country name" in r.text


@pytest.mark.parametrize(
    "q,first",
    [("colo", "COL"), ("colombian", "COL"), ("usa", "USA"), ("Kiwi", None), ("germ", "DEU"),
     ("Colmbia", "COL"), ("phil", "PHL")],
)
def test_suggestions(client: Any, ledger: Any, q: str, first: str | None) -> None:
    body = client.get("/search.json", params={"q": q}).json()
    assert body["q"] == q
    got = body["suggestions"]
    assert len(got) <= 8
    for s in got:  # every suggestion is a country the search resolves
        assert set(s) == {"iso3", "name", "match"}
        assert ledger.country(s["iso3"]).name == s["name"]
    if first is not None:
        assert got and got[0]["iso3"] == first, got


def test_no_suggestion_for_a_former_state(client: Any) -> None:
    """East Germany is not in the ledger: no look-alike (West Germany) is offered."""
    assert client.get("/search.json?q=east germany").json()["suggestions"] == []
    r = client.get("/search?q=east germany")
    assert r.status_code == 404 and "German Democratic Republic" in r.text


def test_suggestions_refuse_unknown_parameters(client: Any, assert_error: Any) -> None:
    assert_error(client.get("/search.json?q=co&x=1"), 400)
