"""The home page (the map) is rendered once per day and data version, then served from
memory with an ETag (a repeat visit gets 304) and gzip."""

from __future__ import annotations

import warnings
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from allies.web import create_app


def test_etag_and_304(client: Any) -> None:
    r = client.get("/?on=2022-06-01")
    etag = r.headers["etag"]
    assert etag.startswith('"') and r.headers["cache-control"] == "no-cache"
    again = client.get("/?on=2022-06-01", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    weak = client.get("/?on=2022-06-01", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    other = client.get("/?on=1960-01-01")
    assert other.headers["etag"] != etag
    assert client.get("/?on=1960-01-01", headers={"If-None-Match": etag}).status_code == 200


def test_gzip_is_the_same_page(app: Any) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as c:
        plain = c.get("/?on=2022-06-01", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        raw = c.get("/?on=2022-06-01", headers={"Accept-Encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip"
        assert raw.headers["vary"] == "Accept-Encoding"
        assert raw.text == plain.text  # httpx decodes it
        assert int(raw.headers["content-length"]) < len(plain.content) / 3


def test_cached_page_is_the_page(ledger: Any) -> None:
    """A fresh app and a warm one serve the same bytes for the same day."""
    a = TestClient(create_app(ledger), base_url="http://127.0.0.1")
    b = TestClient(create_app(ledger), base_url="http://127.0.0.1")
    first = a.get("/?on=2022-06-01").content
    assert a.get("/?on=2022-06-01").content == first
    assert b.get("/?on=2022-06-01&utm_source=x").content == first
