"""The dbt project on a simulated ledger, through `fintra dbt build` as a user runs it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import psycopg
import pytest

from fintra.database import create_database
from ledger.simulator.engine import SimulationConfig, simulate
from pipelines.transform import BUILD, profile_yaml

FINTRA = str(Path(sys.executable).with_name("fintra"))


def _build(url: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FINTRA_DATABASE_URL": url, "FINTRA_HOME": str(home)}
    return subprocess.run([FINTRA, "dbt", "build", *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = create_database(pg_server, "t_pipelines_dbt", drop_existing=True)
    simulate(url, SimulationConfig(customers=40, days=3, seed=11))
    result = _build(url, tmp_path_factory.mktemp("home"))
    assert result.returncode == 0, result.stdout[-3000:]
    # `fintra dbt build` runs dbt's unit tests too (the platform's own builds leave them out): the suite's
    # one run of them
    unit_tests = re.search(r"(\d+) unit tests?", result.stdout)
    assert unit_tests and int(unit_tests[1]) >= 20, result.stdout[-3000:]
    return url


def test_the_trial_balance_equals_the_entries_and_balances_every_day(built: str) -> None:
    with psycopg.connect(built) as conn:
        mart = conn.execute(
            "SELECT business_date, currency, total_debits, total_credits FROM analytics.rpt_trial_balance"
        ).fetchall()
        direct = conn.execute(
            "SELECT (effective_at AT TIME ZONE 'UTC')::date, currency,"
            " sum(amount) FILTER (WHERE direction = 'DEBIT'), sum(amount) FILTER (WHERE direction = 'CREDIT')"
            " FROM ledger.entries GROUP BY 1, 2"
        ).fetchall()
    assert sorted(mart) == sorted(direct) and len(mart) > 3
    assert all(debits == credits for _, _, debits, credits in mart)


def test_the_reconciliation_is_empty_on_a_consistent_ledger(built: str) -> None:
    with psycopg.connect(built) as conn:
        assert conn.execute("SELECT count(*) FROM analytics.rpt_balance_reconciliation").fetchone()[0] == 0
        lines = conn.execute("SELECT count(*), sum(signed_amount) FROM analytics.fct_journal_lines").fetchone()
        entries = conn.execute("SELECT count(*) FROM ledger.entries").fetchone()[0]
    assert lines[0] == entries


def test_a_drifted_projection_fails_the_build_and_is_named(pg_server: str, tmp_path: Path) -> None:
    url = create_database(pg_server, "t_pipelines_dbt_drift", drop_existing=True)
    simulate(url, SimulationConfig(customers=10, days=1, seed=12))
    with psycopg.connect(url) as conn:
        account = conn.execute(
            "SELECT b.account_id FROM ledger.balances b JOIN ledger.accounts a USING (account_id)"
            " WHERE a.type = 'EQUITY' ORDER BY 1 LIMIT 1"
        ).fetchone()[0]
        drift = "UPDATE ledger.balances SET posted = posted + 0.000000000000000001 WHERE account_id = %s"
        conn.execute(drift, (account,))
    result = _build(url, tmp_path / "home", *BUILD[1:])
    assert result.returncode == 1
    assert "assert_reconciliation_is_empty" in result.stdout
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT account_id, difference FROM analytics.rpt_balance_reconciliation").fetchall()
    assert rows == [(account, Decimal("0.000000000000000001"))]


def test_the_profile_keeps_the_password_out_of_the_file() -> None:
    profile = profile_yaml("postgresql://fintra:s3cret@db.internal:6543/ledger")
    assert "s3cret" not in profile
    assert 'host: "db.internal"' in profile and "port: 6543" in profile and 'dbname: "ledger"' in profile
    socket = profile_yaml("postgresql://postgres:@/t?host=/tmp/pg")
    assert 'host: "/tmp/pg"' in socket and "port: 5432" in socket


def test_the_dbt_docs_site_is_generated_and_served(built: str, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "FINTRA_DATABASE_URL": built, "FINTRA_HOME": str(tmp_path / "home")}
    with subprocess.Popen(
        [FINTRA, "dbt", "docs", "--serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as docs:
        try:
            deadline, page = time.monotonic() + 240, None
            while time.monotonic() < deadline and page is None:
                time.sleep(1)
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                    page = answer.text if answer.status_code == 200 else None
                except httpx.HTTPError:
                    continue
            assert page and "dbt" in page.lower()
            catalog = httpx.get(f"http://127.0.0.1:{port}/catalog.json", timeout=5).json()
            assert any(node.endswith("rpt_ctr") for node in catalog["nodes"])
            # every column of a report, fact or dimension model, as built, has a description in the docs
            manifest = httpx.get(f"http://127.0.0.1:{port}/manifest.json", timeout=5).json()
            undocumented, marts = [], 0
            for unique_id, node in catalog["nodes"].items():
                name = unique_id.rsplit(".", 1)[-1]
                if not unique_id.startswith("model.") or not name.startswith(("rpt_", "fct_", "dim_")):
                    continue
                marts += 1
                documented = manifest["nodes"][unique_id]["columns"]
                undocumented += [
                    f"{name}.{column}"
                    for column in node["columns"]
                    if not (documented.get(column) or documented.get(column.lower()) or {}).get("description")
                ]
            assert marts >= 20 and undocumented == [], undocumented
        finally:
            docs.send_signal(signal.SIGINT)  # to fintra alone, not its group: it stops the dbt it started
            docs.wait(timeout=60)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
