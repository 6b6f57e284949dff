"""JSON API routes under /api: the library's own answers, as JSON."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..check import check
from ..errors import BadInput, shown
from ..ledger import Ledger
from . import bodies
from .site import Site, dumps

JSON = "application/json"


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(dumps(obj), status, media_type=JSON)


def known_params(request: Request, *allowed: str, strict: bool = True) -> None:
    """Refuse unknown parameters (naming the accepted ones) and repeated ones (ambiguous).

    `strict=False` (the HTML pages) ignores unknown ones: links may carry tracking tags."""
    for key in request.query_params if strict else ():
        if key not in allowed:
            accepted = ", ".join(repr(a) for a in allowed) if allowed else "no parameters"
            raise BadInput(
                f"unknown parameter {shown(key)} on {request.url.path}; it accepts: {accepted}"
            )
    for key in allowed:
        if len(request.query_params.getlist(key)) > 1:
            raise BadInput(f"parameter {key!r} given more than once; give it once")


def known_ledger(request: Request, site: Site) -> Ledger | None:
    """`as_known_on=DATE`: the ledger as it stood that day (None when not asked)."""
    value = request.query_params.get("as_known_on")
    if value is None:
        return None
    return site.ledger.as_known_on(site.day(value, "'as_known_on' date"))


async def status(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on", "as_known_on")
    iso3 = site.iso3(request.path_params["country"])
    day = site.day(request.query_params.get("on"))
    past = known_ledger(request, site)
    if past is not None:
        return json_response(past.status(iso3, day))
    return Response(site.status_json(iso3, day), media_type=JSON)


async def members(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on", "as_known_on")
    day = site.day(request.query_params.get("on"))
    ledger = known_ledger(request, site) or site.ledger
    return json_response(ledger.members(request.path_params["framework"], day))


async def entails(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on")
    iso3 = site.iso3(request.path_params["country"])
    day = site.day(request.query_params.get("on"))
    return json_response(site.ledger.entails(iso3, day))


async def history(request: Request) -> Response:
    site = site_of(request)
    known_params(request)
    return json_response(site.ledger.history(site.iso3(request.path_params["country"])))


async def changes(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "since", "until")
    since = request.query_params.get("since")
    if not since:
        raise BadInput("missing parameter 'since': give ?since=YYYY-MM-DD, e.g. 2022-01-01")
    lo = site.day(since, "'since' date")
    until = request.query_params.get("until")
    hi = site.day(until, "'until' date") if until is not None else max(site.today(), lo)
    if hi < lo:  # an empty range: no events (a 200, so the answer matches the schema)
        return json_response(
            {
                "since": lo.isoformat(),
                "until": hi.isoformat(),
                "count": 0,
                "events": [],
                "warnings": [
                    f"'until' {hi} is before 'since' {lo}: no day is in this range; swap them"
                ],
            }
        )
    return json_response(site.ledger.changes(lo, hi))


async def frameworks(request: Request) -> Response:
    known_params(request)
    return json_response(site_of(request).ledger.frameworks_list())


async def version(request: Request) -> Response:
    known_params(request)
    return json_response(site_of(request).ledger.info.to_dict())


def read_bytes(mt: str, raw: bytes, published: str | None) -> bytes:
    """Parse, read and serialise (in a worker thread)."""
    return dumps(bodies.reading_dict(bodies.parse_article(mt, raw, published)))


def check_bytes(ledger: Ledger, mt: str, raw: bytes, published: str | None) -> bytes:
    """Parse, read, check and serialise (in a worker thread)."""
    reading = bodies.reading_dict(bodies.parse_article(mt, raw, published))
    return dumps(check(reading, ledger))


async def _article_route(request: Request, checked: bool) -> Response:
    site = site_of(request)
    known_params(request, "published")
    mt = bodies.media_type(request)
    bodies.check_media_type(mt)
    published = request.query_params.get("published")
    with site.pool.admit():  # 503 when every slot and queue place is taken
        raw = await bodies.read_capped(request)
        if checked:
            body = await site.pool.run(check_bytes, site.ledger, mt, raw, published)
        else:
            body = await site.pool.run(read_bytes, mt, raw, published)
    return Response(body, media_type=JSON)


async def read_route(request: Request) -> Response:
    return await _article_route(request, checked=False)


async def check_route(request: Request) -> Response:
    return await _article_route(request, checked=True)


async def openapi(request: Request) -> Response:
    known_params(request)
    return Response(site_of(request).openapi_bytes, media_type=JSON)


routes = [
    Route("/api/status/{country}", status, methods=["GET"]),
    Route("/api/members/{framework}", members, methods=["GET"]),
    Route("/api/entails/{country}", entails, methods=["GET"]),
    Route("/api/history/{country}", history, methods=["GET"]),
    Route("/api/changes", changes, methods=["GET"]),
    Route("/api/frameworks", frameworks, methods=["GET"]),
    Route("/api/version", version, methods=["GET"]),
    Route("/api/read", read_route, methods=["POST"]),
    Route("/api/check", check_route, methods=["POST"]),
    Route("/openapi.json", openapi, methods=["GET"]),
]
