"""Fixtures for the web tests: the app in-process, a live uvicorn server on a free loopback
port (for the browser tests), and `assert_error`, the one check of the error shape."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from allies.ledger import Ledger, load_ledger
from allies.web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    return load_ledger()


@pytest.fixture(scope="session")
def app(ledger: Ledger) -> Any:
    return create_app(ledger)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def _assert_error(resp: Any, status: int) -> dict[str, Any]:
    """The canonical JSON error: {"ok": false, "status": N, "error": "<one line>"}."""
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert resp.headers["content-type"].startswith("application/json"), resp.headers
    body = resp.json()
    assert set(body) == {"ok", "status", "error"}, body
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"].strip()
    assert "\n" not in body["error"]
    assert "Traceback" not in body["error"]
    return body


def _uncited(body: dict[str, Any], permalink: str | None = None) -> dict[str, Any]:
    """The answer without its `cite` block, after checking that block: the data version,
    the content hash and a permalink (with the date in its URL when one is given)."""
    info = load_ledger().info
    cite = body.pop("cite")
    assert cite["data_version"] == info.data_version
    assert cite["content_hash"] == info.content_hash
    assert cite["permalink"].startswith("http://127.0.0.1/")
    if permalink is not None:
        assert cite["permalink"] == "http://127.0.0.1" + permalink
    for piece in (info.data_version, info.content_hash, cite["permalink"]):
        assert piece in cite["text"]
    return body


@pytest.fixture(scope="session")
def uncited() -> Callable[..., dict[str, Any]]:
    return _uncited


@pytest.fixture(scope="session")
def assert_error() -> Callable[[Any, int], dict[str, Any]]:
    return _assert_error


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[str]:
    """uvicorn serving the app in a thread on a free loopback port; stopped afterwards."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can tell a failed test (and take
    a screenshot)."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
