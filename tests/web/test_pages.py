"""Server-rendered pages and their `.json` twins; the map; the check page's highlighting."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from markupsafe import escape

from allies.web import views

PAGES = [
    "/",
    "/?on=2022-04-01",
    "/country/COL",
    "/country/COL?on=1950-06-01",
    "/framework/mnna",
    "/framework/nato?on=1990-01-01",
    "/check",
    "/api/docs",
]


def shape(page_html: str, iso3: str) -> dict[str, str]:
    """Attributes and tooltip of a country's map shape."""
    m = re.search(rf'<(path|circle) [^>]*id="c-{iso3}"[^>]*>\s*<title>([^<]*)</title>', page_html)
    assert m, f"no map shape for {iso3}"
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(0)))
    attrs["title"] = htmllib.unescape(m.group(2))
    return attrs


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_with_footer(client: Any, ledger: Any, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    info = ledger.info
    for piece in (info.data_version, info.last_event, info.content_hash):
        assert piece in page
    assert htmllib.escape(info.license, quote=False) in page
    assert 'href="#main"' in page and 'id="main"' in page  # skip link
    assert "<script>" not in page and " style=" not in page  # CSP: no inline script/style
    assert not re.search(r'(src|action)="(https?:)?//', page)  # nothing fetched from outside
    assert not re.search(r'<link [^>]*href="(https?:)?//', page)


def test_home_json_twin_is_the_data_behind_the_page(client: Any, ledger: Any) -> None:
    for on in ("2022-04-01", "2022-06-01", "1960-01-01"):
        data = client.get(f"/index.json?on={on}").json()
        assert data["on"] == on
        page = client.get(f"/?on={on}").text
        assert f"{len(data['countries'])} countries on {on}" in page
        for c in data["categories"]:  # count: holding the status; coloured: the fill
            assert f'data-count="{c["id"]}">{c["count"]}<' in page
            assert f'data-coloured="{c["id"]}">{c["coloured"]}<' in page
            assert c["count"] == sum(c["id"] in r["holds"] for r in data["countries"])
            assert c["coloured"] == sum(c["id"] == r["category"] for r in data["countries"])
        assert sum(c["coloured"] for c in data["categories"]) == len(data["countries"])
        for m in data["marks"]:
            assert f'data-mark-count="{m["id"]}">{m["count"]}<' in page
            assert m["count"] == sum(r["mark"] == m["id"] for r in data["countries"])
        for row in data["countries"]:  # every row agrees with ledger.status
            st = ledger.status(row["iso3"], on)
            assert [(s["framework"], s["state"]) for s in row["statuses"]] == [
                (s["framework"], s["state"]) for s in st["statuses"]
            ]
            states = {s["framework"]: s["state"] for s in st["statuses"]}
            assert row["category"] == views.category(ledger, states)
            assert row["category"] in row["holds"]
            if row["mark"]:
                assert row["mark"] not in (row["category"], None)
                mnna = "active" if row["mark"] == "mnna" else "announced"
                assert states["mnna"] == mnna
            assert f'id="row-{row["iso3"]}"' in page
        changes = ledger.changes(ledger.events[0].date.start.isoformat(), on)["events"]
        assert data["changes"] == list(reversed(changes[-views.LATEST_CHANGES :]))


def test_nato_members_are_coloured_nato(client: Any, ledger: Any) -> None:
    page = client.get("/?on=2022-06-01").text
    for m in ledger.members("nato", "2022-06-01")["members"]:
        if m["iso3"] in views.world_map().paths:
            assert shape(page, m["iso3"])["class"] == "s-nato"


@pytest.mark.parametrize(
    "on,mnna_state,label",
    [("2022-04-01", "announced", "intent announced"), ("2022-06-01", "active", "active")],
)
def test_colombia_on_the_map(client: Any, on: str, mnna_state: str, label: str) -> None:
    page = client.get(f"/?on={on}").text
    s = shape(page, "COL")
    # Colombia is also a Rio Treaty party: the colour is the highest tier (treaty ally);
    # the data attribute and the tooltip carry every status.
    assert s["class"] == "s-treaty" and s["data-category"] == "treaty"
    assert f"mnna:{mnna_state}" in s["data-statuses"].split()
    assert "rio:active" in s["data-statuses"].split()
    assert f"MNNA: {label}" in s["title"] and "Colombia" in s["title"]
    assert re.search(r'<a href="/country/COL\?on=[^"]*"[^>]*>\s*<path', page)
    # the secondary mark: the fill shows the treaty, the pattern shows the MNNA status
    mark = "announced" if mnna_state == "announced" else "mnna"
    assert s["data-mark"] == mark
    also = views.MARK_LABEL[mark]
    assert f"Treaty ally, {also} (" in s["title"]
    overlay = re.search(
        r'<path d="[^"]*" class="mk mk-(\w+)" id="m-COL" data-mark-for="COL"/>', page
    )
    assert overlay and overlay.group(1) == mark
    row = re.search(r'<tr id="row-COL">.*?</tr>', page, re.S)
    assert row and f'<span class="also-tier" data-mark="{mark}">, {also}</span>' in row.group(0)
    data = client.get(f"/index.json?on={on}").json()
    counts = {c["id"]: c["count"] for c in data["categories"]}
    assert counts["announced"] == (1 if mnna_state == "announced" else 0)
    assert next(r for r in data["countries"] if r["iso3"] == "COL")["mark"] == mark


def test_legend_counts_every_country_holding_a_status(client: Any, ledger: Any) -> None:
    on = "2026-11-28"
    data = client.get(f"/index.json?on={on}").json()
    counts = {c["id"]: c["count"] for c in data["categories"]}
    assert counts["mnna"] == ledger.members("mnna", on)["count"]  # 22 in data 2026.11.28
    assert counts["nato"] == ledger.members("nato", on)["count"]
    coloured = {c["id"]: c["coloured"] for c in data["categories"]}
    assert coloured["mnna"] < counts["mnna"]  # some MNNAs are coloured as treaty allies
    marks = {m["id"]: m["count"] for m in data["marks"]}
    assert marks["mnna"] == counts["mnna"] - coloured["mnna"]
    page = client.get(f"/?on={on}").text
    assert "countries with each status" in page
    assert page.count('class="mk mk-mnna"') + page.count('class="mk ring mk-mnna"') >= sum(
        1
        for r in data["countries"]
        if r["mark"] == "mnna" and r["iso3"] in views.world_map().paths
    )


def test_colour_pairs_are_distinguishable() -> None:
    """The fills step in lightness or along the blue-yellow axis; the marks' dark edge
    stands out against every fill (>= 3:1, WCAG 1.4.11)."""
    from importlib import resources

    css = resources.files("allies").joinpath("static/style.css").read_text("utf-8")
    colour = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", css))

    def lum(h: str) -> float:
        def ch(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (int(h[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)

    def ratio(a: str, b: str) -> float:
        hi, lo = sorted((lum(colour[a]), lum(colour[b])), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    # Marks sit on a higher tier: a treaty ally (or a NATO member). Stripes: a vermillion
    # band in dark edges; dots: gold with a dark ring.
    assert ratio("edge", "treaty") >= 3.0 and ratio("announced", "treaty") >= 1.9
    assert ratio("announced", "nato") >= 3.0 and ratio("mnna", "nato") >= 1.5
    assert ratio("mnna", "announced") >= 2.0  # the two MNNA tiers, told apart by lightness
    assert ratio("treaty", "former") >= 1.5
    assert ratio("nato", "treaty") >= 2.0


def test_map_uses_every_category_class_consistently(client: Any) -> None:
    page = client.get("/?on=2022-06-01").text
    classes = set(re.findall(r'<path d="[^"]*" class="(s-[a-z]+)"', page))
    assert classes <= {f"s-{c}" for c, _ in views.CATEGORIES} | {"s-none"}
    assert 'viewBox="0 0 ' in page


def test_world_paths_is_compact(ledger: Any) -> None:
    from importlib import resources

    raw = resources.files("allies").joinpath("static/world_paths.json").read_bytes()
    assert len(raw) < 400_000
    wm = views.world_map()
    assert {"COL", "USA", "DEU", "JPN", "AUS"} <= set(wm.paths)
    assert all(iso3 in ledger.countries for iso3 in (*wm.paths, *wm.points))
    assert re.fullmatch(r"[Mlz0-9. \-]+", wm.paths["COL"])


def test_country_redirects_to_iso3(client: Any) -> None:
    r = client.get("/country/colombia?on=2022-06-01", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/country/COL?on=2022-06-01"
    r = client.get("/country/Colombian.json", follow_redirects=False)
    assert r.headers["location"] == "/country/COL.json"
    r = client.get("/framework/MNNA", follow_redirects=False)
    assert r.headers["location"] == "/framework/mnna"


def test_country_page_and_twin(client: Any, ledger: Any, uncited: Any) -> None:
    data = uncited(client.get("/country/COL.json?on=2022-06-01").json(),
                   "/country/COL.json?on=2022-06-01")
    assert data["status"] == ledger.status("COL", "2022-06-01")
    assert data["history"] == ledger.history("COL")
    assert data["entails"] == ledger.entails("COL", "2022-06-01")
    page = client.get("/country/COL?on=2022-06-01").text
    for p in data["history"]["periods"]:
        assert p["from"] in page
    for e in data["history"]["events"]:
        assert f'id="{e["id"]}"' in page
        assert htmllib.escape(e["sources"][0]) in page
        for alt in e.get("alt_dates", []):
            assert alt in page
    designation = next(e for e in data["history"]["events"] if e["action"] == "designate")
    assert designation["date"] == "2022-05-23"
    assert 'id="guarantee"' in page and "yes, via Rio" in page
    assert "no security guarantee" in page.lower()  # the MNNA note
    for fw in data["entails"]["frameworks"]:
        for x in fw["entails"]:
            assert str(escape(x["citation"])) in page


def test_framework_page_and_twin(client: Any, ledger: Any, uncited: Any) -> None:
    data = uncited(client.get("/framework/mnna.json?on=2022-06-01").json(),
                   "/framework/mnna.json?on=2022-06-01")
    assert data["members"] == ledger.members("mnna", "2022-06-01")
    assert data["framework"] == ledger.framework("mnna").to_dict()
    years = [c["year"] for c in data["counts"]]
    assert years == list(range(years[0], years[-1] + 1))
    for c in data["counts"]:
        assert c["count"] == ledger.members("mnna", c["on"])["count"]
    page = client.get("/framework/mnna?on=2022-06-01").text
    assert f"{data['members']['count']} members on" in page
    assert page.count("<rect ") == len(data["counts"])
    for c in data["counts"]:
        assert f"<td>{c['year']}</td><td>{c['count']}</td>" in page
    for m in data["members"]["members"]:
        assert f'/country/{m["iso3"]}?on=2022-06-01">' in page


def test_check_page_get_and_twin(client: Any) -> None:
    page = client.get("/check").text
    assert '<textarea id="text" name="text"' in page and '<label for="text">' in page
    assert 'type="date" id="published" name="published"' in page
    assert client.get("/check.json").json() == {"text": "", "published": None, "result": None}


ARTICLE = (
    "On Monday President Biden designated Colombia as a major non-NATO ally. "
    "<script>alert(1)</script> & more. Colombia, a NATO member, welcomed it."
)


def test_check_page_post_highlights_and_escapes(client: Any, ledger: Any) -> None:
    pytest.importorskip("allies.read")
    from allies.check import check
    from allies.read import read

    form = {"text": ARTICLE, "published": "2022-05-24"}
    r = client.post("/check", data=form)
    assert r.status_code == 200
    page = r.text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in page
    expected = check(read(ARTICLE, "2022-05-24").to_dict(with_text=True), ledger)
    twin = client.post("/check.json", data=form).json()
    assert twin == {"text": ARTICLE, "published": "2022-05-24", "result": expected}
    items = views.verdict_items(expected)
    assert items, "the reader should find the designation"
    for it in items:
        ev = it["evidence"]
        assert ARTICLE[ev["start"] : ev["end"]] == ev["text"]
        assert f'id="verdict-{it["n"]}" data-verdict="{it["verdict"]}"' in page
    marks = re.findall(
        r'<mark id="(ev-\d+)" class="v-(\w+)" data-items="[\d ]+">(.*?)</mark>', page, re.S
    )
    assert marks
    designate = next(i for i in items if i.get("action") == "designate")
    assert designate["verdict"] == "confirmed"
    assert any(htmllib.unescape(t) == designate["evidence"]["text"] for _, _, t in marks)


def test_check_page_errors_keep_the_form(client: Any) -> None:
    pytest.importorskip("allies.read")
    r = client.post("/check", data={"text": "  ", "published": ""})
    assert r.status_code == 400 and 'id="error"' in r.text and "<textarea" in r.text
    r = client.post("/check", data={"text": "Hi", "published": "2022-02-31"})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.text


def test_check_json_errors(client: Any, assert_error: Any) -> None:
    pytest.importorskip("allies.read")
    assert_error(client.post("/check.json", data={"text": ""}), 400)
    assert_error(
        client.post("/check.json", content=b"x", headers={"content-type": "text/plain"}), 415
    )


def test_highlight_escapes_every_piece() -> None:
    text = '<b>a</b> "x" & <i>y</i>'
    items = [
        {"n": 1, "verdict": "confirmed", "evidence": {"start": 0, "end": 8}},
        {"n": 2, "verdict": "contradicted", "evidence": {"start": 4, "end": 12}},  # overlaps
        {"n": 3, "verdict": "not_in_ledger", "evidence": {"start": 15, "end": 23}},
        {"n": 4, "verdict": "confirmed", "evidence": {"start": 50, "end": 60}},  # out of range
    ]
    out, marks = views.highlight(text, items)
    assert str(out) == (
        '<mark id="ev-1" class="v-confirmed" data-items="1 2">&lt;b&gt;a&lt;/b&gt;</mark>'
        '<sup class="vref"><a href="#verdict-1" aria-label="verdict 1">1</a>'
        '<a href="#verdict-2" aria-label="verdict 2">2</a></sup> &#34;x&#34; &amp; '
        '<mark id="ev-3" class="v-not_in_ledger" data-items="3">&lt;i&gt;y&lt;/i&gt;</mark>'
        '<sup class="vref"><a href="#verdict-3" aria-label="verdict 3">3</a></sup>'
    )
    assert marks == {
        1: {"main": "ev-1", "also": []},
        2: {"main": "ev-1", "also": []},
        3: {"main": "ev-3", "also": []},
        4: {"main": None, "also": []},
    }


def test_highlight_marks_also_evidence_with_the_same_verdict() -> None:
    text = "Head. Lede <x>. Other. Body."
    items = [
        {
            "n": 1,
            "verdict": "confirmed",
            "evidence": {"start": 0, "end": 5},
            "also_evidence": [{"start": 6, "end": 15}, {"start": 23, "end": 28}],
        },
        {"n": 2, "verdict": "contradicted", "evidence": {"start": 16, "end": 22}},
    ]
    out, marks = views.highlight(text, items)
    html = str(out)
    assert '<mark id="ev-1" class="v-confirmed" data-items="1">Head.</mark>' in html
    assert (
        '<mark id="ev-1-also-1" class="v-confirmed also" data-items="1">Lede &lt;x&gt;.</mark>'
        '<sup class="vref"><a href="#verdict-1" aria-label="verdict 1">1</a></sup>'
    ) in html
    assert '<mark id="ev-1-also-2" class="v-confirmed also" data-items="1">Body.</mark>' in html
    assert '<mark id="ev-2" class="v-contradicted" data-items="2">Other.</mark>' in html
    assert marks[1] == {"main": "ev-1", "also": ["ev-1-also-1", "ev-1-also-2"]}
    assert marks[2] == {"main": "ev-2", "also": []}


COLOMBIA = "tests/data/colombia-2022-03-16.txt"


def test_check_page_highlights_also_evidence(client: Any) -> None:
    pytest.importorskip("allies.read")
    from pathlib import Path

    text = Path(__file__).resolve().parents[1].joinpath("data", Path(COLOMBIA).name).read_text()
    page = client.post("/check", data={"text": text, "published": "2022-03-16"}).text
    twin = client.post("/check.json", data={"text": text, "published": "2022-03-16"}).json()
    items = views.verdict_items(twin["result"])
    with_also = [it for it in items if it.get("also_evidence")]
    assert with_also, "the reader should report the lede as also-evidence of the headline"
    found = re.findall(
        r'<mark id="(ev-[\w-]+)" class="v-(\w+)( also)?" data-items="([\d ]+)">(.*?)</mark>',
        page,
        re.S,
    )
    by_text = {htmllib.unescape(t): (mid, v, items.split()) for mid, v, _, items, t in found}
    for it in with_also:
        n = it["n"]
        verdict = re.search(rf'<li class="verdict[^"]*" id="verdict-{n}".*?</li>', page, re.S)
        assert verdict
        for ev in it["also_evidence"]:
            mid, v, members = by_text[ev["text"]]
            assert str(n) in members and v == it["verdict"]
            assert f'href="#{mid}"' in verdict.group(0)
    assert "Colombia was recently designated" in page


def _render_check(client: Any, item: dict[str, Any]) -> str:
    site = client.app.state.site
    result = {"summary": {"confirmed": 1, "contradicted": 0, "not_in_ledger": 0}}
    return str(
        site.render(
            "check.html",
            path="/check",
            title="t",
            data={"text": "x", "published": None, "result": result},
            error=None,
            items=[item],
            marked="",
            marks={},
            verdict_label=views.VERDICT_LABEL,
        )
    )


@pytest.mark.parametrize(
    "basis,shown",
    [
        ("publication", "on or before 2022-03-16"),
        ("relative", "on 2022-03-16"),
        ("stated", "on 2022-03-16"),
        (None, "on 2022-03-16"),  # a reader without date_basis
    ],
)
def test_check_page_shows_the_date_basis(client: Any, basis: str | None, shown: str) -> None:
    item: dict[str, Any] = {
        "n": 1,
        "kind": "event",
        "verdict": "confirmed",
        "country": "COL",
        "country_name": "Colombia",
        "framework": "mnna",
        "action": "designate",
        "date": "2022-03-16",
        "evidence": {"text": "x", "start": 0, "end": 1},
        "ledger": {"fact": "f", "sources": []},
    }
    if basis is not None:
        item["date_basis"] = basis
    page = _render_check(client, item)
    assert f'data-date-basis="{basis or ""}">{shown}' in page
    assert ("on or before" in page) == (basis == "publication")


def test_read_and_check_api(client: Any, ledger: Any) -> None:
    pytest.importorskip("allies.read")
    from allies.check import check
    from allies.read import read, read_html

    text = "On Monday President Biden designated Colombia as a major non-NATO ally."
    want = read(text, "2022-05-24").to_dict(with_text=True)
    r = client.post(
        "/api/read?published=2022-05-24", content=text, headers={"content-type": "text/plain"}
    )
    assert r.status_code == 200 and r.json() == want
    r = client.post("/api/read", json={"text": text, "published": "2022-05-24"})
    assert r.json() == want
    r = client.post("/api/check", json={"text": text, "published": "2022-05-24"})
    assert r.json() == check(want, ledger)
    assert r.json()["events"][0]["verdict"] == "confirmed"
    html = f"<html><body><article><p>{text}</p></article></body></html>"
    r = client.post(
        "/api/read?published=2022-05-24", content=html, headers={"content-type": "text/html"}
    )
    assert r.json() == read_html(html, "2022-05-24").to_dict(with_text=True)
    r = client.post("/api/check", json={"html": html, "published": "2022-05-24"})
    assert r.status_code == 200 and r.json()["summary"]["confirmed"] >= 1


def test_country_page_notes_only_what_applies(client: Any) -> None:
    de = client.get("/country/DEU?on=2024-01-01").text
    assert 'id="mnna-note"' not in de and 'id="guarantee-disputed"' not in de
    col = client.get("/country/COL?on=2024-01-01").text
    assert 'id="mnna-note"' in col
    # the loan guarantees are for MNNAs of 31 March 1995 only
    assert "Does not apply:</strong> only countries that were MNNAs on 31 March 1995" in col
    ven = client.get("/country/VEN?on=2024-01-01").text
    assert 'id="guarantee-disputed"' in ven


def test_check_page_without_a_date_is_grey_and_asks_for_it(client: Any, ledger: Any) -> None:
    pytest.importorskip("allies.read")
    from allies.check import check
    from allies.read import read

    text = "Saudi Arabia was designated a major non-NATO ally on Tuesday."
    page = client.post("/check", data={"text": text, "published": ""}).text
    expected = check(read(text, None).to_dict(with_text=True), ledger)
    assert [x["verdict"] for x in expected["events"]] == ["undated"]
    assert 'data-verdict="undated"' in page and 'data-verdict="confirmed"' not in page
    assert 'class="v-undated"' in page  # the highlight is grey, not green
    line = htmllib.escape(expected["summary"]["line"], quote=False)
    assert f'<p class="summary" id="summary">{line} · published unknown</p>' in page
    assert 'id="undated-hint"' in page and "Fill in “Published on”" in page
    src = ledger.timelines[("mnna", "SAU")].events[-1].sources[0]
    assert f'<a href="{src}" rel="noreferrer" class="src">[1]</a>' in page  # the record's source
    dated = client.post("/check", data={"text": text, "published": "2025-11-20"}).text
    assert 'id="undated-hint"' not in dated and 'data-verdict="undated"' not in dated


def test_check_page_reads_pasted_html_with_its_date(client: Any) -> None:
    pytest.importorskip("allies.read")
    html = (
        '<html><head><meta property="article:published_time" content="2022-05-25T10:00:00Z">'
        "</head><body><p>Colombia was designated a major non-NATO ally on Monday.</p>"
        "</body></html>"
    )
    twin = client.post("/check.json", data={"text": html, "published": ""}).json()
    result = twin["result"]
    assert result["published"] == "2022-05-25"
    assert [(e["date"], e["verdict"]) for e in result["events"]] == [("2022-05-23", "confirmed")]
    assert "<p>" not in result["text"]
    given = client.post("/check.json", data={"text": html, "published": "2022-06-01"}).json()
    assert given["result"]["published"] == "2022-06-01"  # the form's date wins


def test_check_page_lists_what_was_not_understood(client: Any) -> None:
    site = client.app.state.site
    unread = [{"text": "NATO & Ukraine <talked>.", "start": 0, "end": 24}]
    result = {
        "published": "2023-01-01",
        "summary": {"line": "0 news events, 0 background, 0 claims", "undated": 0},
        "unread": unread,
    }
    page = str(
        site.render(
            "check.html", path="/check", title="t",
            data={"text": "x", "published": None, "result": result},
            error=None, items=[], marked="", marks={}, verdict_label=views.VERDICT_LABEL,
        )
    )
    block = re.search(r'<section class="unread" id="unread".*?</section>', page, re.S)
    assert block
    assert "1 sentence names a framework and a country" in block.group(0)
    assert "<li>NATO &amp; Ukraine &lt;talked&gt;.</li>" in block.group(0)


def test_framework_page_says_what_the_record_covers(client: Any, ledger: Any) -> None:
    f = ledger.frameworks["nato"]
    page = client.get("/framework/nato").text
    note = f.coverage_note.replace("'", "&#39;")  # Jinja's escape of the apostrophe
    assert (
        f'<p class="small" id="coverage">Record complete through {f.complete_through} for '
        f"accede, enter into force: a step of these kinds missing here did not happen. "
        f"{note}</p>"
    ) in page
