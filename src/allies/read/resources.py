"""Loading the reader's data files from ``allies/data/read/`` (cached per process)."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from ..errors import DataError


def _read(name: str) -> str:
    try:
        return resources.files("allies").joinpath("data/read", name).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataError([f"data/read/{name}: cannot read ({e})"]) from None


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Parse one TOML data file (cached)."""
    try:
        return tomllib.loads(_read(name))
    except tomllib.TOMLDecodeError as e:
        raise DataError([f"data/read/{name}: {e}"]) from None


@cache
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Parse one JSONL data file (cached); blank lines and ``#`` comments are skipped."""
    rows = []
    for lineno, line in enumerate(_read(name).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise DataError([f"data/read/{name} line {lineno}: {e.msg}"]) from None
    return tuple(rows)
