"""Request bodies: capped reads (Content-Length AND streamed bytes) and the article inputs
of POST /api/read, /api/check and the check page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request

from ..errors import AlliesError, BadInput
from .errors import TooLarge, Unsupported

MAX_BODY = 2 * 1024 * 1024  # 2 MB
MAX_MB = "2 MB"


async def read_capped(request: Request, limit: int = MAX_BODY) -> bytes:
    """The whole body, refusing more than `limit` bytes whatever Content-Length says."""
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
    if b"\x00" in data:
        raise BadInput(f"{what} is binary (NUL bytes); send UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInput(f"{what} is not UTF-8 (bad byte at offset {e.start}); send UTF-8") from None


@dataclass
class Article:
    text: str | None = None
    html: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None


def _opt_str(d: dict[str, Any], key: str) -> str | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise BadInput(f"JSON field {key!r} must be a string, got {type(v).__name__}")
    return v


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def form_fields(raw: bytes) -> dict[str, str]:
    fields = parse_qs(decode(raw, "form body"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


async def article(request: Request) -> Article:
    """Parse an article body: text/plain, text/html, JSON {text|html, published, url, title}
    or a form; ``?published=`` is accepted too (the body's own field wins)."""
    mt = media_type(request)
    raw = await read_capped(request)
    art = Article()
    if mt in ("", "text/plain"):
        art.text = decode(raw)
    elif mt in ("text/html", "application/xhtml+xml"):
        art.html = decode(raw)
    elif mt == "application/json" or mt.endswith("+json"):
        try:
            doc = json.loads(decode(raw))
        except json.JSONDecodeError as e:
            raise BadInput(f"request body is not valid JSON ({e.msg} at char {e.pos})") from None
        if not isinstance(doc, dict):
            raise BadInput('JSON body must be an object like {"text": "...", "published": ...}')
        for key in ("text", "html"):
            if key in doc and not (isinstance(doc[key], str) and doc[key].strip()):
                raise BadInput(
                    f"JSON field {key!r} must be non-empty text; leave it out or fill it"
                )
        if "text" not in doc and "html" not in doc:
            raise BadInput('JSON body needs a "text" or an "html" field')
        art = Article(*(_opt_str(doc, k) for k in ("text", "html", "published", "url", "title")))
    elif mt == "application/x-www-form-urlencoded":
        f = form_fields(raw)
        art = Article(*(f.get(k) or None for k in ("text", "html", "published", "url", "title")))
    else:
        raise Unsupported(
            f"unsupported Content-Type {mt!r}; send text/plain, text/html, application/json "
            "or a form"
        )
    query_day = request.query_params.get("published")
    if query_day is not None:
        _check_day(query_day)
    if art.published is None:
        art.published = query_day
    if art.published is not None:
        _check_day(art.published)  # present means a real YYYY-MM-DD (empty is an error)
    if "\x00" in (art.text or "") + (art.html or ""):
        raise BadInput("article holds NUL characters (binary?); send UTF-8 text")
    if not (art.text and art.text.strip()) and not (art.html and art.html.strip()):
        raise BadInput('empty article: send its text (or {"text": ...} / {"html": ...} as JSON)')
    return art


def reading_dict(art: Article) -> dict[str, Any]:
    """Run the reader on an article; the dict includes the text the offsets refer to."""
    from ..read import read, read_html  # the reader loads its lexicon on first use

    if art.published is not None:
        _check_day(art.published)
    if art.text and art.text.strip():
        r = read(art.text, art.published, url=art.url, title=art.title)
    elif art.html and art.html.strip():
        r = read_html(art.html, art.published, url=art.url, title=art.title)
    else:
        raise BadInput("empty article: send its text (or HTML)")
    d: dict[str, Any] = r.to_dict(with_text=True)
    d.setdefault("text", r.text)
    return d


def _check_day(value: str) -> None:
    from ..dates import parse_day
    from ..errors import BadDate

    if not value:
        raise BadDate(value, "'published' date")
    parse_day(value, "'published' date")


__all__ = ["AlliesError", "Article", "article", "decode", "read_capped", "reading_dict"]
