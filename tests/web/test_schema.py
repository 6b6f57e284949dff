"""The app against its own OpenAPI document, in-process, with schemathesis: every default
check (status codes, content types, response schemas, negative data rejected, positive data
accepted), none excluded and no case special-cased.

The same document passes the plain CLI run against a live server:
``schemathesis run http://127.0.0.1:PORT/openapi.json``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from allies.ledger import load_ledger  # noqa: E402
from allies.web import create_app  # noqa: E402
from allies.web.openapi import TEXT_PATTERN  # noqa: E402

APP = create_app(load_ledger())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_openapi(case: Any) -> None:
    case.call_and_validate()


def test_text_pattern_blanks_are_pythons() -> None:
    """A body is empty for the server when `str.strip()` leaves nothing; the schema's
    pattern must call exactly those strings invalid, or a fuzzer finds the gap."""
    pat = re.compile(TEXT_PATTERN)
    blanks = [c for c in map(chr, range(0x10000)) if c.isspace()]
    assert all(not pat.match(c * 3) for c in blanks)
    assert not pat.match("") and not pat.match("a\x00b")
    for ok in ("a", " a ", "\ufeff", "{}", "\u200b"):
        assert pat.match(ok), repr(ok)
