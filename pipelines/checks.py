"""What a raw partition must satisfy: the same rows and money as PostgreSQL, and the declared schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import adbc_driver_postgresql.dbapi as adbc
import pyarrow as pa

from fintra.lake import Lake
from pipelines.extract import TABLES, TableSpec, bounded, day_bounds, exact_types, partition_name


def declared_schema(pg_url: str, spec: TableSpec) -> pa.Schema:
    """The schema extraction promises for `spec`: the query's columns under the lake's type rules."""
    source = bounded(spec.query, *day_bounds(date(2000, 1, 1))) if spec.daily else spec.query  # any day: no rows read
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT * FROM ({source}) AS q LIMIT 0")  # noqa: S608 - queries are the module's own
        return exact_types(cur.fetch_arrow_table(), spec).schema


@dataclass(frozen=True, slots=True)
class RangeCheck:
    """The verdict on a range of partitions: its problems (none when it matches PostgreSQL) and the
    source's per-currency debit and credit totals over the range (entries only; "USD:DEBIT" -> sum)."""

    problems: list[str]
    totals: dict[str, Decimal]


def range_problems(pg_url: str, lake: Lake, table: str, first: date, last: date, schema: pa.Schema) -> list[str]:
    """Every problem with `table`'s partitions from `first` to `last` (a snapshot: the one dated `last`)."""
    return check_range(pg_url, lake, table, first, last, schema).problems


def check_range(pg_url: str, lake: Lake, table: str, first: date, last: date, schema: pa.Schema) -> RangeCheck:
    """Compare `table`'s partitions from `first` to `last` with PostgreSQL, set-based: one grouped query
    for the source, each partition read once."""
    spec = TABLES[table]
    counts, sums = _source_by_day(pg_url, spec, first, last)
    present = {p for p in lake.partitions(spec.dataset)}
    problems: list[str] = []
    days = sorted(counts) if spec.daily else [last]
    for day in days:
        partition = partition_name(day)
        if partition not in present:
            problems.append(f"{partition}: missing, source has {counts.get(day, 0)} rows")
            continue
        rows = lake.read_partition(spec.dataset, partition)
        if rows.num_rows != counts.get(day, 0):
            problems.append(f"{partition}: {rows.num_rows} rows in the lake, {counts.get(day, 0)} in PostgreSQL")
        if not rows.schema.equals(schema):
            problems.append(f"{partition}: schema {rows.schema} differs from the declared {schema}")
        if table == "entries" and _lake_sums(rows) != sums.get(day, {}):
            problems.append(f"{partition}: per-currency sums differ from PostgreSQL")
    if spec.daily:
        for partition in present:
            day = date.fromisoformat(partition.removeprefix("date="))
            if first <= day <= last and day not in counts:
                problems.append(f"{partition}: in the lake, but PostgreSQL has no rows that day")
    totals: dict[str, Decimal] = {}
    for day_sums in sums.values():
        for key, amount in day_sums.items():
            totals[key] = totals.get(key, Decimal(0)) + amount
    return RangeCheck(problems, dict(sorted(totals.items())))


def _source_by_day(
    pg_url: str, spec: TableSpec, first: date, last: date
) -> tuple[dict[date, int], dict[date, dict[str, Decimal]]]:
    counts: dict[date, int] = {}
    sums: dict[date, dict[str, Decimal]] = {}
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        if not spec.daily:
            cur.execute(f"SELECT count(*) FROM ledger.{spec.name}")  # noqa: S608 - names from TABLES
            return {last: int(cur.fetchone()[0])}, {}
        day = f"({spec.time_column} AT TIME ZONE 'UTC')::date"
        bounds = (day_bounds(first)[0], day_bounds(last)[1])
        where = f" WHERE {spec.time_column} >= $1 AND {spec.time_column} < $2"
        cur.execute(f"SELECT {day}, count(*) FROM ledger.{spec.name}{where} GROUP BY 1", bounds)  # noqa: S608
        counts = {d: int(n) for d, n in cur.fetchall()}
        if spec.name == "entries":
            cur.execute(
                f"SELECT {day}, currency || ':' || direction, sum(amount)::text FROM ledger.entries{where}"  # noqa: S608
                " GROUP BY 1, 2",
                bounds,
            )
            for d, key, total in cur.fetchall():
                sums.setdefault(d, {})[key] = Decimal(total)
    return counts, sums


def _lake_sums(rows: pa.Table) -> dict[str, Decimal]:
    grouped = rows.group_by(["currency", "direction"]).aggregate([("amount", "sum")])
    return {
        f"{c}:{d}": s
        for c, d, s in zip(
            grouped["currency"].to_pylist(),
            grouped["direction"].to_pylist(),
            grouped["amount_sum"].to_pylist(),
            strict=True,
        )
    }
