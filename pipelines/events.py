"""The event store in the lake, extracted incrementally by a commit-safe watermark.

Writers do not serialise on a lock, so `seq` alone is not a safe cut: a transaction may commit an event
with a lower seq after a higher one was read. Each event records its writing transaction (`txid`,
ledger migration 0012), and every transaction older than the oldest one still running has ended; so the
events below that bound, in (txid, seq) order, are final. Each run takes the highest (txid, seq) below it
as its cut, reads the events after the lake's watermark up to the cut, set-based and ordered by
(day, txid, seq), and rewrites only the days they fall on (`occurred_at`, UTC), one atomic partition
swap per day. The watermark file is written last: a run killed part-way leaves the old watermark, and
the next run drops whatever the killed run had added beyond it before merging, so no event is lost or
duplicated.
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
from ledger.events import Position
from pipelines.extract import TIMESTAMP, partition_name

DATASET = "raw/ledger/event_store"
WATERMARK_FILE = "_watermark.json"
LEGACY_TXID = 1  # the txid of events written before ledger migration 0012
# The highest position whose transaction, and every older one, has ended: nothing can commit below it.
CUT = (
    "SELECT txid::text::bigint, seq FROM ledger.event_store WHERE txid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY txid DESC, seq DESC LIMIT 1"
)
QUERY = (
    "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, seq, event_id::text AS event_id, aggregate_type,"
    " aggregate_id, version, event_type, schema_version, payload::text AS payload, correlation_id, causation_id,"
    " occurred_at, recorded_at, txid::text::bigint AS txid FROM ledger.event_store"
    " WHERE (txid, seq) > ('{after_txid}'::xid8, {after_seq}) AND (txid, seq) <= ('{cut_txid}'::xid8, {cut_seq})"
    " ORDER BY 1, txid, seq"
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
        ("txid", pa.int64()),
    ]
)


@dataclass(frozen=True, slots=True)
class EventsWrite:
    """What one incremental run did: the watermark before and after, and the partitions rewritten."""

    previous: Position
    watermark: Position
    events: int
    partitions: list[PartitionWrite]


def read_watermark(lake: Lake) -> Position:
    """The position up to which the lake holds every event (Position() before the first run). A watermark
    written before events carried their transaction ({"seq": n}) is (1, n): those events have txid 1."""
    raw = lake.get_file(DATASET, WATERMARK_FILE)
    if raw is None:
        return Position()
    mark = json.loads(raw)
    return Position(int(mark.get("txid", LEGACY_TXID)), int(mark["seq"]))


def extract_events(
    pg_url: str, lake: Lake, *, on_partition: Callable[[PartitionWrite], None] | None = None
) -> EventsWrite:
    """Append every event committed since the lake's watermark; returns what was written."""
    _upgrade_legacy(lake)
    previous = read_watermark(lake)
    written: list[PartitionWrite] = []
    events = 0
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute(CUT)
        row = cur.fetchone()
        cut = Position(int(row[0]), int(row[1])) if row is not None else previous
        if cut > previous:
            # the bounds written in: with bound parameters the ADBC driver runs the statement twice
            cur.execute(
                QUERY.format(after_txid=previous.txid, after_seq=previous.seq, cut_txid=cut.txid, cut_seq=cut.seq)
            )
            for day, rows in _by_day(cur.fetch_record_batch()):
                partition = partition_name(day)
                merged = pa.concat_tables([_kept(lake, partition, previous), rows])
                written.append(lake.write_partition(DATASET, partition, merged))
                events += rows.num_rows
                if on_partition is not None:
                    on_partition(written[-1])
    if cut > previous:
        lake.put_file(DATASET, WATERMARK_FILE, json.dumps({"txid": cut.txid, "seq": cut.seq}).encode())
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


def _kept(lake: Lake, partition: str, watermark: Position) -> pa.Table:
    """The rows a partition already holds up to `watermark` (dropping what a killed run left beyond it)."""
    if partition not in lake.partitions(DATASET):
        return SCHEMA.empty_table()
    rows = _with_txid(lake.read_partition(DATASET, partition))
    txid, seq = rows["txid"], rows["seq"]
    upto = pc.or_(
        pc.less(txid, watermark.txid), pc.and_(pc.equal(txid, watermark.txid), pc.less_equal(seq, watermark.seq))
    )
    return rows.filter(upto).select(SCHEMA.names).cast(SCHEMA)


def _upgrade_legacy(lake: Lake) -> None:
    """Once, for a lake extracted before events carried their transaction: add txid to every partition,
    then write the watermark in its new form (partitions first: a run killed between does it again)."""
    raw = lake.get_file(DATASET, WATERMARK_FILE)
    if raw is None or "txid" in json.loads(raw):
        return
    for partition in lake.partitions(DATASET):
        rows = lake.read_partition(DATASET, partition)
        if "txid" not in rows.column_names:
            lake.write_partition(DATASET, partition, _with_txid(rows).select(SCHEMA.names).cast(SCHEMA))
    mark = read_watermark(lake)
    lake.put_file(DATASET, WATERMARK_FILE, json.dumps({"txid": mark.txid, "seq": mark.seq}).encode())


def _with_txid(rows: pa.Table) -> pa.Table:
    """A partition written before events carried their transaction: its events are all of txid 1."""
    if "txid" in rows.column_names:
        return rows
    return rows.append_column("txid", pa.array([LEGACY_TXID] * rows.num_rows, pa.int64()))


def event_problems(pg_url: str, lake: Lake) -> list[str]:
    """Differences between the lake's event store and PostgreSQL up to the lake's watermark: events per
    day, duplicate or missing seqs, and the declared schema."""
    watermark = read_watermark(lake)
    with adbc.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT (occurred_at AT TIME ZONE 'UTC')::date, count(*) FROM ledger.event_store"
            " WHERE (txid, seq) <= ($1::text::xid8, $2) GROUP BY 1",
            (str(watermark.txid), watermark.seq),
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
    if "txid" not in found:
        return problems
    beyond = (pl.col("txid") > watermark.txid) | ((pl.col("txid") == watermark.txid) & (pl.col("seq") > watermark.seq))
    stats = frame.group_by("date").agg(
        pl.len().alias("rows"), pl.col("seq").n_unique().alias("distinct"), beyond.sum().alias("beyond")
    )
    for date_value, rows, distinct, over in stats.collect().iter_rows():
        partition = f"date={date_value}"  # the Hive key comes back as a date or a string
        if rows != source.get(partition, 0):
            problems.append(f"{partition}: {rows} events in the lake, {source.get(partition, 0)} in PostgreSQL")
        if distinct != rows:
            problems.append(f"{partition}: {rows - distinct} duplicate seqs")
        if over:
            problems.append(f"{partition}: {over} events beyond the watermark {watermark.txid}:{watermark.seq}")
    return problems
