"""The Dagster code location (wiring only): `dagster dev -m pipelines.definitions` or `fintra ui`."""

from __future__ import annotations

import dagster as dg

from pipelines.assets.raw import RAW_DAILY, RAW_SNAPSHOTS, raw_event_store
from pipelines.resources import LakeResource, PostgresResource

raw_daily_job = dg.define_asset_job("raw_ledger_daily", selection=RAW_DAILY)
raw_snapshot_job = dg.define_asset_job("raw_ledger_snapshots", selection=RAW_SNAPSHOTS)
raw_events_job = dg.define_asset_job("raw_ledger_events", selection=[raw_event_store])

defs = dg.Definitions(
    assets=[*RAW_DAILY, *RAW_SNAPSHOTS, raw_event_store],
    jobs=[raw_daily_job, raw_snapshot_job, raw_events_job],
    schedules=[
        # 01:00 UTC, for the day before
        dg.build_schedule_from_partitioned_job(raw_daily_job, hour_of_day=1, minute_of_hour=0),
        dg.ScheduleDefinition(job=raw_snapshot_job, cron_schedule="0 1 * * *", execution_timezone="UTC"),
        # incremental and cheap when little happened, so hourly keeps the event log fresh
        dg.ScheduleDefinition(job=raw_events_job, cron_schedule="5 * * * *", execution_timezone="UTC"),
    ],
    resources={"postgres": PostgresResource(), "lake": LakeResource()},
)
