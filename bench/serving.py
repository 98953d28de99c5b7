"""API throughput and latency under load, on 127.0.0.1.

    python -m bench.serving [--seconds 10] [--clients 50] [--rate 500] [--open-seconds 30]

Needs the configured platform to hold trained models (the demo, or `fintra models train risk|merchants`).
Starts `fintra serve` on a free port (one uvicorn worker) and creates an API key. Takes the 400 USD
customer accounts with the most funds: the first 200 are scored, and first given the recent activity
of an active customer (a P2P payment out and one in on each of the last 30 days, 60 movements, posted
through the ledger and idempotent per day, so reruns do not pile history up); the other 200 take the
money-moving load. Pairs send 1.00 both ways. Then drives, with `--clients` keep-alive connections of
`bench.load` (a client cheap enough not to starve the server on two cores):
  /v1/transfers  closed loop: decided and written, each request its own Idempotency-Key (the pairs soon
                 send bursts: the burst rule holds them and the case it opens holds the rest, so most of
                 this load is the review path: a hold, a decision, a case and their events)
  /v1/score      closed loop: the most it serves (latency then is mostly queueing behind the others); half
                 the requests P2P between the scored accounts, half wires to named payees (screened)
  /v1/score      open loop at --rate requests/s for --open-seconds: the latency target's measure, each
                 request timed from when it was due; also the worst second's p99 (autovacuum on the
                 ledger makes every connection plan the scoring statement again, a stall of tens of ms)
  /v1/accounts/{code}/insights  open loop at --insights-rate requests/s for --insights-seconds over the
                 200 customer accounts with the most card payments: kept ones (computed beforehand for every
                 customer account, as `fintra run` does; target p99 < 50 ms), then, as the reference, the
                 same accounts' insights computed for the request (`as_of` the day of the account's latest
                 movement: the same window, never kept)
The reference in the same run: one bare onnxruntime scoring call (1 row).
Prints one JSON object. Target: /v1/score at 500 req/s open loop with p99 < 10 ms, the rules on.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg

from bench import load
from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings
from ledger import Channel, Ledger, Leg, Transfer
from models.merchants.build import NAME as MERCHANTS
from models.merchants.build import resolver_from_registry
from models.registry import Registry
from models.risk.scorer import RiskScorer
from pipelines.tour import free_port, funded_accounts
from serving.insights import precompute_insights
from serving.keys import SCOPES, create_key
from serving.schema import migrate
from serving.tenants import OPERATORS

FINTRA = str(Path(sys.executable).with_name("fintra"))
HOST = "127.0.0.1"
ONE = Decimal("1.00")
ACCOUNTS = 200
HISTORY_DAYS = 30


def _pairs(codes: list[str]) -> list[tuple[str, str]]:
    pairs = [(codes[i], codes[i + 1]) for i in range(0, len(codes) - 1, 2)]
    return pairs + [(b, a) for a, b in pairs]  # both ways, so balances hold up


def _recent_history(url: str, pairs: list[tuple[str, str]]) -> int:
    """Post each pair's payment of 1.00 on each of the last HISTORY_DAYS days (one reference per pair and
    day: a rerun on the same day replays them); the number newly posted."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    transfers = [
        Transfer(
            f"bench-serving:{day:%Y-%m-%d}:{payer}:{payee}",
            [Leg.debit(payer, ONE), Leg.credit(payee, ONE)],
            channel=Channel.P2P,
            effective_at=day + timedelta(hours=9 + n % 10, minutes=n % 60),
        )
        for day in (today - timedelta(days=d) for d in range(1, HISTORY_DAYS + 1))
        for n, (payer, payee) in enumerate(pairs)
    ]
    with Ledger(url) as ledger:
        posted = 0
        for start in range(0, len(transfers), 2000):
            result = ledger.post_many(transfers[start : start + 2000])
            result.raise_first()
            posted += result.posted
    return posted


# Payees of the scored wires: ordinary names and watch-listed ones, exact and varied (every one screened).
WIRE_PAYEES = (
    "Greenleaf Grocers",
    "Maple Street Lettings",
    "Northwind Traders Ltd",
    "Dragomir Petrenco",
    "Drago Petrenko",
)


def _requests(path: str, token: str, pairs: list[tuple[str, str]], keyed: bool) -> load.Requests:
    headers = {"Authorization": f"Bearer {token}"}
    bodies: list[dict[str, str]] = [
        {"from_account": a, "to_account": b, "amount": "1.00", "currency": "USD"} for a, b in pairs
    ]
    if not keyed:  # scoring: half the requests are wires to named payees, screened against the watch list
        wire = {"to_account": "SAFEGUARD-USD", "channel": "WIRE"}
        bodies += [
            {**body, **wire, "counterparty_name": WIRE_PAYEES[i % len(WIRE_PAYEES)]} for i, body in enumerate(bodies)
        ]
    if keyed:  # a new Idempotency-Key per request: encoded when sent
        return lambda i: load.request_bytes(
            "POST", path, HOST, {**headers, "Idempotency-Key": uuid.uuid4().hex}, bodies[i % len(bodies)]
        )
    encoded = [load.request_bytes("POST", path, HOST, headers, body) for body in bodies]
    return lambda i: encoded[i % len(encoded)]


def _precompute(url: str, registry: Registry) -> tuple[int, float]:
    """Keep every customer account's insights, as `fintra run` does: (accounts computed, seconds)."""
    version = registry.production_version(MERCHANTS)
    resolver = resolver_from_registry(registry, get_settings(), version) if version is not None else None
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        computed, _ = precompute_insights(conn, resolver)
    return computed, time.perf_counter() - started


def _card_users(url: str, count: int) -> list[str]:
    """The customer accounts with the most card payments: the insights that cost the most to compute (every
    descriptor resolved to a merchant)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT a.code FROM ledger.holds AS h JOIN ledger.accounts AS a ON a.account_id = h.from_account_id"
            " WHERE a.customer_id IS NOT NULL AND h.capture_journal_id IS NOT NULL"
            " GROUP BY a.code ORDER BY count(*) DESC, a.code LIMIT %s",
            (count,),
        ).fetchall()
    return [code for (code,) in rows]


def _insights(url: str, token: str, codes: list[str], dated: bool) -> load.Requests:
    """GETs of the accounts' insights: kept ones, or (`dated`) computed for the request over the same window
    (`as_of` the day of the account's latest movement)."""
    headers = {"Authorization": f"Bearer {token}"}
    paths = [f"/v1/accounts/{code}/insights" for code in codes]
    if dated:
        with psycopg.connect(url) as conn:
            latest = dict(
                conn.execute(
                    "SELECT a.code, (max(e.effective_at) AT TIME ZONE 'UTC')::date FROM ledger.accounts AS a"
                    " JOIN ledger.entries AS e USING (account_id) WHERE a.code = ANY(%s) GROUP BY a.code",
                    (codes,),
                ).fetchall()
            )
        paths = [f"{path}?as_of={latest[code].isoformat()}" for path, code in zip(paths, codes, strict=True)]
    encoded = [load.request_bytes("GET", path, HOST, headers) for path in paths]
    return lambda i: encoded[i % len(encoded)]


def _recent_legs(url: str, codes: list[str]) -> float:
    """The median count of the accounts' legs of the last 30 days (what the features read)."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM ("
            " SELECT count(e.entry_id) AS n FROM ledger.accounts AS a"
            " LEFT JOIN ledger.entries AS e"
            " ON e.account_id = a.account_id AND e.effective_at >= now() - interval '30 days'"
            " WHERE a.code = ANY(%s) GROUP BY a.account_id) AS counts",
            (codes,),
        ).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fintra serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the API was not ready within 90 s (is a risk model trained? fintra models list)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=500, help="requests/s of the open-loop /v1/score run")
    parser.add_argument("--open-seconds", type=float, default=30, help="length of the open-loop run")
    parser.add_argument("--insights-rate", type=float, default=50, help="requests/s of the insights runs")
    parser.add_argument("--insights-seconds", type=float, default=10, help="length of each insights run")
    args = parser.parse_args()
    settings = get_settings()
    url = database_url(settings)
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        token = create_key(conn, "bench", list(SCOPES), 10_000_000, tenant_id=OPERATORS)
    registry = Registry(Lake.from_settings(settings))
    scorer = RiskScorer.from_registry(registry)
    row = np.asarray(scorer.medians, dtype=np.float32)[None, :]
    bare = min(_timed(lambda: scorer.score_matrix(row)) for _ in range(200))

    codes = funded_accounts(url, 2 * ACCOUNTS)
    scored, moving = _pairs(codes[:ACCOUNTS]), _pairs(codes[ACCOUNTS:])
    history = _recent_history(url, scored)
    card_users = _card_users(url, ACCOUNTS)
    precomputed, precompute_seconds = _precompute(url, registry)
    port = free_port()
    env = {**os.environ, "FINTRA_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [FINTRA, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_ready(f"http://{HOST}:{port}", server)
        score = _requests("/v1/score", token, scored, keyed=False)
        transfer = _requests("/v1/transfers", token, moving, keyed=True)
        load.run(load.closed_loop(HOST, port, score, args.clients, 2))  # warm up
        transfers = load.run(load.closed_loop(HOST, port, transfer, args.clients, args.seconds))
        most = load.run(load.closed_loop(HOST, port, score, args.clients, args.seconds))
        at_rate = load.run(load.open_loop(HOST, port, score, args.clients, args.open_seconds, args.rate))
        kept, computed = (
            load.run(load.open_loop(HOST, port, requests, args.clients, args.insights_seconds, args.insights_rate))
            for requests in (_insights(url, token, card_users, dated) for dated in (False, True))
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "benchmark": "serving",
                "clients": args.clients,
                "seconds": args.seconds,
                "scored_accounts": ACCOUNTS,
                "history_transfers_posted": history,
                "scored_median_legs_last_30_days": _recent_legs(url, codes[:ACCOUNTS]),
                "reference_bare_onnx_score_ms": round(bare * 1000, 4),
                "transfers_closed_loop": transfers.summary(),
                "score_closed_loop": most.summary(),
                f"score_open_loop_{args.rate:g}_per_s": at_rate.summary(),
                "insights_precomputed_accounts": precomputed,
                "insights_precompute_seconds": round(precompute_seconds, 2),
                f"insights_kept_open_loop_{args.insights_rate:g}_per_s": kept.summary(),
                f"insights_computed_open_loop_{args.insights_rate:g}_per_s": computed.summary(),
                "target": "/v1/score at 500 req/s open loop, p99 < 10 ms, rules on; insights p99 < 50 ms",
            },
            indent=2,
        )
    )


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
