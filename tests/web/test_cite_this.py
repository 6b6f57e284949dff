"""A "cite this" line on every page and a `cite` block in every API answer about the ledger:
data version, content hash, and a permalink with the date in its URL that gives the same
answer."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest


@pytest.mark.parametrize(
    "url,link",
    [
        ("/?on=2022-06-01", "/?on=2022-06-01"),
        ("/country/COL?on=2022-06-01", "/country/COL?on=2022-06-01"),
        ("/framework/nato?on=1990-01-01", "/framework/nato?on=1990-01-01"),
        ("/frameworks?on=2022-06-01", "/frameworks?on=2022-06-01"),
        ("/changes?since=2022-01-01&until=2022-12-31",
         "/changes?since=2022-01-01&until=2022-12-31"),
    ],
)
def test_pages_show_a_citation(client: Any, ledger: Any, url: str, link: str) -> None:
    page = client.get(url).text
    m = re.search(r'<p class="cite-this" id="cite">(.*?)</p>', page, re.S)
    assert m, url
    line = htmllib.unescape(m.group(1))
    info = ledger.info
    full = "http://127.0.0.1" + link
    assert f"data version {info.data_version}" in line
    assert f"content hash <code>{info.content_hash}</code>" in line
    assert f'permalink <a href="{full}" class="permalink">{full}</a>' in line


@pytest.mark.parametrize("url", ["/check", "/api/docs"])
def test_pages_without_a_date_cite_their_path(client: Any, ledger: Any, url: str) -> None:
    page = client.get(url).text
    assert f'<a href="http://127.0.0.1{url}" class="permalink">' in page
    assert f"content hash <code>{ledger.info.content_hash}</code>" in page


def test_a_page_without_a_date_cites_today(client: Any, ledger: Any) -> None:
    today = ledger.status("COL")["on"]
    page = client.get("/country/COL").text
    assert f'href="http://127.0.0.1/country/COL?on={today}" class="permalink"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/api/status/colombia",
        "/api/members/nato?on=1999-03-12",
        "/api/entails/COL?on=2022-06-01",
        "/api/history/COL",
        "/api/changes?since=2022-01-01",
        "/api/version",
        "/index.json",
        "/country/COL.json",
        "/framework/rio.json",
        "/frameworks.json",
        "/changes.json",
    ],
)
def test_permalink_gives_the_same_answer(client: Any, url: str) -> None:
    body = client.get(url).json()
    link = body["cite"]["permalink"]
    assert link.startswith("http://127.0.0.1/")
    again = client.get(link.removeprefix("http://127.0.0.1")).json()
    assert again == body
    if "on" in body:
        assert f"on={body['on']}" in link
    if "since" in body:
        assert f"since={body['since']}" in link and f"until={body['until']}" in link


def test_cite_is_a_new_key_only(client: Any, ledger: Any) -> None:
    body = client.get("/api/status/COL?on=2022-06-01").json()
    assert set(body) == set(ledger.status("COL", "2022-06-01")) | {"cite"}
