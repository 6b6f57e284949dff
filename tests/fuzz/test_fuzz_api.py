"""Fuzz every API parameter: whatever the path parameter, query parameters or article body,
the answer is never a 5xx, and every JSON error has the one error shape."""

from __future__ import annotations

import json
import warnings
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from allies.web import create_app

from . import FUZZ


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


words = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["COL", "colombia", "nato", "mnna", "2022-01-01", "0001-01-01",
                     "9999-12-31", "2022-02-30", "", "..", "%00", "-1", "1e9", "today"]),
)
GETS = ["/api/status/{}", "/api/members/{}", "/api/entails/{}", "/api/history/{}",
        "/country/{}", "/framework/{}", "/country/{}.json", "/framework/{}.json"]
PARAMS = ["on", "since", "until", "published", "x"]


def _get(client: Any, url: str) -> None:
    r = client.get(url)
    assert r.status_code < 500, (url, r.status_code, r.text[:200])
    if r.status_code >= 400 and r.headers.get("content-type", "").startswith("application/json"):
        doc = r.json()
        assert set(doc) == {"ok", "status", "error"} and doc["status"] == r.status_code


@FUZZ
@given(route=st.sampled_from(GETS), name=words,
       params=st.lists(st.tuples(st.sampled_from(PARAMS), words), max_size=3))
def test_get_routes_with_any_parameters(
    fuzz: Any, client: Any, route: str, name: str, params: list[tuple[str, str]]
) -> None:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
    url = route.format(quote(name, safe="")) + (f"?{query}" if query else "")
    fuzz.probe("api GET", _get, client, url)


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(PARAMS), words), max_size=3))
def test_changes_with_any_parameters(fuzz: Any, client: Any, params: list[tuple[str, str]]) -> None:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
    fuzz.probe("api changes", _get, client, f"/api/changes?{query}")


def _post(client: Any, url: str, body: bytes, ctype: str) -> None:
    r = client.post(url, content=body, headers={"content-type": ctype})
    assert r.status_code < 500, (url, r.status_code, r.text[:200])
    if url.startswith("/api/") and r.status_code >= 400:
        doc = r.json()
        assert set(doc) == {"ok", "status", "error"} and doc["status"] == r.status_code


bodies = st.one_of(
    st.binary(max_size=200),
    st.dictionaries(st.sampled_from(["text", "html", "published", "url", "title", "x"]),
                    st.one_of(words, st.integers(), st.none(), st.lists(words, max_size=2)),
                    max_size=4).map(lambda d: json.dumps(d).encode()),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(url=st.sampled_from(["/api/read", "/api/check", "/check.json"]), body=bodies,
       ctype=st.sampled_from(["text/plain", "application/json", "text/html",
                              "application/x-www-form-urlencoded", "image/png", ""]),
       published=st.one_of(st.none(), words))
def test_article_routes_with_any_body(
    fuzz: Any, client: Any, url: str, body: bytes, ctype: str, published: str | None
) -> None:
    if published is not None:
        url += f"?published={quote(published, safe='')}"
    fuzz.probe("api POST", _post, client, url, body, ctype)
