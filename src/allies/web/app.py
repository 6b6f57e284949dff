"""The allies web app: a read-only JSON API and server-rendered pages over the ledger.

>>> from allies.web import create_app
>>> app = create_app()          # the bundled ledger
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..errors import AlliesError
from ..ledger import Ledger, load_ledger
from . import api, pages
from .errors import Guard, allies_error, http_exception
from .site import Site
from .work import READ_QUEUE, READ_SLOTS, ReaderPool


def create_app(
    ledger: Ledger | None = None,
    today: Callable[[], dt.date] | None = None,
    read_slots: int = READ_SLOTS,
    read_queue: int = READ_QUEUE,
) -> Starlette:
    """Build the app for `ledger` (default: the bundled one, plus $ALLIES_DATA if set).

    At most `read_slots` articles are read at a time (in worker threads) and `read_queue`
    more wait; beyond that POST /api/read, /api/check and /check answer 503."""
    ledger = ledger or load_ledger()
    site = Site(ledger, today or dt.date.today, ReaderPool(read_slots, read_queue))
    app = Starlette(
        routes=[
            *api.routes,
            *pages.routes,
            Mount("/static", StaticFiles(packages=[("allies", "static")]), name="static"),
        ],
        middleware=[Middleware(Guard)],
        exception_handlers={HTTPException: http_exception, AlliesError: allies_error},
    )
    app.state.site = site
    return app


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    ledger: Ledger | None = None,
    log_level: str = "warning",
) -> None:
    """Serve the app with uvicorn (loopback by default; read-only)."""
    import uvicorn

    uvicorn.run(
        create_app(ledger),
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
