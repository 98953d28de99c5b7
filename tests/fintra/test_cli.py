"""The `fintra` console script, run as a user would (subprocess, environment variables)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fintra.daemons import alive
from fintra.database import create_database
from fintra.lake import Lake
from fintra.workers import Worker, bus_workers
from ledger import AccountType, Ledger, Leg
from pipelines.event_stream import partitions, read_day
from serving.views import ViewStore
from tests.waiting import wait_for

FINTRA = str(Path(sys.executable).with_name("fintra"))


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FINTRA, *args], env={**os.environ, **env, "COLUMNS": "200"}, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def cli_env(
    pg_server: str, nats_server: str, redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    url = create_database(pg_server, "t_cli", drop_existing=True)
    home = str(tmp_path_factory.mktemp("home"))
    return {"FINTRA_DATABASE_URL": url, "FINTRA_NATS_URL": nats_server, "FINTRA_REDIS_URL": redis_server,
            "FINTRA_HOME": home}  # fmt: skip


def test_migrate_demo_and_inspect(cli_env: dict[str, str]) -> None:
    first = _run(cli_env, "db", "migrate")
    assert first.returncode == 0, first.stderr
    assert "applied ledger 0001_ledger_core" in first.stdout
    assert "up to date" in _run(cli_env, "db", "migrate").stdout

    # the ledger walkthrough only (tests/e2e runs the whole demo)
    demo = _run(cli_env, "demo", "--customers", "0")
    assert demo.returncode == 0, demo.stderr
    assert "post_many: 4 posted" in demo.stdout
    assert "DEMO-CUST-ALICE-EUR" in demo.stdout and "913.7" in demo.stdout
    again = _run(cli_env, "demo", "--customers", "0")
    assert again.returncode == 0 and "4 replayed" in again.stdout  # re-running posts nothing twice

    balance = _run(cli_env, "ledger", "balance", "DEMO-CUST-BOB-USD")
    assert balance.returncode == 0 and "3175.75" in balance.stdout
    historical = _run(cli_env, "ledger", "balance", "DEMO-CUST-BOB-USD", "--as-of", "2026-01-05T12:00:00+00:00")
    assert "3100.5" in historical.stdout
    statement = _run(
        cli_env, "ledger", "statement", "DEMO-CUST-ALICE-USD", "--start", "2026-01-01", "--end", "2026-02-01"
    )
    assert statement.returncode == 0
    assert "demo:salary:alice" in statement.stdout and "closing balance 3121.25 USD" in statement.stdout
    # no dates: the account's last 30 days of activity (the demo's January), not the empty 30 days before now
    recent = _run(cli_env, "ledger", "statement", "DEMO-CUST-ALICE-USD")
    assert recent.returncode == 0 and "closing balance 3121.25 USD" in recent.stdout, recent.stdout
    assert "demo:" in recent.stdout, recent.stdout  # entries shown, not an empty window


def test_relay_once_publishes_pending_events(cli_env: dict[str, str]) -> None:
    _run(cli_env, "db", "migrate")
    demo = _run(cli_env, "demo", "--customers", "0")
    assert "events published to stream FINTRA_EVENTS" in demo.stdout  # the demo relays what it wrote
    assert "events read into the views of" in demo.stdout
    with Ledger(cli_env["FINTRA_DATABASE_URL"]) as ledger:  # then more is written
        ledger.open_account("RELAY-A", "A", AccountType.ASSET, "USD")
        ledger.open_account("RELAY-B", "B", AccountType.LIABILITY, "USD")
        ledger.post("relay-1", [Leg.debit("RELAY-A", "3"), Leg.credit("RELAY-B", "3")])
    first = _run(cli_env, "ledger", "relay", "--once")
    assert first.returncode == 0, first.stderr
    assert "published 4 event(s)" in first.stdout, first.stdout  # two openings, one event per account moved
    assert "published 0 event(s)" in _run(cli_env, "ledger", "relay", "--once").stdout

    # the lake's stream copy: the events the relay just published land in it
    landed = _run(cli_env, "lake", "stream", "--once")
    assert landed.returncode == 0 and "lake stream: 5 messages read" in landed.stdout, landed.stdout + landed.stderr
    lake = Lake(Path(cli_env["FINTRA_HOME"], "lake").as_uri())
    events = [e for day in partitions(lake) for e in read_day(lake, day)["aggregate_id"].to_pylist()]
    assert {"RELAY-A", "RELAY-B"} <= set(events)
    # the views: once, then as a service stopped by SIGTERM
    views = _run(cli_env, "views", "--once")
    assert views.returncode == 0 and "events read" in views.stdout, views.stdout + views.stderr
    store = ViewStore(cli_env["FINTRA_REDIS_URL"])
    found = store.account("RELAY-B")
    store.close()
    assert found is not None and (found.posted, found.available) == ("3", "3"), found
    service = subprocess.Popen(
        [FINTRA, "views"],
        env={**os.environ, **cli_env, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert service.stdout is not None and "views: from JetStream" in service.stdout.readline()  # signals handled
    service.send_signal(signal.SIGTERM)
    out, err = service.communicate(timeout=30)
    assert service.returncode == 0 and "views: 0 events read" in out, out + err


def test_simulate_refuses_bad_arguments(cli_env: dict[str, str]) -> None:
    bad = _run(cli_env, "simulate", "--start", "01/02/2026")
    assert bad.returncode != 0 and "--start" in bad.stderr
    bad = _run(cli_env, "simulate", "--customers", "0")
    assert bad.returncode != 0 and "--customers" in bad.stderr


def test_errors_are_clear_and_exit_non_zero(cli_env: dict[str, str]) -> None:
    _run(cli_env, "db", "migrate")
    missing = _run(cli_env, "ledger", "balance", "NO-SUCH-ACCOUNT")
    assert missing.returncode == 1
    assert "unknown_account" in missing.stdout and "NO-SUCH-ACCOUNT" in missing.stdout
    bad_date = _run(cli_env, "ledger", "statement", "DEMO-CUST-BOB-USD", "--start", "yesterday")
    assert bad_date.returncode == 2 and "Invalid value for '--start': 'yesterday'" in bad_date.stderr


def _posted(store: ViewStore, code: str) -> str | None:
    view = store.account(code)
    return None if view is None else view.posted


def _landed(lake: Lake) -> set[str]:
    return {a for day in partitions(lake) for a in read_day(lake, day)["aggregate_id"].to_pylist()}


def _children(pid: int | None) -> list[int]:
    """The processes `pid` started (a worker under its supervisor)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if pid is not None and path.exists() else []


def test_up_status_down_with_the_embedded_server() -> None:
    # Its own folder under /tmp (pgserver chmods parents; the socket path must stay short).
    home = Path(tempfile.mkdtemp(prefix="fintra-cli-", dir="/tmp"))
    env = {"FINTRA_HOME": str(home), "FINTRA_DATABASE_URL": "", "FINTRA_NATS_URL": "", "FINTRA_REDIS_URL": ""}
    try:
        up = _run(env, "up")
        assert up.returncode == 0, up.stderr
        url = up.stdout.strip().splitlines()[-1]
        assert url.startswith("postgresql://")
        assert "NATS JetStream started at nats://127.0.0.1:" in up.stdout
        assert "read store (Redis) started at redis://127.0.0.1:" in up.stdout
        bus = up.stdout.split("NATS JetStream started at ")[1].split()[0]
        again = _run(env, "up")
        assert "already running" in again.stdout and again.stdout.strip().splitlines()[-1] == url
        assert f"NATS JetStream already running at {bus}" in again.stdout
        status = _run(env, "status")
        assert "running" in status.stdout and url in status.stdout and bus in status.stdout
        # the workers read the ledger's outbox: not started before its schema exists
        early = _run(env, "up", "--workers")
        assert early.returncode == 1 and "run `fintra db migrate`" in early.stdout, early.stdout
        assert "worker relay: stopped" in _run(env, "status").stdout
        # the relay publishes to the embedded bus by default
        assert _run(env, "db", "migrate").returncode == 0
        relayed = _run(env, "ledger", "relay", "--once")
        assert relayed.returncode == 0 and "published" in relayed.stdout, relayed.stderr

        # the bus's workers as background services: what is posted reaches the views and the lake by itself
        with Ledger(url) as ledger:
            ledger.open_account("UP-A", "A", AccountType.ASSET, "USD")
            ledger.open_account("UP-B", "B", AccountType.LIABILITY, "USD")
            ledger.post("up-1", [Leg.debit("UP-A", "5"), Leg.credit("UP-B", "5")])
        started = _run(env, "up", "--workers")
        assert started.returncode == 0 and started.stdout.strip().splitlines()[-1] == url, started.stderr
        for name in ("relay", "views", "lake-stream"):
            assert f"worker {name} started" in started.stdout, started.stdout
        assert "worker relay already running" in _run(env, "up", "--workers").stdout
        redis_url = up.stdout.split("read store (Redis) started at ")[1].split()[0]
        store = ViewStore(redis_url)
        lake = Lake((home / "lake").as_uri())
        try:
            wait_for(lambda: _posted(store, "UP-B") == "5", "the views to show UP-B's 5", seconds=60)
            wait_for(lambda: "UP-B" in _landed(lake), "the lake's stream copy to hold UP-B's events", seconds=60)
            assert "worker views: running" in _run(env, "status").stdout
            # a worker that dies is started again by its supervisor
            views = Worker("views", ["views"], home / "workers")
            child = _children(views.status().pid)
            assert len(child) == 1 and b"views" in Path(f"/proc/{child[0]}/cmdline").read_bytes().split(b"\0")
            exits = views.log_file.read_text().count("exited with status")
            os.kill(child[0], signal.SIGKILL)
            wait_for(
                lambda: views.log_file.read_text().count("exited with status") > exits,
                "the supervisor to see the views worker exit",
                seconds=60,
            )
            with Ledger(url) as ledger:
                ledger.post("up-2", [Leg.debit("UP-A", "2"), Leg.credit("UP-B", "2")])
            wait_for(lambda: _posted(store, "UP-B") == "7", "the restarted views to show UP-B's 7", seconds=60)
        finally:
            store.close()
        running = [p for w in bus_workers(home) if (s := w.status().pid) is not None for p in [s, *_children(s)]]
        assert len(running) == 6, running  # three supervisors, three workers
        down = _run(env, "down").stdout
        for name in ("relay", "views", "lake-stream"):
            assert f"worker {name}: stopped" in down, down
        assert not [p for p in running if alive(p)], "every worker and supervisor is gone"
        assert "NATS JetStream: stopped" in down and "read store (Redis): stopped" in down
        after = _run(env, "status").stdout
        assert "embedded PostgreSQL: stopped" in after and "embedded NATS JetStream: stopped" in after
        assert "embedded read store (Redis): stopped" in after
    finally:
        _run(env, "down")
        shutil.rmtree(home, ignore_errors=True)
