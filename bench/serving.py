"""API throughput and latency under load, on 127.0.0.1.

    python -m bench.serving [--seconds 10] [--clients 50]

Needs the configured platform to hold trained models (the demo, or `fintra models train risk|merchants`).
Starts `fintra serve` on a free port (one uvicorn worker), creates an API key, then for each endpoint runs
`--clients` concurrent keep-alive clients for `--seconds`:
  /v1/score      a P2P transfer between two funded USD customers (features from PostgreSQL, ONNX score,
                 reasons)
  /v1/transfers  the same, decided and written (each request its own Idempotency-Key; direction
                 alternates so balances hold up)
With `wrk` installed (`apt-get install wrk`) /v1/score is also driven by wrk, which costs the machine far
less than a Python client. The reference in the same run: one bare onnxruntime scoring call (1 row).
Prints one JSON object. Targets here: /v1/score >= 500 req/s with p99 < 15 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings
from models.registry import Registry
from models.risk.scorer import RiskScorer
from pipelines.tour import free_port, funded_accounts
from serving.keys import SCOPES, create_key
from serving.schema import migrate

FINTRA = str(Path(sys.executable).with_name("fintra"))


async def _drive(
    base: str,
    headers: dict[str, str],
    path: str,
    bodies: list[dict[str, Any]],
    seconds: float,
    clients: int,
    keyed: bool,
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:

        async def worker(n: int) -> None:
            i = n
            while time.perf_counter() < stop:
                extra = {"Idempotency-Key": uuid.uuid4().hex} if keyed else {}
                started = time.perf_counter()
                response = await client.post(path, json=bodies[i % len(bodies)], headers=extra)
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                i += clients

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "statuses": statuses,
    }


def _wrk(base: str, token: str, body: dict[str, Any], seconds: int, clients: int) -> dict[str, Any] | None:
    if shutil.which("wrk") is None:
        return None
    script = Path(tempfile.mkdtemp()) / "score.lua"
    script.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\nwrk.body = {json.dumps(json.dumps(body))}\n'
    )
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script), f"{base}/v1/score"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {"raw": out.strip().splitlines()[-12:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    settings = get_settings()
    url = database_url(settings)
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        token = create_key(conn, "bench", list(SCOPES), 10_000_000)
    registry = Registry(Lake.from_settings(settings))
    scorer = RiskScorer.from_registry(registry)
    row = np.asarray(scorer.medians, dtype=np.float32)[None, :]
    bare = min(_timed(lambda: scorer.score_matrix(row)) for _ in range(200))

    a, b = funded_accounts(url)
    bodies = [
        {"from_account": a, "to_account": b, "amount": "1.00", "currency": "USD"},
        {"from_account": b, "to_account": a, "amount": "1.00", "currency": "USD"},
    ]
    port = free_port()
    env = {**os.environ, "FINTRA_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [FINTRA, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        headers = {"Authorization": f"Bearer {token}"}
        asyncio.run(_drive(base, headers, "/v1/score", bodies, 2, args.clients, False))  # warm up
        score = asyncio.run(_drive(base, headers, "/v1/score", bodies, args.seconds, args.clients, False))
        transfers = asyncio.run(_drive(base, headers, "/v1/transfers", bodies, args.seconds, args.clients, True))
        wrk = _wrk(base, token, bodies[0], int(args.seconds), args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "benchmark": "serving",
                "clients": args.clients,
                "seconds": args.seconds,
                "reference_bare_onnx_score_ms": round(bare * 1000, 4),
                "score": score,
                "transfers": transfers,
                "wrk_score": wrk,
                "target": "/v1/score >= 500 req/s, p99 < 15 ms",
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
