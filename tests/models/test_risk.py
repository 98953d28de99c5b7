"""The risk model on a simulated ledger: trained, evaluated against the rules baseline, exported to ONNX
(equal to scikit-learn), registered, promoted only when at least as good, explained with onnxruntime."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from features.definitions import FEATURE_NAMES
from fintra.lake import Lake
from models.registry import Registry
from models.risk.dataset import labelled_transfers, matrix, time_split
from models.risk.scorer import RiskScorer
from models.risk.train import PARITY_TOLERANCE, export, fit, holdout_score, train_risk_model

FINTRA = str(Path(sys.executable).with_name("fintra"))


def test_onnx_probabilities_equal_scikit_learn_on_the_holdout(compliance_db: str, lake_copy: Lake) -> None:
    split = time_split(labelled_transfers(lake_copy, compliance_db))
    model = fit(split.train)
    card = {
        "version": 0,
        "features": list(FEATURE_NAMES),
        "medians": dict.fromkeys(FEATURE_NAMES, 0.0),
        "thresholds": {"review": 0.5, "block": 0.9},
    }
    rows = matrix(split.holdout)
    difference = np.abs(RiskScorer(export(model), card).score_matrix(rows) - model.predict_proba(rows)[:, 1]).max()
    assert rows.shape[0] > 400 and difference <= PARITY_TOLERANCE


def test_training_registers_a_model_that_beats_the_rules_and_promotes_it(compliance_db: str, lake_copy: Lake) -> None:
    result = train_risk_model(lake_copy, compliance_db)
    card = result.version.card
    assert result.version.version == 1 and result.version.status == "production" and result.promotion.promoted
    assert card["metrics"]["positives"] >= 10 and card["training"]["positives"] >= 10
    assert card["metrics"]["pr_auc"] > card["baseline"]["pr_auc"] + 0.1
    assert card["metrics"]["recall_at_1pct_fpr"] > card["baseline"]["recall_at_1pct_fpr"]
    assert 0 <= card["metrics"]["brier"] < 0.05 and len(card["metrics"]["reliability"]) >= 2
    assert card["onnx_parity_max_difference"] <= PARITY_TOLERANCE
    assert card["features"][0] == "amount_usd_log" and tuple(card["features"]) == FEATURE_NAMES
    assert len(card["training"]["fingerprint_sha256"]) == 64 and card["libraries"]["scikit-learn"] == "1.9.1"
    assert card["training"]["last_day"] < card["holdout"]["first_day"]  # a time split, not a shuffle
    assert card["thresholds"]["block"] >= card["thresholds"]["review"]
    stored = lake_copy.get_file("models/risk/1", "model.onnx")
    assert stored is not None and __import__("hashlib").sha256(stored).hexdigest() == card["model_sha256"]


def test_a_worse_version_stays_candidate_unless_forced(compliance_db: str, lake_copy: Lake) -> None:
    registry = Registry(lake_copy)
    first = train_risk_model(lake_copy, compliance_db).version
    again = train_risk_model(lake_copy, compliance_db)  # same data and seed: exactly as good
    assert again.promotion.promoted and registry.production_version("risk") == 2

    split = time_split(labelled_transfers(lake_copy, compliance_db))
    shuffled = np.random.default_rng(0).permutation(split.train["label"].to_numpy())
    noise = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(matrix(split.train), shuffled)
    holdout = split.holdout.select(first.card["features"] + ["target_id", "ts", "label"]).to_arrow()
    worse = registry.register("risk", export(noise), {**first.card, "kind": "risk"}, holdout)
    score = lambda v, h: holdout_score(v, h, registry)  # noqa: E731
    refused = registry.promote("risk", worse.version, score, metric="pr_auc")
    assert not refused.promoted and "below production v2" in refused.reason
    assert registry.production_version("risk") == 2 and registry.get("risk", worse.version).status == "candidate"
    forced = registry.promote("risk", worse.version, score, metric="pr_auc", force_reason="incident drill")
    assert forced.promoted and registry.production_version("risk") == worse.version
    pointer = json.loads(lake_copy.get_file("models/risk", "production.json") or b"{}")
    assert pointer["forced"] is True and pointer["reason"] == "incident drill" and pointer["previous"] == 2


def test_reasons_name_the_features_that_moved_the_score(compliance_db: str, lake_copy: Lake) -> None:
    train_risk_model(lake_copy, compliance_db)
    scorer = RiskScorer.from_registry(Registry(lake_copy))
    holdout = time_split(labelled_transfers(lake_copy, compliance_db)).holdout
    rows = holdout.select(scorer.features).to_numpy()
    scores = scorer.score_matrix(rows)
    features = dict(zip(scorer.features, rows[int(np.argmax(scores))], strict=True))
    probability, reasons = scorer.explain(features, top=3)
    assert probability == pytest.approx(scores.max(), abs=1e-6) and probability >= scorer.review_at
    assert scorer.decide(probability) in ("review", "block") and scorer.decide(0.0) == "approve"
    assert len(reasons) == 3 and abs(reasons[0].contribution) >= abs(reasons[1].contribution) >= abs(
        reasons[2].contribution
    )
    for reason in reasons:  # each contribution is the change when that one feature is set to its median
        moved = dict(features, **{reason.feature: scorer.card["medians"][reason.feature]})
        assert reason.value == pytest.approx(features[reason.feature])
        assert reason.contribution == pytest.approx(probability - scorer.score(moved), abs=1e-6)


def test_serving_side_modules_never_import_scikit_learn_or_torch() -> None:
    code = (
        "import sys, models.registry, models.risk.scorer, models.merchants.resolve, models.merchants.encoder,"
        " models.merchants.index, features.online\n"
        "bad = [m for m in ('sklearn', 'torch', 'skl2onnx', 'sentence_transformers') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_fintra_models_list_and_promote(compliance_db: str, lake_copy: Lake, tmp_path: Path) -> None:
    train_risk_model(lake_copy, compliance_db)
    env = {
        **os.environ,
        "FINTRA_DATABASE_URL": compliance_db,
        "FINTRA_LAKE_URL": lake_copy.url,
        "FINTRA_HOME": str(tmp_path / "home"),
        "COLUMNS": "220",
    }
    listing = subprocess.run([FINTRA, "models", "list"], env=env, capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0 and "production" in listing.stdout and "PR-AUC" in listing.stdout
    missing = subprocess.run(
        [FINTRA, "models", "promote", "risk", "7"], env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 2 and "has no version 7" in missing.stdout and "Traceback" not in missing.stderr
    nope = subprocess.run([FINTRA, "models", "list", "nope"], env=env, capture_output=True, text=True, timeout=120)
    assert nope.returncode == 2 and "'nope' is not one of risk, merchants" in nope.stdout
    same = subprocess.run(
        [FINTRA, "models", "promote", "risk", "1"], env=env, capture_output=True, text=True, timeout=120
    )
    assert same.returncode == 0 and "already production" in same.stdout
    unknown = subprocess.run(
        [FINTRA, "models", "promote", "fraud", "1"], env=env, capture_output=True, text=True, timeout=120
    )
    assert unknown.returncode == 2 and "not one of risk, merchants" in unknown.stderr
