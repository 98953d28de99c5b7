"""Sentence embeddings from the exported ONNX encoder: `tokenizers` + onnxruntime, no torch."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

MAX_TOKENS = 64
DIMENSIONS = 384
# Embeddings kept per model (by the model's digest, so every encoder of one model shares them): descriptors
# recur (the same merchant's card payments; a build embeds its evaluation set for each model it scores).
MEMO_SIZE = 20_000  # about 30 MB of float32 vectors per model


class _Memo:
    """The embeddings of the texts a model encoded last (least recently used out first); thread-safe."""

    def __init__(self) -> None:
        self.vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        with self.lock:
            found = {t: self.vectors[t] for t in texts if t in self.vectors}
            for t in found:
                self.vectors.move_to_end(t)
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        with self.lock:
            for text, vector in zip(texts, vectors, strict=True):
                self.vectors[text] = vector.copy()  # not a view holding the whole batch's array
            while len(self.vectors) > MEMO_SIZE:
                self.vectors.popitem(last=False)


_MEMOS: dict[str, _Memo] = {}
_MEMOS_LOCK = threading.Lock()


class OnnxEncoder:
    def __init__(self, model: bytes, tokenizer: bytes, *, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_str(tokenizer.decode())
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        digest = hashlib.sha256(model).hexdigest()
        with _MEMOS_LOCK:
            self.memo = _MEMOS.setdefault(digest, _Memo())

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings (len(texts) x 384, float32)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        known = self.memo.get(list(dict.fromkeys(texts)))
        # Each distinct new text once, in length order so a batch pads little; then back in the caller's order.
        distinct = sorted(set(texts) - known.keys(), key=lambda t: (len(t), t))
        if distinct:
            fresh = self._run(distinct, batch_size)
            self.memo.put(distinct, fresh)
            known.update(zip(distinct, fresh, strict=True))
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)

    def _run(self, distinct: Sequence[str], batch_size: int) -> np.ndarray:
        """The model's embeddings of `distinct`, in its order."""
        parts = []
        for start in range(0, len(distinct), batch_size):
            batch = self.tokenizer.encode_batch(distinct[start : start + batch_size])
            feed = {
                "input_ids": np.asarray([b.ids for b in batch], dtype=np.int64),
                "attention_mask": np.asarray([b.attention_mask for b in batch], dtype=np.int64),
                "token_type_ids": np.asarray([b.type_ids for b in batch], dtype=np.int64),
            }
            parts.append(self.session.run(None, feed)[0])
        return np.concatenate(parts).astype(np.float32)
