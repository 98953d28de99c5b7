"""The ledger's quiet history: the days before its activity became dense, extracted as one run.

A Dagster run over daily partitions records a planned and a done materialisation per partition per
asset (tens of milliseconds of bookkeeping each), whatever the partition holds. A ledger's early days
can hold a handful of rows apiece, spread over years (the simulator's customers were onboarded years
before its first simulated day; a young bank grows the same way), and then the bookkeeping costs a
hundred times the extraction. So the days before the first *dense* day of the range are extracted and
checked by one unpartitioned asset, `raw/ledger/history`, into the same `date=` partitions the daily
assets write (every reader sees one layout), and only the days from the dense one on are Dagster's
daily partitions.

A day is dense when its entries reach `DENSE_SHARE` of the busiest day's in the range (and at least
`DENSE_MIN_ROWS`): for a ledger whose days are alike, that is its first day, and there is no history.
"""

from __future__ import annotations

from datetime import date, timedelta

import adbc_driver_postgresql.dbapi as adbc
import psycopg

from pipelines.extract import TABLES, day_counts

DENSE_SHARE = 0.05  # of the busiest day's entries
DENSE_MIN_ROWS = 25
# The daily tables the history covers (all of them share its end: one day splits the lake)
HISTORY_TABLES = ("journal_entries", "entries", "holds", "ticks")

Window = tuple[date, date]


def data_range(url: str) -> Window | None:
    """First and last business day with ledger activity or prices."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT least(min(first_day), max(first_day)), greatest(max(last_day), min(last_day)) FROM ("
            " SELECT min(effective_at AT TIME ZONE 'UTC')::date AS first_day,"
            "        max(effective_at AT TIME ZONE 'UTC')::date AS last_day FROM ledger.journal_entries"
            " UNION ALL SELECT min(ts AT TIME ZONE 'UTC')::date, max(ts AT TIME ZONE 'UTC')::date FROM ledger.ticks"
            " UNION ALL SELECT min(effective_at AT TIME ZONE 'UTC')::date, max(effective_at AT TIME ZONE 'UTC')::date"
            " FROM ledger.holds) AS spans"
        ).fetchone()
    return None if row is None or row[0] is None else (row[0], row[1])


def first_dense_day(counts: dict[date, int]) -> date | None:
    """The first day whose rows reach DENSE_SHARE of the busiest day's (and DENSE_MIN_ROWS)."""
    if not counts:
        return None
    floor = max(DENSE_MIN_ROWS, DENSE_SHARE * max(counts.values()))
    return next((day for day in sorted(counts) if counts[day] >= floor), None)


def entry_days(pg_url: str) -> dict[date, int]:
    """Entries per business day over the ledger's whole span (empty for an empty ledger)."""
    span = data_range(pg_url)
    if span is None:
        return {}
    with adbc.connect(pg_url) as conn:
        return day_counts(conn, TABLES["entries"], *span)


def history_window(
    pg_url: str,
    first: date,
    last: date,
    counts: dict[date, int] | None = None,
    partitions_start: date | None = None,
) -> Window | None:
    """The days of [first, last] before the ledger's first dense day, or None when there are none. The
    dense day is judged over all the ledger's entries (`counts`: `entry_days`, read here when not given), so
    a run over part of the range splits where a run over all of it does; a ledger without entries has no
    history, one without a dense day is all history. With `partitions_start` (the first day of the partition
    set a run loaded), the days before it are history too: the dense day may have moved earlier since the
    set was loaded, and those days are not partitions of it."""
    counts = entry_days(pg_url) if counts is None else counts
    dense = first_dense_day(counts) if counts else first  # an empty ledger has nothing quiet
    end = last if dense is None else min(last, dense - timedelta(days=1))
    if partitions_start is not None and first < partitions_start:
        end = max(end, min(last, partitions_start - timedelta(days=1)))
    return (first, end) if first <= end else None
