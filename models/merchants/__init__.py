"""Merchant resolution: card descriptors (`SQ *BLUE BOTTLE #0412 OAKLAND CA`) to the catalogue's merchant.

`normalise` strips what processors add; `encoder` embeds text with all-MiniLM-L6-v2 exported to ONNX
(`export` does the export, with torch); `index` keeps the catalogue's vectors in Qdrant and in
PostgreSQL (pgvector through timescale-vector), each version behind a stable name; `resolve` answers
with the merchant and a confidence, or `unknown`; `evaluate` scores it on the simulator's payments."""
