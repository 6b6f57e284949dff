"""The fuzz log: inputs tried and distinct crashes per target, printed after the run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest


class FuzzLog:
    def __init__(self) -> None:
        self.tried: Counter[str] = Counter()
        self.crashes: dict[str, dict[str, str]] = {}

    def probe(
        self, target: str, fn: Callable[..., Any], *args: Any,
        allowed: tuple[type[BaseException], ...] = (),
    ) -> Any:
        """fn(*args), counted; an exception not in `allowed` is logged, then raised (so
        Hypothesis shrinks it to a minimal reproducer)."""
        self.tried[target] += 1
        try:
            return fn(*args)
        except allowed:
            return None
        except Exception as e:
            key = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:160]
            self.crashes.setdefault(target, {}).setdefault(key, repr(args)[:300])
            raise


LOG = FuzzLog()


@pytest.fixture(scope="session")
def fuzz() -> FuzzLog:
    return LOG


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not LOG.tried:
        return
    tr = terminalreporter
    total = sum(LOG.tried.values())
    n_crash = sum(len(v) for v in LOG.crashes.values())
    tr.write_line(f"fuzz: {total} inputs tried, {n_crash} distinct crash(es)")
    for target, n in sorted(LOG.tried.items()):
        tr.write_line(f"  {target}: {n} inputs, {len(LOG.crashes.get(target, {}))} crash(es)")
        for key, example in LOG.crashes.get(target, {}).items():
            tr.write_line(f"    {key}  e.g. {example}")
