"""Events per write, optimistic concurrency, and the outbox relay against real sinks
(a PostgreSQL LISTEN connection and an HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import psycopg
import pytest

from ledger import AccountType, ConcurrencyConflict, InvalidRequest, Ledger, Leg
from ledger.events import NewEvent, append, read_all, read_stream
from ledger.outbox import OutboxRelay, PostgresNotifySink, WebhookSink


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server: WebhookServer = self.server  # type: ignore[assignment]
        if server.fail_next > 0:
            server.fail_next -= 1
            self.send_response(503)
        else:
            server.batches.append(body["events"])
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:  # keep test output clean
        return


class WebhookServer(ThreadingHTTPServer):
    batches: list[list[dict]]
    fail_next: int

    @property
    def events(self) -> list[dict]:
        return [e for batch in self.batches for e in batch]


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer(("127.0.0.1", 0), _Receiver)
    server.batches, server.fail_next = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: WebhookServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/events"


def _drain(db_url: str, server: WebhookServer) -> int:
    with WebhookSink(_url(server)) as sink:
        return OutboxRelay(db_url, sink).drain()


def _pending(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM ledger.outbox WHERE published_at IS NULL").fetchone()[0]


def _activity(ledger: Ledger, uid: str) -> None:
    ledger.open_account(f"{uid}-CASH", "Cash", AccountType.ASSET, "USD")
    ledger.open_account(f"{uid}-CUST", "Customer", AccountType.LIABILITY, "USD")
    for i in range(3):
        ledger.post(f"{uid}-{i}", [Leg.debit(f"{uid}-CASH", "5"), Leg.credit(f"{uid}-CUST", "5")])


def test_each_write_appends_versioned_events_and_outbox_rows(
    ledger: Ledger, uid: str, conn: psycopg.Connection
) -> None:
    cash, cust = f"{uid}-CASH", f"{uid}-CUST"
    ledger.open_account(cash, "Cash", AccountType.ASSET, "USD", correlation_id="corr-open")
    ledger.open_account(cust, "Customer", AccountType.LIABILITY, "USD")
    entry = ledger.post(f"{uid}-dep", [Leg.debit(cash, "12.5"), Leg.credit(cust, "12.5")], correlation_id="corr-1")
    assert entry.correlation_id == "corr-1"
    stream = read_stream(conn, cust)
    assert [(e.version, e.event_type) for e in stream] == [
        (1, "ledger.account.opened.v1"),
        (2, "ledger.transfer.posted.v1"),
    ]
    posted = stream[-1]
    assert posted.correlation_id == "corr-1"
    assert posted.payload["journal_id"] == entry.journal_id
    assert posted.payload["change"] == "12.5" and posted.payload["posted_after"] == "12.5"
    assert ledger.balance(cust).version == posted.version
    assert read_stream(conn, cash)[0].correlation_id == "corr-open"
    outbox = conn.execute(
        "SELECT o.topic, o.partition_key FROM ledger.outbox o JOIN ledger.event_store e ON e.seq = o.event_seq"
        " WHERE e.event_id = %s",
        (posted.event_id,),
    ).fetchone()
    assert outbox == ("ledger.transfer.posted.v1", cust)
    # The commit-safe order ((txid, seq)) orders everything for consumers, each event once.
    events = read_all(conn, limit=100_000)
    positions = [e.position for e in events]
    assert positions == sorted(positions) and len({e.seq for e in events}) == len(events)
    assert posted.event_id in {e.event_id for e in events}


def test_generic_streams_use_optimistic_concurrency(conn: psycopg.Connection, uid: str) -> None:
    stream = f"case:{uid}"
    assert append(conn, "case", stream, 0, [NewEvent("risk.case.opened.v1", {"n": 1})]) == 1
    with pytest.raises(ConcurrencyConflict):
        append(conn, "case", stream, 0, [NewEvent("risk.case.opened.v1", {"n": 2})])
    assert append(conn, "case", stream, 1, [NewEvent("risk.case.closed.v1", {})], correlation_id="c") == 2
    assert [e.event_type for e in read_stream(conn, stream)] == ["risk.case.opened.v1", "risk.case.closed.v1"]
    with pytest.raises(InvalidRequest):
        append(conn, "account", "X", 0, [NewEvent("ledger.account.opened.v1", {})])
    with pytest.raises(InvalidRequest):
        append(conn, "case", "not-namespaced", 0, [NewEvent("risk.case.opened.v1", {})])


def test_webhook_relay_publishes_each_event_once(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, webhook: WebhookServer
) -> None:
    _activity(ledger, uid)
    pending = _pending(conn)
    with WebhookSink(_url(webhook)) as sink:
        relay = OutboxRelay(db_url, sink, batch_size=4)
        assert relay.drain() == pending
        assert relay.drain() == 0
    ids = [e["event_id"] for e in webhook.events]
    assert len(ids) == len(set(ids)) == pending
    assert _pending(conn) == 0
    seqs = [e["seq"] for e in webhook.events]
    assert seqs == sorted(seqs)  # one relay publishes in outbox order


def test_crash_between_publish_and_mark_republishes_and_loses_nothing(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, webhook: WebhookServer
) -> None:
    _drain(db_url, webhook)
    webhook.batches.clear()
    _activity(ledger, uid)
    expected = {
        str(r[0])
        for r in conn.execute(
            "SELECT e.event_id FROM ledger.outbox o JOIN ledger.event_store e ON e.seq = o.event_seq"
            " WHERE o.published_at IS NULL"
        )
    }

    def crash(_messages: object) -> None:
        raise SystemExit("relay killed after publishing, before marking")

    with pytest.raises(SystemExit), WebhookSink(_url(webhook)) as sink:
        OutboxRelay(db_url, sink, after_publish=crash).run_once()
    first_delivery = {e["event_id"] for e in webhook.events}
    assert first_delivery == expected
    assert _pending(conn) == len(expected)  # nothing was marked

    _drain(db_url, webhook)
    delivered = [e["event_id"] for e in webhook.events]
    assert len(delivered) == 2 * len(expected)  # at least once: each twice here
    assert set(delivered) == expected  # deduplicated by event id: exactly the events, none lost
    assert _pending(conn) == 0


def test_sink_failure_keeps_rows_pending_and_records_the_attempt(
    ledger: Ledger, uid: str, db_url: str, conn: psycopg.Connection, webhook: WebhookServer
) -> None:
    _drain(db_url, webhook)
    _activity(ledger, uid)
    pending = _pending(conn)
    webhook.fail_next = 1
    with pytest.raises(httpx.HTTPStatusError), WebhookSink(_url(webhook)) as sink:
        OutboxRelay(db_url, sink).run_once()
    assert _pending(conn) == pending
    failed = conn.execute(
        "SELECT count(*) FROM ledger.outbox WHERE published_at IS NULL AND attempts = 1 AND last_error LIKE '%503%'"
    ).fetchone()[0]
    assert failed == pending
    assert _drain(db_url, webhook) == pending


def test_notify_sink_delivers_to_listeners(ledger: Ledger, uid: str, db_url: str) -> None:
    with PostgresNotifySink(db_url) as sink:
        OutboxRelay(db_url, sink).drain()
    with psycopg.connect(db_url, autocommit=True) as listener:
        listener.execute("LISTEN ledger_events")
        _activity(ledger, uid)
        with PostgresNotifySink(db_url) as sink:
            published = OutboxRelay(db_url, sink).drain()
        received = [json.loads(n.payload) for n in listener.notifies(timeout=10, stop_after=published)]
    assert len(received) == published == 8  # 2 accounts opened + 3 postings × 2 accounts
    assert {e["aggregate_id"] for e in received} == {f"{uid}-CASH", f"{uid}-CUST"}
    assert all(e["type"].startswith("ledger.") for e in received)
