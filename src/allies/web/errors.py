"""One error shape for every JSON error, an HTML page for the others, and the middleware that
adds security headers to every response and turns any uncaught exception into a generic 500.

JSON errors look like ``{"ok": false, "status": 400, "error": "<one line>"}``, always built by
:func:`error_response`.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import AlliesError

log = logging.getLogger("allies.web")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
GENERIC_500 = "internal error: the server could not answer this request; try again later"
REASONS = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    408: "Request timeout",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable article",
    431: "Request header fields too large",
    500: "Server error",
    503: "Server busy",
}
RETRY_AFTER = "2"  # seconds, sent with every 503


class TooLarge(AlliesError):
    status = 413


class Unsupported(AlliesError):
    status = 415


class BodyTimeout(AlliesError):
    """The request body did not arrive in time (a stalled upload)."""

    status = 408


class ClientGone(Exception):
    """The client closed the connection while its article was being read: nothing to answer."""


class Busy(AlliesError):
    """Every reader slot and queue place is taken: a 503 with Retry-After."""

    status = 503


def one_line(message: str) -> str:
    return " ".join(str(message).split()) or "error"


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": one_line(message)}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """THE helper for every JSON error response."""
    body = json.dumps(error_body(status, message), ensure_ascii=False).encode("utf-8", "replace")
    return Response(body, status, headers=headers, media_type="application/json")


def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path.endswith((".json", ".csv")) or path == "/api"


def _html_error(request: Request, status: int, message: str, maybe: Any = ()) -> Response:
    """The error page, rendered by the app's site (no page module needed); `maybe`: the
    (name, href) links of "Did you mean"."""
    try:
        html = request.app.state.site.render(
            "error.html", path=request.url.path, title=REASONS.get(status, "Error"),
            code=status, message=one_line(message), maybe=list(maybe),
        )
        return HTMLResponse(html, status)
    except Exception:  # the error page itself must never fail
        return HTMLResponse(f"<!doctype html><title>Error {status}</title>", status)


def _did_you_mean(request: Request, exc: AlliesError) -> list[tuple[str, str]]:
    names = getattr(exc, "suggestions", None) or []
    try:
        iso3 = request.app.state.site.iso3
        return [(n, f"/country/{iso3(n)}") for n in names]
    except Exception:
        return []


def error_for(
    request: Request, status: int, message: str, headers: Any = None, maybe: Any = ()
) -> Response:
    if wants_json(request.url.path):
        return error_response(status, message, headers)
    resp = _html_error(request, status, message, maybe)
    if headers:
        resp.headers.update(headers)
    return resp


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if status == 404:
        msg = f"no such page or route: {request.url.path}; see /api/docs for the routes"
    elif status == 405:
        allow = exc.headers.get("Allow", "") if exc.headers else ""
        msg = f"method {request.method} not allowed on {request.url.path}; use {allow or 'GET'}"
    else:
        msg = exc.detail or REASONS.get(status, "error")
    return error_for(request, status, msg, exc.headers)


async def allies_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AlliesError)
    if isinstance(exc, Busy):
        return error_for(request, 503, str(exc), {"Retry-After": RETRY_AFTER})
    status = exc.status if 400 <= exc.status < 600 else 400
    if status >= 500:
        log.error("data error: %s", exc)
        return error_for(request, 500, GENERIC_500)
    return error_for(request, status, str(exc), maybe=_did_you_mean(request, exc))


MAX_HEADERS = 100  # header fields per request (their total size is capped by the server)


def relative_location(header: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    """A redirect's Location as a path (``/country/COL``), never an absolute URL built from
    the request's Host header (which a client controls)."""
    name, value = header
    if name.lower() != b"location":
        return header
    parts = urlsplit(value.decode("latin-1"))
    if not (parts.scheme or parts.netloc):
        return header
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    path = "/" + path.lstrip("/")  # never "//host": that would be protocol-relative
    return name, (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


class Guard:
    """Pure ASGI middleware: security headers on every response; redirects with relative
    Locations; more than `MAX_HEADERS` header fields refused (431); an exception raised
    before the response started becomes a generic 500 (no stack trace reaches the client)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                if 300 <= message.get("status", 200) < 400:
                    headers = [relative_location(h) for h in headers]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        n = len(scope.get("headers") or ())
        if n > MAX_HEADERS:
            resp = error_response(
                431, f"request has {n} header fields, over the limit of {MAX_HEADERS}; send fewer"
            )
            await resp(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except ClientGone:
            return  # the reading was stopped: there is nobody to answer
        except Exception:
            log.exception("unhandled error on %s", scope.get("path"))
            if started:
                raise
            path = scope.get("path", "")
            if wants_json(path):
                resp = error_response(500, GENERIC_500)
            else:
                resp = HTMLResponse(
                    "<!doctype html><title>Server error</title><h1>Server error</h1>"
                    f"<p>{GENERIC_500}</p>",
                    500,
                )
            await resp(scope, receive, send_with_headers)
