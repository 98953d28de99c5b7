"""Scoring transfers with the registered ONNX model, onnxruntime alone (no scikit-learn, no torch).

`score` gives the probability that a transfer belongs to a fraud or money-laundering pattern; `decide`
maps it to approve / review / block with the thresholds chosen at training (review: 1% false positives
on the holdout, block: 0.1%); `explain` names the features that moved the score most: each feature in
turn is set to its training median and the change in probability is its contribution (one batched
onnxruntime call)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnxruntime as ort

from models.registry import ModelVersion, Registry

NAME = "risk"


@dataclass(frozen=True, slots=True)
class Reason:
    feature: str
    value: float
    contribution: float  # probability minus the probability with this feature at its training median

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "value": self.value, "contribution": round(self.contribution, 6)}


class RiskScorer:
    def __init__(self, model: bytes, card: Mapping[str, Any]) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one request, one core: the server runs requests side by side
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.card = dict(card)
        self.version = int(card["version"])
        self.features: tuple[str, ...] = tuple(card["features"])
        self.medians = np.asarray([card["medians"][f] for f in self.features], dtype=np.float32)
        self.review_at = float(card["thresholds"]["review"])
        self.block_at = float(card["thresholds"]["block"])

    @classmethod
    def from_registry(cls, registry: Registry, version: int | None = None) -> RiskScorer:
        found: ModelVersion = registry.get(NAME, version)
        return cls(registry.model_bytes(found), found.card)

    def vector(self, features: Mapping[str, float]) -> np.ndarray:
        missing = [f for f in self.features if f not in features]
        if missing:
            raise KeyError(f"features missing for model v{self.version}: {', '.join(missing)}")
        return np.asarray([features[f] for f in self.features], dtype=np.float32)

    def score_matrix(self, rows: np.ndarray) -> np.ndarray:
        """Probabilities for a (rows x features) matrix in the card's feature order."""
        outputs = self.session.run(None, {self.input: np.ascontiguousarray(rows, dtype=np.float32)})
        return np.asarray(outputs[1])[:, 1]

    def score(self, features: Mapping[str, float]) -> float:
        return float(self.score_matrix(self.vector(features)[None, :])[0])

    def decide(self, probability: float) -> str:
        if probability >= self.block_at:
            return "block"
        return "review" if probability >= self.review_at else "approve"

    def effects(self, features: Mapping[str, float]) -> tuple[float, dict[str, float]]:
        """The probability and, per feature, the probability minus the probability with that feature at
        its training median (positive: the feature's value raises the risk)."""
        row = self.vector(features)
        batch = np.repeat(row[None, :], len(self.features) + 1, axis=0)
        batch[np.arange(1, len(self.features) + 1), np.arange(len(self.features))] = self.medians
        scores = self.score_matrix(batch)
        return float(scores[0]), dict(zip(self.features, (scores[0] - scores[1:]).tolist(), strict=True))

    def explain(self, features: Mapping[str, float], top: int = 3) -> tuple[float, list[Reason]]:
        """The probability and the `top` features with the largest effect on it, of either sign."""
        probability, effects = self.effects(features)
        order = sorted(effects, key=lambda name: -abs(effects[name]))[:top]
        return probability, [Reason(name, float(features[name]), effects[name]) for name in order]


def reasons_as_dicts(reasons: Sequence[Reason]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in reasons]
