"""Simulator throughput.

    python -m bench.simulate [--customers 2000] [--days 90] [--seed 42] [--split tune|holdout|holdout2]

Runs the simulator into a fresh database `fintra_bench_sim` on the configured server and prints one
JSON object: wall time, ledger legs (entries) written per second, journal entries and authorisations,
peak resident memory. The issue's targets: the default size (2,000 customers x 90 days, about a million
entries) under 3 minutes; 20,000 customers x 365 days within memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from datetime import date

import psycopg

from fintra.database import create_database, database_url
from fintra.settings import get_settings
from ledger.simulator.engine import SimulationConfig, simulate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 1, 1))
    parser.add_argument("--split", choices=("tune", "holdout", "holdout2"), default="tune")
    args = parser.parse_args()

    url = create_database(database_url(get_settings()), "fintra_bench_sim", drop_existing=True)
    started = time.perf_counter()
    stats = simulate(url, SimulationConfig(args.customers, args.days, args.start, args.seed, scenario_split=args.split))
    elapsed = time.perf_counter() - started
    with psycopg.connect(url) as conn:
        entries = conn.execute("SELECT count(*) FROM ledger.entries").fetchone()[0]
        journals = conn.execute("SELECT count(*) FROM ledger.journal_entries").fetchone()[0]
    print(
        json.dumps(
            {
                "benchmark": "simulate",
                "customers": args.customers,
                "days": args.days,
                "seconds": round(elapsed, 1),
                "entries": entries,
                "entries_per_s": round(entries / elapsed),
                "journal_entries": journals,
                "card_authorisations": stats.holds,
                "refused_by_ledger": dict(stats.rejected),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "target": "default size under 180 s",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
