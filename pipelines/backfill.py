"""Materialising every lake asset over a date range, from code (what `fintra run` does).

A Dagster run costs about a second, and every partition it covers costs tens of milliseconds of Dagster
bookkeeping per asset, even a day without rows. The ledger's quiet history before its first dense day
is one run of `raw/ledger/history` (`pipelines.history`), and the day is recorded as the daily
partitions' start (`pipelines.partitions`); from that day on, the backfill plans its
daily runs from the days that hold rows: each asset only over its own days, neighbouring days merged
into one run when the gap between them is cheaper to cover than a new run. Then the dbt marts are
rebuilt and the reports issued for the last `report_days` days of the range (one run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

import adbc_driver_postgresql.dbapi as adbc
import dagster as dg

from fintra.lake import Lake
from pipelines.assets.accounting import agrees_with_beancount
from pipelines.assets.cases import compliance_cases
from pipelines.assets.insights import account_insights
from pipelines.assets.learning import LEARNING_ASSETS
from pipelines.assets.marts import dbt_marts
from pipelines.assets.raw import RAW_DAILY, RAW_SNAPSHOTS, raw_event_store, raw_history
from pipelines.assets.reports import REPORT_ASSETS
from pipelines.assets.screening import counterparty_screening
from pipelines.extract import TABLES, days_with_rows
from pipelines.history import HISTORY_TABLES, Window, entry_days, first_dense_day, history_window
from pipelines.partitions import DAILY, record_first_day
from pipelines.resources import DbtResource, LakeResource, PostgresResource

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
MAX_GAP_DAYS = 14  # empty days a run may cover rather than starting another
MAX_RUN_DAYS = 400  # keeps one run's plan and its event log small
REPORT_DAYS = 92  # a quarter: the days `fintra run` issues reports for (older days: `fintra report`)


def plan_windows(days: Iterable[date], max_gap: int = MAX_GAP_DAYS, max_len: int = MAX_RUN_DAYS) -> list[Window]:
    """Cover every day in `days` with few, short ranges: a new range starts after more than `max_gap`
    empty days or when the current one reaches `max_len` days."""
    windows: list[Window] = []
    for day in sorted(set(days)):
        if windows and (day - windows[-1][1]).days <= max_gap + 1 and (day - windows[-1][0]).days < max_len:
            windows[-1] = (windows[-1][0], day)
        else:
            windows.append((day, day))
    return windows


def days_to_materialise(pg_url: str, lake: Lake, table: str, first: date, last: date) -> list[date]:
    """Days in [first, last] with rows in PostgreSQL, or with a lake partition to verify or remove."""
    spec = TABLES[table]
    with adbc.connect(pg_url) as conn:
        days = set(days_with_rows(conn, spec, first, last))
    for partition in lake.partitions(spec.dataset):
        day = date.fromisoformat(partition.removeprefix("date="))
        if first <= day <= last:
            days.add(day)
    return sorted(days)


def run_plan(
    pg_url: str, lake: Lake, first: date, last: date, counts: dict[date, int] | None = None
) -> tuple[Window | None, list[tuple[Window, Sequence[dg.AssetsDefinition]]]]:
    """The runs that backfill [first, last]: the quiet history's days (None: there are none), then the
    daily partitions' (window, assets), with the assets sharing each window (`counts`: the ledger's entries
    per day, `pipelines.history.entry_days`, read when not given)."""
    # (days before the partition set this process loaded are history too: this run records the new dense
    # day for the next load)
    history = history_window(pg_url, first, last, counts, DAILY.start.date())
    daily_from = history[1] + timedelta(days=1) if history else first
    by_window: dict[Window, list[dg.AssetsDefinition]] = defaultdict(list)
    for asset in RAW_DAILY:
        table = asset.key.path[-1]
        for window in plan_windows(days_to_materialise(pg_url, lake, table, daily_from, last)):
            by_window[window].append(asset)
    return history, sorted(by_window.items(), key=lambda item: item[0])


def materialise_all(
    postgres: PostgresResource,
    lake: LakeResource,
    first: date,
    last: date,
    *,
    report_days: int = REPORT_DAYS,
    models: bool = True,
    instance: dg.DagsterInstance | None = None,
    on_step: Callable[[int, int, str], None] | None = None,
) -> list[str]:
    """Backfill the daily assets over [first, last] (single-run backfills over the planned windows),
    then the snapshots and the event store, then the marts and the reports of the last `report_days`
    days (none: 0), then (`models`) the features, the risk model and merchant resolution, then the
    insights apps show; returns every failed run or check (empty when all passed)."""
    resources = {"postgres": postgres, "lake": lake, "dbt": DbtResource(postgres=postgres)}
    counts = entry_days(postgres.resolved_url())
    dense = first_dense_day(counts)
    if dense is not None:  # the daily partitions start there from the code location's next load
        record_first_day(dense)
    history, plan = run_plan(postgres.resolved_url(), lake.lake(), first, last, counts)
    # the steps as a person follows them: the history, each window of days into the lake, the reference
    # tables and events, the marts (with screening, cases and the Beancount check), the reports, the
    # models, the insights
    steps = int(history is not None) + len(plan) + 3 + int(report_days > 0) + int(models)
    failures: list[str] = []
    done = 0

    def step(stage: str, detail: str) -> None:
        if on_step is not None:
            on_step(done, steps, f"{stage}: {detail}")

    with instance or dg.DagsterInstance.get() as active:
        if history is not None:
            start, end = history
            step("lake", f"history {start} → {end}, before the first dense day ({len(HISTORY_TABLES)} tables)")
            days = {"first": start.isoformat(), "last": end.isoformat()}
            result = dg.materialize(
                [raw_history],
                resources=resources,
                instance=active,
                raise_on_error=False,
                run_config={**QUIET, "ops": {"raw__ledger__history": {"config": days}}},
            )
            failures += failures_of(result, f"history {start}..{end}")
            done += 1
        for (start, end), assets in plan:
            step("lake", f"{start} → {end} ({len(assets)} tables)")
            result = dg.materialize(
                assets,
                resources=resources,
                instance=active,
                raise_on_error=False,
                run_config=QUIET,
                tags={
                    "dagster/asset_partition_range_start": start.isoformat(),
                    "dagster/asset_partition_range_end": end.isoformat(),
                },
            )
            failures += failures_of(result, f"{start}..{end}")
            done += 1
        step("lake", "reference tables and the event store")
        result = dg.materialize(
            [*RAW_SNAPSHOTS, raw_event_store],
            resources=resources,
            instance=active,
            raise_on_error=False,
            run_config=QUIET,
        )
        failures += failures_of(result, "snapshots and events")
        done += 1
        step("marts", "screening, dbt build and tests, cases, Beancount check")
        # Two runs: in one, Dagster's per-partition bookkeeping of the reports' range is repeated for
        # every dbt asset (about twice the time of both apart).
        result = dg.materialize(
            [counterparty_screening, dbt_marts, compliance_cases, agrees_with_beancount],
            resources=resources,
            instance=active,
            raise_on_error=False,
            run_config=QUIET,
        )
        failures += failures_of(result, "dbt marts and cases")
        done += 1
        if report_days > 0:
            reports_from = max(first, last - timedelta(days=report_days - 1))
            step("reports", f"{len(REPORT_ASSETS)} reports x {(last - reports_from).days + 1} days")
            result = dg.materialize(
                REPORT_ASSETS,
                resources=resources,
                instance=active,
                raise_on_error=False,
                run_config=QUIET,
                tags={
                    "dagster/asset_partition_range_start": reports_from.isoformat(),
                    "dagster/asset_partition_range_end": last.isoformat(),
                },
            )
            failures += failures_of(result, f"reports {reports_from}..{last}")
            done += 1
        if models:
            step("models", "features, risk model, merchant resolution")
            result = dg.materialize(
                LEARNING_ASSETS, resources=resources, instance=active, raise_on_error=False, run_config=QUIET
            )
            failures += failures_of(result, "models")
            done += 1
        step("insights", "every customer account's, for the API")
        result = dg.materialize(
            [account_insights], resources=resources, instance=active, raise_on_error=False, run_config=QUIET
        )
        failures += failures_of(result, "insights")
        done += 1
        step("done", f"{len(failures)} failure(s)" if failures else "every step passed")
    return failures


def failures_of(result: dg.ExecuteInProcessResult, where: str) -> list[str]:
    """A line per failed step or failed check of one run."""
    found = []
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                error = event.step_failure_data.error
                found.append(f"{where}: step {event.step_key} failed: {error.message.strip() if error else ''}")
        found = found or [f"{where}: the run failed (see `fintra ui`)"]
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            problems = evaluation.metadata.get("problems")
            detail = problems.value if problems is not None else ""
            found.append(f"{where}: {evaluation.asset_key.to_user_string()} check failed: {detail}")
    return found
