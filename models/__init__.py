"""Models: the transfer risk model and merchant resolution, trained offline, served from ONNX.

Design overview
- Holds: `registry` (versions in the lake under `models/<name>/<version>/`: model.onnx, card.json, the
  holdout; a `production.json` pointer moved only by promotion), `risk` (dataset from the feature
  table and the simulator's labels, training, metrics, a rules baseline, ONNX export; `risk.scorer`
  scores and explains with onnxruntime alone), `merchants` (descriptor normalisation, the MiniLM
  encoder exported to ONNX, Qdrant and pgvector indexes, `resolve`).
- Guarantees: what serving loads is the artefact that was evaluated (same bytes, SHA-256 in the card);
  a version becomes production only if at least as good as the current one on the same holdout.
- Imports: `fintra`, `features`. Runtime modules (`registry`, `risk.scorer`, `merchants.encoder`,
  `merchants.resolve`) never import scikit-learn or torch; training and export modules do.
"""
