"""JSON API routes under /api: the library's own answers, as JSON."""

from __future__ import annotations

import datetime as dt
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..check import check
from ..dates import parse_period
from ..errors import BadInput
from ..ledger import Ledger
from . import bodies
from .respond import (
    JSON,
    cite,
    json_response,
    known_params,
    permalink,
    quoted,
    site_of,
    with_cite,
)
from .site import Site, dumps

__all__ = ["JSON", "json_response", "known_params", "routes", "site_of"]


_PERIOD = re.compile(r"\d{4}(?:-\d{2})?")


def period_on(request: Request) -> str | None:
    """`on` when it is a month or a year (YYYY-MM, YYYY): answered by the ledger directly
    (the state at the period's end plus the changes inside it), not from the day cache."""
    value = request.query_params.get("on")
    return value if value is not None and _PERIOD.fullmatch(value) else None


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
    past = known_ledger(request, site)
    if (period := period_on(request)) is not None:
        link = permalink(request, f"/api/status/{quoted(iso3)}", {"on": period})
        ans = (past or site.ledger).status(iso3, period)
        return json_response(with_cite(ans, site, link))
    day = site.day(request.query_params.get("on"))
    link = permalink(request, f"/api/status/{quoted(iso3)}", {"on": day.isoformat()})
    if past is not None:
        return json_response(with_cite(past.status(iso3, day), site, link))
    return Response(site.status_json(iso3, day, cite(site, link)), media_type=JSON)


async def members(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on", "as_known_on")
    period = period_on(request)
    day: dt.date | str = period if period is not None else site.day(request.query_params.get("on"))
    ledger = known_ledger(request, site) or site.ledger
    ans = ledger.members(request.path_params["framework"], day)
    link = permalink(request, f"/api/members/{quoted(ans['framework'])}", {"on": str(ans["on"])})
    return json_response(with_cite(ans, site, link))


async def entails(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "on")
    iso3 = site.iso3(request.path_params["country"])
    period = period_on(request)
    day: dt.date | str = period if period is not None else site.day(request.query_params.get("on"))
    link = permalink(request, f"/api/entails/{quoted(iso3)}", {"on": str(day)})
    return json_response(with_cite(site.ledger.entails(iso3, day), site, link))


def _bound(site: Site, value: str, what: str, end: bool) -> dt.date:
    """A `since`/`until` day, or a month or year: from its first day / to its last."""
    if _PERIOD.fullmatch(value):
        p = parse_period(value, what)
        return p.end if end else p.start
    return site.day(value, what)


async def history(request: Request) -> Response:
    site = site_of(request)
    known_params(request)
    iso3 = site.iso3(request.path_params["country"])
    link = permalink(request, f"/api/history/{quoted(iso3)}")
    return json_response(with_cite(site.ledger.history(iso3), site, link))


async def changes(request: Request) -> Response:
    site = site_of(request)
    known_params(request, "since", "until")
    since = request.query_params.get("since")
    if not since:
        raise BadInput("missing parameter 'since': give ?since=YYYY-MM-DD, e.g. 2022-01-01")
    lo = _bound(site, since, "'since' date", end=False)
    until = request.query_params.get("until")
    hi = _bound(site, until, "'until' date", end=True) if until is not None else max(
        site.today(), lo
    )
    link = permalink(request, "/api/changes", {"since": lo.isoformat(), "until": hi.isoformat()})
    if hi < lo:  # an empty range: no events (a 200, so the answer matches the schema)
        return json_response(
            with_cite({
                "since": lo.isoformat(),
                "until": hi.isoformat(),
                "count": 0,
                "events": [],
                "warnings": [
                    f"'until' {hi} is before 'since' {lo}: no day is in this range; swap them"
                ],
            }, site, link)
        )
    return json_response(with_cite(site.ledger.changes(lo, hi), site, link))


async def frameworks(request: Request) -> Response:
    known_params(request)
    return json_response(site_of(request).ledger.frameworks_list())


async def version(request: Request) -> Response:
    known_params(request)
    site = site_of(request)
    link = permalink(request, "/api/version")
    return json_response(with_cite(site.ledger.info.to_dict(), site, link))


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
    site.pool.check_room()  # 503 at once when every slot and queue place is taken
    raw = await bodies.read_capped(request)  # the body first: a stalled upload holds no place
    gone = request.is_disconnected
    with site.pool.admit():
        if checked:
            body = await site.pool.run(check_bytes, site.ledger, mt, raw, published, gone=gone)
        else:
            body = await site.pool.run(read_bytes, mt, raw, published, gone=gone)
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
