"""What the API and the pages share: the site of a request, parameter checks, JSON and CSV
answers, the "cite this" block, and read-only CORS. Imported by `api` and `pages`; imports
neither (so no route module imports another)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import BadInput, shown
from .site import Site, dumps

JSON = "application/json"
CSV = "text/csv; charset=utf-8"
# A cell starting with one of these is a formula to a spreadsheet: quote it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


# -- cite this ---------------------------------------------------------------------------------


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def permalink(request: Request, path: str, params: dict[str, str] | None = None) -> str:
    """An absolute URL for `path` (already quoted) with `params` (dates) spelled out."""
    q = f"?{urlencode(params)}" if params else ""
    return f"{base_url(request)}{path}{q}"


def cite(site: Site, link: str) -> dict[str, str]:
    """The citation of an answer: data version, content hash and a permalink whose URL
    carries the date, so the same link gives the same answer while the data version holds."""
    info = site.ledger.info
    return {
        "data_version": info.data_version,
        "content_hash": info.content_hash,
        "permalink": link,
        "text": (
            f"allies, U.S. alliance statuses, data version {info.data_version} "
            f"(content hash {info.content_hash}), {link}"
        ),
    }


def with_cite(answer: dict[str, Any], site: Site, link: str) -> dict[str, Any]:
    """`answer` plus a `cite` key (a new key: no existing key changes)."""
    return {**answer, "cite": cite(site, link)}


def quoted(segment: str) -> str:
    return quote(segment, safe="")


# -- CSV ---------------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: None is empty, lists are joined with "; ",
    and a cell that would start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(safe_cell(v) for v in value)
    s = str(value)
    return "'" + s if s.startswith(FORMULA_START) else s


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A CSV download named `name`.csv (UTF-8, CRLF rows, formula cells quoted)."""
    return Response(
        csv_text(header, rows).encode("utf-8"),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


# -- CORS --------------------------------------------------------------------------------------

CORS_HEADER = (b"access-control-allow-origin", b"*")


def cors_applies(method: str, path: str) -> bool:
    """Read-only data answers: GET/HEAD of the API, the `.json` and `.csv` twins."""
    return method in ("GET", "HEAD") and (
        path.startswith("/api/") or path.endswith((".json", ".csv"))
    )


class ReadOnlyCORS:
    """Pure ASGI middleware: `Access-Control-Allow-Origin: *` on read-only GETs of data (a
    notebook on another origin can call a local server); never on POST or the HTML pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not cors_applies(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), CORS_HEADER]
            await send(message)

        await self.app(scope, receive, send_cors)
