"""Loading the reader's data files from ``allies/data/read/`` (cached per process)."""

from __future__ import annotations

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
