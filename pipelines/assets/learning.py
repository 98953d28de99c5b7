"""The learning path: point-in-time features of every outgoing transfer, the risk model and merchant
resolution, each checked (online/offline parity, ONNX parity, metrics against their baselines) and
registered in the lake's model registry; promotion moves production only when a version is at least as
good on the same holdout."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.
import random
from collections.abc import Iterator
from typing import Any

import dagster as dg
import psycopg

from features.definitions import FEATURE_NAMES
from features.offline import DATASET, build_features
from features.online import historical_transfer, transfer_features
from fintra.settings import get_settings
from models.merchants.build import build_merchant_resolver
from models.risk.train import PARITY_TOLERANCE, train_risk_model
from pipelines.resources import LakeResource, PostgresResource

FEATURES_KEY = dg.AssetKey(["features", "transfers"])
RISK_CANDIDATE_KEY = dg.AssetKey(["models", "risk_candidate"])
RISK_KEY = dg.AssetKey(["models", "risk"])
ENCODER_KEY = dg.AssetKey(["models", "merchant_encoder"])
QDRANT_KEY = dg.AssetKey(["models", "merchant_index_qdrant"])
PGVECTOR_KEY = dg.AssetKey(["models", "merchant_index_pgvector"])
MERCHANTS_KEY = dg.AssetKey(["models", "merchants"])
PARITY_SAMPLE = 40
RAW = [
    dg.AssetKey(["raw", "ledger", t])
    for t in ("entries", "journal_entries", "accounts", "customers", "currencies", "ticks")
]


def _check(name: str, asset: dg.AssetKey, passed: bool, **metadata: object) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(check_name=name, asset_key=asset, passed=bool(passed), metadata=metadata)  # type: ignore[arg-type]


@dg.asset(
    key=FEATURES_KEY,
    deps=RAW,
    group_name="learning",
    kinds={"polars", "parquet"},
    check_specs=[
        dg.AssetCheckSpec(
            "online_equals_offline", asset=FEATURES_KEY, description="sampled transfers recomputed from PostgreSQL"
        )
    ],
    description=f"Point-in-time features of every outgoing transfer, {DATASET}/date=YYYY-MM-DD/",
)
def transfer_features_asset(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> dg.MaterializeResult:
    """Rebuild the feature table from the lake, then recompute a sample online and compare."""
    store = lake.lake()
    writes = build_features(store)
    table = store.scan(DATASET).collect()
    sample = table.sample(min(PARITY_SAMPLE, table.height), seed=random.Random(table.height).randrange(2**31))
    mismatches = []
    with psycopg.connect(postgres.resolved_url()) as conn:
        for row in sample.iter_rows(named=True):
            online = transfer_features(conn, historical_transfer(conn, row["target_id"]))
            mismatches += [
                f"{row['target_id']} {n}"
                for n in FEATURE_NAMES
                if abs(online[n] - row[n]) > 1e-9 * max(1.0, abs(row[n]))
            ]
    context.log.info(f"{table.height} transfers, {len(writes)} partitions")
    return dg.MaterializeResult(
        metadata={
            "rows": table.height,
            "partitions": len(writes),
            "features": len(FEATURE_NAMES),
            "lake": store.uri(DATASET),
        },
        check_results=[
            _check(
                "online_equals_offline",
                FEATURES_KEY,
                not mismatches,
                sampled=sample.height,
                mismatches="\n".join(mismatches[:20]) or "none",
            )
        ],
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RISK_CANDIDATE_KEY,
            deps=[FEATURES_KEY, dg.AssetKey(["ledger", "journal_entries"])],
            description="A new risk model version: trained on the features and the simulator's labels, evaluated on"
            " the latest days against the rules baseline, exported to ONNX, registered as a candidate.",
            kinds={"sklearn", "onnx"},
        ),
        dg.AssetSpec(
            RISK_KEY,
            deps=[RISK_CANDIDATE_KEY],
            description="The production risk model: the candidate promoted when at least as good on its holdout.",
            kinds={"onnx"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec("onnx_matches_sklearn", asset=RISK_CANDIDATE_KEY, description=f"within {PARITY_TOLERANCE}"),
        dg.AssetCheckSpec(
            "beats_rules_baseline", asset=RISK_CANDIDATE_KEY, description="holdout PR-AUC above the rules'"
        ),
        dg.AssetCheckSpec(
            "promotion_rule_held", asset=RISK_KEY, description="production moved only to a version as good"
        ),
    ],
    group_name="learning",
    name="risk_model",
)
def risk_model_assets(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> Iterator[Any]:
    """Train, evaluate, export and register a candidate; promote it if at least as good."""
    result = train_risk_model(lake.lake(), postgres.resolved_url())
    metrics, baseline, promotion = result.metrics, result.baseline, result.promotion
    context.log.info(f"v{result.version.version}: {promotion.reason}")
    yield dg.MaterializeResult(
        asset_key=RISK_CANDIDATE_KEY,
        metadata={
            "version": result.version.version,
            "pr_auc": metrics["pr_auc"],
            "recall_at_1pct_fpr": metrics["recall_at_1pct_fpr"],
            "brier": metrics["brier"],
            "baseline_pr_auc": baseline["pr_auc"],
            "holdout_positives": metrics["positives"],
        },
    )
    yield _check(
        "onnx_matches_sklearn",
        RISK_CANDIDATE_KEY,
        result.parity_max_difference <= PARITY_TOLERANCE,
        max_difference=result.parity_max_difference,
    )
    yield _check(
        "beats_rules_baseline",
        RISK_CANDIDATE_KEY,
        metrics["pr_auc"] > baseline["pr_auc"],
        model=metrics["pr_auc"],
        rules=baseline["pr_auc"],
    )
    yield dg.MaterializeResult(
        asset_key=RISK_KEY,
        metadata={"promoted": promotion.promoted, "reason": promotion.reason, "version": result.version.version},
    )
    held = (
        promotion.production_score is None
        or not promotion.promoted
        or promotion.candidate_score >= promotion.production_score
    )  # type: ignore[operator]
    yield _check("promotion_rule_held", RISK_KEY, held, reason=promotion.reason)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ENCODER_KEY,
            description="all-MiniLM-L6-v2 exported to ONNX (mean pooling, normalised), checked against"
            " sentence-transformers",
            kinds={"torch", "onnx"},
        ),
        dg.AssetSpec(
            QDRANT_KEY,
            deps=[ENCODER_KEY, dg.AssetKey(["analytics", "merchants"]), dg.AssetKey(["analytics", "merchant_aliases"])],
            description="The catalogue's vectors in Qdrant: collection merchants_v<N>, alias `merchants` moved on"
            " promotion",
            kinds={"qdrant"},
        ),
        dg.AssetSpec(
            PGVECTOR_KEY,
            deps=[ENCODER_KEY, dg.AssetKey(["analytics", "merchants"]), dg.AssetKey(["analytics", "merchant_aliases"])],
            description="The same vectors in PostgreSQL (timescale-vector): vectors.merchant_vectors_v<N>, view"
            " moved on promotion",
            kinds={"postgres"},
        ),
        dg.AssetSpec(
            MERCHANTS_KEY,
            deps=[QDRANT_KEY, PGVECTOR_KEY, dg.AssetKey(["ledger", "journal_entries"])],
            description="Merchant resolution: reranker trained on some brands and formats, evaluated on held-out"
            " brands, formats and brands left out of the index, and on the simulator's held-out card payments,"
            " against rapidfuzz; registered and promoted when at least as accurate",
            kinds={"onnx"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec("matches_sentence_transformers", asset=ENCODER_KEY, description="cosine >= 0.999"),
        dg.AssetCheckSpec("agrees_with_qdrant", asset=PGVECTOR_KEY, description="same merchant for 500 payments"),
        dg.AssetCheckSpec(
            "accuracy_target",
            asset=MERCHANTS_KEY,
            description="held-out brands: >= 97% top-1 and 7 points over rapidfuzz WRatio, >= 90% unknown for"
            " brands not in the index; simulator payments >= 95%",
        ),
    ],
    group_name="learning",
    name="merchant_resolution",
)
def merchant_resolution_assets(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> Iterator[Any]:
    """Export the encoder, index the catalogue in both stores, evaluate, register and promote."""
    built = build_merchant_resolver(lake.lake(), postgres.resolved_url(), get_settings())
    card, metrics = built.version.card, built.metrics
    baseline = card["baseline"]
    context.log.info(f"v{built.version.version}: {built.promotion.reason}")
    cosine = card["encoder"]["min_cosine_vs_torch"]
    yield dg.MaterializeResult(asset_key=ENCODER_KEY, metadata={"version": built.version.version, "min_cosine": cosine})
    yield _check("matches_sentence_transformers", ENCODER_KEY, cosine >= 0.999, min_cosine=cosine)
    yield dg.MaterializeResult(
        asset_key=QDRANT_KEY, metadata={"collection": card["qdrant_collection"], **card["indexed"]}
    )
    yield dg.MaterializeResult(asset_key=PGVECTOR_KEY, metadata={"table": card["pgvector_table"], **card["indexed"]})
    yield _check(
        "agrees_with_qdrant", PGVECTOR_KEY, metrics["backend_agreement"] >= 0.99, agreement=metrics["backend_agreement"]
    )
    held_out = card["held_out"]["evaluation"]
    target = (
        held_out["top1"] >= 0.97
        and held_out["top1"] >= held_out["rapidfuzz_wratio_top1"] + 0.07
        and held_out["unknown_rate"] >= 0.90
        and metrics["accuracy"] >= 0.95
    )
    yield dg.MaterializeResult(
        asset_key=MERCHANTS_KEY,
        metadata={
            "version": built.version.version,
            "promotion": built.promotion.reason,
            **{k: float(v) for k, v in metrics.items()},
            **baseline,
        },
    )
    yield _check(
        "accuracy_target",
        MERCHANTS_KEY,
        target,
        accuracy=metrics["accuracy"],
        held_out_top1=held_out["top1"],
        held_out_wratio_top1=held_out["rapidfuzz_wratio_top1"],
        held_out_unknown_rate=held_out["unknown_rate"],
        **baseline,
    )


LEARNING_ASSETS = [transfer_features_asset, risk_model_assets, merchant_resolution_assets]
