"""How good a score is on labelled transfers: precision-recall AUC, recall at a 1% false-positive rate,
and calibration (Brier score, expected calibration error, reliability by decile of score)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_curve

FPR = 0.01
BINS = 10


def recall_at_fpr(labels: np.ndarray, scores: np.ndarray, fpr: float = FPR) -> float:
    false_positive, true_positive, _ = roc_curve(labels, scores)
    return float(true_positive[false_positive <= fpr].max())


def threshold_at_fpr(labels: np.ndarray, scores: np.ndarray, fpr: float) -> float:
    """The lowest score threshold whose false-positive rate on `labels` stays within `fpr`."""
    false_positive, _, thresholds = roc_curve(labels, scores)
    return float(thresholds[false_positive <= fpr].min())


def calibration(labels: np.ndarray, scores: np.ndarray, bins: int = BINS) -> dict[str, Any]:
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(scores, edges[1:-1]), 0, bins - 1)
    table, error = [], 0.0
    for b in range(bins):
        chosen = index == b
        if chosen.any():
            predicted, observed = float(scores[chosen].mean()), float(labels[chosen].mean())
            error += chosen.mean() * abs(predicted - observed)
            table.append({"bin": b, "rows": int(chosen.sum()), "predicted": predicted, "observed": observed})
    return {"brier": float(brier_score_loss(labels, scores)), "ece": float(error), "reliability": table}


def evaluate(labels: np.ndarray, scores: np.ndarray) -> dict[str, Any]:
    if labels.sum() == 0 or labels.sum() == len(labels):
        raise ValueError("evaluation needs both positive and negative transfers")
    return {
        "rows": len(labels),
        "positives": int(labels.sum()),
        "pr_auc": float(average_precision_score(labels, scores)),
        "recall_at_1pct_fpr": recall_at_fpr(labels, scores),
        **calibration(labels, scores),
    }
