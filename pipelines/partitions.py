"""The business-day partitioning of the lake: one partition per UTC day."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

# Early enough for back-dated history (simulated customers were onboarded years before the first
# simulated day); a backfill only touches days that have rows.
FIRST_DAY = "2020-01-01"
DAILY = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="UTC")


@contextmanager
def quiet_beta() -> Iterator[None]:
    """Define assets with single-run backfill policies without Dagster's "beta" notice on every import
    (we rely on them deliberately: one run per backfill range)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Parameter `backfill_policy`")
        yield
