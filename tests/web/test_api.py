"""JSON API: every route's happy path compared whole against the library's own output, every
failure path in the one error shape, the 2 MB cap and the security headers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from allies.web import create_app
from allies.web.bodies import MAX_BODY

DAYS = ["2022-04-01", "2022-06-01", "1950-01-01"]


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.parametrize("name", ["COL", "Colombia", "colombian", "co"])
def test_status_matches_library(
    client: Any, ledger: Any, uncited: Any, name: str, on: str
) -> None:
    r = client.get(f"/api/status/{name}", params={"on": on})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert uncited(r.json(), f"/api/status/COL?on={on}") == ledger.status("COL", on)


def test_status_default_day_is_today(client: Any, ledger: Any, uncited: Any) -> None:
    today = ledger.status("COL")["on"]
    body = client.get("/api/status/COL").json()
    assert uncited(body, f"/api/status/COL?on={today}") == ledger.status("COL")


def test_status_colombia_facts(client: Any) -> None:
    def mnna(on: str) -> dict[str, Any]:
        st = client.get(f"/api/status/COL?on={on}").json()
        return next(s for s in st["statuses"] if s["framework"] == "mnna")

    assert mnna("2022-04-01")["state"] == "announced"
    active = mnna("2022-06-01")
    assert active["state"] == "active" and active["since"] == "2022-05-23"
    g = client.get("/api/status/COL?on=2022-06-01").json()["security_guarantee"]
    assert g["value"] is True and "rio" in g["via"] and "mnna" in g["not_via"]


def test_status_cache_returns_same_answer(client: Any, ledger: Any, uncited: Any) -> None:
    first = client.get("/api/status/Japan?on=2001-01-01").content
    assert client.get("/api/status/JPN?on=2001-01-01").content == first
    assert uncited(json.loads(first)) == ledger.status("JPN", "2001-01-01")


@pytest.mark.parametrize("on", DAYS)
def test_members_matches_library(client: Any, ledger: Any, uncited: Any, on: str) -> None:
    for fid in ledger.frameworks:
        r = client.get(f"/api/members/{fid}", params={"on": on})
        assert r.status_code == 200
        assert uncited(r.json(), f"/api/members/{fid}?on={on}") == ledger.members(fid, on)


def test_entails_matches_library(client: Any, ledger: Any, uncited: Any) -> None:
    r = client.get("/api/entails/colombia?on=2024-01-01")
    assert r.status_code == 200
    body = uncited(r.json(), "/api/entails/COL?on=2024-01-01")
    assert body == ledger.entails("COL", "2024-01-01")
    applies = {e["id"]: e["applies"] for f in r.json()["frameworks"] for e in f["entails"]}
    assert applies["delg"] == "no" and applies["coop-rd"] == "yes"


def test_history_matches_library(client: Any, ledger: Any, uncited: Any) -> None:
    for iso3 in ("COL", "NZL", "USA"):
        body = client.get(f"/api/history/{iso3}").json()
        assert uncited(body, f"/api/history/{iso3}") == ledger.history(iso3)


def test_changes_matches_library(client: Any, ledger: Any, uncited: Any) -> None:
    r = client.get("/api/changes", params={"since": "2022-01-01", "until": "2022-12-31"})
    link = "/api/changes?since=2022-01-01&until=2022-12-31"
    assert uncited(r.json(), link) == ledger.changes("2022-01-01", "2022-12-31")
    ids = {e["id"] for e in r.json()["events"]}
    assert any(e.id in ids for e in ledger.events if e.country == "COL"), "COL 2022 events"
    body = client.get("/api/changes?since=2020-01-01").json()
    assert uncited(body) == ledger.changes("2020-01-01")


def test_frameworks_and_version(client: Any, ledger: Any, uncited: Any) -> None:
    assert client.get("/api/frameworks").json() == ledger.frameworks_list()
    v = uncited(client.get("/api/version").json(), "/api/version")
    assert v == ledger.info.to_dict()
    for key in ("code_version", "data_version", "content_hash", "last_event_date"):
        assert v[key]


def test_openapi_document(client: Any, ledger: Any) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    ops = {(p, m) for p, item in spec["paths"].items() for m in item}
    assert ops == {
        ("/api/status/{country}", "get"),
        ("/api/members/{framework}", "get"),
        ("/api/entails/{country}", "get"),
        ("/api/history/{country}", "get"),
        ("/api/changes", "get"),
        ("/api/frameworks", "get"),
        ("/api/version", "get"),
        ("/api/read", "post"),
        ("/api/check", "post"),
    }
    fw_param = spec["paths"]["/api/members/{framework}"]["get"]["parameters"][0]
    assert fw_param["schema"]["enum"] == list(ledger.frameworks)
    for item in spec["paths"].values():
        for op in item.values():
            for code, resp in op["responses"].items():
                if code != "200":
                    assert resp["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"
                    }


def test_api_docs_page_lists_every_route(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    html = client.get("/api/docs").text
    for path, item in spec["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    scripts = re.findall(r"<script[^>]*>", html)  # no CDN, nothing fetched from outside
    assert scripts == ['<script src="/static/site.js" defer>']


# -- failures ---------------------------------------------------------------------------------

BAD_GETS = [
    ("/api/status/Narnia", 404),
    ("/api/status/COL?on=2022-13-01", 400),
    ("/api/status/COL?on=2022-02-30", 400),
    ("/api/status/COL?on=yesterday", 400),
    ("/api/status/COL?on=2022-13", 400),
    ("/api/status/COL?on=2022-04-01&on=2022-04-02", 400),
    ("/api/status/" + "x" * 300, 400),
    ("/api/members/warsaw-pact", 404),
    ("/api/members/mnna?on=20220601", 400),
    ("/api/history/Atlantis", 404),
    ("/api/changes", 400),
    ("/api/changes?since=", 400),
    ("/api/changes?since=2022-1-1", 400),
    ("/api/nope", 404),
    ("/api/", 404),
    ("/api/status/", 404),
    ("/index.json?on=bad", 400),
    ("/country/Narnia.json", 404),
    ("/country/COL.json?on=1-1-1", 400),
    ("/framework/warsaw-pact.json", 404),
    ("/nope.json", 404),
    # unknown parameters: refused on the API and the .json twins (HTML pages ignore them)
    ("/api/status/COL?date=2022-04-01", 400),
    ("/api/members/mnna?on=2022-04-01&x=1", 400),
    ("/api/history/COL?on=2022-04-01", 400),
    ("/api/changes?since=2022-01-01&to=2022-02-01", 400),
    ("/api/frameworks?x", 400),
    ("/api/version?verbose=1", 400),
    ("/openapi.json?x=1", 400),
    ("/index.json?date=2022-04-01", 400),
    ("/country/COL.json?x=1", 400),
    ("/framework/mnna.json?x=1", 400),
    ("/check.json?x=1", 400),
    ("/api/docs.json?x=1", 400),
]


@pytest.mark.parametrize("url,status", BAD_GETS)
def test_bad_requests_use_one_error_shape(
    client: Any, assert_error: Any, url: str, status: int
) -> None:
    body = assert_error(client.get(url), status)
    if "unknown parameter" in body["error"]:
        assert "accepts" in body["error"]
    elif status == 400 and "on=" in url and "&on=" not in url:
        assert "YYYY-MM-DD" in body["error"]


def test_unknown_parameter_is_named_with_the_accepted_ones(client: Any, assert_error: Any) -> None:
    body = assert_error(client.get("/api/status/COL?date=2022-04-01"), 400)
    assert "'date'" in body["error"] and "'on'" in body["error"]
    body = assert_error(client.get("/api/changes?since=2022-01-01&to=2022-02-01"), 400)
    assert "'to'" in body["error"] and "'since'" in body["error"] and "'until'" in body["error"]
    body = assert_error(client.get("/api/version?verbose=1"), 400)
    assert "'verbose'" in body["error"] and "no parameters" in body["error"]
    r = client.post("/api/read?lang=en", content=b"Hello", headers={"content-type": "text/plain"})
    body = assert_error(r, 400)
    assert "'lang'" in body["error"] and "'published'" in body["error"]
    # the HTML pages ignore unknown parameters (links may carry tracking tags)
    assert client.get("/?on=2022-04-01&utm_source=x").status_code == 200
    assert client.get("/country/COL?utm_source=x").status_code == 200


def test_changes_with_until_before_since_is_an_empty_answer(client: Any) -> None:
    r = client.get("/api/changes?since=2022-01-01&until=2021-01-01")
    assert r.status_code == 200
    body = r.json()
    assert body["since"] == "2022-01-01" and body["until"] == "2021-01-01"
    assert body["count"] == 0 and body["events"] == []
    assert "swap" in body["warnings"][0]


def test_error_messages_name_input_and_fix(client: Any, assert_error: Any) -> None:
    body = assert_error(client.get("/api/status/Colombai"), 404)
    assert "Colombai" in body["error"] and "Colombia" in body["error"]
    body = assert_error(client.get("/api/members/warsaw"), 404)
    assert "warsaw" in body["error"] and "mnna" in body["error"]
    body = assert_error(client.get("/api/changes"), 400)
    assert "since" in body["error"]


@pytest.mark.parametrize(
    "method,url",
    [
        ("POST", "/api/status/COL"),
        ("DELETE", "/api/version"),
        ("GET", "/api/read"),
        ("PUT", "/api/check"),
        ("POST", "/index.json"),
    ],
)
def test_method_not_allowed(client: Any, assert_error: Any, method: str, url: str) -> None:
    r = client.request(method, url)
    body = assert_error(r, 405)
    assert method in body["error"]
    assert r.headers.get("allow")


def test_html_routes_get_html_errors(client: Any) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "/no/such/page" in r.text and "<footer" in r.text
    r = client.post("/")
    assert r.status_code == 405 and r.headers["content-type"].startswith("text/html")
    r = client.get("/country/Narnia")
    assert r.status_code == 404 and "Narnia" in r.text
    r = client.get("/?on=2022-99-01")
    assert r.status_code == 400 and "YYYY-MM-DD" in r.text


def test_uncaught_exception_is_a_generic_500(ledger: Any, assert_error: Any) -> None:
    from starlette.testclient import TestClient

    app = create_app(ledger)

    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("secret internals at /home/x.py line 3")

    app.state.site.ledger = type("Broken", (), {"__getattr__": lambda self, n: boom})()
    with TestClient(app, raise_server_exceptions=False) as c:
        for url in ("/api/version", "/api/members/mnna"):
            r = c.get(url)
            body = assert_error(r, 500)
            assert "secret" not in r.text and "Traceback" not in r.text
            assert r.headers["x-content-type-options"] == "nosniff"
            assert "generic" not in body["error"]
        r = c.get("/framework/mnna")
        assert r.status_code == 500 and "secret" not in r.text
        assert r.headers["content-type"].startswith("text/html")


# -- request bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/read", "/api/check"])
def test_body_over_2mb_is_413(client: Any, assert_error: Any, url: str) -> None:
    big = b"a" * (MAX_BODY + 1)
    body = assert_error(client.post(url, content=big, headers={"content-type": "text/plain"}), 413)
    assert "2 MB" in body["error"]


def test_streamed_body_over_2mb_is_413(client: Any, assert_error: Any) -> None:
    def chunks() -> Any:  # no Content-Length: chunked transfer, counted as it streams
        for _ in range(3):
            yield b"b" * (1024 * 1024)

    r = client.post("/api/read", content=chunks(), headers={"content-type": "text/plain"})
    assert "content-length" not in r.request.headers
    assert_error(r, 413)


def test_lying_content_length_is_still_capped(app: Any, assert_error: Any) -> None:
    import asyncio

    from starlette.requests import Request

    from allies.web.bodies import read_capped
    from allies.web.errors import TooLarge

    async def run() -> None:
        msgs = [
            {"type": "http.request", "body": b"x" * (MAX_BODY // 2), "more_body": True},
            {"type": "http.request", "body": b"x" * (MAX_BODY // 2 + 10), "more_body": False},
        ]

        async def receive() -> dict[str, Any]:
            return msgs.pop(0)

        scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"10")]}
        with pytest.raises(TooLarge):
            await read_capped(Request(scope, receive))

    asyncio.run(run())


BAD_BODIES = [
    ({"content-type": "text/plain"}, b"", 400),
    ({"content-type": "text/plain"}, b"   \n ", 400),
    ({"content-type": "text/plain"}, b"\xff\xfe bad", 400),
    ({"content-type": "text/plain"}, b"nul \x00 byte", 400),
    ({"content-type": "application/json"}, b"{not json", 400),
    ({"content-type": "application/json"}, b"[1, 2]", 400),
    ({"content-type": "application/json"}, b'{"text": 5}', 400),
    ({"content-type": "application/json"}, b'{"url": "https://x"}', 400),
    ({"content-type": "application/json"}, b'{"text": "a", "published": "May 1"}', 400),
    ({"content-type": "application/json"}, b'{"text": "a", "html": "<p>b</p>"}', 400),
    ({"content-type": "application/json"}, b'{"text": "a", "html": null}', 400),
    ({"content-type": "application/x-www-form-urlencoded"}, b"text=a&html=%3Cp%3Eb", 400),
    ({"content-type": "application/x-www-form-urlencoded"}, b"text=a&published=", 400),
    ({"content-type": "application/x-www-form-urlencoded"}, b"title=x", 400),
    ({"content-type": "image/png"}, b"\x89PNG", 415),
]


@pytest.mark.parametrize("headers,body,status", BAD_BODIES)
def test_bad_bodies(
    client: Any, assert_error: Any, headers: dict[str, str], body: bytes, status: int
) -> None:
    pytest.importorskip("allies.read")
    assert_error(client.post("/api/read", content=body, headers=headers), status)
    assert_error(client.post("/api/check", content=body, headers=headers), status)


def test_both_text_and_html_is_a_400_saying_send_one(client: Any, assert_error: Any) -> None:
    pytest.importorskip("allies.read")
    r = client.post("/api/check", json={"text": "a", "html": "<p>b</p>"})
    body = assert_error(r, 400)
    assert "both" in body["error"] and "one of them" in body["error"]


def test_form_body_is_read_like_json(client: Any) -> None:
    pytest.importorskip("allies.read")
    text = "On Monday President Biden designated Colombia as a major non-NATO ally."
    form = {"text": text, "published": "2022-05-24"}
    as_form = client.post("/api/check", data=form)
    assert as_form.status_code == 200
    assert as_form.json() == client.post("/api/check", json=form).json()


def test_html_with_no_readable_text_is_an_empty_reading(client: Any) -> None:
    pytest.importorskip("allies.read")
    for url in ("/api/read", "/api/check"):
        r = client.post(url, content=b"<p></p>", headers={"content-type": "text/html"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["events"] == [] and body["claims"] == [] and body["text"] == ""
        assert "no readable text" in body["warnings"][0]


def test_bad_published_query(client: Any, assert_error: Any) -> None:
    pytest.importorskip("allies.read")
    r = client.post(
        "/api/read?published=2022-13-45", content=b"Hello", headers={"content-type": "text/plain"}
    )
    body = assert_error(r, 400)
    assert "published" in body["error"]


# -- security headers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,url",
    [
        ("GET", "/"),
        ("GET", "/api/status/COL"),
        ("GET", "/api/nope"),
        ("GET", "/nope"),
        ("POST", "/api/version"),
        ("GET", "/static/style.css"),
        ("GET", "/static/nope.css"),
        ("GET", "/openapi.json"),
        ("GET", "/country/colombia"),
    ],
)
def test_security_headers(client: Any, method: str, url: str) -> None:
    r = client.request(method, url, follow_redirects=False)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"


def test_unknown_body_fields_are_400s_and_two_dates_warn(client: Any) -> None:
    r = client.post("/api/read", json={"text": "NATO invited Finland.", "publised": "2022-06-29"})
    assert (r.status_code, r.json()["error"]) == (
        400,
        "unknown JSON field 'publised'; it accepts: text, html, published, url, title",
    )
    r = client.post(
        "/api/read?published=2022-06-30",
        json={"text": "NATO invited Finland.", "published": "2022-06-29"},
    )
    assert r.status_code == 200 and r.json()["published"] == "2022-06-29"
    assert r.json()["warnings"] == [
        "'published' given twice: the body's 2022-06-29 was used, not the query's "
        "2022-06-30; give it once"
    ]


@pytest.mark.parametrize("published", [None, "2023-05-01"])
def test_checked_answers_match_the_schema(client: Any, published: str | None) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # comes with schemathesis
    text = (
        "Brazil, which joined NATO in 2019, said so. Saudi Arabia was designated a major "
        "non-NATO ally on Tuesday. Afghanistan, a major non-NATO ally of the United States, "
        "spoke."
    )
    body: dict[str, Any] = {"text": text}
    if published:
        body["published"] = published
    doc = client.post("/api/check", json=body).json()
    verdicts = [x["verdict"] for x in (*doc["events"], *doc["claims"])]
    # Brazil's "in 2019" needs no publication date; "on Tuesday" and the claim do
    assert verdicts == (
        ["contradicted", "undated", "undated"] if published is None else ["contradicted"] * 3
    )
    spec = client.get("/openapi.json").json()
    jsonschema_rs.validate({**spec, "$ref": "#/components/schemas/Checked"}, doc)
    fws = client.get("/api/frameworks").json()
    framework = {**spec, "type": "array", "items": {"$ref": "#/components/schemas/Framework"}}
    jsonschema_rs.validate(framework, fws)
