"""`fintra run`, `fintra lake ls` and `fintra ui` as a user runs them, and what makes a run fail."""

from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import httpx
import psutil
import psycopg
import pyarrow as pa
import pytest

from fintra.database import create_database
from fintra.lake import Lake
from fintra.reports import report_days
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.backfill import materialise_all, plan_windows
from pipelines.resources import LakeResource, PostgresResource

FINTRA = str(Path(sys.executable).with_name("fintra"))
START = date(2026, 5, 4)


@pytest.fixture(scope="module")
def pg(pg_server: str) -> str:
    url = create_database(pg_server, "t_pipelines_run", drop_existing=True)
    simulate(url, SimulationConfig(customers=25, days=2, start=START, seed=3))
    return url


def _env(pg: str, home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "FINTRA_DATABASE_URL": pg, "FINTRA_HOME": str(home), "COLUMNS": "200", **extra}


STAGES = ["lake", "marts", "reports", "models", "insights"]


def _fintra(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FINTRA, *args], env=env, capture_output=True, text=True, timeout=600)


def test_fintra_run_fills_the_lake_and_reports_every_check(pg: str, tmp_path: Path) -> None:
    env = _env(pg, tmp_path / "home")
    run = _fintra(env, "run", "--no-models", "--report-days", "7")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "every partition matches PostgreSQL" in run.stdout
    assert "reports: 5 reports x 7 days" in run.stdout  # the last --report-days days of the range
    # each step named as it starts, in order: the lake, the marts, the reports
    stages = [
        line.split(":")[0] for line in run.stdout.splitlines() if line.split(":")[0] in STAGES and "://" not in line
    ]
    assert len(run.stdout.splitlines()) < 200, run.stdout[-2000:]  # steps and results, not library chatter
    assert stages and stages == sorted(stages, key=STAGES.index)
    assert {"lake", "marts", "reports", "insights"} <= set(stages)
    # the customers' opening deposits years back are one run, the simulated days daily partitions
    assert re.search(
        rf"lake: history 202[0-5]-\d\d-\d\d → {START - timedelta(days=1)}, before the first dense", run.stdout
    )
    # every customer account that moved has its insights kept for the API
    with psycopg.connect(pg) as conn:
        kept, moved = conn.execute(
            "SELECT (SELECT count(*) FROM serving.account_insights),"
            " (SELECT count(*) FROM ledger.accounts AS a WHERE a.customer_id IS NOT NULL"
            "  AND EXISTS (SELECT 1 FROM ledger.entries AS e WHERE e.account_id = a.account_id))"
        ).fetchone()
    assert kept == moved > 0
    lake = Lake((tmp_path / "home" / "lake").as_uri())
    assert f"date={START}" in lake.partitions("raw/ledger/entries")
    last = START + timedelta(days=1)
    assert report_days(lake, "trial_balance") == [last - timedelta(days=n) for n in range(6, -1, -1)]
    assert lake.partitions("raw/ledger/event_store") and lake.partitions("raw/ledger/customer_pii")
    listing = _fintra(env, "lake", "ls")
    assert listing.returncode == 0
    assert all(name in listing.stdout for name in ("raw/ledger/entries", "raw/ledger/event_store"))
    nothing = _fintra(env, "lake", "ls", "nope/thing")
    assert nothing.returncode == 2 and "no dataset under 'nope/thing'" in nothing.stdout
    # the dense day is recorded: the code location's next load starts its daily partitions there
    loaded = subprocess.run(
        [sys.executable, "-c", "from pipelines.partitions import DAILY; print(DAILY.start.date())"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert loaded.stdout.strip() == str(START), loaded.stderr
    again = _fintra(env, "run", "--no-models", "--report-days", "7")  # re-running a finished range is harmless
    assert again.returncode == 0 and "every partition matches PostgreSQL" in again.stdout, again.stdout + again.stderr
    assert re.search(rf"lake: history 202[0-5]-\d\d-\d\d → {START - timedelta(days=1)}, before", again.stdout)


def test_fintra_run_fails_when_the_lake_cannot_be_written(pg: str, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the lake folder should be")
    lake_url = (blocker / "lake").as_uri()
    run = _fintra(_env(pg, tmp_path / "home", FINTRA_LAKE_URL=lake_url), "run", "--no-models")
    assert run.returncode == 1
    # said once, before any step ran, naming the lake and the setting
    said = " ".join(run.stdout.split())
    assert f"writing to the lake {lake_url} failed (" in said and "FINTRA_LAKE_URL" in said, run.stdout
    assert "lake: " not in run.stdout and "Traceback" not in run.stdout + run.stderr


def test_fintra_run_names_a_bad_date(pg: str, tmp_path: Path) -> None:
    run = _fintra(_env(pg, tmp_path / "home"), "run", "--start", "2026-13-01")
    assert run.returncode == 2 and "Invalid value for '--start': '2026-13-01' is not a date" in run.stderr
    backwards = _fintra(_env(pg, tmp_path / "home"), "run", "--start", "2026-05-05", "--end", "2026-05-01")
    assert backwards.returncode == 2 and "before --start" in backwards.stderr


class DroppingLake(Lake):
    """Storage that loses the first row of every entries partition it is given."""

    def write_partition(self, dataset: str, partition: str, table: pa.Table):  # type: ignore[no-untyped-def]
        return super().write_partition(dataset, partition, table.slice(1) if dataset == "raw/ledger/entries" else table)


class DroppingLakeResource(LakeResource):
    def lake(self) -> Lake:
        return DroppingLake(self.url or "")


def test_a_failing_check_fails_the_backfill(pg: str, tmp_path: Path) -> None:
    lake = DroppingLakeResource(url=(tmp_path / "lake").as_uri(), pseudonym_key="tests-key-16char")
    with dg.instance_for_test() as instance:
        failures = materialise_all(PostgresResource(url=pg), lake, START, START, models=False, instance=instance)
    assert any("raw/ledger/entries check failed" in f and "rows in the lake" in f for f in failures), failures
    assert not any("journal_entries" in f for f in failures)


def test_runs_cover_every_day_with_rows_and_skip_long_gaps() -> None:
    d = date(2024, 1, 1)
    days = [d, d + timedelta(days=3), d + timedelta(days=40), *(d + timedelta(days=100 + i) for i in range(30))]
    plan = plan_windows(days, max_gap=14, max_len=20)
    assert plan == [
        (d, d + timedelta(days=3)),
        (d + timedelta(days=40), d + timedelta(days=40)),
        (d + timedelta(days=100), d + timedelta(days=119)),
        (d + timedelta(days=120), d + timedelta(days=129)),
    ]
    assert all(any(a <= day <= b for a, b in plan) for day in days)
    assert all(b[0] > a[1] for a, b in itertools.pairwise(plan))
    assert plan_windows([]) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SCHEDULES = (
    "{ repositoriesOrError { ... on RepositoryConnection { nodes { schedules { name scheduleState { status } } } } } }"
)


def test_fintra_ui_serves_the_code_location(pg: str, tmp_path: Path) -> None:
    port = _free_port()
    query = {"query": "{ assetNodes { assetKey { path } } }"}
    started: list[psutil.Process] = []
    with subprocess.Popen(
        [FINTRA, "ui", "--port", str(port)],
        env=_env(pg, tmp_path / "home"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as ui:
        try:
            keys: set[str] = set()
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and "raw/ledger/entries" not in keys:
                time.sleep(1)
                try:
                    nodes = httpx.post(f"http://127.0.0.1:{port}/graphql", json=query, timeout=10).json()["data"]
                    keys = {"/".join(n["assetKey"]["path"]) for n in nodes["assetNodes"]}
                except (httpx.HTTPError, ValueError, KeyError, TypeError):
                    continue
            assert {"raw/ledger/entries", "raw/ledger/event_store"} <= keys
            # every schedule is on in a fresh instance: reports every day at 02:00 happen
            schedules = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": SCHEDULES}, timeout=10).json()
            states = {
                s["name"]: s["scheduleState"]["status"]
                for node in schedules["data"]["repositoriesOrError"]["nodes"]
                for s in node["schedules"]
            }
            assert states and set(states.values()) == {"RUNNING"}, states
            started = psutil.Process(ui.pid).children(recursive=True)
            assert started  # dagster dev, its webserver, daemon and code server
        finally:
            ui.send_signal(signal.SIGTERM)
            ui.wait(timeout=60)
    # SIGTERM (as a service manager stops it) leaves none of the processes it started
    _, alive = psutil.wait_procs(started, timeout=30)
    assert not alive, alive
