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
import statistics
import time
import warnings
from contextlib import closing
from typing import Any

import numpy as np
import psycopg

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import get_settings
from models.merchants import index as vectors
from models.merchants.build import holdout_payments, load_encoder
from models.merchants.export import reference_embeddings
from models.merchants.normalise import normalise
from models.merchants.resolve import MerchantResolver
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--resolves", type=int, default=1000)
    args = parser.parse_args()
    settings = get_settings()
    lake, url = Lake.from_settings(settings), database_url(settings)
    registry = Registry(lake)
    merchants = registry.get("merchants")
    with psycopg.connect(url) as conn:
        payments = holdout_payments(conn, max(args.texts, args.resolves))
    texts = [normalise(d) for d, _ in payments[: args.texts]]

    encoder = load_encoder(registry, merchants, threads=2)  # both cores, as torch uses them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference_embeddings(texts[:64])  # load the torch model before timing it
        torch_s = _best(lambda: reference_embeddings(texts), repeat=2)
    onnx_s = _best(lambda: encoder.encode(texts), repeat=2)

    queries = [d for d, _ in payments[: args.resolves]]
    with closing(vectors.open_qdrant(settings)) as client:
        memory = vectors.in_memory_copy(client)
    qdrant = MerchantResolver(
        load_encoder(registry, merchants), vectors.QdrantIndex(memory), merchants.card["threshold"]
    )
    pg_index = vectors.PgVectorIndex(url, merchants.version)
    pgvector = MerchantResolver(load_encoder(registry, merchants), pg_index, merchants.card["threshold"])
    resolve_qdrant = _latencies(qdrant.resolve, queries)
    resolve_pg = _latencies(pgvector.resolve, queries)
    pg_index.close()

    risk = registry.get("risk")
    scorer = RiskScorer(registry.model_bytes(risk), risk.card)
    split = time_split(labelled_transfers(lake, url))
    model = fit(split.train)
    refitted = RiskScorer(export(model), {**risk.card, "version": 0})
    rows = matrix(split.holdout)
    big = np.resize(rows, (10_000, rows.shape[1]))
    one = big[:1]
    print(
        json.dumps(
            {
                "benchmark": "ml",
                "embeddings_per_s": {
                    "torch": _per_second(len(texts), torch_s),
                    "onnx": _per_second(len(texts), onnx_s),
                },
                "resolve_qdrant_in_memory": resolve_qdrant,
                "resolve_pgvector": resolve_pg,
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
                "production_versions": {"risk": risk.version, "merchants": merchants.version},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
