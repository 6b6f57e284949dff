"""Server-rendered pages; each has a `.json` twin at the same path + `.json` with the data
behind it (``/`` → ``/index.json``, ``/country/COL`` → ``/country/COL.json``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..check import check
from ..errors import AlliesError
from . import bodies, views
from .api import json_response, known_params, site_of
from .errors import REASONS, Unsupported, one_line

HTML = "text/html; charset=utf-8"


def page(request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
    site = site_of(request)
    html = site.render(template, path=request.url.path, **ctx)
    return HTMLResponse(html, status)


def render_error(request: Request, status: int, message: str) -> Response:
    try:
        return page(
            request,
            "error.html",
            status,
            title=REASONS.get(status, "Error"),
            code=status,
            message=one_line(message),
        )
    except Exception:  # the error page itself must never fail
        return HTMLResponse(f"<!doctype html><title>Error {status}</title>", status)


def _split_json(name: str) -> tuple[str, bool]:
    if name.endswith(".json"):
        return name[: -len(".json")], True
    return name, False


def _query(request: Request) -> str:
    q = request.url.query
    return f"?{q}" if q else ""


# -- home --------------------------------------------------------------------------------------


def _home_day(request: Request, strict: bool) -> dt.date:
    known_params(request, "on", strict=strict)
    return site_of(request).day(request.query_params.get("on"), empty_ok=True)


async def home(request: Request) -> Response:
    site = site_of(request)
    day = _home_day(request, strict=False)
    data = site.home(day)
    shapes = site.shapes(day, data["countries"])
    first = site.ledger.events[0].date.start.year if site.ledger.events else day.year
    return page(
        request,
        "home.html",
        title="U.S. alliances on a date",
        data=data,
        shapes=shapes,
        world=views.world_map(),
        first_year=first,
        last_year=max(site.today().year, day.year),
        year=day.year,
        frameworks=site.ledger.frameworks_list(),
    )


async def home_json(request: Request) -> Response:
    return json_response(site_of(request).home(_home_day(request, strict=True)))


# -- country -----------------------------------------------------------------------------------


async def country(request: Request) -> Response:
    site = site_of(request)
    raw, as_json = _split_json(request.path_params["country"])
    known_params(request, "on", strict=as_json)
    iso3 = site.iso3(raw)
    if raw != iso3:
        target = f"/country/{quote(iso3)}{'.json' if as_json else ''}{_query(request)}"
        return RedirectResponse(target, 302)
    day = site.day(request.query_params.get("on"), empty_ok=True)
    data = views.country_data(site.ledger, iso3, day)
    if as_json:
        return json_response(data)
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
    )


def _mnna_limit(ledger: Any) -> str:
    f = ledger.frameworks.get("mnna")
    return f.guarantee_citation if f is not None else ""


# -- framework ---------------------------------------------------------------------------------


async def framework(request: Request) -> Response:
    site = site_of(request)
    raw, as_json = _split_json(request.path_params["framework"])
    known_params(request, "on", strict=as_json)
    fid = site.ledger.framework(raw).id
    if raw != fid:
        target = f"/framework/{quote(fid)}{'.json' if as_json else ''}{_query(request)}"
        return RedirectResponse(target, 302)
    day = site.day(request.query_params.get("on"), empty_ok=True)
    data = views.framework_data(site.ledger, fid, day, site.today())
    if as_json:
        return json_response(data)
    return page(
        request,
        "framework.html",
        title=data["framework"]["name"],
        data=data,
        chart=views.bar_chart(data["counts"]),
    )


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
        reading = bodies.reading_dict(bodies.Article(text=text, published=published))
        return _check_data(text, published, check(reading, ledger)), None
    except AlliesError as e:
        if e.status >= 500:
            raise
        msg = str(e) if text.strip() else "empty article: paste the article text, then Check"
        return _check_data(text, published, None), msg


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
    Route("/country/{country}", country, methods=["GET"]),
    Route("/framework/{framework}", framework, methods=["GET"]),
    Route("/check", check_page, methods=["GET", "POST"]),
    Route("/check.json", check_json, methods=["GET", "POST"]),
    Route("/api/docs", api_docs, methods=["GET"]),
    Route("/api/docs.json", api_docs_json, methods=["GET"]),
]
