"""Simulated ledgers the benchmarks share: kept between runs in their own database on the configured
server, re-simulated only when missing or too small."""

from __future__ import annotations

from datetime import date

import psycopg

from fintra.database import create_database, database_url
from fintra.settings import get_settings
from ledger.simulator.engine import SimulationConfig, simulate

START = date(2026, 1, 1)
ENTRIES_PER_DAY = 8_900  # for 2,000 customers


def entries(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM ledger.entries").fetchone()[0])


def prepared_ledger(database: str, target_entries: int) -> str:
    """The URL of `database`, holding about `target_entries` entries of 2,000 simulated customers from
    START (simulated first when it holds fewer than 90% of them: ~3.5 minutes per million)."""
    server = database_url(get_settings())
    try:
        url = create_database(server, database, drop_existing=False)
        if entries(url) >= 0.9 * target_entries:  # a simulation lands near, not on, the target
            return url
    except psycopg.Error:
        pass
    url = create_database(server, database, drop_existing=True)
    days = max(7, round(target_entries / ENTRIES_PER_DAY))
    print(f"simulating 2000 customers x {days} days into {database} ...", flush=True)
    simulate(url, SimulationConfig(customers=2000, days=days, start=START, seed=7))
    return url
