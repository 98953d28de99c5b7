"""Ledger write throughput and latency.

    python -m bench.ledger_post [--transfers 50000] [--batch 5000] [--singles 2000] [--accounts 2000]

Prints one JSON object:
- post_many: 2-leg transfers/s through `Ledger.post_many` (validation, locks, funds checks, idempotency,
  balance projection, events and outbox rows, the deferred balance and account checks at commit);
- post: single `Ledger.post` latency p50/p99 in ms (sequential, one client);
- reference: the rows post_many inserts (a journal, two legs, two events and two outbox rows per
  transfer) COPYed into plain tables with the same columns and primary keys but no other index, trigger
  or check, in the same run on the same server; ratio = post_many / reference (the issue's target, 0.3);
- reference_journals_and_legs: the same without the events and outbox rows, for comparison;
- storage: bytes per transfer all-in (every ledger table with its indexes and TOAST) once the outbox was
  published and its retention ran (published rows deleted, their space reclaimed as new rows would reuse
  it), per relation, against the issue's target of 1,000.

Runs against a fresh database `fintra_bench` on the configured server (FINTRA_DATABASE_URL, or the
embedded one under FINTRA_HOME), with the server's default durability (synchronous_commit on).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg

from fintra.database import create_database, database_url
from fintra.settings import get_settings
from ledger import AccountType, Ledger, Leg, Transfer, migrate
from ledger.outbox import OutboxRelay, prune_outbox

START = datetime(2026, 1, 1, tzinfo=UTC)


def make_transfers(n: int, accounts: list[str], seed: int, prefix: str) -> list[Transfer]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b = rng.sample(accounts, 2)
        amount = Decimal(rng.randint(1, 5000)) / 100
        when = START + timedelta(seconds=i * 30)
        out.append(Transfer(f"{prefix}-{i}", [Leg.debit(a, amount), Leg.credit(b, amount)], effective_at=when))
    return out


def setup(url: str, n_accounts: int) -> list[str]:
    customers = [f"CUST-{i:05d}" for i in range(n_accounts)]
    with Ledger(url, pool_size=2) as ledger:
        ledger.open_account("CASH", "Cash", AccountType.ASSET, "USD")
        for code in customers:
            ledger.open_account(code, code, AccountType.LIABILITY, "USD")
        funding = [
            Transfer(f"fund-{c}", [Leg.debit("CASH", "1000000"), Leg.credit(c, "1000000")], effective_at=START)
            for c in customers
        ]
        ledger.post_many(funding).raise_first()
    return customers


def bench_post_many(url: str, transfers: list[Transfer], batch: int) -> float:
    with Ledger(url, pool_size=2) as ledger:
        ledger.post_many(transfers[:batch]).raise_first()  # warm caches and partitions, not timed
        rest = transfers[batch:]
        t0 = time.perf_counter()
        for i in range(0, len(rest), batch):
            result = ledger.post_many(rest[i : i + batch])
            result.raise_first()
        elapsed = time.perf_counter() - t0
    return len(rest) / elapsed


def bench_single(url: str, transfers: list[Transfer]) -> tuple[float, float, float]:
    latencies = []
    with Ledger(url, pool_size=1) as ledger:
        for t in transfers[:50]:  # warm-up: prepared statements, caches
            ledger.post(t.reference_id, t.legs, effective_at=t.effective_at)
        for t in transfers[50:]:
            t0 = time.perf_counter()
            ledger.post(t.reference_id, t.legs, effective_at=t.effective_at)
            latencies.append((time.perf_counter() - t0) * 1000)
    q = statistics.quantiles(latencies, n=100)
    return q[49], q[98], len(latencies) / (sum(latencies) / 1000)


def bench_raw_copy(
    url: str, transfers: list[Transfer], batch: int, account_ids: dict[str, int], *, with_events: bool = False
) -> float:
    """The same rows, COPYed into unchecked tables: the ceiling a checked write path is measured against.

    With `with_events`, also the two events and two outbox rows per transfer that post_many writes.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE")
        conn.execute("CREATE SCHEMA bench_raw")
        conn.execute(
            "CREATE TABLE bench_raw.journal_entries (journal_id bigint PRIMARY KEY, reference_id text NOT NULL,"
            " kind text NOT NULL, description text, metadata jsonb NOT NULL, content_hash bytea NOT NULL,"
            " reverses_journal_id bigint, correlation_id text, effective_at timestamptz NOT NULL,"
            " posted_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(
            "CREATE TABLE bench_raw.entries (entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " journal_id bigint NOT NULL, leg_no smallint NOT NULL, account_id bigint NOT NULL, direction text"
            " NOT NULL, amount numeric(28,18) NOT NULL, currency text NOT NULL, effective_at timestamptz NOT NULL)"
        )
        conn.execute(
            "CREATE TABLE bench_raw.events (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid"
            " NOT NULL, aggregate_id text NOT NULL, version bigint NOT NULL, event_type text NOT NULL, payload jsonb"
            " NOT NULL, occurred_at timestamptz NOT NULL)"
        )
        conn.execute(
            "CREATE TABLE bench_raw.outbox (outbox_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_seq"
            " bigint NOT NULL, topic text NOT NULL, partition_key text NOT NULL)"
        )
        t0 = time.perf_counter()
        jid = 0
        seq = 0
        for i in range(0, len(transfers), batch):
            with conn.transaction(), conn.cursor() as cur:
                chunk = transfers[i : i + batch]
                with cur.copy(
                    "COPY bench_raw.journal_entries (journal_id, reference_id, kind, metadata, content_hash,"
                    " correlation_id, effective_at) FROM STDIN"
                ) as copy:
                    for t in chunk:
                        jid += 1
                        copy.write_row(
                            (
                                jid,
                                t.reference_id,
                                "TRANSFER",
                                "{}",
                                hashlib.sha256(t.reference_id.encode()).digest(),
                                "bench",
                                t.effective_at,
                            )
                        )
                first = jid - len(chunk) + 1
                with cur.copy(
                    "COPY bench_raw.entries (journal_id, leg_no, account_id, direction, amount, currency,"
                    " effective_at) FROM STDIN"
                ) as copy:
                    for k, t in enumerate(chunk):
                        for leg_no, leg in enumerate(t.legs, start=1):
                            copy.write_row(
                                (
                                    first + k,
                                    leg_no,
                                    account_ids[leg.account],
                                    str(leg.direction),
                                    leg.amount,
                                    "USD",
                                    t.effective_at,
                                )
                            )
                if with_events:
                    with cur.copy(
                        "COPY bench_raw.events (event_id, aggregate_id, version, event_type, payload, occurred_at)"
                        " FROM STDIN"
                    ) as copy:
                        for k, t in enumerate(chunk):
                            for leg in t.legs:
                                payload = f'{{"journal_id": {first + k}, "change": "{leg.amount}"}}'
                                copy.write_row(
                                    (uuid.uuid4(), leg.account, k, "ledger.transfer.posted.v1", payload, t.effective_at)
                                )
                    with cur.copy("COPY bench_raw.outbox (event_seq, topic, partition_key) FROM STDIN") as copy:
                        for t in chunk:
                            for leg in t.legs:
                                seq += 1
                                copy.write_row((seq, "ledger.transfer.posted.v1", leg.account))
        elapsed = time.perf_counter() - t0
        conn.execute("DROP SCHEMA bench_raw CASCADE")
    return len(transfers) / elapsed


class _Discard:
    """A sink that accepts every message: the storage figure wants the outbox published, not a bus."""

    def publish(self, messages: object) -> None:
        return None


def storage(url: str) -> dict[str, object]:
    """Bytes per transfer of the whole ledger schema after publishing the outbox and pruning it."""
    OutboxRelay(url, _Discard(), batch_size=5000).drain()
    prune_outbox(url, timedelta(0))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM FULL ledger.outbox")
        conn.execute("VACUUM ANALYZE")
        journals = conn.execute("SELECT count(*) FROM ledger.journal_entries").fetchone()[0]
        sizes = conn.execute(
            "SELECT coalesce(i.inhparent::regclass::text, c.oid::regclass::text), sum(pg_total_relation_size(c.oid))"
            "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            "  LEFT JOIN pg_inherits i ON i.inhrelid = c.oid"
            " WHERE n.nspname = 'ledger' AND c.relkind = 'r' GROUP BY 1"
        ).fetchall()
    total = sum(size for _, size in sizes)
    return {
        "transfers": journals,
        "bytes_per_transfer": round(total / journals),
        "by_relation": {
            name.removeprefix("ledger."): round(size / journals)
            for name, size in sorted(sizes, key=lambda r: -r[1])
            if size / journals >= 1
        },
        "target_bytes_per_transfer": 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transfers", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--singles", type=int, default=2_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    args = parser.parse_args()

    url = create_database(database_url(get_settings()), "fintra_bench", drop_existing=True)
    migrate(url)
    customers = setup(url, args.accounts)
    with psycopg.connect(url) as conn:
        account_ids = dict(conn.execute("SELECT code, account_id FROM ledger.accounts").fetchall())

    bulk = make_transfers(args.transfers, customers, seed=1, prefix="bulk")
    singles = make_transfers(args.singles + 50, customers, seed=2, prefix="single")
    raw_rate = bench_raw_copy(url, bulk, args.batch, account_ids)
    raw_all_rate = bench_raw_copy(url, bulk, args.batch, account_ids, with_events=True)
    many_rate = bench_post_many(url, bulk, args.batch)
    p50, p99, single_rate = bench_single(url, singles)
    stored = storage(url)
    print(
        json.dumps(
            {
                "benchmark": "ledger_post",
                "transfers": args.transfers,
                "batch": args.batch,
                "post_many_transfers_per_s": round(many_rate),
                "post_p50_ms": round(p50, 3),
                "post_p99_ms": round(p99, 3),
                "post_sequential_per_s": round(single_rate),
                "reference": "raw COPY of the rows post_many inserts (journal, 2 legs, 2 events, 2 outbox rows per"
                " transfer) into unchecked tables, same run",
                "reference_transfers_per_s": round(raw_all_rate),
                "ratio_post_many_to_reference": round(many_rate / raw_all_rate, 3),
                "reference_journals_and_legs": "as reference, journal and leg rows only",
                "reference_journals_and_legs_transfers_per_s": round(raw_rate),
                "ratio_post_many_to_reference_journals_and_legs": round(many_rate / raw_rate, 3),
                "targets": {"post_many_per_s": 5000, "ratio": 0.3, "post_p99_ms": 10},
                "storage_after_outbox_retention": stored,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
