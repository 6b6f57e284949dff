"""JSON API routes under /api: the library's own answers, as JSON."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..check import check
from ..errors import BadInput
from . import bodies
from .site import Site, dumps

JSON = "application/json"


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(dumps(obj), status, media_type=JSON)


def known_params(request: Request, *allowed: str) -> None:
    """Refuse repeated parameters (ambiguous); unknown ones are ignored."""
    for key in allowed:
        if len(request.query_params.getlist(key)) > 1:
            raise BadInput(f"parameter {key!r} given more than once; give it once")


async def status(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on")
    iso3 = site.iso3(request.path_params["country"])
    day = site.day(request.query_params.get("on"))
    return Response(site.status_json(iso3, day), media_type=JSON)


async def members(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on")
    day = site.day(request.query_params.get("on"))
    return json_response(site.ledger.members(request.path_params["framework"], day))


async def history(request: Request) -> Response:
    site = site_of(request)
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
    if hi < lo:
        raise BadInput(f"'until' {hi} is before 'since' {lo}; swap them")
    return json_response(site.ledger.changes(lo, hi))


async def frameworks(request: Request) -> Response:
    return json_response(site_of(request).ledger.frameworks_list())


async def version(request: Request) -> Response:
    return json_response(site_of(request).ledger.info.to_dict())


async def read_route(request: Request) -> Response:
    art = await bodies.article(request)
    return json_response(bodies.reading_dict(art))


async def check_route(request: Request) -> Response:
    site = site_of(request)
    art = await bodies.article(request)
    return json_response(check(bodies.reading_dict(art), site.ledger))


async def openapi(request: Request) -> Response:
    return Response(site_of(request).openapi_bytes, media_type=JSON)


routes = [
    Route("/api/status/{country}", status, methods=["GET"]),
    Route("/api/members/{framework}", members, methods=["GET"]),
    Route("/api/history/{country}", history, methods=["GET"]),
    Route("/api/changes", changes, methods=["GET"]),
    Route("/api/frameworks", frameworks, methods=["GET"]),
    Route("/api/version", version, methods=["GET"]),
    Route("/api/read", read_route, methods=["POST"]),
    Route("/api/check", check_route, methods=["POST"]),
    Route("/openapi.json", openapi, methods=["GET"]),
]
