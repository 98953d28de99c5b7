"""Sentence embeddings from the exported ONNX encoder: `tokenizers` + onnxruntime, no torch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

MAX_TOKENS = 64
DIMENSIONS = 384


class OnnxEncoder:
    def __init__(self, model: bytes, tokenizer: bytes, *, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_str(tokenizer.decode())
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings (len(texts) x 384, float32)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Each distinct text once, in length order so a batch pads little; then back in the caller's order.
        distinct = sorted(set(texts), key=lambda t: (len(t), t))
        parts = []
        for start in range(0, len(distinct), batch_size):
            batch = self.tokenizer.encode_batch(distinct[start : start + batch_size])
            feed = {
                "input_ids": np.asarray([b.ids for b in batch], dtype=np.int64),
                "attention_mask": np.asarray([b.attention_mask for b in batch], dtype=np.int64),
                "token_type_ids": np.asarray([b.type_ids for b in batch], dtype=np.int64),
            }
            parts.append(self.session.run(None, feed)[0])
        vectors = np.concatenate(parts).astype(np.float32)
        row = {t: i for i, t in enumerate(distinct)}
        return vectors[[row[t] for t in texts]]
