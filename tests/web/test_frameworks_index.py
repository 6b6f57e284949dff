"""The frameworks index at /frameworks (and its twins), the nav link to it, and framework
pages linking each other."""

from __future__ import annotations

import re
from typing import Any


def test_index_lists_every_framework_with_members(client: Any, ledger: Any, uncited: Any) -> None:
    data = uncited(client.get("/frameworks.json?on=2022-06-01").json(),
                   "/frameworks.json?on=2022-06-01")
    assert data["on"] == "2022-06-01"
    assert [f["id"] for f in data["frameworks"]] == list(ledger.frameworks)
    for f in data["frameworks"]:
        m = ledger.members(f["id"], "2022-06-01")
        assert f["members"] == m["count"] and f["suspended"] == len(m["suspended"])
        assert f["security_guarantee"] == ledger.frameworks[f["id"]].security_guarantee
    page = client.get("/frameworks?on=2022-06-01").text
    rows = re.findall(r'<tr id="fw-([\w-]+)">(.*?)</tr>', page, re.S)
    assert [r[0] for r in rows] == list(ledger.frameworks)
    for (fid, row), f in zip(rows, data["frameworks"], strict=True):
        assert f'<a href="/framework/{fid}?on=2022-06-01">' in row
        assert f"<td>{f['members']}" in row


def test_nav_goes_to_the_index(client: Any) -> None:
    for url in ("/", "/frameworks", "/framework/mnna", "/check"):
        nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', client.get(url).text, re.S)
        assert nav and '<a href="/frameworks"' in nav.group(1), url
    page = client.get("/frameworks").text
    assert '<a href="/frameworks" aria-current="page">' in page


def test_framework_pages_link_each_other(client: Any, ledger: Any) -> None:
    for fid in ledger.frameworks:
        page = client.get(f"/framework/{fid}?on=2000-01-01").text
        nav = re.search(r'<nav class="others"[^>]*>(.*?)</nav>', page, re.S)
        assert nav, fid
        links = re.findall(r'href="/framework/([\w-]+)\?on=2000-01-01"', nav.group(1))
        assert links == [f for f in ledger.frameworks if f != fid]
        assert 'href="/frameworks?on=2000-01-01"' in nav.group(1)


def test_index_refuses_unknown_parameters_on_twins_only(client: Any, assert_error: Any) -> None:
    assert client.get("/frameworks?utm_source=x").status_code == 200
    assert_error(client.get("/frameworks.json?utm_source=x"), 400)
    assert_error(client.get("/frameworks.json?on=2022-13-01"), 400)
