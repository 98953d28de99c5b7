"""A model registry in the lake: `models/<name>/<version>/{model.onnx, card.json, holdout.parquet}` and
`models/<name>/production.json`, the pointer serving follows.

Versions are numbered 1, 2, ... and never rewritten. The card records what was trained on what (metrics,
feature names and order, training-data fingerprint, library versions, the model file's SHA-256).
Promotion compares a candidate with the current production version on the candidate's holdout and moves
the pointer only when the candidate is at least as good (or when forced, with the reason recorded).
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from fintra.lake import Lake

ROOT = "models"
MODEL_FILE, CARD_FILE, HOLDOUT_FILE, PRODUCTION_FILE = "model.onnx", "card.json", "holdout.parquet", "production.json"


class RegistryError(LookupError):
    """A model, version or file the registry does not hold."""


@dataclass(frozen=True, slots=True)
class ModelVersion:
    name: str
    version: int
    card: dict[str, Any]
    status: str  # production | candidate

    @property
    def folder(self) -> str:
        return posixpath.join(ROOT, self.name, str(self.version))


@dataclass(frozen=True, slots=True)
class Promotion:
    name: str
    version: int
    promoted: bool
    reason: str
    candidate_score: float | None
    production_score: float | None


class Registry:
    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    # -- reading ------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [posixpath.basename(d) for d in self.lake.datasets(ROOT)]

    def versions(self, name: str) -> list[int]:
        base = self.lake.path(ROOT, name)
        if not self.lake.fs.exists(base):
            return []
        found = self.lake.fs.glob(posixpath.join(base, "*", CARD_FILE))
        return sorted(int(posixpath.basename(posixpath.dirname(p))) for p in found)

    def next_version(self, name: str) -> int:
        """The number the next registered version of `name` gets."""
        return (self.versions(name) or [0])[-1] + 1

    def production_version(self, name: str) -> int | None:
        data = self.lake.get_file(posixpath.join(ROOT, name), PRODUCTION_FILE)
        return None if data is None else int(json.loads(data)["version"])

    def get(self, name: str, version: int | None = None) -> ModelVersion:
        """A version's card (default: the production version)."""
        production = self.production_version(name)
        version = version if version is not None else production
        if version is None:
            raise RegistryError(f"model {name!r} has no production version (train one: fintra models train)")
        card = self.lake.get_file(posixpath.join(ROOT, name, str(version)), CARD_FILE)
        if card is None:
            raise RegistryError(f"model {name!r} has no version {version}")
        return ModelVersion(name, version, json.loads(card), "production" if version == production else "candidate")

    def list(self, name: str) -> list[ModelVersion]:
        return [self.get(name, v) for v in self.versions(name)]

    def model_bytes(self, version: ModelVersion) -> bytes:
        data = self.lake.get_file(version.folder, MODEL_FILE)
        if data is None:
            raise RegistryError(f"{version.folder} has no {MODEL_FILE}")
        if hashlib.sha256(data).hexdigest() != version.card["model_sha256"]:
            raise RegistryError(f"{version.folder}/{MODEL_FILE} does not match the SHA-256 in its card")
        return data

    def holdout(self, version: ModelVersion) -> pa.Table:
        return pq.read_table(io.BytesIO(self.file(version, HOLDOUT_FILE)))

    # -- writing ------------------------------------------------------------------------------------
    def file(self, version: ModelVersion, name: str) -> bytes:
        data = self.lake.get_file(version.folder, name)
        if data is None:
            raise RegistryError(f"{version.folder} has no {name}")
        return data

    def register(
        self, name: str, model: bytes, card: dict[str, Any], holdout: pa.Table, extra: dict[str, bytes] | None = None
    ) -> ModelVersion:
        """Store a new candidate version (the next number): model, holdout, any `extra` files, then the card."""
        version = self.next_version(name)
        folder = posixpath.join(ROOT, name, str(version))
        self.lake.remove_unissued(folder, CARD_FILE)
        sink = io.BytesIO()
        pq.write_table(holdout, sink, compression="zstd")
        files = {MODEL_FILE: model, HOLDOUT_FILE: sink.getvalue(), **(extra or {})}
        full = {
            **card,
            "name": name,
            "version": version,
            "created_at": datetime.now(UTC).isoformat(),
            "model_sha256": hashlib.sha256(model).hexdigest(),
            "files": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(files.items())},
        }
        for file_name, data in files.items():
            self.lake.put_new_file(folder, file_name, data)
        self.lake.put_new_file(folder, CARD_FILE, (json.dumps(full, indent=2, sort_keys=True) + "\n").encode())
        return ModelVersion(name, version, full, "candidate")

    def promote(
        self,
        name: str,
        version: int,
        score: Callable[[ModelVersion, pa.Table], float],
        *,
        metric: str,
        force_reason: str | None = None,
    ) -> Promotion:
        """Make `version` production if `score` (higher is better) on its holdout is at least the current
        production version's on the same holdout; `force_reason` promotes regardless and records why."""
        candidate = self.get(name, version)
        current = self.production_version(name)
        if current == version:
            return Promotion(name, version, False, f"version {version} is already production", None, None)
        holdout = self.holdout(candidate)
        mine = score(candidate, holdout)
        theirs = score(self.get(name, current), holdout) if current is not None else None
        better = theirs is None or mine >= theirs
        if not better and force_reason is None:
            reason = f"{metric} {mine:.4f} on its holdout is below production v{current}'s {theirs:.4f}"
            return Promotion(name, version, False, reason, mine, theirs)
        reason = force_reason or (
            f"first production version ({metric} {mine:.4f})"
            if theirs is None
            else f"{metric} {mine:.4f} >= production v{current}'s {theirs:.4f} on the same holdout"
        )
        pointer = {
            "version": version,
            "previous": current,
            "promoted_at": datetime.now(UTC).isoformat(),
            "reason": reason,
            "forced": force_reason is not None,
            metric: {"candidate": mine, "previous": theirs},
        }
        self.lake.put_file(posixpath.join(ROOT, name), PRODUCTION_FILE, (json.dumps(pointer, indent=2) + "\n").encode())
        return Promotion(name, version, True, reason, mine, theirs)
