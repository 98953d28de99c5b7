"""Issuing the daily reports: every report for each of the last `--days` days of a simulated ledger, into
a fresh lake folder.

    python -m bench.reports [--entries 200000] [--days 30]

Uses its own ledger (database `fintra_bench_reports`, simulated and its marts built first when missing).
Prints one JSON object: wall time per report-day overall, and of its PDF summary alone (the PDFs
rendered again from the issued rows), per report.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from datetime import timedelta

import psycopg
import pyarrow.parquet as pq

from bench.datasets import prepared_ledger
from fintra.lake import Lake
from fintra.reports import read_manifest, version_folder
from pipelines.reporting.catalog import REPORTS
from pipelines.reporting.issue import issue_range
from pipelines.reporting.pdf import summary_pdf
from pipelines.transform import BUILD, SCHEMA, run_dbt

DATABASE = "fintra_bench_reports"
KEY = b"bench-reports-pseudonym-key"


def _marts(url: str) -> None:
    with psycopg.connect(url) as conn:
        built = all(
            conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.{mart}",)).fetchone()[0]
            for spec in REPORTS.values()
            for mart in spec.marts
        )
    if not built:
        print("building the marts ...", flush=True)
        result = run_dbt(BUILD, url, capture=True)
        if result.returncode != 0:
            raise SystemExit(f"dbt build failed:\n{result.stdout[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()

    url = prepared_ledger(DATABASE, args.entries)
    _marts(url)
    with psycopg.connect(url) as conn:
        last = conn.execute("SELECT max(effective_at)::date FROM ledger.journal_entries").fetchone()[0]
    days = [last - timedelta(days=n) for n in range(args.days)][::-1]
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        lake = Lake(f"file://{folder}")
        for spec in REPORTS.values():
            started = time.perf_counter()
            issued, refused = issue_range(url, lake, spec, days, pseudonym_key=KEY)
            elapsed = time.perf_counter() - started
            assert not refused and len(issued) == len(days)
            pdf = 0.0
            for day in days:
                manifest = read_manifest(lake, spec.name, day, 1)
                data = lake.get_file(version_folder(spec.name, day, 1), "report.parquet") or b""
                table = pq.read_table(io.BytesIO(data)).drop(["report_date", "report_version"])
                started = time.perf_counter()
                summary_pdf(spec, day, 1, table, manifest)
                pdf += time.perf_counter() - started
            figures[spec.name] = {
                "rows": sum(i.rows for i in issued),
                "ms_per_report_day": round(1000 * elapsed / len(days), 1),
                "pdf_ms_per_report_day": round(1000 * pdf / len(days), 1),
            }
    total = sum(f["ms_per_report_day"] for f in figures.values()) / len(figures)
    print(json.dumps({"days": len(days), "ms_per_report_day": round(total, 1), "reports": figures}, indent=2))


if __name__ == "__main__":
    main()
