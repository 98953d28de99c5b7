"""Events into the lake within seconds of commit, from the event bus; compacted and reconciled by every run
of the batch extraction.

`LakeEventsConsumer` (`fintra lake stream`) is a durable JetStream consumer (`lake-events`, every subject of
the events stream). Each batch (up to `batch` messages, or what arrived within `timeout` seconds) is written
as one Parquet file per day it touches, `raw/stream/event_store/date=YYYY-MM-DD/batch-<first>-<last>.parquet`
(the batch's stream sequences; the day is the event's `occurred_at`, UTC, as in the daily extraction), and
only then acknowledged. A consumer killed between writing and acknowledging gets the batch again: the same
sequences make the same file name, which is kept (`put_new_file` refuses to overwrite it), and a batch cut
differently is absorbed by readers, who keep one row per event id (`read_day`). A message that is not an
event goes to `dlq.lake-events` with the error. The relay's drained marks stamp `_progress.json`: every event
committed before `drained_at` is in the stream lake.

Every run of `raw/ledger/event_store` (`fintra run`, the hourly `raw_events` job) then, one at a time (a
PostgreSQL advisory lock: two compactions of one day could otherwise drop a batch file written between
them),
- compacts each day of the stream lake into one part file, the lake's usual partition (`compact`: the merged
  file replaces the part file first, then the files it merged are removed, so a run killed between leaves
  duplicates that readers absorb, never a gap);
- reconciles it exactly with the batch extraction (`stream_problems`): every event the batch holds from the
  stream lake's first event on is in the stream lake on the same day with the same type and version, unless
  it was published after the consumer's last drained mark (lag, reported, not a failure, unless it was
  published more than `STALE_AFTER` ago: then the consumer is not keeping up, or not running); and every
  event the stream lake holds that the batch does not is beyond the batch's watermark in PostgreSQL.
  Only the days whose files changed since they last reconciled cleanly are read again (`_reconciled.json`
  keeps, per day, the names, sizes and modification times of both lakes' files when it last agreed), so an
  hourly run reads the days that moved, not the whole history.
The payload is kept as the bus carried it (JSON text); the batch keeps PostgreSQL's rendering of the same
JSON, so the reconciliation compares identities, days, types and versions, not the payload's text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import posixpath
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from nats.aio.client import Client
from nats.aio.msg import Msg

from fintra.lake import PART_FILE, Lake
from ledger.durable_consumer import DurableConsumer, dead_letters_subject
from pipelines.events import DATASET as BATCH_DATASET
from pipelines.events import SCHEMA as BATCH_SCHEMA
from pipelines.events import read_watermark
from pipelines.extract import partition_name

DATASET = "raw/stream/event_store"
PROGRESS_FILE = "_progress.json"
RECONCILED_FILE = "_reconciled.json"
STALE_AFTER = timedelta(minutes=15)
"""An event published this long ago and still not in the stream lake fails the check: the lake consumer is
behind by far more than its seconds, or not running."""
DURABLE = "lake-events"
DEAD_LETTERS = dead_letters_subject(DURABLE)  # dlq.lake-events
# The batch's columns but the transaction id (the bus does not carry it), and the stream sequence.
SCHEMA = pa.schema([f for f in BATCH_SCHEMA if f.name != "txid"] + [pa.field("stream_seq", pa.int64())])
_COLUMNS = [f.name for f in SCHEMA]


class PoisonEvent(ValueError):
    """A message on the bus that is not an event the lake can hold."""


def event_row(message: bytes, stream_seq: int) -> dict[str, Any]:
    """The lake row of one bus message (raises PoisonEvent when it is not an event)."""
    try:
        body = json.loads(message)
        row = {
            "seq": _integer(body["seq"], "seq"),
            "event_id": str(uuid.UUID(str(body["event_id"]))),
            "aggregate_type": _text(body["aggregate_type"], "aggregate_type"),
            "aggregate_id": _text(body["aggregate_id"], "aggregate_id"),
            "version": _integer(body["version"], "version"),
            "event_type": _text(body["type"], "type"),
            "schema_version": _integer(body["schema_version"], "schema_version", most=2**15 - 1),
            "payload": json.dumps(body["payload"], separators=(",", ":"), sort_keys=True),
            "correlation_id": _text(body.get("correlation_id"), "correlation_id", optional=True),
            "causation_id": _text(body.get("causation_id"), "causation_id", optional=True),
            "occurred_at": _instant(body["occurred_at"], "occurred_at"),
            "recorded_at": _instant(body["recorded_at"], "recorded_at"),
            "stream_seq": stream_seq,
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PoisonEvent(f"not an event the lake can hold: {exc!r}") from exc
    return row


def _integer(value: object, name: str, *, most: int = 2**63 - 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise ValueError(f"{name}: expected an integer from 0 to {most}, got {value!r}")
    return value


def _text(value: object, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected text, got {value!r}")
    return value


def _instant(value: object, name: str) -> datetime:
    """An ISO time with its offset (one without would be read in this machine's zone: the wrong day)."""
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected an ISO time, got {value!r}")
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError(f"{name}: no time zone in {value!r}")
    return at.astimezone(UTC)


def write_batch(lake: Lake, rows: Sequence[dict[str, Any]]) -> list[str]:
    """One file per day of `rows` (named by the stream sequences it holds); the files written (a file of
    the same name, written before a crash, is kept)."""
    by_day: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_day.setdefault(partition_name(row["occurred_at"].date()), []).append(row)
    written = []
    for partition, day_rows in sorted(by_day.items()):
        table = pa.Table.from_pylist(day_rows, schema=SCHEMA)
        name = f"batch-{day_rows[0]['stream_seq']:012d}-{day_rows[-1]['stream_seq']:012d}.parquet"
        written.append(_put(lake, partition, name, table))
    return [w for w in written if w]


def _put(lake: Lake, partition: str, name: str, table: pa.Table) -> str:
    lake.fs.makedirs(lake.path(DATASET, partition), exist_ok=True)
    encoded = pa.BufferOutputStream()
    pq.write_table(table, encoded, compression="zstd")
    try:
        lake.put_new_file(DATASET, posixpath.join(partition, name), encoded.getvalue().to_pybytes())
    except FileExistsError:
        return ""  # written before a crash, with the same events
    return posixpath.join(partition, name)


def _files(lake: Lake, partition: str) -> list[str]:
    return sorted(lake.fs.glob(posixpath.join(lake.path(DATASET, partition), "*.parquet")))


def partitions(lake: Lake) -> list[str]:
    base = lake.path(DATASET)
    if not lake.fs.exists(base):
        return []
    return sorted(
        {posixpath.basename(posixpath.dirname(p)) for p in lake.fs.glob(posixpath.join(base, "*=*", "*.parquet"))}
    )


def read_day(lake: Lake, partition: str) -> pa.Table:
    """A day of the stream lake, one row per event (the first delivery's)."""
    tables = []
    for path in _files(lake, partition):
        with lake.fs.open(path, "rb") as f:
            tables.append(pq.read_table(f).select(_COLUMNS).cast(SCHEMA))
    if not tables:
        return SCHEMA.empty_table()
    frame = pl.from_arrow(pa.concat_tables(tables))
    assert isinstance(frame, pl.DataFrame)
    return frame.sort("stream_seq").unique("event_id", keep="first", maintain_order=True).to_arrow().cast(SCHEMA)


def compact(lake: Lake) -> int:
    """Each day of the stream lake that holds micro-batch files merged into its one part file (the lake's
    usual partition shape); how many days were compacted."""
    done = 0
    for partition in partitions(lake):
        batches = [p for p in _files(lake, partition) if posixpath.basename(p) != PART_FILE]
        if not batches:
            continue
        encoded = pa.BufferOutputStream()
        pq.write_table(read_day(lake, partition), encoded, compression="zstd")
        # the merged day replaces the part file atomically before the files it merged are removed
        lake.put_file(DATASET, posixpath.join(partition, PART_FILE), encoded.getvalue().to_pybytes())
        for path in batches:
            with contextlib.suppress(FileNotFoundError):  # (another compaction's, if one ran beside it)
                lake.fs.rm(path)
        done += 1
    return done


@dataclass(frozen=True, slots=True)
class Progress:
    drained_at: float | None  # epoch seconds: every event committed before is in the stream lake
    stream_seq: int  # the last stream sequence written


def read_progress(lake: Lake) -> Progress | None:
    raw = lake.get_file(DATASET, PROGRESS_FILE)
    if raw is None:
        return None
    mark = json.loads(raw)
    return Progress(mark.get("drained_at"), int(mark["stream_seq"]))


class LakeEventsConsumer(DurableConsumer):
    """The durable consumer that lands the bus's events in the lake (see the module docstring)."""

    def __init__(self, servers: str, lake: Lake, *, batch: int = 5000, timeout: float = 1.0, **kwargs: Any) -> None:
        super().__init__(servers, durable=DURABLE, subject=">", batch=batch, timeout=timeout, **kwargs)
        self.lake = lake
        self.files = 0  # files written by the current process
        self._progress: Progress | None = None

    async def handle(self, nc: Client, messages: Sequence[Msg]) -> None:
        batch = await self.read_batch(nc, messages, lambda msg: event_row(msg.data, msg.metadata.sequence.stream))
        self.files += len(await asyncio.to_thread(write_batch, self.lake, batch.items))
        if self._progress is None:  # read once: this consumer is the file's only writer
            self._progress = read_progress(self.lake) or Progress(None, 0)
        self._progress = Progress(
            batch.fresh_at if batch.fresh_at is not None else self._progress.drained_at,
            messages[-1].metadata.sequence.stream,
        )
        mark = {"stream_seq": self._progress.stream_seq, "drained_at": self._progress.drained_at}
        self.lake.put_file(DATASET, PROGRESS_FILE, json.dumps(mark).encode())


_SETTLE_LOCK = 0x0B0E_5EED  # advisory lock key: one compaction and reconciliation at a time


def settle(pg_url: str, lake: Lake) -> tuple[int, Reconciliation]:
    """Compact the stream lake and reconcile it with the batch, one run at a time across processes (see the
    module docstring): (days compacted, the reconciliation)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_SETTLE_LOCK,))
        try:
            compacted = compact(lake)
            return compacted, stream_problems(pg_url, lake)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SETTLE_LOCK,))


@dataclass(frozen=True, slots=True)
class Reconciliation:
    problems: list[str]
    compared: int  # events of the batch compared (of the days read) from the stream lake's first on
    lagging: int  # of those, published after the consumer's last drained mark (not yet consumed)
    beyond: int  # events of the stream lake beyond the batch's watermark
    stale: int = 0  # of the lagging, published more than STALE_AFTER ago (a problem)
    days_read: int = 0  # days whose files changed since they last reconciled cleanly
    days_unchanged: int = 0  # days that reconciled cleanly before and have not changed since


def _signatures(lake: Lake, dataset: str, pattern: str) -> dict[str, str | None]:
    """Per day partition of `dataset`, the names, sizes and modification times of its files matching
    `pattern`: what tells a day that changed (None: the store says nothing of when a file changed)."""
    base = lake.path(dataset)
    if not lake.fs.exists(base):
        return {}
    found = lake.fs.glob(posixpath.join(base, "*=*", pattern), detail=True)
    by_day: dict[str, list[str]] = defaultdict(list)
    unmarked: set[str] = set()
    for path, info in found.items():
        day = posixpath.basename(posixpath.dirname(path))
        # when it changed (local files, S3), and the content's tag where the store keeps one (S3's time has
        # whole seconds); a store that gives neither leaves the day to be read by every run
        keys = ("mtime", "LastModified", "ETag", "etag", "md5Hash", "last_modified")
        marks = [str(info[k]) for k in keys if info.get(k)]
        if not marks:
            unmarked.add(day)
        by_day[day].append(f"{posixpath.basename(path)}:{info['size']}:{':'.join(marks)}")
    return {day: None if day in unmarked else "|".join(sorted(files)) for day, files in by_day.items()}


def _read_reconciled(lake: Lake) -> tuple[datetime | None, dict[str, list[str]]]:
    raw = lake.get_file(DATASET, RECONCILED_FILE)
    if raw is None:
        return None, {}
    state = json.loads(raw)
    return datetime.fromisoformat(state["since"]), state["days"]


def _read_days(lake: Lake, days: Sequence[str], *, stream: bool) -> pl.DataFrame:
    """The events of `days` in the stream lake, or in the batch lake: id, type, version, day, recorded_at."""
    columns = ["event_id", "event_type", "version", "occurred_at", "recorded_at"]
    tables = [(read_day(lake, d) if stream else lake.read_partition(BATCH_DATASET, d)).select(columns) for d in days]
    frame = (
        pl.from_arrow(pa.concat_tables(tables))
        if tables
        else pl.DataFrame(
            schema={
                "event_id": pl.String,
                "event_type": pl.String,
                "version": pl.Int64,
                "occurred_at": pl.Datetime("us", "UTC"),
                "recorded_at": pl.Datetime("us", "UTC"),
            }
        )
    )
    assert isinstance(frame, pl.DataFrame)
    return frame.select(
        pl.col("event_id").cast(pl.String),
        "event_type",
        pl.col("version").cast(pl.Int64),
        pl.col("occurred_at").dt.date().alias("day"),
        "recorded_at",
    )


def _elsewhere(lake: Lake, event_ids: Sequence[str], days: Sequence[str], *, stream: bool) -> dict[str, str]:
    """Which of `event_ids` one lake holds on other `days` (not read by this run): event id to day partition.
    Reads those days only when there is something to look for."""
    if not event_ids or not days:
        return {}
    found = _read_days(lake, days, stream=stream).filter(pl.col("event_id").is_in(list(event_ids)))
    return {e: partition_name(d) for e, d in found.select("event_id", "day").iter_rows()}


def _disagreement(event_id: str, lake: str, day: str) -> str:
    return f"event {event_id}: the batch and the stream lake disagree on its day (the {lake} lake has it on {day})"


def stream_problems(pg_url: str, lake: Lake, *, stale_after: timedelta = STALE_AFTER) -> Reconciliation:
    """The stream lake against the batch extraction, over the days that changed (see the module docstring);
    no problems and nothing compared when there is no stream lake (no consumer ever ran)."""
    stream_files = _signatures(lake, DATASET, "*.parquet")
    if not stream_files:
        return Reconciliation([], 0, 0, 0)
    batch_files = _signatures(lake, BATCH_DATASET, PART_FILE)
    since, clean = _read_reconciled(lake)
    signature = {d: [stream_files.get(d, ""), batch_files.get(d, "")] for d in set(stream_files) | set(batch_files)}
    days = sorted(d for d, sig in signature.items() if clean.get(d) != sig or None in sig)
    stream = _read_days(lake, [d for d in days if d in stream_files], stream=True)
    if since is None:  # the first reconciliation: every day of the stream lake is read
        since = stream["recorded_at"].min()
        if not isinstance(since, datetime):  # files without an event yet: nothing to reconcile
            return Reconciliation([], 0, 0, 0)
    batch = _read_days(lake, [d for d in days if d in batch_files], stream=False).filter(pl.col("recorded_at") >= since)
    problems: list[str] = []
    unsettled: set[str] = set()  # days with a problem, lag or events beyond the batch: read again next time
    joined = batch.join(stream, on="event_id", how="left", suffix="_stream")
    differ = joined.filter(
        pl.col("event_type_stream").is_not_null()
        & (
            (pl.col("event_type") != pl.col("event_type_stream"))
            | (pl.col("version") != pl.col("version_stream"))
            | (pl.col("day") != pl.col("day_stream"))
        )
    )
    for row in differ.iter_rows(named=True):
        unsettled.update({partition_name(row["day"]), partition_name(row["day_stream"])})
        if len(problems) < 20:
            problems.append(
                f"event {row['event_id']}: the batch and the stream lake disagree on its type, version or day"
            )
    missing = joined.filter(pl.col("event_type_stream").is_null()).select("event_id", "day")
    unsettled.update(partition_name(d) for d in missing["day"].unique())
    progress = read_progress(lake)
    lagging = stale = 0
    oldest: timedelta | None = None
    lost: list[str] = []  # in the batch, not in the days of the stream lake read, and published before the mark
    with psycopg.connect(pg_url) as conn:
        if missing.height:
            cutoff = datetime.fromtimestamp(progress.drained_at, UTC) if progress and progress.drained_at else None
            outbox = {
                event_id: (in_outbox, published_at, recorded_at, now)
                for event_id, in_outbox, published_at, recorded_at, now in conn.execute(
                    "SELECT e.event_id::text, o.outbox_id IS NOT NULL, o.published_at, e.recorded_at, now()"
                    " FROM ledger.event_store AS e LEFT JOIN ledger.outbox AS o ON o.event_seq = e.seq"
                    " WHERE e.event_id = ANY(%s::uuid[])",
                    (missing["event_id"].to_list(),),
                )
            }
            for event_id in missing["event_id"]:
                in_outbox, published_at, recorded_at, now = outbox.get(event_id, (False, None, None, None))
                # Not consumed yet: the consumer never saw a drained mark, or the event was published after
                # it (its outbox row, or once the relay's retention pruned that, its commit: no later than
                # it was recorded, and a mark covers only what committed before it)
                published = published_at if in_outbox else recorded_at
                if cutoff is None or published is None or published >= cutoff:
                    lagging += 1
                    if published is not None and now - published > stale_after:
                        stale += 1
                        oldest = max(oldest or timedelta(0), timedelta(seconds=int((now - published).total_seconds())))
                else:
                    lost.append(event_id)
        # an event on another day of the stream lake (one this run did not read) is not lost: the lakes disagree
        # on its day (read only when something is wrong, so a clean run still reads the days that changed)
        elsewhere = _elsewhere(lake, lost, [d for d in stream_files if d not in days], stream=True)
        for event_id in lost:
            if len(problems) >= 40:
                break
            if event_id in elsewhere:
                unsettled.add(elsewhere[event_id])
                problems.append(_disagreement(event_id, "stream", elsewhere[event_id]))
            else:
                problems.append(f"event {event_id}: in the batch lake, not in the stream lake (lost on the bus)")
        if stale:
            problems.append(
                f"{stale} events published up to {oldest} ago are not in the stream lake (more than {stale_after}):"
                " the lake consumer (`fintra lake stream`) is not keeping up, or not running"
            )
        extra = stream.join(batch, on="event_id", how="anti").select("event_id", "day")
        unsettled.update(partition_name(d) for d in extra["day"].unique())
        beyond = 0
        if extra.height:
            mark = read_watermark(lake)
            rows = conn.execute(
                "SELECT event_id::text, (txid, seq) > (%s::text::xid8, %s) FROM ledger.event_store"
                " WHERE event_id = ANY(%s::uuid[])",
                (str(mark.txid), mark.seq, extra["event_id"].to_list()),
            ).fetchall()
            found = dict(rows)
            unexplained = [e for e in extra["event_id"] if found.get(e) is not True]
            beyond = extra.height - len(unexplained)
            elsewhere = _elsewhere(lake, unexplained, [d for d in batch_files if d not in days], stream=False)
            for event_id in unexplained[: max(0, 60 - len(problems))]:
                if event_id in elsewhere:
                    unsettled.add(elsewhere[event_id])
                    problems.append(_disagreement(event_id, "batch", elsewhere[event_id]))
                else:
                    where = "not in the ledger" if event_id not in found else "within the batch's watermark"
                    problems.append(f"event {event_id}: in the stream lake, not in the batch lake ({where})")
    settled = {d: signature[d] for d in days if d not in unsettled and None not in signature[d]}
    kept = {d: sig for d, sig in clean.items() if d in signature and d not in days}
    state = {"since": since.isoformat(), "days": kept | settled}
    lake.put_file(DATASET, RECONCILED_FILE, json.dumps(state, sort_keys=True).encode())
    return Reconciliation(problems, batch.height, lagging, beyond, stale, len(days), len(signature) - len(days))
