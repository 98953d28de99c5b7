"""The business-day partitioning of the lake: one partition per UTC day."""

from __future__ import annotations

import dagster as dg

# Early enough for back-dated history (simulated customers were onboarded years before the first
# simulated day); a backfill only touches days that have rows.
FIRST_DAY = "2020-01-01"
DAILY = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="UTC")
