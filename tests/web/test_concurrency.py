"""The reader runs off the event loop: a slow read does not hold up other requests, at most
N reads run at once, a few more wait, and the rest get a 503 straight away.

Ordering is asserted with events, never with wall-clock time: the fake reader blocks until
the test releases it, so a server that read on the event loop could not answer anything
else first (the generous timeouts only bound how long a broken server makes us wait).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from allies.web import bodies, create_app

WAIT = 20  # seconds; only reached when the server is broken


class SlowReader:
    """Stands in for the reader: records that it started, then waits to be released."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.order: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, art: bodies.Article) -> dict[str, Any]:
        self.started.release()
        released = self.release.wait(WAIT)
        with self.lock:
            self.order.append("reader done" if released else "reader timed out")
        return {"published": None, "events": [], "claims": [], "text": art.text or ""}

    def wait_started(self, n: int = 1) -> None:
        for _ in range(n):
            assert self.started.acquire(timeout=WAIT), "the reader never started"

    def note(self, what: str) -> None:
        with self.lock:
            self.order.append(what)


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> SlowReader:
    reader = SlowReader()
    monkeypatch.setattr(bodies, "reading_dict", reader)
    return reader


@contextmanager
def in_thread(fn: Callable[[], Any]) -> Iterator[dict[str, Any]]:
    """Run `fn` in a thread; the dict gets its result under "r" once the block ends."""
    out: dict[str, Any] = {}
    t = threading.Thread(target=lambda: out.update(r=fn()), daemon=True)
    t.start()
    try:
        yield out
    finally:
        t.join(WAIT)


def _post_check(c: TestClient) -> Any:
    return c.post("/api/check", content=b"Hello", headers={"content-type": "text/plain"})


@pytest.mark.parametrize(
    "post",
    [
        _post_check,
        lambda c: c.post("/api/read", json={"text": "Hello"}),
        lambda c: c.post("/check", data={"text": "Hello"}),
        lambda c: c.post("/check.json", data={"text": "Hello"}),
    ],
    ids=["api-check", "api-read", "check-page", "check-json"],
)
def test_slow_read_does_not_block_other_requests(ledger: Any, slow: SlowReader, post: Any) -> None:
    with TestClient(create_app(ledger)) as c:
        with in_thread(lambda: post(c)) as res:
            slow.wait_started()
            version = c.get("/api/version")  # answered while the reader is still busy
            status = c.get("/api/status/COL?on=2022-06-01")
            slow.note("version answered")
            slow.release.set()
    assert version.status_code == 200 and status.status_code == 200
    assert slow.order == ["version answered", "reader done"]
    assert res["r"].status_code == 200, res["r"].text


def test_reads_are_capped_then_queued_then_refused(
    ledger: Any, slow: SlowReader, assert_error: Any
) -> None:
    app = create_app(ledger, read_slots=1, read_queue=1)
    pool = app.state.site.pool
    with TestClient(app) as c:
        with in_thread(lambda: _post_check(c)) as first:
            slow.wait_started()  # the one slot is taken
            with in_thread(lambda: _post_check(c)) as second:
                # the second request is admitted and waits for the slot (never started)
                for _ in range(WAIT * 100):
                    if pool.admitted == 2:
                        break
                    threading.Event().wait(0.01)
                assert pool.admitted == 2
                assert not slow.started.acquire(blocking=False), "ran past the cap"
                third = _post_check(c)  # slot and queue full: refused at once
                page = c.post("/check", data={"text": "Hello"})
                slow.note("refused")
                slow.release.set()
        assert pool.admitted == 0
    body = assert_error(third, 503)
    assert "busy" in body["error"] and third.headers["retry-after"] == "2"
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"] == "2" and "busy" in page.text
    assert first["r"].status_code == 200 and second["r"].status_code == 200
    assert slow.order == ["refused", "reader done", "reader done"]


def test_reader_errors_in_the_worker_keep_the_error_shape(
    ledger: Any, assert_error: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(art: bodies.Article) -> dict[str, Any]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(bodies, "reading_dict", boom)
    app = create_app(ledger)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = _post_check(c)
        assert "secret" not in r.text
        assert_error(r, 500)
        assert app.state.site.pool.admitted == 0  # the place is given back
