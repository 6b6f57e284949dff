"""The server protects its readers: stalled uploads hold no reader place, a reading whose
client has gone is stopped, a reading has a CPU budget, and the request head is capped. The
server's own refusals keep the JSON error shape and the security headers.

These run `allies serve`'s configuration (readings in child processes, the guarded
protocol) on a free loopback port. Every loop is bounded."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from allies.ledger import Ledger
from allies.web import bodies, create_app
from allies.web.app import server_config
from allies.web.errors import SECURITY_HEADERS
from allies.web.protocol import MAX_HEAD

from .conftest import free_port

HOSTILE = "NATO invited Finland and " * 1500 + "Sweden."  # many seconds of reading


@pytest.fixture(scope="module")
def served(ledger: Ledger) -> Iterator[tuple[str, Any]]:
    """(base URL, app) of the app as `allies serve` runs it."""
    import uvicorn

    app = create_app(ledger, isolate=True, read_slots=2, read_queue=2)
    port = free_port()
    config = server_config(app, "127.0.0.1", port, "critical")  # as `allies serve` runs
    config.lifespan = "off"
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    httpx.post(f"{base}/api/read", content=b"NATO invited Finland.", timeout=30)  # warm up
    try:
        yield base, app
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _raw(base: str, request: bytes, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes; (status, headers, body) of the answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        try:
            s.sendall(request)
        except OSError:
            pass  # the server may refuse and close before everything was sent
        data = b""
        while not _complete(data):
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _complete(data: bytes) -> bool:
    """A whole response: its head, and as many body bytes as its Content-Length says."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def _assert_json_error(status: int, headers: dict[str, str], body: bytes, want: int) -> str:
    assert status == want, (status, body[:200])
    assert headers["content-type"] == "application/json"
    for name, value in SECURITY_HEADERS:
        assert headers[name.decode()] == value.decode()
    doc = json.loads(body)
    assert set(doc) == {"ok", "status", "error"} and doc["ok"] is False
    assert doc["status"] == want
    error: str = doc["error"]
    return error


def _stall(base: str) -> socket.socket:
    """A connection that sends its headers and a few bytes of a promised 100 KB body."""
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(
        b"POST /api/read HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 100000\r\n\r\nNATO invited"
    )
    return s


def test_stalled_uploads_do_not_lock_out_reading(served: tuple[str, Any]) -> None:
    base, app = served
    stalled = [_stall(base) for _ in range(10)]  # more than slots + queue (4)
    try:
        time.sleep(0.3)  # let the server take them in
        t = time.perf_counter()
        r = httpx.post(f"{base}/api/read", content=b"NATO invited Finland.", timeout=10)
        took = time.perf_counter() - t
        assert r.status_code == 200, r.text
        assert r.json()["events"][0]["country"] == "FIN"
        # long before the stalled bodies time out (10 s): it did not wait for them (the
        # < 1 s figure is measured by benchmarks/server_load.py, not asserted here)
        assert took < 5.0, f"a small read took {took:.2f} s under 10 stalled uploads"
        assert app.state.site.pool.admitted == 0  # the stalled uploads hold no place
        for st in stalled:  # and they are all still open, waiting
            st.setblocking(False)
            with pytest.raises(BlockingIOError):
                st.recv(1)
    finally:
        for s in stalled:
            s.close()


def test_large_bodies_are_not_mistaken_for_large_heads(served: tuple[str, Any]) -> None:
    base, _ = served
    body = b"The council met to discuss parking fees. " * 5000  # 200 KB, in many chunks
    r = httpx.post(f"{base}/api/read", content=body, timeout=60,
                   headers={"content-type": "text/plain"})
    assert r.status_code == 200, r.text[:200]
    assert r.json()["text"] == body.decode()


def test_a_stalled_upload_times_out_with_408(
    served: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = served
    monkeypatch.setattr(bodies, "BODY_TIMEOUT", 0.5)
    s = _stall(base)
    try:
        data = b""
        deadline = time.monotonic() + 10
        while b"\r\n\r\n" not in data and time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), head[:100]
    assert b"did not arrive within 0.5 s" in body


def test_a_reading_whose_client_left_is_stopped(served: tuple[str, Any]) -> None:
    base, app = served
    pool = app.state.site.pool
    stopped = pool.stopped
    body = HOSTILE.encode()
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(
        b"POST /api/read HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    for _ in range(1000):  # up to 10 s for the reading to start
        if pool.admitted == 1:
            break
        time.sleep(0.01)
    assert pool.admitted == 1, "the reading never started"
    s.close()
    for _ in range(1000):  # up to 10 s; the reading itself would take far longer
        if pool.admitted == 0:
            break
        time.sleep(0.01)
    assert pool.admitted == 0, "the reading went on after its client had gone"
    assert pool.stopped == stopped + 1
    r = httpx.post(f"{base}/api/read", content=b"NATO invited Finland.", timeout=30)
    assert r.status_code == 200  # a new worker reads the next article


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("/api/check", {"json": {"text": "NATO invited Finland to join.",
                                 "published": "2022-06-29"}}),
        ("/check.json", {"data": {"text": "NATO invited Finland to join.",
                                  "published": "2022-06-29"}}),
    ],
)
def test_checks_run_in_the_workers_with_the_servers_ledger(
    served: tuple[str, Any], url: str, kwargs: dict[str, Any]
) -> None:
    base, _ = served
    r = httpx.post(base + url, timeout=30, **kwargs)
    assert r.status_code == 200, r.text
    doc = r.json()
    events = (doc.get("result") or doc)["events"]
    assert [(e["country"], e["verdict"]) for e in events] == [("FIN", "confirmed")]


def test_a_reading_over_its_cpu_budget_is_stopped_with_422(
    ledger: Ledger, assert_error: Any
) -> None:
    from starlette.testclient import TestClient

    app = create_app(ledger, isolate=True, read_cpu=1)
    with TestClient(app) as c:
        r = c.post("/api/read", content=HOSTILE.encode(), headers={"content-type": "text/plain"})
    body = assert_error(r, 422)
    assert "1 s budget" in body["error"] and "shorter article" in body["error"]
    assert app.state.site.pool.admitted == 0


def test_an_oversized_url_gets_the_json_error_with_security_headers(
    served: tuple[str, Any],
) -> None:
    base, _ = served
    for size in (MAX_HEAD + 100, 70_000):
        target = "/api/status/" + "a" * size
        status, headers, body = _raw(base, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        error = _assert_json_error(status, headers, body, 431)
        assert "over 16 KB" in error


def test_a_huge_header_is_refused_early(served: tuple[str, Any]) -> None:
    base, _ = served
    t = time.perf_counter()
    request = b"GET /api/version HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 5_000_000 + b"\r\n\r\n"
    status, headers, body = _raw(base, request)
    assert time.perf_counter() - t < 5
    _assert_json_error(status, headers, body, 431)


def test_too_many_header_fields_are_refused(served: tuple[str, Any]) -> None:
    base, _ = served
    fields = b"".join(b"X-F%d: 1\r\n" % i for i in range(150))
    request = b"GET /api/version HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n"
    status, headers, body = _raw(base, request)
    assert "header fields" in _assert_json_error(status, headers, body, 431)


def test_a_malformed_request_gets_the_json_error_with_security_headers(
    served: tuple[str, Any],
) -> None:
    base, _ = served
    for request in (
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        b"GET /api/version HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST /api/read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"GET /api/version HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Length: 5\r\n\r\n0\r\n\r\n",
    ):
        status, headers, body = _raw(base, request)
        _assert_json_error(status, headers, body, 400)


def test_a_websocket_upgrade_is_an_ordinary_request(served: tuple[str, Any]) -> None:
    base, _ = served
    status, headers, body = _raw(
        base,
        b"GET /api/nothing HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade"
        b"\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    )
    _assert_json_error(status, headers, body, 404)


def test_redirects_never_echo_the_host_header(served: tuple[str, Any]) -> None:
    base, _ = served
    for path, status in (("/country/colombia", 302), ("/api/frameworks/", 307)):
        r = httpx.get(base + path, headers={"host": "evil.example"}, follow_redirects=False)
        assert r.status_code == status
        assert r.headers["location"].startswith("/") and "evil" not in r.headers["location"]
        assert not r.headers["location"].startswith("//")


def test_the_app_itself_refuses_too_many_header_fields(client: Any, assert_error: Any) -> None:
    """Under any ASGI server (the guarded protocol refuses them earlier under serve)."""
    headers = {f"x-f{i}": "1" for i in range(150)}
    body = assert_error(client.get("/api/version", headers=headers), 431)
    assert "over the limit of 100" in body["error"]
    r = client.get("/api/version", headers={f"x-f{i}": "1" for i in range(50)})
    assert r.status_code == 200
