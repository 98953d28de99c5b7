"""The event store in the lake, extracted incrementally by its sequence watermark.

`ledger.event_store.seq` is commit-ordered (writers hold an advisory lock from append to commit), so
once a reader has seen seq N no event with a smaller seq can still appear: "everything up to the highest
seq visible now" is a safe, gap-free cut. Each run reads the events after the lake's watermark up to
that cut, set-based and ordered by (day, seq), and rewrites only the days they fall on (`occurred_at`,
UTC), one atomic partition swap per day. The watermark file is written last: a run killed part-way
leaves the old watermark, and the next run drops whatever the killed run had added beyond it before
merging, so no event is lost or duplicated and a partition always holds its day's events in seq order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import adbc_driver_postgresql.dbapi as adbc
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from fintra.lake import Lake, PartitionWrite
from pipelines.extract import TIMESTAMP, partition_name

DATASET = "raw/ledger/event_store"
WATERMARK_FILE = "_watermark.json"
QUERY = (
    "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, seq, event_id::text AS event_id, aggregate_type,"
    " aggregate_id, version, event_type, schema_version, payload::text AS payload, correlation_id, causation_id,"
    " occurred_at, recorded_at FROM ledger.event_store WHERE seq > $1 AND seq <= $2 ORDER BY 1, seq"
)
SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("event_id", pa.string()),
        ("aggregate_type", pa.string()),
        ("aggregate_id", pa.string()),
        ("version", pa.int64()),
        ("event_type", pa.string()),
        ("schema_version", pa.int16()),
        ("payload", pa.string()),
        ("correlation_id", pa.string()),
        ("causation_id", pa.string()),
        ("occurred_at", TIMESTAMP),
        ("recorded_at", TIMESTAMP),
    ]
)


@dataclass(frozen=True, slots=True)
class EventsWrite:
    """What one incremental run did: the watermark before and after, and the partitions rewritten."""

    previous: int
    watermark: int
    events: int
    partitions: list[PartitionWrite]


def read_watermark(lake: Lake) -> int:
    """The highest seq the lake holds completely (0 before the first run)."""
    raw = lake.get_file(DATASET, WATERMARK_FILE)
    return 0 if raw is None else int(json.loads(raw)["seq"])


def extract_events(
    pg_url: str, lake: Lake, *, on_partition: Callable[[PartitionWrite], None] | None = None
) -> EventsWrite:
    """Append every event committed since the lake's watermark; returns what was written."""
    previous = read_watermark(lake)
    written: list[PartitionWrite] = []
    events = 0
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(seq), 0) FROM ledger.event_store")
        cut = int(cur.fetchone()[0])
        if cut > previous:
            # the bounds written in: with bound parameters the ADBC driver runs the statement twice
            cur.execute(QUERY.replace("$1", str(int(previous))).replace("$2", str(int(cut))))
            for day, rows in _by_day(cur.fetch_record_batch()):
                partition = partition_name(day)
                merged = pa.concat_tables([_kept(lake, partition, previous), rows])
                written.append(lake.write_partition(DATASET, partition, merged))
                events += rows.num_rows
                if on_partition is not None:
                    on_partition(written[-1])
    if cut > previous:
        lake.put_file(DATASET, WATERMARK_FILE, json.dumps({"seq": cut}).encode())
    return EventsWrite(previous, max(cut, previous), events, written)


def _by_day(reader: pa.RecordBatchReader) -> Iterator[tuple[object, pa.Table]]:
    """Group a stream ordered by day into one table per day, holding one day in memory at a time."""
    pending: list[pa.Table] = []
    current = None
    for batch in reader:
        table = pa.Table.from_batches([batch])
        days = table["day"]
        for day in pc.unique(days).to_pylist():
            part = table.filter(pc.equal(days, pa.scalar(day, days.type)))
            if current is not None and day != current:
                yield current, _typed(pa.concat_tables(pending))
                pending = []
            current = day
            pending.append(part)
    if pending:
        yield current, _typed(pa.concat_tables(pending))


def _typed(rows: pa.Table) -> pa.Table:
    return rows.drop_columns(["day"]).cast(SCHEMA)


def _kept(lake: Lake, partition: str, watermark: int) -> pa.Table:
    """The rows a partition already holds up to `watermark` (dropping what a killed run left beyond it)."""
    if partition not in lake.partitions(DATASET):
        return SCHEMA.empty_table()
    rows = lake.read_partition(DATASET, partition)
    return rows.filter(pc.less_equal(rows["seq"], watermark)).cast(SCHEMA)


def event_problems(pg_url: str, lake: Lake) -> list[str]:
    """Differences between the lake's event store and PostgreSQL up to the lake's watermark: events per
    day, duplicate or missing seqs, and the declared schema."""
    watermark = read_watermark(lake)
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT (occurred_at AT TIME ZONE 'UTC')::date, count(*) FROM ledger.event_store WHERE seq <= $1"
            " GROUP BY 1",
            (watermark,),
        )
        source = {partition_name(d): int(n) for d, n in cur.fetchall()}
    problems: list[str] = []
    present = lake.partitions(DATASET)
    for partition in sorted(set(source) - set(present)):
        problems.append(f"{partition}: missing, source has {source[partition]} events")
    if not present:
        return problems
    frame = lake.scan(DATASET)
    found = frame.collect_schema()
    for name, dtype in pl.from_arrow(SCHEMA.empty_table()).schema.items():
        if found.get(name) != dtype:
            problems.append(f"column {name}: expected {dtype}, found {found.get(name)}")
    stats = frame.group_by("date").agg(
        pl.len().alias("rows"), pl.col("seq").n_unique().alias("distinct"), pl.col("seq").max().alias("top")
    )
    for date_value, rows, distinct, top in stats.collect().iter_rows():
        partition = f"date={date_value}"  # the Hive key comes back as a date or a string
        if rows != source.get(partition, 0):
            problems.append(f"{partition}: {rows} events in the lake, {source.get(partition, 0)} in PostgreSQL")
        if distinct != rows:
            problems.append(f"{partition}: {rows - distinct} duplicate seqs")
        if top > watermark:
            problems.append(f"{partition}: seq {top} is beyond the watermark {watermark}")
    return problems
