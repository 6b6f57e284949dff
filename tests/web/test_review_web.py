"""Web review behind a token: read-only by default; with a token, /review shows the queue and
takes decisions from the token holder only, same-origin only, rate-limited."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from allies.ledger import load_ledger  # noqa: E402
from allies.review import Store, read_audit  # noqa: E402
from allies.web import create_app  # noqa: E402
from allies.web.review import RateLimit, ReviewConfig  # noqa: E402
from review_helpers import syndicated  # noqa: E402

TOKEN = "s3cret-token-for-tests-0123456789"
ORIGIN = "http://127.0.0.1"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[TestClient, ReviewConfig, Path]:
    store = tmp_path / "q.sqlite"
    with Store(store) as s:
        s.import_docs(syndicated(3))
    cfg = ReviewConfig(TOKEN, store=str(store), events_file=str(tmp_path / "mine.csv"),
                       reviewer="desk")
    client = TestClient(create_app(load_ledger(), review=cfg), base_url=ORIGIN)
    return client, cfg, tmp_path


def login(client: TestClient) -> Any:
    return client.post("/review/login", data={"token": TOKEN}, headers={"Origin": ORIGIN},
                       follow_redirects=False)


def test_read_only_by_default(client: Any) -> None:
    assert client.get("/review").status_code == 404
    assert client.post("/review/1/accept").status_code in (404, 405)


def test_wrong_or_missing_token_is_a_bare_401(setup: Any) -> None:
    client, _, _ = setup
    page = client.get("/review")
    assert page.status_code == 401 and 'name="token"' in page.text
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = client.post("/review/1/accept", headers=headers)
        assert r.status_code == 401
        assert r.json() == {"ok": False, "status": 401, "error": "authentication required"}
    bad = client.post("/review/login", data={"token": "nope"}, headers={"Origin": ORIGIN})
    assert bad.status_code == 401 and "set-cookie" not in bad.headers
    assert TOKEN not in bad.text


def test_login_cookie_is_httponly_strict_and_the_flow_accepts(setup: Any) -> None:
    client, cfg, tmp = setup
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/review"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/review" in cookie
    queue = client.get("/review")
    assert queue.status_code == 200 and 'href="/review/1"' in queue.text
    page = client.get("/review/1")
    assert "independent source(s)" in page.text and "https://wire0.example/story" in page.text
    done = client.post("/review/1/accept", data={"instrument": "PD 2026-09"},
                       headers={"Origin": ORIGIN}, follow_redirects=False)
    assert done.status_code == 303, done.text
    L = load_ledger(cfg.events_file)
    [ev] = L.timelines[("mnna", "VNM")].events
    assert ev.recorded_by == "desk" and ev.instrument == "PD 2026-09"
    assert [e["decision"] for e in read_audit(str(cfg.store) + ".audit.jsonl")] == ["accept"]
    again = client.post("/review/1/reject", data={"reason": "late"},
                        headers={"Origin": ORIGIN})
    assert again.status_code == 409 and "already accepted" in again.json()["error"]


def test_cross_origin_writes_are_refused(setup: Any) -> None:
    client, cfg, _ = setup
    login(client)
    for headers in ({"Origin": "https://evil.example"}, {}, {"Sec-Fetch-Site": "cross-site"}):
        r = client.post("/review/1/reject", data={"reason": "x"}, headers=headers)
        assert r.status_code == 403, headers
    with Store(cfg.store) as s:
        assert s.list()[0]["status"] == "open"


def test_token_header_writes_and_rate_limit(setup: Any) -> None:
    client, cfg, _ = setup
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/review/1/reject", data={"reason": "proposal only"}, headers=auth)
    assert r.status_code == 200 and r.json()["decision"] == "reject"
    cfg.limit = RateLimit(limit=2, window=60)
    codes = [client.post("/review/1/reject", data={"reason": "x"}, headers=auth).status_code
             for _ in range(3)]
    assert codes == [409, 409, 429]


def test_serve_refuses_a_weak_or_missing_token_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from allies.cli import cli

    short = tmp_path / "token"
    short.write_text("abc\n", encoding="utf-8")
    for path, message in ((short, "holds a token shorter than 16 characters"),
                          (tmp_path / "none", "cannot read review token file")):
        r = CliRunner().invoke(cli, ["serve", "--review-token-file", str(path), "--store",
                                     str(tmp_path / "q.sqlite")], obj={})
        assert r.exit_code == 1 and message in r.stderr and r.stderr.count("\n") == 1
