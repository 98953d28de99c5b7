"""`fintra demo` end to end, as a newcomer runs it (smaller than the default dataset so CI stays quick):
the walkthrough, a simulated bank, the lake, the marts, the reports, the features and models, and the
API deciding real transfers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nats
import psycopg
import pyarrow.parquet as pq

from fintra.database import create_database
from fintra.embedded_nats import EmbeddedNats
from fintra.embedded_redis import EmbeddedRedis
from ledger.jetstream import DRAINED_SUBJECT
from serving.views import ViewStore

FINTRA = str(Path(sys.executable).with_name("fintra"))


def test_the_demo_runs_the_whole_flow(pg_server: str, tmp_path: Path) -> None:
    url = create_database(pg_server, "t_e2e_demo", drop_existing=True)
    home = tmp_path / "home"
    env = {**os.environ, "FINTRA_DATABASE_URL": url, "FINTRA_HOME": str(home), "COLUMNS": "220"}
    # the demo starts both (no FINTRA_NATS_URL, no FINTRA_REDIS_URL): the default path
    bus, read_store = EmbeddedNats(home / "nats"), EmbeddedRedis(home / "redis")
    try:
        demo = subprocess.run(
            [FINTRA, "demo", "--customers", "200", "--days", "40"], env=env, capture_output=True, text=True, timeout=900
        )
        in_stream = asyncio.run(_stream_messages(bus.status().url)) if bus.status().running else None
        views = ViewStore(read_store.status().url or "redis://127.0.0.1:1")
        viewed = views.account("DEMO-CUST-ALICE-USD")
        views.close()
    finally:
        bus.stop()
        read_store.stop()
    out = demo.stdout
    assert demo.returncode == 0, out[-3000:] + demo.stderr[-3000:]
    assert "post_many: 4 posted" in out and "Injected AML/fraud cases and benign look-alikes" in out
    assert (
        "every partition matches PostgreSQL; marts built and tested; reports issued; features built, models trained"
        in out
    )
    assert "Compliance marts" in out and "STRUCTURING" in out
    assert "'risk_model': 'v1'" in out and "'merchant_index': 'v1'" in out
    assert "P2P " in out and "HTTP 20" in out and "Idempotent-Replayed: true" in out
    assert "resolved Blue Bottle Coffee" in out and "'PAYROLL ACME CORP': unknown" in out
    assert "fintra serve" in out and "fintra ui" in out
    lake = home / "lake"
    assert (lake / "reports" / "aml_alerts" / "date=2026-01-20" / "version=1" / "summary.html").exists()
    assert (lake / "models" / "risk" / "production.json").exists() and (lake / "features" / "transfers").is_dir()
    with psycopg.connect(url) as conn:
        decisions = conn.execute("SELECT count(*) FROM ledger.risk_decisions").fetchone()[0]
        events = conn.execute(
            "SELECT count(*) FROM ledger.event_store WHERE event_type = 'risk.decision.made.v1'"
        ).fetchone()[0]
    assert decisions == events == 2
    # everything the walkthrough and the simulation wrote went onto the embedded JetStream, once each
    with psycopg.connect(url) as conn:
        published = conn.execute("SELECT count(*) FROM ledger.outbox WHERE published_at IS NOT NULL").fetchone()[0]
    assert f"{published:,} events published to stream FINTRA_EVENTS" in out
    assert in_stream == published > 1000
    assert "events read into the views of" in out
    # ... and landed in the lake's stream copy, which `fintra run` compacted to a file a day and reconciled
    assert "(fintra lake stream;" in out
    days = sorted((lake / "raw" / "stream" / "event_store").glob("date=*"))
    assert days and all([f.name for f in d.iterdir()] == ["part-00000.parquet"] for d in days)
    landed = [e for d in days for e in pq.read_table(d / "part-00000.parquet", columns=["event_id"])["event_id"]]
    assert len(landed) == len(set(landed)) == in_stream
    # the read store's view of an account equals the ledger's balance at the time the events were read
    assert viewed is not None and viewed.posted is not None
    with psycopg.connect(url) as conn:
        posted = conn.execute(
            "SELECT (payload->>'posted_after')::numeric FROM ledger.event_store"
            " WHERE aggregate_id = 'DEMO-CUST-ALICE-USD' AND version = %s",
            (viewed.version,),
        ).fetchone()[0]
    assert Decimal(viewed.posted) == posted


async def _stream_messages(url: str | None) -> int:
    """The events in the stream (not the relay's drained mark: the stream keeps the latest one)."""
    assert url is not None
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().stream_info("FINTRA_EVENTS", subjects_filter=">")
        return sum(n for subject, n in (info.state.subjects or {}).items() if subject != DRAINED_SUBJECT)
    finally:
        await nc.close()
