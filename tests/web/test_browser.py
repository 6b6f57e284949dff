"""Browser tests: Playwright drives Debian's Chromium against uvicorn on a loopback port.

Skipped (with the reason) when /usr/bin/chromium or Playwright is missing. A failing test
leaves a screenshot in tests/screenshots/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS

if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"{CHROMIUM} not found: browser tests skipped (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"
ARTICLE = (
    "Washington, May 24. On Monday President Biden designated Colombia as a major "
    "non-NATO ally, the White House said. Officials called it a milestone."
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, live_server: str, request: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    pg = ctx.new_page()
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:"))
            else None
        ),
    )
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield pg
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:  # set by the hook in conftest.py
            _shot(pg, request.node.name)
        assert not outside, f"fetched from outside: {outside}"
        assert not errors, f"page errors: {errors}"
    finally:
        ctx.close()


def _shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    except Exception:  # the page may be gone
        pass


def _colombia(pg: Any) -> tuple[str, str, str]:
    el = pg.locator("#c-COL")
    return (
        el.get_attribute("data-category") or "",
        el.get_attribute("data-statuses") or "",
        el.locator("title").text_content() or "",
    )


def test_home_date_control_marks_colombia(page: Any) -> None:
    page.goto("/")
    assert page.locator("svg#map path").count() > 100
    page.fill("input#on", "2022-04-01")
    page.click("#dateform button[type=submit]")
    page.wait_for_url("**/?on=2022-04-01")
    cat, statuses, title = _colombia(page)
    assert "mnna:announced" in statuses.split()
    assert "MNNA: intent announced" in title
    row = page.locator("#row-COL")
    assert "intent announced" in row.inner_text()
    # the fill is the treaty tier; the dotted overlay marks the announced MNNA designation
    _assert_mark(page, "announced", "also MNNA intent announced")
    assert page.locator('[data-count="announced"]').inner_text() == "1"
    page.fill("input#on", "2022-06-01")
    page.press("input#on", "Enter")
    page.wait_for_url("**/?on=2022-06-01")
    cat, statuses, title = _colombia(page)
    assert "mnna:active" in statuses.split() and cat == "treaty"  # also a Rio party
    assert "MNNA: active" in title
    assert "MNNA: active since 2022-05-23" in page.locator("#row-COL").inner_text()
    _assert_mark(page, "mnna", "also MNNA")
    assert page.locator('[data-count="announced"]').inner_text() == "0"


def _assert_mark(pg: Any, mark: str, label: str) -> None:
    """Colombia's secondary mark: data attribute, a visible pattern overlay, tooltip, table."""
    col = pg.locator("#c-COL")
    assert col.get_attribute("data-mark") == mark
    assert col.get_attribute("data-category") == "treaty"
    overlay = pg.locator("#m-COL")
    assert overlay.count() == 1 and overlay.is_visible()
    assert overlay.get_attribute("data-mark-for") == "COL"
    fill = overlay.evaluate("el => getComputedStyle(el).fill")
    assert f"#p-{mark}" in fill, fill
    box = overlay.bounding_box()
    assert box and box["width"] > 3 and box["height"] > 3
    assert f"Treaty ally, {label} (" in (col.locator("title").text_content() or "")
    assert f", {label}" in pg.locator("#row-COL td").first.inner_text()
    legend = pg.locator(f'[data-mark-count="{mark}"]')
    assert int(legend.inner_text()) >= 1


def test_year_slider_scrubs_the_map(page: Any) -> None:
    page.goto("/?on=2022-06-01")
    slider = page.locator("input#year")
    assert slider.is_visible()
    slider.evaluate("el => { el.value = '1960'; el.dispatchEvent(new Event('input')); }")
    page.wait_for_function(
        "() => document.querySelector('#c-COL').dataset.statuses === 'rio:active'"
    )
    assert page.input_value("input#on") == "1960-06-01"
    assert page.locator("#c-COL").get_attribute("data-mark") == ""
    assert page.locator("#m-COL").count() == 0  # no MNNA in 1960: the overlay is gone
    slider.evaluate("el => { el.value = '2023'; el.dispatchEvent(new Event('input')); }")
    page.wait_for_function("() => document.querySelector('#c-COL').dataset.mark === 'mnna'")
    assert "mk-mnna" in (page.locator("#m-COL").get_attribute("class") or "")


def test_map_is_keyboard_reachable(page: Any) -> None:
    page.goto("/?on=2022-06-01")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    link = page.locator('svg#map a[href^="/country/COL"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/country/COL?on=2022-06-01")


def test_country_page_shows_designation_with_source(page: Any) -> None:
    page.goto("/country/colombia")
    assert page.url.endswith("/country/COL")
    ev = page.locator("li.event", has_text="2022-05-23").filter(has_text="designate")
    assert ev.count() >= 1
    first = ev.first
    assert "MNNA" in first.inner_text()
    link = first.locator(".sources a").first
    assert (link.get_attribute("href") or "").startswith("http")
    assert "no security guarantee" in page.locator("#mnna-note").inner_text().lower()


def test_check_page_highlights_and_gives_verdict(page: Any) -> None:
    pytest.importorskip("allies.read")
    page.goto("/check")
    page.fill("textarea#text", ARTICLE)
    page.fill("input#published", "2022-05-24")
    page.click("form.checkform button[type=submit]")
    page.wait_for_selector("#result")
    mark = page.locator("mark").filter(has_text="designated Colombia")
    assert mark.count() == 1
    assert mark.locator("xpath=following-sibling::sup[1]/a").first.get_attribute(
        "href"
    ).startswith("#verdict-")
    mark_id = mark.get_attribute("id")
    verdict = page.locator(f'li.verdict:has(a[href="#{mark_id}"])').first
    assert verdict.get_attribute("data-verdict") == "confirmed"
    assert "confirmed" in verdict.inner_text()
    assert "2022-05-23" in verdict.inner_text()


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_the_viewport(browser: Any, live_server: str, width: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_server)
    pg = ctx.new_page()
    try:
        for url in ("/?on=2022-06-01", "/country/COL", "/framework/mnna", "/check", "/api/docs"):
            pg.goto(url)
            overflow = pg.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 1:
                _shot(pg, f"overflow-{width}")
            assert overflow <= 1, f"{url} overflows {width}px by {overflow}px"
    finally:
        ctx.close()
