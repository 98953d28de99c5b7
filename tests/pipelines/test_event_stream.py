"""The lake's near-real-time events, on a real NATS JetStream server and a real ledger: the relay publishes,
`LakeEventsConsumer` lands each batch as one file per day, a consumer killed before acknowledging lands
nothing twice once read or compacted, a poison message goes to `dlq.lake` and the consumer goes on, and
the daily run's compaction and reconciliation with the batch extraction hold (and catch a lost or a
phantom event)."""

from __future__ import annotations

import asyncio
import json
import posixpath
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import nats
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg

from fintra.lake import PART_FILE, Lake
from ledger import AccountType, Ledger, Leg
from ledger.durable_consumer import consumer_figures
from ledger.jetstream import JetStreamSink
from ledger.outbox import OutboxRelay
from pipelines.event_stream import (
    BATCH_DATASET,
    DATASET,
    DEAD_LETTERS,
    DURABLE,
    LakeEventsConsumer,
    PoisonEvent,
    compact,
    event_row,
    partitions,
    read_day,
    read_progress,
    stream_problems,
)
from pipelines.events import extract_events
from pipelines.extract import partition_name
from tests.bus import own_nats_server, own_stream
from tests.waiting import wait_for


@pytest.fixture(scope="module")
def bus() -> Iterator[str]:
    """A NATS server of this module's own (see tests/bus.py)."""
    yield from own_nats_server()


@pytest.fixture
def stream(bus: str) -> Iterator[str]:
    yield from own_stream(bus)


def _accounts(ledger: Ledger, uid: str) -> None:
    ledger.open_account(f"{uid}-CASH", "Cash", AccountType.ASSET, "USD")
    for who in ("A", "B"):
        ledger.open_account(f"{uid}-{who}", who, AccountType.LIABILITY, "USD")


def _activity(ledger: Ledger, uid: str, transfers: int) -> None:
    for i in range(transfers):
        to = f"{uid}-{'AB'[i % 2]}"
        ledger.post(f"{uid}-{uuid.uuid4().hex[:8]}", [Leg.debit(f"{uid}-CASH", "3.10"), Leg.credit(to, "3.10")])


def _relay(db_url: str, bus: str, stream: str) -> None:
    """Publish everything pending, then the drained mark (a new relay marks the stream once it is drained)."""
    with JetStreamSink(bus, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()


def _consume(bus: str, lake: Lake, stream: str, **kwargs: Any) -> int:
    return asyncio.run(LakeEventsConsumer(bus, lake, stream=stream, timeout=0.5, **kwargs).run(once=True))


def _ledger_events(conn: psycopg.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT event_id FROM ledger.event_store")}


def _stream_lake(lake: Lake) -> list[str]:
    return [e for d in partitions(lake) for e in read_day(lake, d)["event_id"].to_pylist()]


def test_events_land_in_the_lake_compact_to_a_file_a_day_and_reconcile_with_the_batch(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, bus: str, stream: str, tmp_path: Path
) -> None:
    lake = Lake(tmp_path.as_uri())
    assert stream_problems(db_url, lake).compared == 0  # no stream lake: nothing to reconcile
    _accounts(ledger, uid)
    _activity(ledger, uid, 6)
    _relay(db_url, bus, stream)
    assert _consume(bus, lake, stream) > 0
    assert sorted(_stream_lake(lake)) == sorted(_ledger_events(conn))
    progress = read_progress(lake)
    assert progress is not None and progress.drained_at is not None
    # a second burst lands as another file of the same day
    _activity(ledger, uid, 4)
    _relay(db_url, bus, stream)
    _consume(bus, lake, stream)
    (day,) = partitions(lake)
    files = sorted(posixpath.basename(p) for p in lake.fs.ls(lake.path(DATASET, day), detail=False))
    assert len(files) == 2 and all(f.startswith("batch-") for f in files)
    extract_events(db_url, lake)
    result = stream_problems(db_url, lake)
    assert result.problems == [] and result.compared == len(_ledger_events(conn)) and result.lagging == 0
    # a day that reconciled is not read again until its files change
    again = stream_problems(db_url, lake)
    assert again.problems == [] and again.compared == 0 and again.days_read == 0 and again.days_unchanged >= 1
    assert compact(lake) == 1
    assert [posixpath.basename(p) for p in lake.fs.ls(lake.path(DATASET, day), detail=False)] == [PART_FILE]
    assert lake.partitions(DATASET) == [day]  # the lake's usual partition shape
    assert sorted(_stream_lake(lake)) == sorted(_ledger_events(conn))
    assert stream_problems(db_url, lake).problems == []
    # events published but not consumed yet are lag, not loss; written after the batch's cut, beyond it
    _activity(ledger, uid, 2)
    _relay(db_url, bus, stream)
    lagging = stream_problems(db_url, lake)
    assert lagging.problems == [] and lagging.beyond == 0
    extract_events(db_url, lake)
    behind = stream_problems(db_url, lake)
    assert behind.problems == [] and behind.lagging > 0
    _activity(ledger, uid, 1)
    _relay(db_url, bus, stream)
    _consume(bus, lake, stream)
    ahead = stream_problems(db_url, lake)
    assert ahead.problems == [] and ahead.beyond > 0 and ahead.lagging == 0


def test_events_published_long_ago_and_still_not_in_the_stream_lake_fail_the_reconciliation(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, bus: str, stream: str, tmp_path: Path
) -> None:
    """A lake consumer that stopped: what it has not consumed is lag for a while, then a problem."""
    lake = Lake(tmp_path.as_uri())
    _accounts(ledger, f"{uid}-s")
    _activity(ledger, f"{uid}-s", 3)
    _relay(db_url, bus, stream)
    _consume(bus, lake, stream)
    _activity(ledger, f"{uid}-s", 2)  # published, never consumed: the consumer is down
    _relay(db_url, bus, stream)
    extract_events(db_url, lake)
    fresh = stream_problems(db_url, lake)
    assert fresh.problems == [] and fresh.lagging > 0 and fresh.stale == 0
    # the bound, shortened to a second: what was published before it and is still missing is a problem
    short = timedelta(seconds=1)
    wait_for(lambda: stream_problems(db_url, lake, stale_after=short).stale == fresh.lagging, "all unconsumed stale")
    late = stream_problems(db_url, lake, stale_after=short)
    assert late.stale == late.lagging > 0
    assert any("not keeping up, or not running" in p for p in late.problems), late.problems
    assert stream_problems(db_url, lake).problems == []  # within the default bound: lag


def test_a_consumer_killed_before_acknowledging_lands_nothing_twice(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, bus: str, stream: str, tmp_path: Path
) -> None:
    class Killed(LakeEventsConsumer):
        async def handle(self, nc: Client, messages: list[Msg]) -> None:  # type: ignore[override]
            await super().handle(nc, messages)
            raise SystemExit("killed after writing, before acknowledging")

    lake = Lake(tmp_path.as_uri())
    before = _ledger_events(conn)  # earlier tests' events, on the bus of their own streams
    _accounts(ledger, f"{uid}-k")
    _activity(ledger, f"{uid}-k", 9)
    _relay(db_url, bus, stream)
    expected = _ledger_events(conn) - before
    with pytest.raises(SystemExit):
        asyncio.run(Killed(bus, lake, stream=stream, timeout=0.5, batch=4, ack_wait=1.0).run(once=True))
    # after the consumer's acknowledgement wait the batch is delivered again, cut differently
    wait_for(
        lambda: _consume(bus, lake, stream, batch=7) >= 0 and sorted(_stream_lake(lake)) == sorted(expected),
        "the killed consumer's batch delivered again",
    )
    assert sum(len(lake.fs.ls(lake.path(DATASET, d), detail=False)) for d in partitions(lake)) > 2
    compact(lake)
    assert sum(lake.read_partition(DATASET, d).num_rows for d in partitions(lake)) == len(expected)
    extract_events(db_url, lake)
    assert stream_problems(db_url, lake).problems == []


def test_a_batch_that_fails_before_it_is_written_comes_again_and_is_not_acknowledged_by_the_next(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, bus: str, stream: str, tmp_path: Path
) -> None:
    """A lake that fails a write (the consumer goes on), and a consumer that dies before writing: the next
    batches' acknowledgements do not cover the lost one, which comes again."""

    class Failing(LakeEventsConsumer):
        async def handle(self, nc: Client, messages: list[Msg]) -> None:  # type: ignore[override]
            raise OSError("the lake did not answer")

    class Dying(LakeEventsConsumer):
        async def handle(self, nc: Client, messages: list[Msg]) -> None:  # type: ignore[override]
            raise SystemExit("killed before writing")

    lake = Lake(tmp_path.as_uri())
    before = _ledger_events(conn)
    _accounts(ledger, f"{uid}-f")
    _activity(ledger, f"{uid}-f", 6)
    _relay(db_url, bus, stream)
    with pytest.raises(OSError, match="did not answer"):
        asyncio.run(Failing(bus, lake, stream=stream, timeout=0.5, batch=5, ack_wait=2.0).run(once=True))
    _consume(bus, lake, stream, batch=5)  # at once: the failed batch was given back
    assert sorted(_stream_lake(lake)) == sorted(_ledger_events(conn) - before)

    with pytest.raises(SystemExit):
        _activity(ledger, f"{uid}-f", 4)
        _relay(db_url, bus, stream)
        asyncio.run(Dying(bus, lake, stream=stream, timeout=0.5, batch=3).run(once=True))
    _activity(ledger, f"{uid}-f", 2)
    _relay(db_url, bus, stream)
    _consume(bus, lake, stream)  # the batches after the dead one, acknowledged one by one
    assert len(_stream_lake(lake)) < len(_ledger_events(conn) - before)
    # after the acknowledgement wait the dead consumer's batch is delivered again
    expected = _ledger_events(conn) - before
    wait_for(
        lambda: _consume(bus, lake, stream) >= 0 and sorted(_stream_lake(lake)) == sorted(expected),
        "the dead consumer's batch delivered again",
    )


def test_messages_that_are_not_events_are_refused_field_by_field() -> None:
    good = {
        "seq": 7, "event_id": str(uuid.uuid4()), "aggregate_type": "account", "aggregate_id": "A-USD",
        "version": 3, "type": "ledger.transfer.posted.v1", "schema_version": 1, "payload": {"b": 1, "a": 2},
        "correlation_id": None, "causation_id": None,
        "occurred_at": "2026-03-01T23:30:00-02:00", "recorded_at": "2026-03-02T01:30:00+00:00",
    }  # fmt: skip
    row = event_row(json.dumps(good).encode(), 11)
    assert row["occurred_at"].isoformat() == "2026-03-02T01:30:00+00:00" and row["payload"] == '{"a":2,"b":1}'
    for field, value in [
        ("correlation_id", 5),
        ("schema_version", 40_000),
        ("version", "3"),
        ("occurred_at", "2026-03-01T23:30:00"),
        ("event_id", "not-a-uuid"),
    ]:
        with pytest.raises(PoisonEvent, match=field if field != "event_id" else "UUID"):
            event_row(json.dumps({**good, field: value}).encode(), 11)


def test_a_poison_message_goes_to_the_dead_letters_and_the_consumer_goes_on(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, bus: str, stream: str, tmp_path: Path
) -> None:
    lake = Lake(tmp_path.as_uri())
    before = _ledger_events(conn)
    _accounts(ledger, f"{uid}-p")
    _activity(ledger, f"{uid}-p", 2)
    _relay(db_url, bus, stream)
    dead: list[tuple[bytes, str]] = []

    async def run() -> None:
        nc = await nats.connect(bus)
        try:
            sub = await nc.subscribe(DEAD_LETTERS)
            await nc.jetstream().publish("ledger.garbage.v1", b"not json", stream=stream)
            await LakeEventsConsumer(bus, lake, stream=stream, timeout=0.5).run(once=True)
            msg = await sub.next_msg(timeout=5)
            dead.append((msg.data, msg.headers["Fintra-Error"]))
        finally:
            await nc.close()

    asyncio.run(run())
    assert dead and dead[0][0] == b"not json" and "not an event" in dead[0][1]
    # kept by the dead-letter stream, and counted where /metrics reads every consumer's figures
    assert consumer_figures(bus, stream=stream) == {DURABLE: (0.0, 1.0)}
    _activity(ledger, f"{uid}-p", 1)
    _relay(db_url, bus, stream)
    _consume(bus, lake, stream)
    assert sorted(_stream_lake(lake)) == sorted(_ledger_events(conn) - before)


def _one_day_in_both_lakes(
    ledger: Ledger, uid: str, transfers: int, db_url: str, bus: str, stream: str, lake: Lake
) -> str:
    """Post `transfers`, land their events in the stream lake and the batch extraction, compact: the one day."""
    _accounts(ledger, uid)
    _activity(ledger, uid, transfers)
    _relay(db_url, bus, stream)
    _consume(bus, lake, stream)
    extract_events(db_url, lake)
    compact(lake)
    (day,) = partitions(lake)
    return day


def test_the_reconciliation_catches_a_lost_and_a_phantom_event(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, bus: str, stream: str, tmp_path: Path
) -> None:
    lake = Lake(tmp_path.as_uri())
    day = _one_day_in_both_lakes(ledger, f"{uid}-r", 5, db_url, bus, stream, lake)
    rows = read_day(lake, day)
    lost = rows["event_id"][1].as_py()
    phantom = str(uuid.uuid4())
    kept = rows.filter(pc.not_equal(rows["event_id"], lost))
    forged = rows.slice(0, 1).set_column(rows.schema.get_field_index("event_id"), "event_id", pa.array([phantom]))
    assert stream_problems(db_url, lake).problems == []  # reconciled: the day is not read again while unchanged
    sink = pa.BufferOutputStream()
    pq.write_table(pa.concat_tables([kept, forged]), sink)
    lake.put_file(DATASET, posixpath.join(day, PART_FILE), sink.getvalue().to_pybytes())
    for _ in range(2):  # a day with problems is read again by every run until mended
        problems = stream_problems(db_url, lake).problems
        assert any(lost in p and "lost on the bus" in p for p in problems), problems
        assert any(phantom in p and "not in the ledger" in p for p in problems), problems
    assert json.loads(lake.get_file(DATASET, "_progress.json") or b"{}")["drained_at"] is not None


def test_an_event_on_another_day_of_one_lake_is_named_as_a_disagreement_not_a_loss(
    ledger: Ledger, uid: str, db_url: str, bus: str, stream: str, tmp_path: Path
) -> None:
    """On a day that changed in the batch lake only, an event the stream lake holds on a day this run does not
    read is found there: the lakes disagree on its day; it is not lost on the bus."""
    lake = Lake(tmp_path.as_uri())
    day = _one_day_in_both_lakes(ledger, f"{uid}-d", 3, db_url, bus, stream, lake)
    assert stream_problems(db_url, lake).problems == []
    # one of this test's events (the batch holds the other tests' too, recorded before the stream lake began)
    event_id = str(read_day(lake, day)["event_id"][1].as_py())
    rows = lake.read_partition(BATCH_DATASET, day)
    moved = rows.filter(pc.equal(pc.cast(rows["event_id"], pa.string()), event_id))
    assert moved.num_rows == 1
    later = pc.add(moved["occurred_at"], pa.scalar(timedelta(days=1), pa.duration("us")))
    moved = moved.set_column(
        moved.schema.get_field_index("occurred_at"), "occurred_at", later.cast(moved.schema.field("occurred_at").type)
    )
    next_day = partition_name(later[0].as_py().date())
    sink = pa.BufferOutputStream()
    pq.write_table(moved, sink)
    lake.put_file(BATCH_DATASET, posixpath.join(next_day, PART_FILE), sink.getvalue().to_pybytes())
    problems = stream_problems(db_url, lake).problems
    assert any(event_id in p and f"disagree on its day (the stream lake has it on {day})" in p for p in problems), (
        problems
    )
    assert not any("lost on the bus" in p for p in problems), problems
