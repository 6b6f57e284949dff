"""allies: a dated, sourced record of U.S. alliance statuses.

>>> import allies
>>> allies.status("Colombia", on="2022-04-01")["statuses"][0]["state"]
'announced'
>>> allies.members("nato", on="2023-04-04")["count"]
31

The functions below use the bundled ledger (plus ``$ALLIES_DATA`` if set); build your own
with :func:`allies.ledger.load_ledger` or :func:`allies.ledger.build_ledger`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .errors import (
    AlliesError,
    BadDate,
    BadInput,
    DataError,
    UnknownCountry,
    UnknownFramework,
)
from .ledger import Ledger, load_ledger
from .version import __version__

Day = str | dt.date | None


def status(country: str, on: Day = None) -> dict[str, Any]:
    """Status of `country` in every framework on a day (default today), with sources."""
    return load_ledger().status(country, on)


def members(framework: str, on: Day = None) -> dict[str, Any]:
    """Countries whose state in `framework` is active on a day."""
    return load_ledger().members(framework, on)


def history(country: str) -> dict[str, Any]:
    """Every event of `country` and its state periods."""
    return load_ledger().history(country)


def changes(since: Day, until: Day = None) -> dict[str, Any]:
    """Events dated between `since` and `until` (inclusive; default today)."""
    return load_ledger().changes(since, until)


def entails(country: str, on: Day = None) -> dict[str, Any]:
    """Benefits, obligations and security guarantee of `country`'s statuses on a day."""
    return load_ledger().entails(country, on)


def read(text: str, published: Day = None) -> Any:
    """Extract status events and claims from an article's text (see :mod:`allies.read`)."""
    from .read import read as _read

    return _read(text, published)


def check(reading: Any) -> dict[str, Any]:
    """Set a reading's events and claims against the ledger (see :mod:`allies.check`)."""
    from .check import check as _check

    return _check(reading)


__all__ = [
    "AlliesError",
    "BadDate",
    "BadInput",
    "DataError",
    "Ledger",
    "UnknownCountry",
    "UnknownFramework",
    "__version__",
    "changes",
    "check",
    "entails",
    "history",
    "load_ledger",
    "members",
    "read",
    "status",
]
