"""Request bodies: capped reads (Content-Length AND streamed bytes) and the article inputs
of POST /api/read, /api/check and the check page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import anyio
from starlette.requests import ClientDisconnect, Request

from ..errors import AlliesError, BadDate, BadInput, shown
from .errors import BodyTimeout, ClientGone, TooLarge, Unsupported

MAX_BODY = 2 * 1024 * 1024  # 2 MB
MAX_MB = "2 MB"
BODY_TIMEOUT = 10.0  # seconds for the whole body to arrive


async def read_capped(
    request: Request, limit: int = MAX_BODY, timeout: float | None = None
) -> bytes:
    """The whole body, refusing more than `limit` bytes whatever Content-Length says, and
    a body that takes longer than `timeout` seconds (default `BODY_TIMEOUT`) to arrive (408):
    a stalled upload must not hold anything for long."""
    try:
        with anyio.fail_after(BODY_TIMEOUT if timeout is None else timeout):
            return await _read_capped(request, limit)
    except ClientDisconnect:
        raise ClientGone() from None
    except TimeoutError:
        wait = BODY_TIMEOUT if timeout is None else timeout
        raise BodyTimeout(
            f"request body did not arrive within {wait:g} s; send it all at once"
        ) from None


async def _read_capped(request: Request, limit: int) -> bytes:
    cl = request.headers.get("content-length")
    if cl is not None:
        try:
            n = int(cl)
        except ValueError:
            raise BadInput(f"bad Content-Length header {cl!r}; send a byte count") from None
        if n > limit:
            raise TooLarge(f"request body of {n} bytes is over the {MAX_MB} limit; send less text")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise TooLarge(f"request body is over the {MAX_MB} limit; send less text")
        chunks.append(chunk)
    return b"".join(chunks)


def decode(data: bytes, what: str = "request body") -> str:
    """UTF-8 text; a leading byte-order mark is dropped unless only blanks follow it."""
    if b"\x00" in data:
        raise BadInput(f"{what} is binary (NUL bytes); send UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"{what} is not UTF-8 (bad byte at offset {e.start}); send UTF-8") from None
    if text.startswith("\ufeff") and text[1:].strip():
        text = text[1:]
    return text


SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(value: str | None) -> str | None:
    """Lone surrogates (JSON escapes such as \\ud800) cannot be written as UTF-8: each
    becomes U+FFFD, one character for one, so evidence offsets still fit the text."""
    if value is None or not SURROGATE.search(value):
        return value
    return SURROGATE.sub("\ufffd", value)


@dataclass
class Article:
    text: str | None = None
    html: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


def _opt_str(d: dict[str, Any], key: str) -> str | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise BadInput(f"JSON field {key!r} must be a string, got {type(v).__name__}")
    return v


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


TEXT_TYPES = ("", "text/plain")
HTML_TYPES = ("text/html", "application/xhtml+xml")
FORM_TYPE = "application/x-www-form-urlencoded"
FIELDS = ("text", "html", "published", "url", "title")


def is_json(mt: str) -> bool:
    return mt == "application/json" or mt.endswith("+json")


def check_media_type(mt: str) -> None:
    """415 for a Content-Type no article route accepts (before the body is read)."""
    if mt in TEXT_TYPES or mt in HTML_TYPES or mt == FORM_TYPE or is_json(mt):
        return
    raise Unsupported(
        f"unsupported Content-Type {mt!r}; send text/plain, text/html, application/json "
        "or a form (application/x-www-form-urlencoded)"
    )


def form_fields(raw: bytes) -> dict[str, str]:
    fields = parse_qs(decode(raw, "form body"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


def _unknown_fields(kind: str, doc: dict[str, Any]) -> None:
    """A misspelt field ("publised") would be silently ignored: refuse it, as unknown query
    parameters are."""
    extra = [k for k in doc if k not in FIELDS]
    if extra:
        raise BadInput(
            f"unknown {kind} field {shown(extra[0])}; it accepts: {', '.join(FIELDS)}"
        )


def _text_or_html(kind: str, doc: dict[str, Any]) -> None:
    """Exactly one of "text" and "html", and that one non-empty."""
    for key in ("text", "html"):
        if key in doc and not (isinstance(doc[key], str) and doc[key].strip()):
            raise BadInput(f"{kind} field {key!r} must be non-empty text; leave it out or fill it")
    if "text" not in doc and "html" not in doc:
        raise BadInput(f'{kind} body needs a "text" or an "html" field')
    if "text" in doc and "html" in doc:
        raise BadInput(
            f'{kind} body has both "text" and "html"; send one of them (the article as plain '
            "text, or the HTML page)"
        )


def parse_article(mt: str, raw: bytes, query_published: str | None = None) -> Article:
    """Parse an article body: text/plain, text/html, JSON {text|html, published, url, title}
    or a form with the same fields; ``?published=`` is accepted too (the body's own field
    wins). Plain function: runs in a worker thread."""
    check_media_type(mt)
    art = Article()
    if mt in TEXT_TYPES:
        art.text = decode(raw)
    elif mt in HTML_TYPES:
        art.html = decode(raw)
    elif is_json(mt):
        try:
            doc = json.loads(decode(raw))
        except json.JSONDecodeError as e:
            raise BadInput(f"request body is not valid JSON ({e.msg} at char {e.pos})") from None
        except RecursionError:
            raise BadInput("request body is JSON nested too deeply; send a flat object") from None
        except ValueError as e:  # an integer of more than 4,300 digits
            raise BadInput(f"request body holds an unreadable JSON number ({e})") from None
        if not isinstance(doc, dict):
            raise BadInput('JSON body must be an object like {"text": "...", "published": ...}')
        _unknown_fields("JSON", doc)
        _text_or_html("JSON", doc)
        text, html, published, url, title = (_opt_str(doc, k) for k in FIELDS)
        art = Article(text, html, published, url, title)
    else:  # a form: the same fields and rules as JSON (present means filled in)
        f = form_fields(raw)
        _unknown_fields("form", f)
        _text_or_html("form", f)
        text, html, published, url, title = (f.get(k) for k in FIELDS)
        art = Article(text, html, published, url, title)
    art.text, art.html, art.url, art.title = (
        no_surrogates(v) for v in (art.text, art.html, art.url, art.title)
    )
    if art.published is not None and SURROGATE.search(art.published):
        raise BadInput("'published' holds a lone surrogate (\\ud800-\\udfff); use YYYY-MM-DD")
    if query_published is not None:
        _check_day(query_published)
        if art.published is not None and art.published != query_published:
            art.warnings.append(
                f"'published' given twice: the body's {art.published} was used, not the "
                f"query's {query_published}; give it once"
            )
    if art.published is None:
        art.published = query_published
    if art.published is not None:
        _check_day(art.published)  # present means a real YYYY-MM-DD (empty is an error)
    if "\x00" in (art.text or "") + (art.html or ""):
        raise BadInput("article holds NUL characters (binary?); send UTF-8 text")
    if not (art.text and art.text.strip()) and not (art.html and art.html.strip()):
        raise BadInput('empty article: send its text (or {"text": ...} / {"html": ...} as JSON)')
    return art


async def article(request: Request) -> Article:
    """Read (capped) and parse the article body of `request`."""
    mt = media_type(request)
    check_media_type(mt)
    raw = await read_capped(request)
    return parse_article(mt, raw, request.query_params.get("published"))


NO_TEXT_WARNING = "the HTML holds no readable text: nothing to read"


def reading_dict(art: Article) -> dict[str, Any]:
    """Run the reader on an article; the dict includes the text the offsets refer to.

    HTML with no readable text (only markup, scripts or comments) is not an error: the
    reading is empty and carries ``warnings``."""
    from ..dates import parse_published
    from ..read import read, read_html  # the reader loads its lexicon on first use

    if art.published is not None:
        _check_day(art.published)
    pub = parse_published(art.published, "'published' date")  # ISO datetimes, e-mail dates
    if art.text and art.text.strip():
        r = read(art.text, pub, url=art.url, title=art.title)
    elif art.html and art.html.strip():
        try:
            r = read_html(art.html, pub, url=art.url, title=art.title)
        except BadDate:
            raise
        except BadInput:  # no body / no readable text: the only BadInput left here
            return _empty_reading(art, NO_TEXT_WARNING)
    else:
        raise BadInput("empty article: send its text (or HTML)")
    d: dict[str, Any] = r.to_dict(with_text=True)
    d.setdefault("text", r.text)
    if art.warnings:
        d["warnings"] = list(art.warnings)
    return d


def _empty_reading(art: Article, warning: str) -> dict[str, Any]:
    from ..dates import parse_published

    pub = parse_published(art.published, "'published' date")
    d: dict[str, Any] = {
        "published": pub.isoformat() if pub else None,
        "events": [],
        "claims": [],
        "unread": [],
    }
    src = {k: v for k in ("url", "title") if (v := getattr(art, k))}
    if src:
        d["source"] = src
    d["text"] = ""
    d["warnings"] = [*art.warnings, warning]
    return d


def _check_day(value: str) -> None:
    from ..dates import parse_published

    if not value:
        raise BadDate(value, "'published' date")
    parse_published(value, "'published' date")


__all__ = [
    "AlliesError",
    "Article",
    "article",
    "decode",
    "parse_article",
    "read_capped",
    "reading_dict",
]
