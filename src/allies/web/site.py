"""Per-app state: the ledger, the Jinja environment, the OpenAPI document and small caches."""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import jinja2

from ..countries import normalize
from ..dates import parse_day
from ..errors import AlliesError, BadDate
from ..ledger import Ledger
from . import views
from .openapi import build_openapi
from .work import ReaderPool

STATUS_CACHE = 4096
PAGE_CACHE = 64
SUGGESTIONS = 8
GZIP_MIN = 1024  # bytes: smaller bodies are sent as they are


class LRU:
    """A tiny least-recently-used cache (dict order)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Any, Any] = OrderedDict()

    def get_or(self, key: Any, make: Callable[[], Any]) -> Any:
        try:
            self.data.move_to_end(key)
            return self.data[key]
        except KeyError:
            pass
        value = make()
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)
        return value


def dumps(obj: Any) -> bytes:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate got through: U+FFFD, never a 500
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


class Cached:
    """A rendered body kept with its gzip form and its ETag (a hash of the body)."""

    __slots__ = ("body", "gz", "etag")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.gz = gzip.compress(body, 6, mtime=0) if len(body) >= GZIP_MIN else None
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class Site:
    def __init__(
        self,
        ledger: Ledger,
        today: Callable[[], dt.date] = dt.date.today,
        pool: ReaderPool | None = None,
    ) -> None:
        self.ledger = ledger
        self.today = today
        self.pool = pool or ReaderPool()
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("allies", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["info"] = ledger.info
        self.env.globals["fw_short"] = lambda fid: (
            ledger.frameworks[fid].short if fid in ledger.frameworks else fid
        )
        self.env.globals["state_label"] = lambda s, fw=None: views.state_label(ledger, s, fw)
        self.env.globals["category_label"] = lambda c: views.CATEGORY_LABEL.get(c, c)
        self.env.globals["mark_label"] = lambda m: views.MARK_LABEL.get(m, m)
        self._status = LRU(STATUS_CACHE)
        self._resolve = LRU(STATUS_CACHE)
        self._pages = LRU(PAGE_CACHE)
        self._rendered = LRU(PAGE_CACHE)
        self._forms = _search_forms(ledger)
        self.openapi = build_openapi(ledger)
        self.openapi_bytes = dumps(self.openapi)

    # -- inputs ----------------------------------------------------------------------------

    def day(self, value: str | None, what: str = "'on' date", empty_ok: bool = False) -> dt.date:
        """Parse a YYYY-MM-DD parameter; absent means today (and so does empty if `empty_ok`,
        for the pages' date forms)."""
        if value is None or (empty_ok and value == ""):
            return self.today()
        if value == "":
            raise BadDate(value, what)
        return parse_day(value, what)

    def iso3(self, name: str) -> str:
        """Resolve any name or code to ISO3 (cached; errors are not cached)."""
        hit = self._resolve.data.get(name)
        if hit is not None:
            return str(hit)
        if len(name) > 200:
            raise AlliesError(f"country name of {len(name)} characters is too long; use a name")
        iso3 = self.ledger.country(name).iso3
        return str(self._resolve.get_or(name, lambda: iso3))

    # -- cached answers --------------------------------------------------------------------

    def status_json(self, iso3: str, day: dt.date, cite: dict[str, str]) -> bytes:
        return bytes(
            self._status.get_or(
                (iso3, day, cite["permalink"]),
                lambda: dumps({**self.ledger.status(iso3, day), "cite": cite}),
            )
        )

    def rendered(self, key: Any, make: Callable[[], str]) -> Cached:
        """A page rendered once per `key` (for the home page: the day, the data version and
        the base URL of the permalink), with its gzip form and ETag."""
        full = (self.ledger.info.content_hash, *key)
        cached: Cached = self._rendered.get_or(full, lambda: Cached(make().encode("utf-8")))
        return cached

    # -- country search ------------------------------------------------------------------------

    def suggest(self, q: str, n: int = SUGGESTIONS) -> list[dict[str, str]]:
        """Countries for a search box: names, codes, aliases and demonyms that start with
        `q`, then those with a word starting with it, then close spellings."""
        key = normalize(q)[:100]
        if not key or key in self.ledger.countries.former:  # East Germany: the resolver says why
            return []
        ranked: list[tuple[int, str, str]] = []  # rank, iso3, matched form
        for form_key, form, iso3 in self._forms:
            if form_key == key:
                ranked.append((0, iso3, form))
            elif form_key.startswith(key):
                ranked.append((1, iso3, form))
            elif f" {key}" in f" {form_key}":
                ranked.append((2, iso3, form))
        if len({iso3 for _, iso3, _ in ranked}) < n and len(key) > 3:
            keys = {k: (f, i) for k, f, i in self._forms}
            for k in difflib.get_close_matches(key, list(keys), n=n, cutoff=0.75):
                ranked.append((3, keys[k][1], keys[k][0]))
        out: list[dict[str, str]] = []
        seen: set[str] = set()
        for _, iso3, form in sorted(ranked, key=lambda r: r[0]):
            if iso3 in seen:
                continue
            seen.add(iso3)
            c = self.ledger.countries.get(iso3)
            out.append({"iso3": iso3, "name": c.name, "match": form})
            if len(out) == n:
                break
        return out

    def home(self, day: dt.date) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            data = views.home_data(self.ledger, day)
            return data

        return dict(self._pages.get_or(("home", day), make))

    def shapes(self, day: dt.date, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(
            self._pages.get_or(("shapes", day), lambda: views.map_shapes(self.ledger, rows))
        )

    def render(self, template: str, **ctx: Any) -> str:
        return self.env.get_template(template).render(**ctx)


def _search_forms(ledger: Ledger) -> list[tuple[str, str, str]]:
    """(normalized form, form, ISO3) for every name, code, alias and demonym, names first."""
    forms: list[tuple[str, str, str]] = []
    for c in sorted(ledger.countries, key=lambda c: c.name):
        for form in (c.name, c.iso3, c.iso2 or "", *c.aliases, *c.demonyms):
            if form:
                forms.append((normalize(form), form, c.iso3))
    return forms
