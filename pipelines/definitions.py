"""The Dagster code location (wiring only): `dagster dev -m pipelines.definitions` or `fintra ui`."""

from __future__ import annotations

import dagster as dg

from pipelines.assets.accounting import agrees_with_beancount
from pipelines.assets.cases import compliance_cases
from pipelines.assets.insights import account_insights
from pipelines.assets.learning import LEARNING_ASSETS
from pipelines.assets.ledger import LEDGER_ASSETS
from pipelines.assets.marts import dbt_marts
from pipelines.assets.raw import RAW_DAILY, RAW_SNAPSHOTS, raw_event_store, raw_history
from pipelines.assets.reports import REPORT_ASSETS
from pipelines.assets.screening import counterparty_screening
from pipelines.resources import DbtResource, LakeResource, PostgresResource

raw_daily_job = dg.define_asset_job("raw_ledger_daily", selection=RAW_DAILY)
raw_snapshot_job = dg.define_asset_job("raw_ledger_snapshots", selection=RAW_SNAPSHOTS)
raw_events_job = dg.define_asset_job("raw_ledger_events", selection=[raw_event_store])
# The counterparties screened and the marts rebuilt, their new alerts made cases, then the previous day's
# reports issued from them.
reports_job = dg.define_asset_job(
    "reports_daily", selection=[counterparty_screening, dbt_marts, compliance_cases, *REPORT_ASSETS]
)
# Features, the risk model and merchant resolution, retrained every week.
learning_job = dg.define_asset_job("models_weekly", selection=LEARNING_ASSETS)
# The insights apps show, kept current after the night's extraction (and computed on a read in between).
insights_job = dg.define_asset_job("insights_daily", selection=[account_insights])

postgres = PostgresResource()
# Schedules run from the start (reports every day at 02:00 are the point of a compliance platform); a
# deployment that wants one off turns it off in the UI, which Dagster remembers in its instance.
ON = dg.DefaultScheduleStatus.RUNNING

defs = dg.Definitions(
    assets=[
        *LEDGER_ASSETS,
        *RAW_DAILY,
        *RAW_SNAPSHOTS,
        raw_event_store,
        raw_history,
        counterparty_screening,
        dbt_marts,
        compliance_cases,
        *REPORT_ASSETS,
        *LEARNING_ASSETS,
        account_insights,
    ],
    asset_checks=[agrees_with_beancount],
    jobs=[raw_daily_job, raw_snapshot_job, raw_events_job, reports_job, learning_job, insights_job],
    schedules=[
        # 01:00 UTC, for the day before
        dg.build_schedule_from_partitioned_job(raw_daily_job, hour_of_day=1, minute_of_hour=0, default_status=ON),
        dg.ScheduleDefinition(
            job=raw_snapshot_job, cron_schedule="0 1 * * *", execution_timezone="UTC", default_status=ON
        ),
        # incremental and cheap when little happened, so hourly keeps the event log fresh
        dg.ScheduleDefinition(
            job=raw_events_job, cron_schedule="5 * * * *", execution_timezone="UTC", default_status=ON
        ),
        # 02:00 UTC, after the extraction, for the day before
        dg.build_schedule_from_partitioned_job(reports_job, hour_of_day=2, minute_of_hour=0, default_status=ON),
        # Mondays 03:00 UTC, after the night's extraction and reports
        dg.ScheduleDefinition(job=learning_job, cron_schedule="0 3 * * 1", execution_timezone="UTC", default_status=ON),
        # 04:00 UTC, after the night's extraction, reports and (on Mondays) models
        dg.ScheduleDefinition(job=insights_job, cron_schedule="0 4 * * *", execution_timezone="UTC", default_status=ON),
    ],
    resources={"postgres": postgres, "lake": LakeResource(), "dbt": DbtResource(postgres=postgres)},
)
