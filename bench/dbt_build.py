"""`dbt build` of the whole project (every model, seed, data test and unit test) on about a million entries.

    python -m bench.dbt_build [--entries 1000000] [--repeat 2]

Uses the ledger of `bench.extract` (database `fintra_bench_extract`, simulated first when missing). Each
repeat drops the `analytics` schema and builds from scratch; then one more build runs on the built
schema, where fct_daily_balances is incremental. Prints one JSON object: the best full and the
incremental wall time (target: full build under 60 s), and the slowest models of the last full build.
"""

from __future__ import annotations

import argparse
import json
import time

import psycopg

from bench.datasets import entries, prepared_ledger
from pipelines.transform import BUILD, SCHEMA, dbt_home, run_dbt

DATABASE = "fintra_bench_extract"


def _build(url: str) -> float:
    started = time.perf_counter()
    result = run_dbt(BUILD, url, capture=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{result.stdout[-3000:]}")
    return elapsed


def _slowest(url: str, count: int = 6) -> dict[str, float]:
    results = json.loads((dbt_home(url) / "target" / "run_results.json").read_text())
    timings = sorted(((r["unique_id"], r["execution_time"]) for r in results["results"]), key=lambda t: -t[1])
    return {unique_id.split(".")[-1]: round(seconds, 2) for unique_id, seconds in timings[:count]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    url = prepared_ledger(DATABASE, args.entries)
    full = []
    for _ in range(args.repeat):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        full.append(_build(url))
    slowest = _slowest(url)
    incremental = _build(url)
    with psycopg.connect(url) as conn:
        daily = conn.execute(f"SELECT count(*) FROM {SCHEMA}.fct_daily_balances").fetchone()[0]  # noqa: S608
    print(
        json.dumps(
            {
                "benchmark": "dbt_build",
                "entries": entries(url),
                "daily_balance_rows": daily,
                "full_build_s": round(min(full), 1),
                "incremental_build_s": round(incremental, 1),
                "slowest_models_s": slowest,
                "target": "full build < 60 s",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
