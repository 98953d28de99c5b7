"""Training the transfer risk model: gradient-boosted trees on the feature table, evaluated on the later
days against the rules baseline, exported to ONNX (checked against scikit-learn), registered, and
promoted when at least as good as production on the same holdout."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from importlib.metadata import version as installed
from typing import Any

import numpy as np
import polars as pl
from skl2onnx import to_onnx
from sklearn.ensemble import HistGradientBoostingClassifier

from features.definitions import FEATURE_NAMES, FEATURES
from fintra.lake import Lake
from models.registry import ModelVersion, Promotion, Registry
from models.risk.baseline import rules_score
from models.risk.dataset import fingerprint, labelled_transfers, matrix, time_split
from models.risk.metrics import evaluate, threshold_at_fpr
from models.risk.scorer import NAME, RiskScorer

PARITY_TOLERANCE = 1e-5
METRIC = "pr_auc"
LIBRARIES = ("scikit-learn", "skl2onnx", "onnx", "onnxruntime", "numpy", "polars")


class ParityError(AssertionError):
    """ONNX probabilities differ from scikit-learn's beyond the tolerance."""


@dataclass(frozen=True, slots=True)
class TrainingResult:
    version: ModelVersion
    promotion: Promotion
    metrics: dict[str, Any]
    baseline: dict[str, Any]
    parity_max_difference: float


def fit(train: pl.DataFrame, seed: int = 0) -> HistGradientBoostingClassifier:
    model = HistGradientBoostingClassifier(
        max_iter=300,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    return model.fit(matrix(train), train["label"].to_numpy())


def export(model: HistGradientBoostingClassifier) -> bytes:
    sample = np.zeros((1, len(FEATURE_NAMES)), dtype=np.float32)
    with warnings.catch_warnings():
        # skl2onnx 1.20 hands protobuf booleans where it wants ints (a deprecation in protobuf, not ours)
        warnings.filterwarnings("ignore", message="Field onnx.AttributeProto", category=DeprecationWarning)
        onnx_model = to_onnx(
            model, sample, options={id(model): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3}
        )
    return onnx_model.SerializeToString()


def holdout_score(version: ModelVersion, holdout: Any, registry: Registry) -> float:
    """A registered version's PR-AUC on a holdout table (features and `label`), through ONNX."""
    scorer = RiskScorer(registry.model_bytes(version), version.card)
    frame = pl.from_arrow(holdout)
    assert isinstance(frame, pl.DataFrame)
    probabilities = scorer.score_matrix(frame.select(scorer.features).to_numpy())
    return float(evaluate(frame["label"].to_numpy(), probabilities)[METRIC])


def train_risk_model(lake: Lake, pg_url: str, *, seed: int = 0, registry_lake: Lake | None = None) -> TrainingResult:
    """Train on `lake`'s features, evaluate, export, register and (if at least as good) promote a new version
    in the registry of `registry_lake` (default: `lake`; a scratch lake leaves the served registry as it was)."""
    frame = labelled_transfers(lake, pg_url)
    split = time_split(frame)
    for part, rows in (("training", split.train), ("holdout", split.holdout)):
        if rows["label"].sum() == 0:
            raise ValueError(f"the {part} days hold no labelled case: simulate more days or a larger typology share")
    model = fit(split.train, seed)
    expected = model.predict_proba(matrix(split.holdout))[:, 1]
    labels = split.holdout["label"].to_numpy()
    onnx_bytes = export(model)
    medians = {n: float(v) for n, v in zip(FEATURE_NAMES, np.median(matrix(split.train), axis=0), strict=True)}
    thresholds = {
        "review": threshold_at_fpr(labels, expected, 0.01),
        "block": threshold_at_fpr(labels, expected, 0.001),
    }
    card = {
        "kind": "risk",
        "estimator": "HistGradientBoostingClassifier",
        "params": {k: v for k, v in model.get_params().items() if isinstance(v, int | float | str | bool | None)},
        "features": list(FEATURE_NAMES),
        "feature_descriptions": {f.name: f.description for f in FEATURES},
        "medians": medians,
        "thresholds": thresholds,
        "training": {
            "rows": split.train.height,
            "positives": int(split.train["label"].sum()),
            "first_day": str(split.train["ts"].min().date()),
            "last_day": str(split.train["ts"].max().date()),
            "fingerprint_sha256": fingerprint(split.train),
        },
        "holdout": {
            "first_day": str(split.cutoff),
            "last_day": str(split.holdout["ts"].max().date()),
            "fingerprint_sha256": fingerprint(split.holdout),
        },
        "metrics": evaluate(labels, expected),
        "baseline": {"rules": "models.risk.baseline", **evaluate(labels, rules_score(split.holdout))},
        "libraries": {name: installed(name) for name in LIBRARIES},
    }
    scorer = RiskScorer(onnx_bytes, {**card, "version": 0})
    difference = float(np.abs(scorer.score_matrix(matrix(split.holdout)) - expected).max())
    if difference > PARITY_TOLERANCE:
        raise ParityError(f"ONNX and scikit-learn probabilities differ by {difference:.2e} (> {PARITY_TOLERANCE})")
    card["onnx_parity_max_difference"] = difference
    holdout = split.holdout.select("target_id", "ts", *FEATURE_NAMES, "label").to_arrow()
    registry = Registry(registry_lake or lake)
    version = registry.register(NAME, onnx_bytes, card, holdout)
    promotion = registry.promote(NAME, version.version, lambda v, h: holdout_score(v, h, registry), metric=METRIC)
    return TrainingResult(registry.get(NAME, version.version), promotion, card["metrics"], card["baseline"], difference)
