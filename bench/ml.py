"""Learning-path speed: embeddings with torch vs ONNX, `resolve` latency, risk scoring ONNX vs scikit-learn.

    python -m bench.ml [--texts 2000] [--resolves 1000]

Needs the configured platform to hold a trained risk model and merchant resolution (`fintra models train
risk` and `fintra models train merchants`, or the models_weekly job). Prints one JSON object:
  embeddings  sentence-transformers (torch) and the exported ONNX encoder on the same descriptors, per second
  resolve     one descriptor at a time, p50/p99 ms, on an in-memory copy of the Qdrant collection (what
              serving uses) and on pgvector (DiskANN/HNSW through timescale-vector)
  risk        1 row and 10,000 rows: onnxruntime vs scikit-learn (a model refitted on the same training
              rows, exported the same way), in the same run
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
import warnings
from contextlib import closing
from typing import Any

import httpx
import numpy as np
import psycopg

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings
from models.merchants import index as vectors
from models.merchants.build import holdout_payments, load_encoder, load_resolver
from models.merchants.catalogue import catalogue_brands
from models.merchants.descriptor import parse
from models.merchants.export import reference_embeddings
from models.merchants.resolve import MerchantResolver
from models.merchants.training import train
from models.registry import Registry
from models.risk.dataset import labelled_transfers, matrix, time_split
from models.risk.scorer import RiskScorer
from models.risk.train import export, fit


def _per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1)


def _latencies(call: Any, items: list[str]) -> dict[str, float]:
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 3), "p99_ms": round(times[int(len(times) * 0.99) - 1], 3)}


def _best(call: Any, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def _api_latencies(descriptors: list[str], requests: int) -> dict[str, float]:
    """POST /v1/merchants/resolve with one descriptor per request, sequentially, through `fintra serve` with
    one uvicorn worker; p50/p99 ms after a warm-up."""
    from bench.serving import FINTRA, HOST, _wait_ready
    from pipelines.tour import free_port
    from serving.keys import create_key
    from serving.tenants import OPERATORS

    with psycopg.connect(database_url(get_settings()), autocommit=True) as conn:
        token = create_key(conn, "bench-ml", ["insights:read"], 10_000_000, tenant_id=OPERATORS)
    port = free_port()
    env = {**os.environ, "FINTRA_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [FINTRA, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://{HOST}:{port}"
        _wait_ready(base, server)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
            post = lambda d: http.post("/v1/merchants/resolve", json={"descriptors": [d]}).raise_for_status()  # noqa: E731
            for d in descriptors[:50]:
                post(d)
            return _latencies(post, [descriptors[i % len(descriptors)] for i in range(requests)])
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fresh(resolver: MerchantResolver) -> MerchantResolver:
    """The same model with nothing remembered (its cache of name parts empty)."""
    return MerchantResolver(resolver.encoder, resolver.matcher, resolver.reranker, resolver.threshold)


def _merchants(args: argparse.Namespace, registry: Registry, url: str) -> dict[str, Any]:
    settings = get_settings()
    merchants = registry.get("merchants")
    with psycopg.connect(url) as conn:
        payments = holdout_payments(conn, max(args.texts, args.resolves))
        brands = catalogue_brands(conn)
    texts = [d.lower() for d, _ in payments[: args.texts]]
    encoder = load_encoder(registry, merchants, threads=2)  # both cores, as torch uses them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference_embeddings(texts[:64])  # load the torch model before timing it
        torch_s = _best(lambda: reference_embeddings(texts), repeat=2)
    onnx_s = _best(lambda: encoder.encode(texts), repeat=2)

    held_out = train(brands, encoder, seed=args.seed).report
    queries = [d for d, _ in payments[: args.resolves]]
    with closing(vectors.open_qdrant(settings)) as client:
        resolver = load_resolver(registry, merchants, client, threads=2)  # a batch job has both cores
    distinct = list({parse(d).name: d for d in queries}.values())
    batches = [queries[i : i + 100] for i in range(0, len(queries), 100)]
    distinct_batches = [distinct[i : i + 100] for i in range(0, len(distinct), 100)]

    def run(items: list[list[str]]) -> None:
        fresh = _fresh(resolver)
        for batch in items:
            fresh.resolve_many(batch)

    return {
        "embeddings_per_s": {"torch": _per_second(len(texts), torch_s), "onnx": _per_second(len(texts), onnx_s)},
        "merchants_held_out": held_out,
        "resolve_one_in_process_ms": {
            "distinct_name_parts": _latencies(_fresh(resolver).resolve, distinct),
            "payments_in_order": _latencies(_fresh(resolver).resolve, queries),
        },
        "resolve_batches_of_100_per_s": {
            "distinct_name_parts": _per_second(len(distinct), _best(lambda: run(distinct_batches), repeat=2)),
            "payments_in_order": _per_second(len(queries), _best(lambda: run(batches), repeat=2)),
        },
        "resolve_api_one_descriptor_ms": _api_latencies(queries, args.api_requests),
        "descriptors": {"payments": len(queries), "distinct_name_parts": len(distinct)},
        "merchants_version": merchants.version,
    }


def _risk(registry: Registry, lake: Lake, url: str) -> dict[str, Any]:
    risk = registry.get("risk")
    scorer = RiskScorer(registry.model_bytes(risk), risk.card)
    split = time_split(labelled_transfers(lake, url))
    model = fit(split.train)
    refitted = RiskScorer(export(model), {**risk.card, "version": 0})
    rows = matrix(split.holdout)
    big = np.resize(rows, (10_000, rows.shape[1]))
    one = big[:1]
    return {
        "risk_1_row_ms": {
            "onnx": round(_best(lambda: refitted.score_matrix(one), 50) * 1000, 4),
            "sklearn": round(_best(lambda: model.predict_proba(one), 50) * 1000, 4),
        },
        "risk_10k_rows_ms": {
            "onnx": round(_best(lambda: refitted.score_matrix(big)) * 1000, 2),
            "sklearn": round(_best(lambda: model.predict_proba(big)) * 1000, 2),
        },
        "risk_explain_1_row_ms": round(
            _best(lambda: scorer.explain(dict(zip(scorer.features, rows[0], strict=True))), 50) * 1000, 4
        ),
        "risk_version": risk.version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--resolves", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1234, help="descriptor seed of the held-out evaluation")
    parser.add_argument("--api-requests", type=int, default=1000)
    parser.add_argument("--only", choices=("merchants", "risk"), help="measure one part only")
    args = parser.parse_args()
    settings = get_settings()
    lake, url = Lake.from_settings(settings), database_url(settings)
    registry = Registry(lake)
    result: dict[str, Any] = {"benchmark": "ml"}
    if args.only in (None, "merchants"):
        result |= _merchants(args, registry, url)
    if args.only in (None, "risk"):
        result |= _risk(registry, lake, url)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
