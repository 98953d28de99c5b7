"""The event bus: the outbox relay onto NATS JetStream.

    python -m bench.bus [--transfers 20000] [--batch 2000] [--rate 1000] [--seconds 10]

Prints one JSON object:
- relay: events/s the relay publishes to JetStream and marks published (the outbox of `--transfers`
  two-leg transfers posted with `post_many` beforehand: three events each), with `--batch` rows per
  transaction, against the embedded nats-server (or FINTRA_NATS_URL); then events/s the views consumer
  reads from that stream into the read store (the embedded redis-server, or FINTRA_REDIS_URL), in its
  database 15, not the one apps read;
- balance_reads: `GET /v1/accounts/{code}/balance` through the API (in process), paced at `--read-rate`
  requests/s for `--read-seconds` over 200 random accounts, answered from those views and, in the same run,
  from the database (no read store): p50/p99 ms and the ratio;
- insights_reads: `GET /v1/accounts/{code}/insights` the same way, once every account's insights are kept
  (the warm-up reads them once): from the read store, and from PostgreSQL's kept insights;
- latency: commit-to-consumer milliseconds p50/p99 while transfers are posted at `--rate` events/s for
  `--seconds` and a relay runs beside them (a JetStream push consumer timestamps each event on arrival;
  the commit time is the event's `recorded_at`), and view update lag: commit to the account's view
  written in the read store by the views consumer running beside them in a process of its own, and
  commit to landed in the lake: to the file holding the event written by the lake's events consumer
  (`fintra lake stream`), in a process of its own too. The relay section also gives the events/s that
  consumer lands from the relayed stream.

Runs against a fresh database `fintra_bench_bus` on the configured server and a stream of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nats
import psycopg

from bench.ledger_post import make_transfers, setup
from fintra.database import create_database, database_url
from fintra.embedded_nats import nats_url
from fintra.embedded_redis import redis_url
from fintra.lake import Lake
from fintra.settings import Settings, get_settings
from ledger import Ledger, migrate
from ledger.jetstream import JetStreamSink, delete_stream
from ledger.outbox import OutboxRelay
from pipelines.event_stream import LakeEventsConsumer
from serving.views import ViewsConsumer, ViewStore

BENCH_DB = 15  # the read store's database the views are written to here (not the one apps read)


def relay_throughput(
    url: str, servers: str, store_url: str, accounts: list[str], transfers: int, batch: int
) -> dict[str, float]:
    with Ledger(url) as ledger:
        for i in range(0, transfers, 5000):
            ledger.post_many(make_transfers(min(5000, transfers - i), accounts, i, f"bus{i}")).raise_first()
    stream = f"BENCH_{uuid.uuid4().hex[:8].upper()}"
    try:
        with JetStreamSink(servers, stream=stream) as sink:
            relay = OutboxRelay(url, sink, batch_size=batch, retention=None)
            started = time.perf_counter()
            events = relay.drain()
            seconds = time.perf_counter() - started
        views = ViewStore(bench_store(store_url))
        views.redis.flushdb()  # the bench's own database of the read store: views of earlier runs out
        started = time.perf_counter()
        applied = asyncio.run(ViewsConsumer(servers, views, stream=stream, timeout=0.5).run(once=True))
        view_seconds = time.perf_counter() - started - 0.5  # the last fetch waits out its timeout
        views.close()
        with tempfile.TemporaryDirectory(prefix="fintra-bench-lake-") as root:
            started = time.perf_counter()
            lander = LakeEventsConsumer(servers, Lake(Path(root).as_uri()), stream=stream, timeout=0.5)
            landed = asyncio.run(lander.run(once=True))
            lake_seconds = time.perf_counter() - started - 0.5
    finally:
        delete_stream(servers, stream)
    return {
        "events": events,
        "seconds": round(seconds, 2),
        "events_per_s": round(events / seconds),
        "views_events_per_s": round(applied / view_seconds),
        "lake_events_per_s": round(landed / lake_seconds),
    }


def bench_store(store_url: str) -> str:
    return urlsplit(store_url)._replace(path=f"/{BENCH_DB}").geturl()


def route_reads(
    url: str, store_url: str, accounts: list[str], rate: int, seconds: float, route: str = "balance"
) -> dict[str, Any]:
    """An account read route (`balance`, `insights`), paced, from the read store (the views filled by
    `relay_throughput`; the insights kept there by the warm-up's reads) and from the database (the balance
    projection; the insights kept in PostgreSQL)."""
    from fastapi.testclient import TestClient

    from serving.app import create_app
    from serving.keys import create_key
    from serving.schema import migrate as migrate_serving
    from serving.state import ServiceState
    from serving.tenants import OPERATORS

    migrate_serving(url)
    with psycopg.connect(url, autocommit=True) as conn:
        auth = {"Authorization": f"Bearer {create_key(conn, 'bench', ['insights:read'], 10**7, tenant_id=OPERATORS)}"}
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as home:
        # the views are as fresh as the last relay drain: the bound is lifted, this measures reading only
        base = Settings(home=home, database_url=url, lake_url=Path(home, "lake").as_uri(), view_max_lag_seconds=1e9)
        for source, settings in (
            ("read-store", base.model_copy(update={"redis_url": bench_store(store_url)})),
            ("database", base),
        ):
            state = ServiceState(settings)
            if source == "database":
                state.views = None  # as with no read store configured
            timings, sources = [], set()
            with TestClient(create_app(state=state)) as client:
                pick = random.Random(7)
                for code in accounts:  # warm: connections, caches of keys and accounts, insights kept
                    client.get(f"/v1/accounts/{code}/{route}", headers=auth)
                interval, start = 1 / rate, time.perf_counter()
                for i in range(int(rate * seconds)):
                    time.sleep(max(0.0, start + i * interval - time.perf_counter()))
                    began = time.perf_counter()
                    answer = client.get(f"/v1/accounts/{pick.choice(accounts)}/{route}", headers=auth)
                    timings.append((time.perf_counter() - began) * 1000)
                    sources.add(answer.headers.get("x-read-source"))
            state.close()
            expected = "precomputed" if route == "insights" and source == "database" else source
            assert sources == {expected}, sources
            p50, p99 = _cuts(timings, 2)
            found[source] = {"requests": len(timings), "p50_ms": p50, "p99_ms": p99}
    found["p99_read_store_over_database"] = round(found["read-store"]["p99_ms"] / found["database"]["p99_ms"], 2)
    return found


class _TimedViews(ViewStore):
    """The bench's read store: how long after its commit each account event was applied to the views."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.lags_ms: list[float] = []

    def apply_read(self, calls: Sequence[tuple[list[str], list[str]]], **kwargs: Any) -> int:
        changed = super().apply_read(calls, **kwargs)
        now = datetime.now(UTC)
        # argv[8]: the event's recorded_at (its commit, within the writing transaction)
        self.lags_ms.extend((now - datetime.fromisoformat(argv[8])).total_seconds() * 1000 for _, argv in calls)
        return changed


def _keep_views(servers: str, store_url: str, stream: str, ready: Any, stop: Any, lags: Any) -> None:
    """The views consumer in a process of its own, as `fintra views` runs (not sharing the bench's GIL);
    `ready` once imported and connected to the read store, its view update lags back through `lags` when
    `stop` is set."""
    views = _TimedViews(bench_store(store_url))
    views.redis.ping()
    ready.set()

    async def run() -> None:
        halt = asyncio.Event()
        task = asyncio.create_task(ViewsConsumer(servers, views, stream=stream, timeout=0.1).run(halt))
        await asyncio.to_thread(stop.wait)
        halt.set()
        await task

    asyncio.run(run())
    views.close()
    lags.put(views.lags_ms)


class _TimedLake(LakeEventsConsumer):
    """The lake's events consumer, recording commit-to-landed milliseconds: each event's `recorded_at` to
    the moment the file holding it is written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lags_ms: list[float] = []

    async def handle(self, nc: Any, messages: Sequence[Any]) -> None:
        committed = [
            datetime.fromisoformat(body["recorded_at"])
            for body in (json.loads(m.data) for m in messages)
            if body.get("type") == "ledger.transfer.posted.v1"
        ]
        await super().handle(nc, messages)
        now = datetime.now(UTC)
        self.lags_ms.extend((now - at).total_seconds() * 1000 for at in committed)


def _keep_lake(servers: str, root: str, stream: str, ready: Any, stop: Any, lags: Any) -> None:
    """The lake's events consumer in a process of its own, as `fintra lake stream` runs; its lags back
    through `lags` when `stop` is set."""
    consumer = _TimedLake(servers, Lake(Path(root).as_uri()), stream=stream, timeout=1.0)
    ready.set()

    async def run() -> None:
        halt = asyncio.Event()
        task = asyncio.create_task(consumer.run(halt))
        await asyncio.to_thread(stop.wait)
        halt.set()
        await task

    asyncio.run(run())
    lags.put(consumer.lags_ms)


def _cuts(values: list[float], digits: int = 1) -> tuple[float, float]:
    """p50 and p99 of `values`."""
    ordered = sorted(values)
    return round(statistics.median(ordered), digits), round(ordered[int(0.99 * (len(ordered) - 1))], digits)


def latency(url: str, servers: str, store_url: str, accounts: list[str], rate: int, seconds: float) -> dict[str, float]:
    stream = f"BENCH_{uuid.uuid4().hex[:8].upper()}"
    arrivals: list[float] = []
    stop = threading.Event()
    spawn = multiprocessing.get_context("spawn")
    views_ready, views_stop, views_lags = spawn.Event(), spawn.Event(), spawn.Queue()

    with JetStreamSink(servers, stream=stream) as sink:
        OutboxRelay(url, sink, retention=None).drain()  # nothing older in the way

    async def consume(ready: threading.Event) -> None:
        nc = await nats.connect(servers)
        js = nc.jetstream()

        async def on_message(msg: nats.aio.msg.Msg) -> None:
            body = json.loads(msg.data)
            if body["type"] == "ledger.transfer.posted.v1":
                committed = datetime.fromisoformat(body["recorded_at"])
                arrivals.append((datetime.now(UTC) - committed).total_seconds() * 1000)

        await js.subscribe("ledger.>", stream=stream, cb=on_message, manual_ack=False, ordered_consumer=True)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        await nc.close()

    def relay_loop() -> None:
        with JetStreamSink(servers, stream=stream) as sink:
            relay = OutboxRelay(url, sink, batch_size=500, retention=None)
            while not stop.is_set():
                if not relay.run_once():
                    time.sleep(0.002)

    viewer = spawn.Process(target=_keep_views, args=(servers, store_url, stream, views_ready, views_stop, views_lags))
    viewer.start()
    views_ready.wait(60)  # its start (imports) is not part of what is measured
    lake_root = tempfile.mkdtemp(prefix="fintra-bench-lake-")
    lake_ready, lake_stop, lake_lags = spawn.Event(), spawn.Event(), spawn.Queue()
    lander = spawn.Process(target=_keep_lake, args=(servers, lake_root, stream, lake_ready, lake_stop, lake_lags))
    lander.start()
    lake_ready.wait(60)
    ready = threading.Event()
    consumer = threading.Thread(target=lambda: asyncio.run(consume(ready)), daemon=True)
    consumer.start()
    ready.wait(10)
    relayer = threading.Thread(target=relay_loop, daemon=True)
    relayer.start()
    per_transfer = 3  # a transfer posted: the journal's event and one per account
    tick = 0.01  # post the transfers due every 10 ms
    with Ledger(url) as ledger:
        started = time.monotonic()
        n = 0
        while (now := time.monotonic()) < started + seconds:
            due = int((now - started) * rate / per_transfer) - n
            if due > 0:
                ledger.post_many(make_transfers(due, accounts, n, f"lat{n}")).raise_first()
                n += due
            time.sleep(tick)
    time.sleep(1.0)
    stop.set()
    relayer.join(10)
    consumer.join(10)
    views_stop.set()
    view_lags = views_lags.get(timeout=30)
    viewer.join(10)
    lake_stop.set()
    landed_lags = lake_lags.get(timeout=30)
    lander.join(10)
    shutil.rmtree(lake_root, ignore_errors=True)
    delete_stream(servers, stream)
    p50, p99 = _cuts(arrivals)
    view_p50, view_p99 = _cuts(view_lags)
    lake_p50, lake_p99 = _cuts(landed_lags)
    return {
        "transfers": n,
        "events_per_s": round(n * per_transfer / seconds),
        "p50_ms": p50,
        "p99_ms": p99,
        "view_update_p50_ms": view_p50,
        "view_update_p99_ms": view_p99,
        "lake_landed_p50_ms": lake_p50,
        "lake_landed_p99_ms": lake_p99,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transfers", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--rate", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--read-rate", type=int, default=500)
    parser.add_argument("--read-seconds", type=float, default=10.0)
    args = parser.parse_args()
    settings = get_settings()
    url = create_database(database_url(settings), "fintra_bench_bus", drop_existing=True)
    migrate(url)
    servers = nats_url(settings)
    accounts = setup(url, 2000)
    result = {
        "benchmark": "bus",
        "nats": servers,
        "relay": relay_throughput(url, servers, redis_url(settings), accounts, args.transfers, args.batch),
        "balance_reads": route_reads(url, redis_url(settings), accounts[:200], args.read_rate, args.read_seconds),
        "insights_reads": route_reads(
            url, redis_url(settings), accounts[:200], args.read_rate, args.read_seconds, route="insights"
        ),
        "latency": latency(url, servers, redis_url(settings), accounts, args.rate, args.seconds),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
