"""The catalogue's vectors in two stores, one collection (or table) per version, a stable name in front.

- Qdrant (local mode under FINTRA_HOME/qdrant by default, FINTRA_QDRANT_URL for a server): collection
  `merchants_v<N>`, alias `merchants` moved to a new version in one atomic alias operation.
- PostgreSQL through timescale-vector (pgvector): table `vectors.merchant_vectors_v<N>` with a DiskANN
  index when the vectorscale extension is installed (HNSW otherwise), view `vectors.merchant_vectors`
  replaced in one transaction.

One point per (merchant, spelling of its name), carrying the merchant in its payload.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import psycopg
from psycopg import sql
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from fintra.settings import Settings
from models.merchants.encoder import DIMENSIONS
from models.merchants.matching import Alias, Merchant

ALIAS = "merchants"
SCHEMA = "vectors"
VIEW = "merchant_vectors"
NAMESPACE = uuid.UUID("5b0f7c1e-2a53-4c61-9b8e-6d1f0a3c9e21")  # point ids: uuid5 of merchant and spelling


def point_id(alias: Alias) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{alias.merchant.merchant_id}:{alias.text}"))


def _payload(alias: Alias) -> dict[str, Any]:
    return {**asdict(alias.merchant), "text": alias.text, "kind": alias.kind}


def _alias(payload: dict[str, Any]) -> Alias:
    merchant = Merchant(payload["merchant_id"], payload["name"], int(payload["mcc"]), payload["category"])
    return Alias(merchant, payload["text"], payload.get("kind", "name"))


def _ordered(rows: list[tuple[Alias, list[float]]]) -> tuple[list[Alias], np.ndarray]:
    """The same order from either store: by merchant, then spelling."""
    rows.sort(key=lambda r: (r[0].merchant.merchant_id, r[0].text))
    return [a for a, _ in rows], np.asarray([v for _, v in rows], dtype=np.float32).reshape(-1, DIMENSIONS)


# -- Qdrant ----------------------------------------------------------------------------------------------
def open_qdrant(settings: Settings) -> QdrantClient:
    """The configured Qdrant: a server at FINTRA_QDRANT_URL, else local mode under FINTRA_HOME/qdrant
    (one process at a time: local mode locks its folder)."""
    if settings.qdrant_url:
        return QdrantClient(url=settings.qdrant_url)
    folder = settings.home_dir / "qdrant"
    folder.mkdir(parents=True, exist_ok=True)
    return QdrantClient(path=str(folder))


def collection(version: int) -> str:
    return f"{ALIAS}_v{version}"


def build_qdrant(client: QdrantClient, version: int, aliases: Sequence[Alias], vectors: np.ndarray) -> str:
    """Create (or recreate) the collection of `version` with every point; the alias is not touched."""
    name = collection(version)
    if client.collection_exists(name):
        client.delete_collection(name)
    client.create_collection(name, vectors_config=qm.VectorParams(size=DIMENSIONS, distance=qm.Distance.COSINE))
    points = [
        qm.PointStruct(id=point_id(alias), vector=vector.tolist(), payload=_payload(alias))
        for alias, vector in zip(aliases, vectors, strict=True)
    ]
    for start in range(0, len(points), 512):
        client.upsert(name, points=points[start : start + 512], wait=True)
    return name


def point_qdrant_alias(client: QdrantClient, version: int) -> None:
    """Move the alias to `version`'s collection in one operation (readers see the old or the new one)."""
    operations: list[Any] = []
    if any(a.alias_name == ALIAS for a in client.get_aliases().aliases):
        operations.append(qm.DeleteAliasOperation(delete_alias=qm.DeleteAlias(alias_name=ALIAS)))
    operations.append(
        qm.CreateAliasOperation(create_alias=qm.CreateAlias(collection_name=collection(version), alias_name=ALIAS))
    )
    client.update_collection_aliases(change_aliases_operations=operations)


def qdrant_alias_target(client: QdrantClient) -> str | None:
    return next((a.collection_name for a in client.get_aliases().aliases if a.alias_name == ALIAS), None)


def load_qdrant(client: QdrantClient, name: str = ALIAS) -> tuple[list[Alias], np.ndarray]:
    """Every alias of `name` (an alias or a collection) with its vector, read once (local-mode Qdrant locks
    its folder: serving reads and closes, it never keeps the client)."""
    rows: list[tuple[Alias, list[float]]] = []
    offset = None
    while True:
        points, offset = client.scroll(name, limit=1024, offset=offset, with_vectors=True, with_payload=True)
        rows += [(_alias(p.payload or {}), list(p.vector)) for p in points]  # type: ignore[arg-type]
        if offset is None:
            return _ordered(rows)


# -- PostgreSQL (pgvector through timescale-vector) --------------------------------------------------------
def table(version: int) -> str:
    return f"merchant_vectors_v{version}"


def _vector_client(pg_url: str, version: int) -> Any:
    from timescale_vector import client as tsv  # psycopg2-based; imported where the table is built

    return tsv.Sync(pg_url, table(version), DIMENSIONS, schema_name=SCHEMA, max_db_connections=2)


def build_pgvector(pg_url: str, version: int, aliases: Sequence[Alias], vectors: np.ndarray) -> str:
    """Create (or recreate) `vectors.merchant_vectors_v<version>` with its ANN index; the view is not touched."""
    from timescale_vector import client as tsv

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        diskann = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vectorscale'").fetchone()
        if diskann:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vectorscale CASCADE")
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
        conn.execute(
            sql.SQL("DROP TABLE IF EXISTS {}.{} CASCADE").format(sql.Identifier(SCHEMA), sql.Identifier(table(version)))
        )
    store = _vector_client(pg_url, version)
    try:
        store.create_tables()
        records = [
            (uuid.UUID(point_id(alias)), _payload(alias), alias.text, vector.tolist())
            for alias, vector in zip(aliases, vectors, strict=True)
        ]
        store.upsert(records)
        store.create_embedding_index(tsv.DiskAnnIndex() if diskann else tsv.HNSWIndex())
    finally:
        store.close()
    return f"{SCHEMA}.{table(version)}"


def point_pgvector_view(pg_url: str, version: int) -> None:
    """`vectors.merchant_vectors` now reads `version`'s table (one transaction: never missing)."""
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            sql.SQL("CREATE OR REPLACE VIEW {}.{} AS SELECT * FROM {}.{}").format(
                sql.Identifier(SCHEMA), sql.Identifier(VIEW), sql.Identifier(SCHEMA), sql.Identifier(table(version))
            )
        )


def load_pgvector(pg_url: str, version: int) -> tuple[list[Alias], np.ndarray]:
    """Every alias of `version`'s table with its vector (in the order `load_qdrant` gives)."""
    with psycopg.connect(pg_url) as conn:
        found = conn.execute(
            sql.SQL("SELECT metadata, embedding::text FROM {}.{}").format(
                sql.Identifier(SCHEMA), sql.Identifier(table(version))
            )
        ).fetchall()
    return _ordered([(_alias(dict(meta)), [float(x) for x in text.strip("[]").split(",")]) for meta, text in found])
