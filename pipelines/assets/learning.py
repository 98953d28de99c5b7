"""The learning path: point-in-time features of every outgoing transfer, the risk model and merchant
resolution, each checked (online/offline parity, ONNX parity, metrics against their baselines) and
registered in the lake's model registry; promotion moves production only when a version is at least as
good on the same holdout."""

# No `from __future__ import annotations` here: Dagster reads the context annotation at definition time.
import random

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
RISK_KEY = dg.AssetKey(["models", "risk"])
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
            online = transfer_features(conn, historical_transfer(conn, row["target_id"]), row["target_id"])
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


@dg.asset(
    key=RISK_KEY,
    deps=[FEATURES_KEY, dg.AssetKey(["ledger", "journal_entries"])],
    group_name="learning",
    kinds={"sklearn", "onnx"},
    check_specs=[
        dg.AssetCheckSpec(
            "onnx_matches_sklearn", asset=RISK_KEY, description=f"probabilities within {PARITY_TOLERANCE}"
        ),
        dg.AssetCheckSpec("beats_rules_baseline", asset=RISK_KEY, description="holdout PR-AUC above the rules'"),
    ],
    description="Transfer risk model: trained on the features and the simulator's labels, evaluated on the"
    " latest days, exported to ONNX, registered (promoted when at least as good).",
)
def risk_model_asset(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> dg.MaterializeResult:
    """Train, evaluate, export, register and promote a new version of the risk model."""
    result = train_risk_model(lake.lake(), postgres.resolved_url())
    metrics, baseline = result.metrics, result.baseline
    context.log.info(f"v{result.version.version}: {result.promotion.reason}")
    return dg.MaterializeResult(
        metadata={
            "version": result.version.version,
            "status": result.version.status,
            "promotion": result.promotion.reason,
            "pr_auc": metrics["pr_auc"],
            "recall_at_1pct_fpr": metrics["recall_at_1pct_fpr"],
            "brier": metrics["brier"],
            "baseline_pr_auc": baseline["pr_auc"],
            "holdout_positives": metrics["positives"],
        },
        check_results=[
            _check(
                "onnx_matches_sklearn",
                RISK_KEY,
                result.parity_max_difference <= PARITY_TOLERANCE,
                max_difference=result.parity_max_difference,
            ),
            _check(
                "beats_rules_baseline",
                RISK_KEY,
                metrics["pr_auc"] > baseline["pr_auc"],
                model=metrics["pr_auc"],
                rules=baseline["pr_auc"],
            ),
        ],
    )


@dg.asset(
    key=MERCHANTS_KEY,
    deps=[dg.AssetKey(["analytics", "merchants"]), dg.AssetKey(["ledger", "journal_entries"])],
    group_name="learning",
    kinds={"onnx", "qdrant", "postgres"},
    check_specs=[
        dg.AssetCheckSpec(
            "accuracy_target", asset=MERCHANTS_KEY, description="top-1 >= 95% and 10 points over rapidfuzz ratio"
        ),
        dg.AssetCheckSpec(
            "backends_agree", asset=MERCHANTS_KEY, description="Qdrant and pgvector give the same merchant"
        ),
    ],
    description="Merchant resolution: MiniLM encoder exported to ONNX, the catalogue indexed in Qdrant and"
    " pgvector (versioned, behind an alias and a view), evaluated on held-out payments, registered, promoted.",
)
def merchant_resolution_asset(
    context: dg.AssetExecutionContext, postgres: PostgresResource, lake: LakeResource
) -> dg.MaterializeResult:
    """Export, index, evaluate, register and promote merchant resolution."""
    built = build_merchant_resolver(lake.lake(), postgres.resolved_url(), get_settings())
    metrics, baseline = built.metrics, built.version.card["baseline"]
    target = metrics["accuracy"] >= 0.95 and metrics["accuracy"] >= baseline["rapidfuzz_ratio"] + 0.10
    context.log.info(f"v{built.version.version}: {built.promotion.reason}")
    return dg.MaterializeResult(
        metadata={
            "version": built.version.version,
            "promotion": built.promotion.reason,
            **{k: float(v) for k, v in metrics.items()},
            **baseline,
        },
        check_results=[
            _check("accuracy_target", MERCHANTS_KEY, target, accuracy=metrics["accuracy"], **baseline),
            _check(
                "backends_agree",
                MERCHANTS_KEY,
                metrics["backend_agreement"] >= 0.99,
                agreement=metrics["backend_agreement"],
            ),
        ],
    )


LEARNING_ASSETS = [transfer_features_asset, risk_model_asset, merchant_resolution_asset]
