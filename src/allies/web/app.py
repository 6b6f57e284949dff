"""The allies web app: a read-only JSON API and server-rendered pages over the ledger.

>>> from allies.web import create_app
>>> app = create_app()          # the bundled ledger
"""

from __future__ import annotations

import datetime as dt
import errno
import socket
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..errors import AlliesError
from ..ledger import Ledger, load_ledger
from . import api, pages
from .errors import Guard, allies_error, http_exception
from .respond import ReadOnlyCORS
from .review import ReviewConfig
from .site import Site
from .work import CPU_SECONDS, READ_QUEUE, READ_SLOTS, ReaderPool


def create_app(
    ledger: Ledger | None = None,
    today: Callable[[], dt.date] | None = None,
    read_slots: int = READ_SLOTS,
    read_queue: int = READ_QUEUE,
    isolate: bool = False,
    read_cpu: float = CPU_SECONDS,
    review: ReviewConfig | None = None,
) -> Starlette:
    """Build the app for `ledger` (default: the bundled one, plus $ALLIES_DATA if set).

    At most `read_slots` articles are read at a time and `read_queue` more wait; beyond
    that POST /api/read, /api/check and /check answer 503. Readings run in worker threads,
    or with `isolate` in child processes that are stopped when their client goes away or
    after `read_cpu` seconds of CPU (what `serve` uses). With `review` (a token and a store)
    the app also serves /review, the review queue behind the token."""
    from . import review as review_pages

    ledger = ledger or load_ledger()
    pool = ReaderPool(read_slots, read_queue, isolate, read_cpu, shared=(ledger,))
    site = Site(ledger, today or dt.date.today, pool)
    app = Starlette(
        routes=[
            *api.routes,
            *(review_pages.routes if review is not None else []),
            *pages.routes,
            Mount("/static", StaticFiles(packages=[("allies", "static")]), name="static"),
        ],
        middleware=[Middleware(Guard), Middleware(ReadOnlyCORS)],
        exception_handlers={HTTPException: http_exception, AlliesError: allies_error},
    )
    app.state.site = site
    app.state.review = review
    return app


def bind(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A listening socket, or AlliesError in one line (port in use, unknown host)."""
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as e:
        raise AlliesError(f"cannot listen on {host}:{port}: {e}; check --host") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        hint = "pick another with --port" if e.errno == errno.EADDRINUSE else "check --host"
        raise AlliesError(f"cannot listen on {host}:{port}: {e.strerror}; {hint}") from None
    sock.set_inheritable(True)
    return sock


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    ledger: Ledger | None = None,
    log_level: str = "warning",
    sock: socket.socket | None = None,
    review: ReviewConfig | None = None,
) -> None:
    """Serve the app with uvicorn (loopback by default; read-only unless `review`): readings
    in child processes, the request head capped, the server's own errors in the JSON shape."""
    import uvicorn

    sock = sock or bind(host, port)
    app = create_app(ledger, isolate=True, review=review)
    uvicorn.Server(server_config(app, host, port, log_level)).run(sockets=[sock])


def server_config(app: Starlette, host: str, port: int, log_level: str = "warning") -> Any:
    """The uvicorn configuration `serve` runs `app` with (the guarded HTTP protocol)."""
    import uvicorn

    from .protocol import GuardedHttpTools

    return uvicorn.Config(
        app,
        http=GuardedHttpTools,
        ws="none",  # no WebSocket routes: an upgrade request is an ordinary request
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
