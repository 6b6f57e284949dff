"""Read-only GETs of the API and the data twins send `Access-Control-Allow-Origin: *` (a
notebook on another origin can call a local server); POSTs and the HTML pages do not."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "url",
    ["/api/status/COL", "/api/frameworks", "/openapi.json", "/index.json", "/country/COL.csv",
     "/api/status/Qqqzzz"],
)
def test_read_only_gets_allow_any_origin(client: Any, url: str) -> None:
    r = client.get(url, headers={"Origin": "http://localhost:8888"})
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("url", ["/api/read", "/api/check", "/check.json"])
def test_posts_do_not(client: Any, url: str) -> None:
    r = client.post(url, content=b"Colombia was designated an MNNA.",
                    headers={"Origin": "http://localhost:8888", "Content-Type": "text/plain"})
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize("url", ["/", "/country/COL", "/check"])
def test_html_pages_do_not(client: Any, url: str) -> None:
    assert "access-control-allow-origin" not in client.get(url).headers
