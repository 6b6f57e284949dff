"""Fuzz targets (Hypothesis). `make test` runs each with a small budget; `make fuzz` runs
them long (ALLIES_FUZZ_EXAMPLES inputs per target) and prints inputs tried and crashes."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("ALLIES_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)
