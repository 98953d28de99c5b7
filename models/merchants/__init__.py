"""Merchant resolution: card descriptors (`SQ *BLUE BOTTLE #0412 OAKLAND CA`) to the catalogue's merchant.

`descriptor` parses what processors, platforms and banks add; `catalogue` holds the brands and their
aliases; `lexical` and `encoder` (all-MiniLM-L6-v2 exported to ONNX by `export`) find candidates;
`matching` describes each candidate pair and `rerank` scores it (gradient-boosted trees in ONNX, a
calibrated confidence); `resolve` answers with the merchant or `unknown`; `index` keeps each version's
alias vectors in Qdrant and pgvector; `training` makes and evaluates the reranker on held-apart brands and
formats; `curation` turns unknown descriptors into merchants with an audit log; `build` ties it together.
Design: docs/merchant-resolution.md."""
