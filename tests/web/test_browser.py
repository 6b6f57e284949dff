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


def test_search_box_suggests_and_finds_a_country(page: Any) -> None:
    page.goto("/framework/nato")
    box = page.locator("#q")
    box.click()
    box.type("colomb", delay=20)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#q-list option')].some(o => o.value === 'Colombia')"
    )
    box.fill("colombian")
    page.press("#q", "Enter")
    page.wait_for_url("**/country/COL")
    assert "Colombia" in page.locator("h1").inner_text()


def test_search_miss_offers_a_link(page: Any) -> None:
    page.goto("/")
    page.fill("#q", "Colmbia")
    page.click("#searchform button[type=submit]")
    link = page.locator("#didyoumean a")
    assert link.inner_text() == "Colombia"
    link.click()
    page.wait_for_url("**/country/COL")


def _view_width(pg: Any) -> float:
    return float(pg.locator("#map").get_attribute("viewBox").split()[2])


@pytest.fixture
def phone(browser: Any, live_server: str) -> Iterator[Any]:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server, has_touch=True,
        is_mobile=True, device_scale_factor=1,
    )
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield pg
        assert not errors, errors
    finally:
        ctx.close()


def test_map_zooms_with_buttons_and_pinch(phone: Any) -> None:
    pg = phone
    pg.goto("/?on=2022-06-01")
    full = _view_width(pg)
    assert pg.locator("#zoombar").is_visible()
    pg.click("#zoom-in")
    assert _view_width(pg) == pytest.approx(full / 2, rel=0.01)
    pg.click("#zoom-in")
    assert _view_width(pg) == pytest.approx(full / 4, rel=0.01)
    # markers keep a tappable size on screen as the map zooms
    r = float(pg.locator("#k-BEL").get_attribute("r"))
    px = r * pg.locator("#map").bounding_box()["width"] / _view_width(pg)
    assert 3 <= px <= 6
    pg.click("#zoom-out")
    assert _view_width(pg) == pytest.approx(full / 2, rel=0.01)
    pg.click("#zoom-reset")
    assert _view_width(pg) == pytest.approx(full, rel=0.01)
    # pinch: two pointers moving apart zoom in around their middle
    box = pg.locator("#map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    pg.evaluate(
        """([cx, cy]) => {
          const map = document.getElementById('map');
          const ev = (type, id, x) => map.dispatchEvent(new PointerEvent(type, {
            pointerId: id, clientX: x, clientY: cy, bubbles: true, pointerType: 'touch'}));
          ev('pointerdown', 1, cx - 20); ev('pointerdown', 2, cx + 20);
          ev('pointermove', 1, cx - 60); ev('pointermove', 2, cx + 60);
          ev('pointerup', 1, cx - 60); ev('pointerup', 2, cx + 60);
        }""",
        [cx, cy],
    )
    assert _view_width(pg) == pytest.approx(full / 3, rel=0.05)
    assert float(pg.locator("#map").get_attribute("data-zoom")) == pytest.approx(3, rel=0.05)


def test_tap_names_the_country(phone: Any) -> None:
    pg = phone
    pg.goto("/?on=2022-06-01")
    for _ in range(3):
        pg.click("#zoom-in")
    pg.locator("#c-COL").dispatch_event("click", {"detail": 1})
    info = pg.locator("#mapinfo")
    assert info.is_visible()
    assert info.inner_text().startswith("Colombia: Treaty ally, also MNNA")
    assert pg.url.endswith("/?on=2022-06-01")  # named, not yet followed
    pg.click("#mapinfo-link")
    pg.wait_for_url("**/country/COL?on=2022-06-01")


def test_iso_date_follows_the_input(page: Any) -> None:
    page.goto("/country/COL?on=2022-06-01")
    assert page.locator("#on-iso").inner_text() == "2022-06-01"
    page.fill("input#on", "1999-03-12")
    assert page.locator("#on-iso").inner_text() == "1999-03-12"


@pytest.mark.parametrize(
    "url,first_line",
    [
        ("/country/COL?on=2022-06-01", "iso3,framework,state,from,until,pending"),
        ("/framework/mnna?on=2022-06-01", "framework,on,iso3,name,since,precision"),
        ("/changes?since=2022-01-01&until=2022-12-31", "date,precision,country,country_name"),
    ],
)
def test_csv_links_download_the_table(page: Any, url: str, first_line: str) -> None:
    page.goto(url)
    link = page.locator("a.csv-link")
    with page.expect_download() as info:
        link.click()
    dl = info.value
    assert dl.suggested_filename.startswith("allies-") and dl.suggested_filename.endswith(".csv")
    text = Path(dl.path()).read_text("utf-8")
    assert text.splitlines()[0].startswith(first_line)
    assert len(text.splitlines()) > 1
