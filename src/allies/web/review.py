"""Web review of the queue, behind a token: `allies serve --review-token-file F` adds
/review (the queue, evidence, sources, accept/reject). Without it the server stays read-only.

Every request under /review needs the token: an `Authorization: Bearer TOKEN` header, or the
login form, which sets an HttpOnly, SameSite=Strict session cookie. A wrong or missing token
is a 401 that says nothing about the token. Writes (POST) refuse cross-origin requests (an
`Origin` or `Sec-Fetch-Site` naming another site; a cookie-authenticated write must show it
is same-origin) and are rate-limited per client.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import AlliesError
from ..review import Conflict, Store
from .errors import error_response, one_line

COOKIE = "allies_review"
MAX_FORM = 16 * 1024
UNAUTHORIZED = "authentication required"


class RateLimit:
    """At most `limit` writes per client in any `window` seconds."""

    def __init__(self, limit: int = 30, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            q = self._hits.setdefault(client, deque())
            while q and now - q[0] > self.window:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            return True


@dataclass
class ReviewConfig:
    token: str
    store: str | None = None  # None: the default store in the user's data folder
    events_file: str | None = None  # accept writes here (the --data file)
    reviewer: str = "web"
    limit: RateLimit = field(default_factory=RateLimit)
    _sessions: set[str] = field(default_factory=set)

    @classmethod
    def from_token_file(cls, path: str | Path, **kw: Any) -> ReviewConfig:
        try:
            token = Path(path).read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError) as e:
            why = getattr(e, "strerror", None) or "not UTF-8 text"
            raise AlliesError(f"cannot read review token file {str(path)!r}: {why}") from None
        if len(token) < 16:
            raise AlliesError(f"review token file {str(path)!r} holds a token shorter than 16 "
                              "characters; put a long random one there (e.g. from "
                              "'python -c \"import secrets; print(secrets.token_urlsafe())\"')")
        return cls(token=token, **kw)

    def new_session(self) -> str:
        sid = secrets.token_urlsafe(32)
        self._sessions.add(hashlib.sha256(sid.encode()).hexdigest())
        return sid

    def session_ok(self, sid: str | None) -> bool:
        return bool(sid) and hashlib.sha256(str(sid).encode()).hexdigest() in self._sessions

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())


def _cfg(request: Request) -> ReviewConfig:
    cfg: ReviewConfig = request.app.state.review
    return cfg


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def _auth(request: Request) -> str | None:
    """'header' or 'cookie' when the request carries the token or a session; else None."""
    cfg = _cfg(request)
    if cfg.token_ok(_bearer(request)):
        return "header"
    if cfg.session_ok(request.cookies.get(COOKIE)):
        return "cookie"
    return None


def _same_origin(request: Request, how: str) -> bool:
    """Refuse writes from other sites. `Origin: null` (what browsers send under our
    no-referrer policy) says nothing; `Sec-Fetch-Site` then decides."""
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site")
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin not in (None, "null") and origin != own:
        return False
    if site is not None and site not in ("same-origin", "none"):
        return False
    if how == "cookie":  # a browser's write must show it came from this site
        return origin == own or site == "same-origin"
    return True


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or _bearer(request) is not None


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)} · allies review</title>"
        "<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main>"
        f"<p><a href=\"/review\">review queue</a> · <a href=\"/\">allies</a></p>{body}"
        "</main></body></html>"
    )
    resp = HTMLResponse(doc, status)
    resp.headers["cache-control"] = "no-store"
    return resp


def _login(status: int = 401) -> Response:
    return _page("Sign in", (
        "<h1>Review: sign in</h1><form method=\"post\" action=\"/review/login\">"
        "<label>Review token <input type=\"password\" name=\"token\" autocomplete=\"off\" "
        "required></label> <button type=\"submit\">Sign in</button></form>"), status)


def _unauthorized(request: Request) -> Response:
    if _wants_json(request) or request.method != "GET":
        return error_response(401, UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})
    return _login()


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > MAX_FORM:
        raise AlliesError(f"form too large (over {MAX_FORM} bytes)")
    ctype = request.headers.get("content-type", "")
    if raw and not ctype.startswith("application/x-www-form-urlencoded"):
        raise AlliesError("send the form as application/x-www-form-urlencoded")
    try:
        q = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise AlliesError("the form is not UTF-8") from None
    return {k: v[-1].strip() for k, v in q.items()}


def _guard_write(request: Request) -> tuple[str | None, Response | None]:
    how = _auth(request)
    if how is None:
        if not _cfg(request).limit.allow(_client(request)):
            return None, error_response(429, "too many requests; wait a minute")
        return None, _unauthorized(request)
    if not _same_origin(request, how):
        return how, error_response(403, "cross-origin write refused")
    if not _cfg(request).limit.allow(_client(request)):
        return how, error_response(429, "too many requests; wait a minute",
                                   {"Retry-After": "60"})
    return how, None


# -- routes -------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    cfg = _cfg(request)
    if not cfg.limit.allow(_client(request)):
        return error_response(429, "too many requests; wait a minute", {"Retry-After": "60"})
    if not _same_origin(request, "header"):
        return error_response(403, "cross-origin write refused")
    try:
        form = await _form(request)
    except AlliesError:
        return _login()
    if not cfg.token_ok(form.get("token")):
        return _login()
    resp = RedirectResponse("/review", 303)
    resp.set_cookie(COOKIE, cfg.new_session(), httponly=True, samesite="strict",
                    path="/review", secure=request.url.scheme == "https")
    return resp


def _store(cfg: ReviewConfig) -> Store:
    return Store(cfg.store)


async def queue(request: Request) -> Response:
    if _auth(request) is None:
        return _unauthorized(request)
    cfg = _cfg(request)

    def work() -> list[dict[str, Any]]:
        with _store(cfg) as s:
            return s.list("open")

    rows = await run_in_threadpool(work)
    if _wants_json(request):
        return Response(_json(rows), media_type="application/json")
    items = "".join(
        f"<tr><td><a href=\"/review/{r['id']}\">{r['id']}</a></td>"
        f"<td>{html.escape(r['kind'])}</td><td>{html.escape(r['framework'])}</td>"
        f"<td>{html.escape(r['country'])}</td><td>{html.escape(_act(r))}</td>"
        f"<td>{html.escape(r['date_lo'] or '?')}</td><td>{r['sources']}</td>"
        f"<td>{r['urls']}</td><td>{'yes' if r['official'] else ''}</td></tr>"
        for r in rows
    )
    table = ("<table><thead><tr><th>id</th><th>kind</th><th>framework</th><th>country</th>"
             "<th>action</th><th>date</th><th>sources</th><th>urls</th><th>official</th>"
             f"</tr></thead><tbody>{items}</tbody></table>") if rows else \
        "<p>No open candidates.</p>"
    return _page("Queue", f"<h1>Review queue: {len(rows)} open</h1>{table}")


def _act(r: dict[str, Any]) -> str:
    return str(r["action"]) + (f" ({r['intent_of']})" if r["intent_of"] else "")


def _json(obj: Any) -> bytes:
    import json

    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _cid(request: Request) -> int:
    raw = request.path_params["cid"]
    if not raw.isdigit() or len(raw) > 12:
        raise AlliesError(f"candidate id {raw!r}: give a number from the queue")
    return int(raw)


async def candidate(request: Request) -> Response:
    if _auth(request) is None:
        return _unauthorized(request)
    cfg, cid = _cfg(request), _cid(request)

    def work() -> dict[str, Any]:
        with _store(cfg) as s:
            return s.get(cid)

    try:
        c = await run_in_threadpool(work)
    except AlliesError as e:
        return error_response(404, str(e)) if _wants_json(request) else \
            _page("Not found", f"<h1>Not found</h1><p>{html.escape(one_line(str(e)))}</p>", 404)
    if _wants_json(request):
        return Response(_json(c), media_type="application/json")
    stories = []
    for i, s in enumerate(c["stories"], start=1):
        ev = "".join(f"<blockquote>{html.escape(t)}</blockquote>" for t in s["evidence"])
        urls = "".join(
            f"<li><a href=\"{html.escape(u)}\" rel=\"noopener noreferrer\">{html.escape(u)}"
            "</a></li>" for u in s["urls"])
        stories.append(
            f"<section class=\"story\"><h2>Source {i}{' (official)' if s['official'] else ''}"
            f"</h2><p>dates {html.escape(', '.join(s['dates']) or '?')}; published "
            f"{html.escape(', '.join(s['published']) or '?')}</p>{ev}"
            f"<p>ledger: {html.escape(s['fact'] or '')}</p><ul>{urls}</ul></section>")
    forms = ""
    if c["status"] == "open":
        forms = (
            f"<form method=\"post\" action=\"/review/{cid}/accept\" class=\"accept\">"
            "<h2>Accept</h2><label>date <input name=\"date\" placeholder=\"YYYY-MM-DD\">"
            "</label> <label>precision <select name=\"precision\"><option value=\"\">as "
            "given</option><option>day</option><option>month</option><option>year</option>"
            "</select></label> <label>instrument <input name=\"instrument\"></label> "
            "<label>note <input name=\"note\"></label> <button type=\"submit\">Accept"
            "</button></form>"
            f"<form method=\"post\" action=\"/review/{cid}/reject\" class=\"reject\">"
            "<h2>Reject</h2><label>reason <input name=\"reason\" required></label> "
            "<button type=\"submit\">Reject</button></form>")
    done = "" if c["status"] == "open" else (
        f"<p class=\"decided\">{html.escape(c['status'])} by "
        f"{html.escape(str(c['decided_by']))} at {html.escape(str(c['decided_at']))}"
        f"{': ' + html.escape(str(c['accepted_event'])) if c['accepted_event'] else ''}</p>")
    head = (f"<h1>Candidate {cid}: {html.escape(c['framework'])} "
            f"{html.escape(c['country'])} {html.escape(_act(c))}</h1>"
            f"<p>{html.escape(c['date_lo'] or '?')}..{html.escape(c['date_hi'] or '?')}; "
            f"{c['sources']} independent source(s), {c['urls']} URL(s); official source: "
            f"{'yes' if c['official'] else 'no'}</p>")
    return _page(f"Candidate {cid}", head + done + forms + "".join(stories))


async def decide(request: Request) -> Response:
    if request.path_params["what"] not in ("accept", "reject"):
        return error_response(404, f"no such page or route: {request.url.path}; POST "
                                   "/review/ID/accept or /review/ID/reject")
    how, refused = _guard_write(request)
    if refused is not None:
        return refused
    cfg, cid = _cfg(request), _cid(request)
    what = request.path_params["what"]
    form = await _form(request)
    by = form.get("by") or cfg.reviewer

    def work() -> dict[str, Any]:
        with _store(cfg) as s:
            if what == "reject":
                return s.reject(cid, by, form.get("reason", ""))
            if not cfg.events_file:
                raise AlliesError("this server has no events file to write to; start it with "
                                  "'allies --data FILE serve --review-token-file F'")
            return s.accept(cid, cfg.events_file, by, date=form.get("date") or None,
                            precision=form.get("precision") or None,
                            instrument=form.get("instrument") or None,
                            note=form.get("note") or None)

    try:
        entry = await run_in_threadpool(work)
    except Conflict as e:
        return error_response(409, str(e))
    except AlliesError as e:
        return error_response(400, str(e))
    if how == "header" or _wants_json(request):
        return Response(_json({"ok": True, **entry}), media_type="application/json")
    return RedirectResponse(f"/review/{cid}", 303)


routes = [
    Route("/review", queue, methods=["GET"]),
    Route("/review/login", login, methods=["POST"]),
    Route("/review/{cid}", candidate, methods=["GET"]),
    Route("/review/{cid}/{what:str}", decide, methods=["POST"]),
]
