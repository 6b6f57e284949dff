"""Inputs: HTML pages, PDFs, files, folders, JSON/JSONL records and streams.

Every problem with one input becomes a `BadInput` with a one-line message naming it;
`read_path` turns it into a skip reason and goes on with the next input.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import warnings
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import orjson

from ..dates import PublicationDateWarning, parse_published
from ..errors import AlliesError, BadInput
from .model import Reading, ReadResult, Source
from .pipeline import read, reader

MAX_BYTES = 10 * 1024 * 1024
_PUBLISHED_META = re.compile(
    r"""<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|"""
    r"""datePublished|pubdate|publish[-_]?date|date|dc\.date|og:published_time)["'][^>]*>""",
    re.I,
)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.I)
_BODY = re.compile(r"<body\b", re.I)


def loads(data: bytes | str) -> Any:
    """JSON → Python, as the standard library parses it, at orjson's speed (the JSONL
    reading loop spends most of its time here). A document orjson refuses is parsed again by
    the standard library, which either accepts it (NaN, integers beyond 64 bits, lone
    surrogates) or raises its usual `json.JSONDecodeError` / `UnicodeDecodeError`."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            return json.loads(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", _as_str(data), 0) from None
        except UnicodeDecodeError:
            raise
        except json.JSONDecodeError:
            raise
        except ValueError as e:  # an integer of more than 4,300 digits
            raise json.JSONDecodeError(f"unreadable number: {e}", _as_str(data), 0) from None


def _as_str(data: bytes | str) -> str:
    return data if isinstance(data, str) else data[:100].decode("utf-8", "replace")


SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(value: Any) -> Any:
    """A string with its lone surrogates (JSON escapes such as \\ud800, which cannot be
    written as UTF-8) replaced by U+FFFD, one for one, so offsets still fit; other values
    as they are."""
    if isinstance(value, str) and SURROGATE.search(value):
        return SURROGATE.sub("\ufffd", value)
    return value


def crash_reason(where: str, e: BaseException) -> str:
    """The skip reason for an unexpected failure while reading one input."""
    return f"{where}: could not be read ({type(e).__name__}: {e}); the rest was read"


class _TextParser(HTMLParser):
    """Fallback extractor: paragraph text, skipping scripts, navigation and boilerplate."""

    SKIP = frozenset(
        {
            "script",
            "style",
            "nav",
            "header",
            "footer",
            "aside",
            "iframe",
            "noscript",
            "form",
            "template",
            "svg",
        }
    )
    BLOCK = frozenset(
        {
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "li",
            "br",
            "tr",
            "section",
            "article",
            "blockquote",
            "title",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in "".join(self.parts).split("\n"))
        return "\n".join(ln for ln in lines if ln)


def html_to_text(html: str) -> tuple[str, dict[str, str | None]]:
    """Main text of an HTML page (trafilatura, else html.parser) and its metadata
    (``published``, ``title``, ``url`` when the page has them)."""
    meta: dict[str, str | None] = {"published": None, "title": None, "url": None}
    m = _PUBLISHED_META.search(html)
    if m and (c := _CONTENT.search(m.group())):
        meta["published"] = c.group(1)
    text = ""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            # metadata and URL only: a date guessed from the body text would become the
            # publication date that relative dates ("yesterday") resolve against
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        if doc is not None:
            get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
            text = (get("text") or "").strip()
            meta["title"] = get("title") or None
            meta["url"] = get("url") or None
            meta["published"] = meta["published"] or get("date") or None
    except Exception:  # noqa: BLE001 - any extractor failure falls back to html.parser
        text = ""
    if not text:
        p = _TextParser()
        p.feed(html)
        p.close()
        text = p.text()
        meta["title"] = meta["title"] or ("".join(p.title).strip() or None)
    return text, meta


def read_html(
    html: str,
    published: str | dt.date | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
    path: str | None = None,
    name: str = "HTML input",
) -> Reading:
    """Read an HTML page: main text via trafilatura (html.parser as fallback); the
    publication date is `published`, else the page's metadata. Evidence offsets index into
    the extracted text, returned as ``Reading.text``."""
    if not isinstance(html, str):
        raise BadInput(f"{name}: HTML must be str, got {type(html).__name__}")
    if not html.strip():
        raise BadInput(f"{name}: empty HTML")
    text, meta = html_to_text(html)
    if not text.strip():
        what = "HTML with no body" if not _BODY.search(html) else "HTML with no readable text"
        raise BadInput(f"{name}: {what}")
    pub = record_day(published, name) if published not in (None, "") else _meta_day(
        meta["published"]
    )
    return read(text, pub, url=url or meta["url"], title=title or meta["title"], path=path)


def _meta_day(value: str | None) -> dt.date | None:
    try:
        return parse_published(value) if value else None
    except AlliesError:
        return None


def record_day(value: Any, name: str) -> dt.date | None:
    """A record's publication date (YYYY-MM-DD, ISO datetime or e-mail/RSS date). One that
    cannot be read leaves the date unknown, with a PublicationDateWarning: the record is
    still read."""
    try:
        return parse_published(value)
    except AlliesError as e:
        warnings.warn(PublicationDateWarning(f"{name}: {e}; read with its date unknown"),
                      stacklevel=2)
        return None


def read_text(text: str, pub: Any, path: str, rec: dict[str, Any], line: int) -> Reading:
    """A JSONL record's text, read (no checks beyond those of the caller)."""
    where = f"{path} line {line}" if line else path
    url, title = no_surrogates(rec.get("url")), no_surrogates(rec.get("title"))
    return reader()(no_surrogates(text), record_day(pub, where), Source(path, url, title, line))


def read_record(
    rec: Any, name: str = "record", path: str | None = None, line: int | None = None
) -> Reading:
    """Read one JSON record with ``text`` or ``html`` and optional ``published``, ``url``,
    ``title``."""
    if not isinstance(rec, dict):
        raise BadInput(f"{name}: expected a JSON object, got {type(rec).__name__}")
    pub = rec.get("published")
    url, title = no_surrogates(rec.get("url")), no_surrogates(rec.get("title"))
    if isinstance(pub, str) and SURROGATE.search(pub):
        raise BadInput(f"{name}: 'published' holds a lone surrogate; use YYYY-MM-DD")
    text = no_surrogates(rec.get("text"))
    if isinstance(text, str) and text and not text.isspace():
        return reader()(text, record_day(pub, name), Source(path, url, title, line))
    html = no_surrogates(rec.get("html"))
    if isinstance(html, str) and html.strip():
        r = read_html(html, pub, url=url, title=title, path=path, name=name)
        r.source = Source(path, r.source.url, r.source.title, line)
        return r
    raise BadInput(f"{name}: no non-empty 'text' or 'html' field")


_DECLARED_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I
)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its start, if Python knows it."""
    m = _DECLARED_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Bytes → text, refusing empty, oversized and binary input. UTF-8 (with or without a
    BOM), UTF-16 with a BOM, and HTML that declares its charset are read; other text gets a
    one-line error saying how to convert it."""
    if not data.strip():
        raise BadInput(f"{name}: empty input")
    if len(data) > max_bytes:
        raise BadInput(f"{name}: oversized ({len(data)} bytes > limit {max_bytes}); raise "
                       "--max-mb to read it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInput(f"{name}: broken UTF-16 text; convert it to UTF-8") from None
    if b"\x00" in data:
        raise BadInput(f"{name}: binary input (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        charset = _declared_charset(data)
        if charset and charset != "utf-8":
            try:
                return data.decode(charset)
            except UnicodeDecodeError:
                pass
        raise BadInput(
            f"{name}: not UTF-8 (bad byte at offset {e.start}); convert it, e.g. "
            "iconv -f WINDOWS-1252 -t UTF-8"
        ) from None


def _kind(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    return {
        ".htm": "html",
        ".html": "html",
        ".xhtml": "html",
        ".json": "json",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".pdf": "pdf",
    }.get(ext, "text")


def pdf_text(data: bytes, name: str) -> str:
    """The text of a PDF (pypdf), pages separated by blank lines. A scanned PDF (no text
    layer), an encrypted or a broken one is a BadInput naming the reason."""
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns about every oddity
    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            try:  # many PDFs only restrict printing or copying: the empty password opens them
                opened = bool(pdf.decrypt(""))
            except Exception:  # noqa: BLE001 - unsupported encryption, missing crypto library
                opened = False
            if not opened:
                raise BadInput(
                    f"{name}: encrypted PDF (password-protected); save a copy without the "
                    "password, or copy its text"
                )
        text = "\n\n".join((page.extract_text() or "").strip() for page in pdf.pages)
    except BadInput:
        raise
    except Exception as e:  # noqa: BLE001 - pypdf fails in many ways on broken files
        raise BadInput(f"{name}: broken PDF ({type(e).__name__}); re-save or export it") from None
    text = no_surrogates(text.replace("\x00", "")).strip()
    if not text:
        raise BadInput(
            f"{name}: PDF with no text layer (a scan?); run OCR on it first, e.g. ocrmypdf"
        )
    return text


def read_bytes(
    data: bytes,
    name: str = "<stdin>",
    kind: str | None = None,
    max_bytes: int = MAX_BYTES,
    published: str | dt.date | None = None,
) -> Iterator[ReadResult]:
    """Read one input's bytes: text, HTML (sniffed when `kind` is None), JSON or JSONL."""
    src = Source(path=name)
    published = record_day(published, name)
    if kind == "pdf" or (kind in (None, "text") and data.startswith(b"%PDF-")):

        def from_pdf() -> Reading:
            if len(data) > max_bytes:
                raise BadInput(f"{name}: oversized ({len(data)} bytes > limit {max_bytes}); "
                               "raise --max-mb to read it")
            return read(pdf_text(data, name), published, path=name)

        yield _one(src, name, from_pdf)
        return
    if kind == "jsonl":  # decoded line by line (faster; a bad line is skipped alone)
        if not data.strip():
            yield ReadResult(src, skipped=f"{name}: empty input")
        elif len(data) > max_bytes:
            yield ReadResult(
                src, skipped=f"{name}: oversized ({len(data)} bytes > limit {max_bytes}); "
                "raise --max-mb to read it"
            )
        elif b"\x00" in data:
            yield ReadResult(src, skipped=f"{name}: binary input (NUL bytes)")
        else:
            yield from _jsonl(data, name, published)
        return
    try:
        text = decode(data, name, max_bytes)
    except BadInput as e:
        yield ReadResult(src, skipped=str(e))
        return
    if kind is None:
        head = text.lstrip()[:200].lower()
        kind = (
            "html"
            if head.startswith(("<!doctype html", "<html")) or "<body" in head
            else "jsonl"
            if head.startswith("{")
            else "text"
        )
    if kind == "jsonl":
        yield from _jsonl(text.encode("utf-8"), name, published)
        return
    if kind == "html":
        yield _one(src, name, lambda: read_html(text, published, path=name, name=name))
    elif kind == "json":
        yield _one(src, name, lambda: _json(text, name, published))
    else:
        yield _one(src, name, lambda: read(text, published, path=name))


def _one(src: Source, name: str, make: Callable[[], Reading]) -> ReadResult:
    """One input read by `make`, or skipped with a reason naming it: a bad input (AlliesError)
    or any failure of the reader (one bad input never stops a batch)."""
    try:
        reading = make()
    except AlliesError as e:
        return ReadResult(src, skipped=str(e) if str(e).startswith(name) else f"{name}: {e}")
    except Exception as e:  # noqa: BLE001 - one bad input never stops a batch
        return ReadResult(src, skipped=crash_reason(name, e))
    return ReadResult(reading.source, reading=reading)


def _default_published(rec: Any, published: str | dt.date | None) -> Any:
    """A record without its own date takes the caller's (``--published``)."""
    if published is not None and isinstance(rec, dict) and not rec.get("published"):
        rec["published"] = published
    return rec


def _json(text: str, name: str, published: str | dt.date | None = None) -> Reading:
    try:
        rec = loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(f"{name}: broken JSON at line {e.lineno}: {e.msg}") from None
    return read_record(_default_published(rec, published), name, path=name)


def _jsonl(
    data: bytes, name: str, published: str | dt.date | None = None
) -> Iterator[ReadResult]:
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if not line or line.isspace():
            continue
        try:
            rec = loads(line)
        except json.JSONDecodeError as e:
            yield ReadResult(
                Source(path=name, line=lineno),
                skipped=f"{name} line {lineno}: broken JSON ({e.msg})",
            )
            continue
        except UnicodeDecodeError:
            yield ReadResult(
                Source(path=name, line=lineno), skipped=f"{name} line {lineno}: not UTF-8"
            )
            continue
        rec = _default_published(rec, published)
        try:
            text = rec.get("text") if type(rec) is dict else None
            if type(text) is str and text and not text.isspace():  # the common case, fast
                reading = read_text(text, rec.get("published"), name, rec, lineno)
            else:
                reading = read_record(rec, f"{name} line {lineno}", path=name, line=lineno)
        except AlliesError as e:
            where = f"{name} line {lineno}"
            why = str(e) if str(e).startswith(where) else f"{where}: {e}"
            yield ReadResult(Source(path=name, line=lineno), skipped=why)
            continue
        except Exception as e:  # noqa: BLE001 - one bad record never stops a batch
            yield ReadResult(
                Source(path=name, line=lineno), skipped=crash_reason(f"{name} line {lineno}", e)
            )
            continue
        yield ReadResult(reading.source, reading=reading)


def find_files(path: str | os.PathLike[str]) -> tuple[list[Path], list[str]]:
    """The files under `path` (as `list_files`) and one reason per folder that could not be
    listed ("news/2021: unreadable folder (Permission denied); its files were not read")."""
    p = Path(path)
    if not p.is_dir():
        return list_files(p), []
    files: list[Path] = []
    problems: list[str] = []

    def unreadable(e: OSError) -> None:
        where = e.filename if e.filename is not None else str(p)
        problems.append(
            f"{where}: unreadable folder ({e.strerror or e}); its files were not read"
        )

    for root, dirs, names in os.walk(p, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in names:
            if n.startswith("."):
                continue
            f = Path(root) / n
            if f.is_file():
                files.append(f)
    return sorted(files), sorted(problems)


def list_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files `read_path` reads: the file itself, or every file under a folder (sorted,
    hidden files and folders skipped; see `find_files` for unreadable subfolders). A
    missing path raises BadInput."""
    p = Path(path)
    if p.is_dir():
        return find_files(p)[0]
    if p.is_file():
        return [p]
    if p.exists():
        raise BadInput(f"{path}: not a regular file or folder (a device or pipe?); use - for "
                       "stdin")
    raise BadInput(f"{path}: no such file or folder")


def read_file(
    f: Path,
    *,
    max_bytes: int = MAX_BYTES,
    published: str | dt.date | None = None,
) -> Iterator[ReadResult]:
    """Read one file (each JSONL line gives its own result); never raises on bad content."""
    name = str(f)
    try:
        size = f.stat().st_size
        if size > max_bytes:
            yield ReadResult(
                Source(path=name),
                skipped=f"{name}: oversized ({size} bytes > limit {max_bytes}); raise --max-mb "
                "to read it",
            )
            return
        data = f.read_bytes()
    except OSError as e:
        yield ReadResult(Source(path=name), skipped=f"{name}: unreadable ({e.strerror})")
        return
    yield from read_bytes(data, name, _kind(name), max_bytes, published)


def read_path(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    published: str | dt.date | None = None,
) -> Iterator[ReadResult]:
    """Read a file or every file under a folder; each file (each JSONL line) gives a Reading
    or a skip reason (so does each unreadable subfolder). A missing path raises BadInput."""
    files, problems = find_files(path)
    for why in problems:
        yield ReadResult(Source(path=why.split(": unreadable folder")[0]), skipped=why)
    for f in files:
        yield from read_file(f, max_bytes=max_bytes, published=published)


def read_stream(
    stream: IO[bytes],
    name: str = "<stdin>",
    *,
    max_bytes: int = MAX_BYTES,
    published: str | dt.date | None = None,
) -> Iterator[ReadResult]:
    """Read stdin (or any binary stream); the format is sniffed."""
    data = stream.read(max_bytes + 1)
    yield from read_bytes(data, name, None, max_bytes, published)
