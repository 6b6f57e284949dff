"""Server-rendered pages; each has a `.json` twin at the same path + `.json` with the data
behind it (``/`` → ``/index.json``, ``/country/COL`` → ``/country/COL.json``), and each
table page a `.csv` twin beside it (``/country/COL.csv``, ``/framework/mnna.csv``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..check import check
from ..errors import AlliesError, BadInput
from . import bodies, views
from .errors import Unsupported
from .respond import (
    base_url,
    cite,
    csv_response,
    json_response,
    known_params,
    permalink,
    quoted,
    site_of,
    with_cite,
)
from .site import Cached

HTML = "text/html; charset=utf-8"
TWINS = (".json", ".csv")


def page(request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
    """A rendered page; one without a date of its own (check, API docs) cites its path."""
    site = site_of(request)
    ctx.setdefault("cite", cite(site, permalink(request, request.url.path)))
    html = site.render(template, path=request.url.path, **ctx)
    return HTMLResponse(html, status)


def _split(name: str) -> tuple[str, str]:
    """("COL", ".csv") for "COL.csv"; ("COL", "") for a page."""
    for ext in TWINS:
        if name.endswith(ext):
            return name[: -len(ext)], ext
    return name, ""


def _query(request: Request) -> str:
    q = request.url.query
    return f"?{q}" if q else ""


def cached_response(request: Request, cached: Cached) -> Response:
    """A cached page: 304 when the client holds this ETag, gzip when it accepts it."""
    headers = {"ETag": cached.etag, "Vary": "Accept-Encoding", "Cache-Control": "no-cache"}
    match = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in match.split(",")}
    if cached.etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    accepts = request.headers.get("accept-encoding", "")
    if cached.gz is not None and "gzip" in accepts:
        headers["Content-Encoding"] = "gzip"
        return Response(cached.gz, headers=headers, media_type=HTML)
    return Response(cached.body, headers=headers, media_type=HTML)


# -- home --------------------------------------------------------------------------------------


def _home_day(request: Request, strict: bool) -> dt.date:
    known_params(request, "on", strict=strict)
    return site_of(request).day(request.query_params.get("on"), empty_ok=True)


def _home_link(request: Request, day: dt.date, ext: str = "") -> str:
    return permalink(request, f"/index{ext}" if ext else "/", {"on": day.isoformat()})


async def home(request: Request) -> Response:
    """The map: rendered once per (day, data version), then served from memory."""
    site = site_of(request)
    day = _home_day(request, strict=False)

    def render() -> str:
        data = site.home(day)
        shapes = site.shapes(day, data["countries"])
        first = site.ledger.events[0].date.start.year if site.ledger.events else day.year
        return site.render(
            "home.html",
            path="/",
            title="U.S. alliances on a date",
            data=data,
            shapes=shapes,
            markers=views.map_markers(site.ledger, data["countries"]),
            world=views.world_map(),
            first_year=first,
            last_year=max(site.today().year, day.year),
            year=day.year,
            frameworks=site.ledger.frameworks_list(),
            cite=cite(site, _home_link(request, day)),
            csv_href=f"/index.csv?on={day.isoformat()}",
        )

    return cached_response(request, site.rendered(("home", day, base_url(request)), render))


async def home_json(request: Request) -> Response:
    site = site_of(request)
    day = _home_day(request, strict=True)
    return json_response(with_cite(site.home(day), site, _home_link(request, day, ".json")))


async def home_csv(request: Request) -> Response:
    data = site_of(request).home(_home_day(request, strict=True))
    return csv_response(
        f"allies-countries-{data['on']}",
        ("iso3", "name", "category", "also", "statuses"),
        (
            (
                r["iso3"],
                r["name"],
                r["category"],
                r["mark"],
                [f"{s['framework']}:{s['state']}" for s in r["statuses"]],
            )
            for r in data["countries"]
        ),
    )


# -- country -----------------------------------------------------------------------------------


async def country(request: Request) -> Response:
    site = site_of(request)
    raw, ext = _split(request.path_params["country"])
    known_params(request, "on", strict=bool(ext))
    iso3 = site.iso3(raw)
    if raw != iso3:
        return RedirectResponse(f"/country/{quoted(iso3)}{ext}{_query(request)}", 302)
    day = site.day(request.query_params.get("on"), empty_ok=True)
    data = views.country_data(site.ledger, iso3, day)
    link = permalink(request, f"/country/{quoted(iso3)}{ext}", {"on": day.isoformat()})
    if ext == ".json":
        return json_response(with_cite(data, site, link))
    if ext == ".csv":
        return csv_response(
            f"allies-{iso3}",
            ("iso3", "framework", "state", "from", "until", "pending"),
            (
                (iso3, p["framework"], p["state"], p["from"], p["until"], p["pending"])
                for p in data["history"]["periods"]
            ),
        )
    periods_by_fw: dict[str, list[dict[str, Any]]] = {}
    for p in data["history"]["periods"]:
        periods_by_fw.setdefault(p["framework"], []).append(p)
    return page(
        request,
        "country.html",
        title=data["status"]["country"]["name"],
        data=data,
        periods_by_fw=periods_by_fw,
        mnna_limit=_mnna_limit(site.ledger),
        terms=data["guarantee_terms"],
        cite=cite(site, link),
        csv_href=f"/country/{quoted(iso3)}.csv?on={day.isoformat()}",
    )


def _mnna_limit(ledger: Any) -> str:
    f = ledger.frameworks.get("mnna")
    return f.guarantee_citation if f is not None else ""


# -- frameworks --------------------------------------------------------------------------------


async def framework(request: Request) -> Response:
    site = site_of(request)
    raw, ext = _split(request.path_params["framework"])
    known_params(request, "on", strict=bool(ext))
    fid = site.ledger.framework(raw).id
    if raw != fid:
        return RedirectResponse(f"/framework/{quoted(fid)}{ext}{_query(request)}", 302)
    day = site.day(request.query_params.get("on"), empty_ok=True)
    data = views.framework_data(site.ledger, fid, day, site.today())
    link = permalink(request, f"/framework/{quoted(fid)}{ext}", {"on": day.isoformat()})
    if ext == ".json":
        return json_response(with_cite(data, site, link))
    if ext == ".csv":
        m = data["members"]
        return csv_response(
            f"allies-{fid}-{m['on']}",
            ("framework", "on", "iso3", "name", "since", "precision", "pending", "uncertain",
             "treated_as", "disputed"),
            (
                (fid, m["on"], x["iso3"], x["name"], x.get("since"), x.get("precision"),
                 x.get("pending"), x.get("uncertain"), x.get("treated_as"),
                 [d["note"] for d in x.get("disputed", [])])
                for x in m["members"]
            ),
        )
    return page(
        request,
        "framework.html",
        title=data["framework"]["name"],
        data=data,
        chart=views.bar_chart(data["counts"]),
        others=[f for f in site.ledger.frameworks_list() if f["id"] != fid],
        cite=cite(site, link),
        csv_href=f"/framework/{quoted(fid)}.csv?on={day.isoformat()}",
    )


async def frameworks(request: Request) -> Response:
    site = site_of(request)
    ext = {"/frameworks.json": ".json", "/frameworks.csv": ".csv"}.get(request.url.path, "")
    known_params(request, "on", strict=bool(ext))
    day = site.day(request.query_params.get("on"), empty_ok=True)
    data = views.frameworks_index(site.ledger, day)
    link = permalink(request, f"/frameworks{ext}", {"on": day.isoformat()})
    if ext == ".json":
        return json_response(with_cite(data, site, link))
    if ext == ".csv":
        cols = ("id", "name", "kind", "security_guarantee", "guarantee_citation", "members",
                "suspended", "established", "legal_basis")
        return csv_response(
            f"allies-frameworks-{data['on']}", ("on", *cols),
            ((data["on"], *(f[c] for c in cols)) for f in data["frameworks"]),
        )
    return page(
        request,
        "frameworks.html",
        title="Frameworks",
        data=data,
        cite=cite(site, link),
        csv_href=f"/frameworks.csv?on={day.isoformat()}",
        json_href=f"/frameworks.json?on={day.isoformat()}",
    )


# -- changes -----------------------------------------------------------------------------------

CHANGES_DAYS = 365


async def changes(request: Request) -> Response:
    """Events between two days (default: the last year)."""
    site = site_of(request)
    ext = {"/changes.json": ".json", "/changes.csv": ".csv"}.get(request.url.path, "")
    known_params(request, "since", "until", strict=bool(ext))
    hi = site.day(request.query_params.get("until"), "'until' date", empty_ok=True)
    since = request.query_params.get("since")
    lo = (
        site.day(since, "'since' date")
        if since
        else hi - dt.timedelta(days=CHANGES_DAYS)
    )
    if hi < lo:
        raise BadInput(f"'until' {hi} is before 'since' {lo}; swap them")
    data = site.ledger.changes(lo, hi)
    params = {"since": lo.isoformat(), "until": hi.isoformat()}
    link = permalink(request, f"/changes{ext}", params)
    if ext == ".json":
        return json_response(with_cite(data, site, link))
    if ext == ".csv":
        cols = ("date", "precision", "country", "country_name", "framework", "action",
                "intent_of", "confidence", "id", "sources")
        return csv_response(
            f"allies-changes-{lo}-{hi}", cols,
            ([e.get(c) for c in cols] for e in data["events"]),
        )
    q = f"?since={lo}&until={hi}"
    return page(
        request,
        "changes.html",
        title="Changes",
        data=data,
        cite=cite(site, link),
        csv_href=f"/changes.csv{q}",
        json_href=f"/changes.json{q}",
    )


# -- country search ----------------------------------------------------------------------------


async def search(request: Request) -> Response:
    """The search box: a name, code or demonym, resolved as the CLI resolves it."""
    site = site_of(request)
    known_params(request, "q", strict=False)
    q = (request.query_params.get("q") or "").strip()
    if not q:
        raise BadInput("empty search: type a country name, code or demonym, e.g. Colombia")
    on = request.query_params.get("on")
    iso3 = site.iso3(q)  # UnknownCountry: a 404 page with "Did you mean" links
    tail = f"?{urlencode({'on': on})}" if on else ""
    return RedirectResponse(f"/country/{quoted(iso3)}{tail}", 302)


async def search_json(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "q")
    q = request.query_params.get("q") or ""
    return json_response({"q": q, "suggestions": site.suggest(q)})


# -- check -------------------------------------------------------------------------------------


def _check_data(text: str, published: str | None, result: dict[str, Any] | None) -> Any:
    return {"text": text, "published": published, "result": result}


async def _check_post(request: Request) -> tuple[dict[str, Any], str | None]:
    site = site_of(request)
    mt = bodies.media_type(request)
    if mt != bodies.FORM_TYPE:
        raise Unsupported(
            f"unsupported Content-Type {mt!r}; post the form (application/x-www-form-urlencoded)"
        )
    site.pool.check_room()  # 503 at once when every reader slot and queue place is taken
    raw = await bodies.read_capped(request)  # the body first: a stalled upload holds no place
    with site.pool.admit():
        return await site.pool.run(_check_form, site.ledger, raw, gone=request.is_disconnected)


def _check_form(ledger: Any, raw: bytes) -> tuple[dict[str, Any], str | None]:
    """Read and check the posted form (in a worker thread): the data, or the form error."""
    fields = bodies.form_fields(raw)
    text = fields.get("text", "")
    published = fields.get("published") or None
    try:
        # pasted HTML is read as a page: its text, and its publication date when the form
        # leaves the date empty
        art = (
            bodies.Article(html=text, published=published)
            if _looks_like_html(text)
            else bodies.Article(text=text, published=published)
        )
        reading = bodies.reading_dict(art)
        return _check_data(text, published, check(reading, ledger)), None
    except AlliesError as e:
        if e.status >= 500:
            raise
        msg = str(e) if text.strip() else "empty article: paste the article text, then Check"
        return _check_data(text, published, None), msg


HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b|<article\b)", re.I)


def _looks_like_html(text: str) -> bool:
    return bool(HTML_START.match(text))


async def check_page(request: Request) -> Response:
    error = None
    if request.method == "POST":
        data, error = await _check_post(request)
    else:
        data = _check_data("", None, None)
    items: list[dict[str, Any]] = []
    marked: Any = None
    marks: dict[int, dict[str, Any]] = {}
    if data["result"] is not None:
        items = views.verdict_items(data["result"])
        marked, marks = views.highlight(data["result"].get("text", data["text"]), items)
    return page(
        request,
        "check.html",
        400 if error else 200,
        title="Check an article",
        data=data,
        error=error,
        items=items,
        marked=marked,
        marks=marks,
        verdict_label=views.VERDICT_LABEL,
    )


async def check_json(request: Request) -> Response:
    known_params(request)
    if request.method == "POST":
        data, error = await _check_post(request)
        if error:
            raise AlliesError(error)
    else:
        data = _check_data("", None, None)
    return json_response(data)


# -- API docs ----------------------------------------------------------------------------------


async def api_docs(request: Request) -> Response:
    spec = site_of(request).openapi
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            ops.append({"path": path, "method": method.upper(), **op})
    return page(request, "docs.html", title="API", spec=spec, ops=ops)


async def api_docs_json(request: Request) -> Response:
    known_params(request)
    return Response(site_of(request).openapi_bytes, media_type="application/json")


routes = [
    Route("/", home, methods=["GET"]),
    Route("/index.json", home_json, methods=["GET"]),
    Route("/index.csv", home_csv, methods=["GET"]),
    Route("/country/{country}", country, methods=["GET"]),
    Route("/framework/{framework}", framework, methods=["GET"]),
    Route("/frameworks", frameworks, methods=["GET"]),
    Route("/frameworks.json", frameworks, methods=["GET"]),
    Route("/frameworks.csv", frameworks, methods=["GET"]),
    Route("/changes", changes, methods=["GET"]),
    Route("/changes.json", changes, methods=["GET"]),
    Route("/changes.csv", changes, methods=["GET"]),
    Route("/search", search, methods=["GET"]),
    Route("/search.json", search_json, methods=["GET"]),
    Route("/check", check_page, methods=["GET", "POST"]),
    Route("/check.json", check_json, methods=["GET", "POST"]),
    Route("/api/docs", api_docs, methods=["GET"]),
    Route("/api/docs.json", api_docs_json, methods=["GET"]),
]
