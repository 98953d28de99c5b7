"""The Dagster code location: it loads, every job resolves, and a backfill writes checked partitions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import dagster as dg
import psycopg
import pyarrow as pa
import pytest

from fintra.database import create_database
from fintra.lake import Lake
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.assets.raw import CHECK, RAW_DAILY, RAW_SNAPSHOTS, raw_history
from pipelines.backfill import run_plan
from pipelines.checks import declared_schema, range_problems
from pipelines.definitions import defs
from pipelines.extract import TABLES, extract, partition_name
from pipelines.history import DENSE_MIN_ROWS, HISTORY_TABLES, data_range, first_dense_day, history_window
from pipelines.resources import LakeResource, PostgresResource

START = date(2026, 3, 10)


@pytest.fixture(scope="module")
def pg(pg_server: str) -> str:
    url = create_database(pg_server, "t_pipelines_defs", drop_existing=True)
    simulate(url, SimulationConfig(customers=40, days=2, start=START, seed=9))
    return url


def test_definitions_load_and_every_job_resolves() -> None:
    jobs = ("raw_ledger_daily", "raw_ledger_snapshots", "raw_ledger_events", "reports_daily", "insights_daily")
    assert all(defs.resolve_job_def(j) for j in jobs)
    schedule = defs.resolve_schedule_def("raw_ledger_daily_schedule")
    assert schedule.cron_schedule == "0 1 * * *"
    specs = {a.key.to_user_string(): a for a in defs.resolve_all_asset_specs()}
    assert {"raw/ledger/entries", "raw/ledger/journal_entries", "raw/ledger/customer_pii"} <= set(specs)
    assert {"analytics/rpt_ctr", "analytics/fct_daily_balances", "reports/ctr", "reports/aml_alerts"} <= set(specs)


def test_the_asset_graph_runs_from_the_ledger_tables_to_the_reports() -> None:
    specs = {a.key.to_user_string(): a for a in defs.resolve_all_asset_specs()}

    def upstream(key: str) -> set[str]:
        return {d.asset_key.to_user_string() for d in specs[key].deps}

    assert upstream("raw/ledger/entries") == {"ledger/entries"}
    assert upstream("analytics/stg_ledger__entries") == {"ledger/entries"}
    assert "analytics/int_customer_movements" in upstream("analytics/rpt_ctr")
    assert upstream("reports/ctr") == {"analytics/rpt_ctr", "analytics/dim_alert_thresholds"}
    assert {"analytics/rpt_sanctions_hits", "analytics/rpt_velocity_alerts"} <= upstream("reports/aml_alerts")
    checks = {c.name for c in defs.resolve_asset_graph().asset_check_keys if c.asset_key.path[0] == "analytics"}
    assert {
        "unique_rpt_ctr_report_id",
        "assert_trial_balance_balances",
        "assert_daily_balances_close_on_the_projection",
    } <= checks


def test_a_backfill_writes_checked_partitions(pg: str, tmp_path: Path) -> None:
    lake_url = (tmp_path / "lake").as_uri()
    resources = {
        "postgres": PostgresResource(url=pg),
        "lake": LakeResource(url=lake_url, pseudonym_key="tests-key-16char"),
    }
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            RAW_DAILY,
            resources=resources,
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": (START - timedelta(days=1)).isoformat(),
                "dagster/asset_partition_range_end": (START + timedelta(days=2)).isoformat(),
            },
        )
        snapshots = dg.materialize(RAW_SNAPSHOTS, resources=resources, instance=instance)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(RAW_DAILY) and all(e.passed and e.check_name == CHECK for e in evaluations)
    entries = next(
        m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey(["raw", "ledger", "entries"])
    )
    sums = entries.materialization.metadata["sums"].value
    lake_sums = (
        Lake(lake_url)
        .duckdb()
        .sql("SELECT currency || ':' || direction, sum(amount)::VARCHAR FROM entries GROUP BY ALL")
        .fetchall()
    )
    assert {k: Decimal(v) for k, v in sums.items()} == {k: Decimal(v) for k, v in lake_sums} != {}
    lake = Lake(lake_url)
    assert lake.partitions("raw/ledger/entries") == [partition_name(START), partition_name(START + timedelta(days=1))]
    assert snapshots.success and all(e.passed for e in snapshots.get_asset_check_evaluations())
    with psycopg.connect(pg) as conn:
        customers = conn.execute("SELECT count(*) FROM ledger.customers").fetchone()[0]
    assert lake.scan("raw/ledger/customers").collect().height == customers >= 40


def test_a_tampered_partition_fails_its_check(pg: str, tmp_path: Path) -> None:
    lake = Lake((tmp_path / "lake").as_uri())
    extract(pg, lake, "entries", START, pseudonym_key=b"tests-key-16char")
    schema = declared_schema(pg, TABLES["entries"])
    assert range_problems(pg, lake, "entries", START, START, schema) == []
    rows = lake.read_partition("raw/ledger/entries", partition_name(START))
    lake.write_partition("raw/ledger/entries", partition_name(START), rows.slice(1))
    problems = range_problems(pg, lake, "entries", START, START, schema)
    assert any("rows in the lake" in p for p in problems) and any("sums" in p for p in problems)
    floaty = rows.set_column(rows.column_names.index("amount"), "amount", rows["amount"].cast(pa.float64()))
    lake.write_partition("raw/ledger/entries", partition_name(START), floaty)
    assert any("schema" in p for p in range_problems(pg, lake, "entries", START, START, schema))


def test_dbt_is_parsed_once_per_project_version_for_every_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the code location in a new FINTRA_HOME (a test's, a second bank's) reuses the manifest parsed
    for these project files; a parse costs seconds on every `fintra run` otherwise."""
    from fintra.settings import get_settings
    from pipelines.transform import manifest_path, project_fingerprint

    # a cache of the test's own (the user's ~/.cache is left alone), empty: the first home parses
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    paths, parsed_at = [], []
    for home in ("a", "b"):
        monkeypatch.setenv("FINTRA_HOME", str(tmp_path / home))
        get_settings.cache_clear()
        paths.append(manifest_path())
        parsed_at.append(paths[-1].stat().st_mtime_ns)
    get_settings.cache_clear()
    assert paths[0] == paths[1] and (tmp_path / "cache") in paths[0].parents and parsed_at[0] == parsed_at[1]
    assert not any((tmp_path / home).exists() for home in ("a", "b"))  # nothing parsed into either home
    assert (paths[0].parent / "project.sha256").read_text() == project_fingerprint()
    assert paths[0].stat().st_size > 100_000


def test_a_day_is_dense_against_the_busiest_one() -> None:
    d = date(2026, 1, 1)
    quiet_then_busy = {d: 1, d + timedelta(days=300): 3, d + timedelta(days=400): 900, d + timedelta(days=401): 40}
    assert first_dense_day(quiet_then_busy) == d + timedelta(days=400)
    alike = {d + timedelta(days=n): 100 + n for n in range(30)}
    assert first_dense_day(alike) == d  # a ledger whose days are alike has no history
    assert first_dense_day({d: DENSE_MIN_ROWS - 1}) is None and first_dense_day({}) is None


def test_the_quiet_history_is_one_checked_run_before_the_daily_partitions(
    pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The simulated customers' opening deposits (years before START) and the FX history are one run of
    raw/ledger/history into the same date= partitions; Dagster's daily partitions start at START."""
    span = data_range(pg)
    assert span is not None and span[0] < START - timedelta(days=300)
    lake_url = (tmp_path / "lake").as_uri()
    history, plan = run_plan(pg, Lake(lake_url), *span)
    assert history == (span[0], START - timedelta(days=1))
    # the dense day is the ledger's, whatever part of it a run covers
    assert history_window(pg, START, START) is None
    assert history_window(pg, span[0], span[0]) == (span[0], span[0])
    week_before = START - timedelta(days=5)
    assert history_window(pg, week_before, START) == (week_before, START - timedelta(days=1))
    assert plan and all(window[0] >= START for window, _ in plan)
    # a partition set loaded when the dense day was recorded later (it has moved earlier since): the days
    # before the set's start are history too, not partitions it does not have
    later = START + timedelta(days=1)
    monkeypatch.setattr("pipelines.backfill.DAILY", dg.DailyPartitionsDefinition(start_date=later.isoformat()))
    moved, replanned = run_plan(pg, Lake(lake_url), *span)
    assert moved == (span[0], START) and replanned and all(window[0] >= later for window, _ in replanned)
    monkeypatch.undo()
    resources = {
        "postgres": PostgresResource(url=pg),
        "lake": LakeResource(url=lake_url, pseudonym_key="tests-key-16char"),
    }
    days = {"first": history[0].isoformat(), "last": history[1].isoformat()}
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [raw_history],
            resources=resources,
            instance=instance,
            run_config={"ops": {"raw__ledger__history": {"config": days}}},
        )
    assert result.success and [e.passed for e in result.get_asset_check_evaluations()] == [True]
    [materialised] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in materialised.materialization.metadata.items()}
    assert metadata["history"] == f"{days['first']} to {days['last']}"
    assert metadata["bytes"] > 0 and metadata["partitions_written"] > 20 and metadata["lake"].endswith("raw/ledger")
    lake = Lake(lake_url)
    with psycopg.connect(pg) as conn:
        for table in HISTORY_TABLES:
            spec = TABLES[table]
            source = conn.execute(
                f"SELECT count(*), count(DISTINCT ({spec.time_column} AT TIME ZONE 'UTC')::date) FROM ledger.{table}"
                f" WHERE {spec.time_column} < %s",
                (START,),
            ).fetchone()
            written = lake.partitions(spec.dataset)
            assert len(written) == source[1] and all(p < partition_name(START) for p in written), table
            rows = lake.scan(spec.dataset).collect().height if written else 0
            assert rows == source[0] == metadata[f"rows_{table}"], table
    assert len(lake.partitions("raw/ledger/entries")) > 20  # years of onboarding days, one run

    class Dropping(Lake):
        def write_partition(self, dataset: str, partition: str, table: pa.Table):  # type: ignore[no-untyped-def]
            return super().write_partition(dataset, partition, table.slice(1) if "entries" in dataset else table)

    class DroppingResource(LakeResource):
        def lake(self) -> Lake:
            return Dropping(self.url or "")

    dropped = {**resources, "lake": DroppingResource(url=(tmp_path / "bad").as_uri(), pseudonym_key="tests-key-16char")}
    with dg.instance_for_test() as instance:
        bad = dg.materialize(
            [raw_history],
            resources=dropped,
            instance=instance,
            run_config={"ops": {"raw__ledger__history": {"config": days}}},
        )
    [evaluation] = bad.get_asset_check_evaluations()
    problems = evaluation.metadata["problems"].value
    assert not evaluation.passed and "entries date=" in problems and "rows in the lake" in problems


def test_the_recorded_first_day_only_moves_earlier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dense day moves later as a bank grows busier; the daily partitions that existed go on existing
    (a run a person starts for one of them must not fail), so the recorded start only moves earlier."""
    from fintra.settings import get_settings
    from pipelines.partitions import FIRST_DAY, RECORD, first_day, record_first_day

    monkeypatch.setenv("FINTRA_HOME", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert first_day() == FIRST_DAY  # nothing recorded yet
        record_first_day(date(2026, 3, 1))
        record_first_day(date(2026, 4, 1))
        assert first_day() == "2026-03-01"
        record_first_day(date(2026, 2, 1))
        assert first_day() == "2026-02-01"
        assert ((tmp_path / RECORD).stat().st_mode & 0o777) == 0o644  # a daemon of another user reads it
        (tmp_path / RECORD).write_text("{not json")
        assert first_day() == FIRST_DAY  # a damaged record is not trusted (and says so in the log)
        record_first_day(date(2026, 5, 1))
        assert first_day() == "2026-05-01"
    finally:
        get_settings.cache_clear()
