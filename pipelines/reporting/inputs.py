"""What a report for a business day was computed from, fingerprinted so a regeneration can tell whether
anything it depends on changed: per ledger table the rows whose business time falls on or before the
day, the highest event sequence that occurred by the day's end, and the thresholds in force. Later days
do not change them; a back-dated posting into the day (or before it) does."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

from pipelines.extract import day_bounds
from pipelines.transform import project_fingerprint

# The business time of each table reports can depend on.
TIME_COLUMNS = {"journal_entries": "effective_at", "entries": "effective_at", "holds": "effective_at", "ticks": "ts"}
REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class ReportInputs:
    rows_through_day: dict[str, int]  # ledger.<table> -> rows with business time <= the day's end
    event_seq_through_day: int  # max ledger.event_store.seq that occurred by the day's end (0: none)
    thresholds: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ledger_rows_through_day": {f"ledger.{t}": n for t, n in sorted(self.rows_through_day.items())},
            "max_event_seq_through_day": self.event_seq_through_day,
            "thresholds": dict(sorted(self.thresholds.items())),
        }


def inputs_by_day(
    conn: psycopg.Connection, tables: tuple[str, ...], days: list[date], *, thresholds: bool
) -> dict[date, ReportInputs]:
    """The inputs of every day in `days` (one grouped query per table, running totals in Python)."""
    end = day_bounds(max(days))[1]
    counts = {
        table: _running(conn, TIME_COLUMNS[table], f"ledger.{table}", "count(*)", end, days, sum)
        for table in tables
        if table in TIME_COLUMNS
    }
    seqs = _running(conn, "occurred_at", "ledger.event_store", "max(seq)", end, days, max)
    used = (
        dict(conn.execute("SELECT parameter, value FROM analytics.dim_alert_thresholds").fetchall())
        if thresholds
        else {}
    )
    return {day: ReportInputs({t: counts[t][day] for t in counts}, seqs[day], used) for day in days}


def _running(
    conn: psycopg.Connection, column: str, table: str, aggregate: str, end: Any, days: list[date], combine: Any
) -> dict[date, int]:
    query = (
        f"SELECT ({column} AT TIME ZONE 'UTC')::date AS day, {aggregate} FROM {table}"  # noqa: S608 - names from this module
        f" WHERE {column} < %s GROUP BY 1 ORDER BY 1"
    )
    per_day = conn.execute(query, (end,)).fetchall()
    result: dict[date, int] = {}
    total, i = 0, 0
    for day in sorted(days):
        while i < len(per_day) and per_day[i][0] <= day:
            total = combine((total, int(per_day[i][1])))
            i += 1
        result[day] = total
    return result


def code_version() -> dict[str, str]:
    """The git commit of this checkout (with `-dirty` when it has uncommitted changes, `unknown` outside a
    git checkout) and the SHA-256 of the dbt project's files that define the marts."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPOSITORY, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPOSITORY, capture_output=True, text=True
        ).stdout.strip()
        commit += "-dirty" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {"git_commit": commit, "dbt_project_sha256": project_fingerprint()}
