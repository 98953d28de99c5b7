"""Lake extraction throughput for the entries table.

    python -m bench.extract [--entries 1000000] [--repeat 3]

Uses the database `fintra_bench_extract` on the configured server, simulating into it first when it
holds fewer than `--entries` entries (about 3.5 minutes for a million). Then, alternating in the same
process, `--repeat` times each:
  reference  `COPY (SELECT * FROM ledger.entries) TO STDOUT (FORMAT binary)` into /dev/null (psycopg;
             a partitioned table only COPYs through a query);
  lake       `extract_range` of every day of entries into zstd Parquet in a fresh local lake, with exact
             types (decimal128(38,18), timestamp[us, UTC]) and the atomic partition swaps.
Prints one JSON object with the best run of each, rows/s, and the ratio (target >= 0.5); also the
simulated period alone (dense days; the whole table adds ~1,100 one-row days of opening deposits, each
a partition of its own, which is what a daily run never pays).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import psycopg

from bench.datasets import START, entries, prepared_ledger
from fintra.lake import Lake
from pipelines.extract import extract_range

DATABASE = "fintra_bench_extract"


def _reference(url: str) -> float:
    started = time.perf_counter()
    with (
        psycopg.connect(url) as conn,
        conn.cursor() as cur,
        Path("/dev/null").open("wb") as sink,
        cur.copy("COPY (SELECT * FROM ledger.entries) TO STDOUT (FORMAT binary)") as copy,
    ):
        for block in copy:
            sink.write(block)
    return time.perf_counter() - started


def _lake(url: str, root: Path, first: date, last: date) -> tuple[float, int]:
    """Extract into a new lake under `root`. The lakes are removed only after the last run: on this
    ext4 (no journal), inodes deleted in the last ~30 s are skipped one by one when a new one is
    allocated, so removing a run's ~2,400 files and folders made the next run's creations cost
    ~3x as much kernel time, a cost of the harness, not of extraction."""
    lake = Path(tempfile.mkdtemp(prefix="lake-", dir=root))
    started = time.perf_counter()
    writes = extract_range(url, Lake(lake.as_uri()), "entries", first, last, pseudonym_key=b"bench-pseudonym-key-0001")
    return time.perf_counter() - started, sum(w.bytes for w in writes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    url = prepared_ledger(DATABASE, args.entries)
    rows = entries(url)
    with psycopg.connect(url) as conn:
        first, last = conn.execute(
            "SELECT min(effective_at AT TIME ZONE 'UTC')::date, max(effective_at AT TIME ZONE 'UTC')::date"
            " FROM ledger.entries"
        ).fetchone()
    with psycopg.connect(url) as conn:
        dense_rows = int(
            conn.execute("SELECT count(*) FROM ledger.entries WHERE effective_at >= %s", (START,)).fetchone()[0]
        )
    reference, lake, dense, size = [], [], [], 0
    root = Path(tempfile.mkdtemp(prefix="fintra-bench-lakes-"))
    try:
        for _ in range(args.repeat):
            reference.append(_reference(url))
            seconds, size = _lake(url, root, first, last)
            lake.append(seconds)
            dense.append(_lake(url, root, START, last)[0])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    best_ref, best_lake, best_dense = min(reference), min(lake), min(dense)
    print(
        json.dumps(
            {
                "benchmark": "extract",
                "rows": rows,
                "reference_copy_binary_s": round(best_ref, 2),
                "reference_rows_per_s": round(rows / best_ref),
                "lake_s": round(best_lake, 2),
                "lake_runs_s": [round(s, 2) for s in lake],
                "lake_rows_per_s": round(rows / best_lake),
                "lake_parquet_mb": round(size / 2**20, 1),
                "ratio": round(best_ref / best_lake, 3),
                "simulated_period_rows": dense_rows,
                "simulated_period_runs_s": [round(s, 2) for s in dense],
                "simulated_period_lake_rows_per_s": round(dense_rows / best_dense),
                "simulated_period_ratio": round((dense_rows / best_dense) / (rows / best_ref), 3),
                "target": "ratio >= 0.5",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
