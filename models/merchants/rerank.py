"""The reranker: a probability that a candidate merchant is the one behind a descriptor, from `FEATURES`.

Trained (scikit-learn gradient-boosted trees) on pairs the shared descriptor generator makes for the training
brands and formats only; exported to ONNX so serving needs onnxruntime alone. The top candidate's
probability is calibrated (isotonic, on a calibration set the model never trained on) into the confidence
the API returns; below the threshold the answer is `unknown`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from models.merchants.matching import FEATURES, Candidates


@dataclass(frozen=True, slots=True)
class Calibration:
    """Isotonic map from the model's probability to the share of answers that were right."""

    points: tuple[float, ...]
    values: tuple[float, ...]

    def __call__(self, probability: np.ndarray) -> np.ndarray:
        return np.interp(probability, self.points, self.values)


IDENTITY = Calibration((0.0, 1.0), (0.0, 1.0))


class Reranker:
    def __init__(self, model: bytes, calibration: Calibration) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.calibration = calibration

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        return np.asarray(self.session.run(None, {self.input: rows.astype(np.float32)})[1])[:, 1]

    def best(self, candidates: Sequence[Candidates]) -> list[tuple[int, float, float]]:
        """For each descriptor: (index of the best candidate or -1, raw probability, calibrated confidence)."""
        sizes = [len(c.merchants) for c in candidates]
        stacked = [c.features for c in candidates if len(c.merchants)]
        raw = self.probabilities(np.concatenate(stacked) if stacked else np.zeros((0, len(FEATURES))))
        answers, at = [], 0
        for size in sizes:
            if not size:
                answers.append((-1, 0.0, 0.0))
                continue
            chunk = raw[at : at + size]
            at += size
            best = int(chunk.argmax())
            answers.append((best, float(chunk[best]), float(self.calibration(np.asarray([chunk[best]]))[0])))
        return answers


class ExportMismatchError(AssertionError):
    """The exported reranker's probabilities differ from scikit-learn's."""


def fit(rows: np.ndarray, labels: np.ndarray, *, seed: int = 0) -> tuple[bytes, object]:
    """Gradient-boosted trees on candidate rows (label 1: the right merchant); (ONNX bytes, the sklearn
    model). The export is refused when its probabilities differ from scikit-learn's by more than 1e-5.
    Build-time only: imports scikit-learn and skl2onnx."""
    import warnings

    from skl2onnx import to_onnx
    from sklearn.ensemble import HistGradientBoostingClassifier

    features = rows.astype(np.float32)
    model = HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.08, max_leaf_nodes=31, l2_regularization=1.0, random_state=seed
    )
    model.fit(features, labels.astype(int))
    with warnings.catch_warnings():
        # skl2onnx hands protobuf Python bools for some tree flags; protobuf warns it will refuse them in a
        # later release, and with warnings as errors (the tests) its C code then reports "Value out of
        # range". Not ours to change; the parity check below is the guard.
        warnings.simplefilter("ignore")
        onnx = to_onnx(model, features[:1], options={id(model): {"zipmap": False}}, target_opset=17)
    payload = onnx.SerializeToString()
    sample = features[:: max(len(features) // 5000, 1)]
    gap = float(np.abs(Reranker(payload, IDENTITY).probabilities(sample) - model.predict_proba(sample)[:, 1]).max())
    if gap > 1e-5:
        raise ExportMismatchError(f"ONNX reranker differs from scikit-learn by {gap:.2e}")
    return payload, model


def calibrate(probabilities: np.ndarray, right: np.ndarray) -> Calibration:
    """Isotonic regression of `right` (1 when the top candidate was the true merchant) on the probability."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(probabilities, right.astype(float))
    return Calibration(tuple(float(x) for x in iso.X_thresholds_), tuple(float(y) for y in iso.y_thresholds_))
