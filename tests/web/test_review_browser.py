"""Browser test of web review: sign in with the token, open a candidate, accept it.

Skipped (with the reason) when /usr/bin/chromium or Playwright is missing."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, free_port

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} not found: browser tests skipped (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from allies.ledger import load_ledger  # noqa: E402
from allies.review import Store  # noqa: E402
from allies.web import create_app  # noqa: E402
from allies.web.review import ReviewConfig  # noqa: E402
from review_helpers import syndicated  # noqa: E402

TOKEN = "browser-review-token-0123456789"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, ReviewConfig]]:
    import uvicorn

    with Store(tmp_path / "q.sqlite") as s:
        s.import_docs(syndicated(3))
    cfg = ReviewConfig(TOKEN, store=str(tmp_path / "q.sqlite"),
                       events_file=str(tmp_path / "mine.csv"), reviewer="desk")
    port = free_port()
    config = uvicorn.Config(create_app(load_ledger(), review=cfg), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", cfg
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_sign_in_review_and_accept(server: tuple[str, ReviewConfig]) -> None:
    base, cfg = server
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pg = b.new_page(base_url=base)
            errors: list[str] = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            resp = pg.goto("/review")
            assert resp is not None and resp.status == 401
            pg.fill("input[name=token]", "wrong")
            with pg.expect_navigation():
                pg.click("button[type=submit]")
            assert pg.locator("input[name=token]").count() == 1, pg.content()[:500]
            pg.fill("input[name=token]", TOKEN)
            with pg.expect_navigation():
                pg.click("button[type=submit]")
            pg.click("a[href='/review/1']")
            assert "1 URL" not in pg.inner_text("main")
            assert "wire0.example" in pg.inner_text("main")
            pg.fill("form.accept input[name=instrument]", "PD 2026-09")
            with pg.expect_navigation():
                pg.click("form.accept button[type=submit]")
            assert "accepted by desk" in pg.inner_text("p.decided")
            assert errors == []
        finally:
            b.close()
    [ev] = load_ledger(cfg.events_file).timelines[("mnna", "VNM")].events
    assert ev.instrument == "PD 2026-09"
