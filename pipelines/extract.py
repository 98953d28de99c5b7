"""Extraction of ledger tables into the lake's `raw/ledger/<table>/date=YYYY-MM-DD/` partitions.

Set-based: each partition is one query read straight into Arrow through ADBC (PostgreSQL's binary COPY
protocol underneath), cast to the lake's exact types (NUMERIC -> decimal128(38,18), timestamptz ->
timestamp[us, UTC]; no floating point anywhere near money), ordered by the table's key so the same
rows always give the same file. Personal data is replaced by keyed HMAC pseudonyms before it is written.

Daily tables are partitioned by business date (`effective_at`, or `ts` for ticks); reference tables
(accounts, balances, customers, ...) are snapshots partitioned by the date they were taken for.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import adbc_driver_postgresql.dbapi as adbc
import pyarrow as pa

from fintra.lake import Lake, PartitionWrite

MONEY = pa.decimal128(38, 18)
TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    query: str  # parameters: $1 = partition start, $2 = partition end (daily tables only)
    time_column: str | None  # the business time daily partitions are cut on; None for snapshots
    money: tuple[str, ...] = ()
    pii: tuple[str, ...] = ()

    @property
    def daily(self) -> bool:
        return self.time_column is not None

    @property
    def dataset(self) -> str:
        return f"raw/ledger/{self.name}"


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "journal_entries",
            "SELECT journal_id, reference_id, kind, description, metadata::text AS metadata,"
            " encode(content_hash, 'hex') AS content_hash, reverses_journal_id, correlation_id, effective_at,"
            " posted_at FROM ledger.journal_entries WHERE effective_at >= $1 AND effective_at < $2"
            " ORDER BY journal_id",
            "effective_at",
        ),
        TableSpec(
            "entries",
            "SELECT entry_id, journal_id, leg_no, account_id, direction, amount, currency, effective_at"
            " FROM ledger.entries WHERE effective_at >= $1 AND effective_at < $2 ORDER BY entry_id",
            "effective_at",
            money=("amount",),
        ),
        TableSpec(
            "holds",
            "SELECT hold_id, reference_id, from_account_id, to_account_id, currency, amount, status, captured_amount,"
            " capture_journal_id, description, metadata::text AS metadata, correlation_id, effective_at,"
            " expires_at, resolved_at, created_at"
            " FROM ledger.holds WHERE effective_at >= $1 AND effective_at < $2 ORDER BY hold_id",
            "effective_at",
            money=("amount", "captured_amount"),
        ),
        TableSpec(
            "ticks",
            "SELECT symbol, ts, price, volume, source FROM ledger.ticks WHERE ts >= $1 AND ts < $2 ORDER BY symbol, ts",
            "ts",
            money=("price", "volume"),
        ),
        TableSpec(
            "accounts",
            "SELECT account_id, code, name, type, normal_side, currency, allow_negative, is_closed,"
            " metadata::text AS metadata, customer_id, opened_at, closed_at FROM ledger.accounts ORDER BY account_id",
            None,
        ),
        TableSpec(
            "balances",
            "SELECT account_id, currency, normal_side, allow_negative, posted, held, available, version, updated_at"
            " FROM ledger.balances ORDER BY account_id",
            None,
            money=("posted", "held", "available"),
        ),
        TableSpec("currencies", "SELECT code, name, kind, minor_units FROM ledger.currencies ORDER BY code", None),
        TableSpec(
            "customers",
            "SELECT customer_id, external_ref, country, occupation, segment, risk_rating, kyc_status, onboarded_at,"
            " created_at FROM ledger.customers ORDER BY customer_id",
            None,
        ),
        TableSpec(
            "customer_pii",
            "SELECT customer_id, full_name, email, date_of_birth::text AS date_of_birth, city, region"
            " FROM ledger.customer_pii ORDER BY customer_id",
            None,
            pii=("full_name", "email", "date_of_birth"),
        ),
    )
}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def partition_name(day: date) -> str:
    return f"date={day.isoformat()}"


def read_table(pg_url: str, spec: TableSpec, day: date) -> pa.Table:
    """The rows of `spec` for `day` (all rows for a snapshot table), with the lake's exact types."""
    with adbc.connect(pg_url) as conn:
        return _read(conn, spec, day)


def _read(conn: Any, spec: TableSpec, day: date) -> pa.Table:
    with conn.cursor() as cur:
        if spec.daily:
            cur.execute(spec.query, day_bounds(day))
        else:
            cur.execute(spec.query)
        return exact_types(cur.fetch_arrow_table(), spec)


def days_with_rows(conn: Any, spec: TableSpec, first: date, last: date) -> list[date]:
    """The days in [first, last] on which `spec` has rows (one query, not one per day)."""
    assert spec.daily
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT DISTINCT ({spec.time_column} AT TIME ZONE 'UTC')::date FROM ledger.{spec.name}"  # noqa: S608
            f" WHERE {spec.time_column} >= $1 AND {spec.time_column} < $2 ORDER BY 1",
            (day_bounds(first)[0], day_bounds(last)[1]),
        )
        return [row[0] for row in cur.fetchall()]


def exact_types(table: pa.Table, spec: TableSpec) -> pa.Table:
    """Money as decimal128(38,18), times as timestamp[us, UTC], driver metadata dropped."""
    columns = []
    fields = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        arrow_type = column.type
        if isinstance(arrow_type, pa.ExtensionType):  # NUMERIC arrives as text with an opaque extension type
            column = pa.chunked_array([chunk.storage for chunk in column.chunks], type=arrow_type.storage_type)
        if name in spec.money:
            column = column.cast(MONEY)
        elif pa.types.is_timestamp(column.type):
            column = column.cast(TIMESTAMP)
        elif pa.types.is_floating(column.type):
            raise TypeError(f"{spec.name}.{name} came out as floating point; the lake holds exact types only")
        columns.append(column)
        fields.append(pa.field(name, column.type))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def pseudonymise(table: pa.Table, columns: tuple[str, ...], key: bytes) -> pa.Table:
    """Replace each personal-data column by the hex HMAC-SHA256 of its value under `key` (nulls stay null).

    Keyed, so pseudonyms cannot be reversed by hashing guesses without the key, yet equal values still
    join; per value in Python, which is fine for the customer table's size."""
    for name in columns:
        index = table.column_names.index(name)
        values = table.column(name).to_pylist()
        hashed = [None if v is None else hmac.new(key, str(v).encode(), hashlib.sha256).hexdigest() for v in values]
        table = table.set_column(index, name, pa.array(hashed, type=pa.string()))
    return table


def extract(pg_url: str, lake: Lake, table: str, day: date, *, pseudonym_key: bytes) -> PartitionWrite:
    """Write `table`'s partition for `day` into the lake, replacing what was there."""
    return extract_range(pg_url, lake, table, day, day, pseudonym_key=pseudonym_key)[0]


def extract_range(
    pg_url: str,
    lake: Lake,
    table: str,
    first: date,
    last: date,
    *,
    pseudonym_key: bytes,
    on_partition: Callable[[PartitionWrite], None] | None = None,
) -> list[PartitionWrite]:
    """Write the partitions of `table` for every day from `first` to `last` that has rows (a snapshot
    table: one partition, dated `last`), over one connection. Days without rows get no partition; one
    left from an earlier extraction is removed, so the lake keeps matching the source."""
    spec = TABLES[table]
    writes: list[PartitionWrite] = []
    with adbc.connect(pg_url) as conn:
        days = days_with_rows(conn, spec, first, last) if spec.daily else [last]
        for day in days:
            rows = _read(conn, spec, day)
            if spec.pii:
                rows = pseudonymise(rows, spec.pii, pseudonym_key)
            written = lake.write_partition(spec.dataset, partition_name(day), rows)
            writes.append(written)
            if on_partition is not None:
                on_partition(written)
    if spec.daily:
        keep = {partition_name(d) for d in days}
        for partition in lake.partitions(spec.dataset):
            day = date.fromisoformat(partition.removeprefix("date="))
            if first <= day <= last and partition not in keep:
                lake.remove_partition(spec.dataset, partition)
    if not writes:
        writes.append(PartitionWrite(spec.dataset, partition_name(first), 0, 0, ""))
    return writes


def source_totals(pg_url: str, spec: TableSpec, day: date) -> dict[str, Any]:
    """What the partition must hold, computed by PostgreSQL: row count, and per-currency debit and
    credit sums for entries (as exact decimal strings)."""
    where = f" WHERE {spec.time_column} >= $1 AND {spec.time_column} < $2" if spec.daily else ""
    params = day_bounds(day) if spec.daily else None
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM ledger.{spec.name}{where}", params)  # noqa: S608 - names from TABLES
        count = cur.fetchone()[0]
        sums: dict[str, str] = {}
        if spec.name == "entries":
            cur.execute(
                "SELECT currency || ':' || direction, sum(amount)::text FROM ledger.entries"
                " WHERE effective_at >= $1 AND effective_at < $2 GROUP BY 1",
                params,
            )
            sums = {k: v for k, v in cur.fetchall()}
    return {"rows": int(count), "sums": sums}
